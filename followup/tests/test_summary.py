"""Follow-up figures per sub-area, the summary page, and the daily digest e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from followup.models import DigestSubscription, IsolationOrder
from followup.services import arrival_confirm, isolation_check_record, violation_report_raise
from followup.summary import followup_summary

from .conftest import NOW

pytestmark = pytest.mark.django_db

SAWAHAN = "13.71.02.1001"


@pytest.fixture
def area(clock, team, register):
    """Two orders in Alang Laweh (one checked at home, one failed and reported), one in Sawahan."""
    alang = [IsolationOrder.objects.get(arrival=register()) for _ in range(2)]
    sawahan = IsolationOrder.objects.get(arrival=register(destination=SAWAHAN))
    clock.move_to(NOW + dt.timedelta(days=1, hours=1))
    isolation_check_record(order=alang[0], user=team["village"], at_home=True)
    failed = isolation_check_record(order=alang[1], user=team["village"], at_home=False)
    violation_report_raise(failed_check=failed, user=team["village"], description="Tidak di rumah")
    arrival_confirm(arrival=alang[0].arrival, user=team["village"], outcome="found")
    return {"alang": alang, "sawahan": sawahan}


def by_code(summary):
    return {row["code"]: row for row in summary["rows"]}


def test_the_camat_sees_figures_per_village(area, team):
    summary = followup_summary(team["district"])
    rows = by_code(summary)
    assert set(rows) == {"13.71.01.1002"}  # Sawahan lies in another kecamatan
    row = rows["13.71.01.1002"]
    assert row["region"].name == "Alang Laweh"
    assert (row["active"], row["due"], row["overdue"]) == (2, 0, 0)
    assert (row["checks"], row["at_home"], row["compliance"]) == (2, 1, 50)
    assert row["open_reports"] == 1
    # One arrival confirmed, one not: and a day has passed, so it has escalated to the camat.
    assert (row["unconfirmed"], row["escalated"]) == (1, 1)


def test_the_regency_sees_figures_per_kecamatan(area, team):
    rows = by_code(followup_summary(team["regency"]))
    assert set(rows) == {"13.71.01", "13.71.02"}
    assert rows["13.71.02"]["active"] == 1 and rows["13.71.02"]["due"] == 1 and rows["13.71.02"]["overdue"] == 1
    assert rows["13.71.02"]["compliance"] is None  # no checks yet: no rate rather than 0 %
    totals = followup_summary(team["regency"])["totals"]
    assert totals["active"] == 3 and totals["open_reports"] == 1 and totals["compliance"] == 50


def test_an_officer_gets_no_figures(area, team):
    assert followup_summary(team["officer"])["rows"] == []


def test_summary_queries_do_not_grow(clock, team, register, django_assert_max_num_queries):
    for _ in range(2):
        register()
    with django_assert_max_num_queries(12) as small:
        followup_summary(team["regency"])
    budget = len(small.captured_queries)
    for code in ("13.71.02.1001", "13.71.01.1001", "13.71.03.1001", "13.71.01.1002"):
        for _ in range(3):
            register(destination=code)
    with django_assert_max_num_queries(budget):
        summary = followup_summary(team["regency"])
    assert summary["totals"]["active"] == 14


def test_the_summary_page_shows_the_figures(area, client, team):
    client.force_login(team["district"])
    response = client.get(reverse("followup:followup_overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alang Laweh" in html and "50%" in html and "isolasi berjalan" in html


def test_the_digest_goes_once_a_day_to_subscribers_with_an_address(area, clock, team, register, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    village, camat, other = team["village"], team["district"], team["other_village"]
    for user in (village, camat, other):
        user.email = f"{user.username}@padang.go.id"
        user.save()
    DigestSubscription.objects.create(user=village)
    DigestSubscription.objects.create(user=camat, active=False)
    team["babinsa"].email = ""
    team["babinsa"].save()
    DigestSubscription.objects.create(user=team["babinsa"])

    clock.move_to(NOW + dt.timedelta(days=2, hours=-3))  # 06:00 WIB on the 27th
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [["lurah@padang.go.id"]]
    message = mail.outbox[0]
    assert "27 November 2026" in message.subject and "lewat batas konfirmasi" in message.subject
    assert "Pemantauan isolasi jatuh tempo hari ini: 2" in message.body
    assert "diteruskan ke camat: 1" in message.body
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1  # not twice the same day


def test_the_digest_counts_yesterdays_arrivals(clock, team, register, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    team["village"].email = "lurah@padang.go.id"
    team["village"].save()
    DigestSubscription.objects.create(user=team["village"])
    register()
    register()
    register(destination=SAWAHAN)  # not this village's
    clock.move_to(NOW + dt.timedelta(days=1))
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "Kedatangan kemarin (25 November 2026): 2" in mail.outbox[0].body


def test_a_user_opts_in_and_out_of_the_digest(client, team):
    client.force_login(team["village"])
    url = reverse("followup:digest_settings")
    client.post(url, {"active": "on"})
    assert DigestSubscription.objects.get(user=team["village"]).active
    client.post(url, {})
    assert not DigestSubscription.objects.get(user=team["village"]).active


def test_the_digest_links_to_the_configured_site_url(clock, team, register, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SIPANTAU_SITE_URL = "https://sipantau.sumbarprov.go.id"
    team["village"].email = "lurah@padang.go.id"
    team["village"].save()
    DigestSubscription.objects.create(user=team["village"])
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    body = mail.outbox[0].body
    assert "https://sipantau.sumbarprov.go.id/pantau/kotak-masuk/" in body
    assert "localhost" not in body and "127.0.0.1" not in body


def test_the_digest_refuses_to_send_without_a_site_url(team, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SIPANTAU_SITE_URL = ""
    team["village"].email = "lurah@padang.go.id"
    team["village"].save()
    DigestSubscription.objects.create(user=team["village"])
    with pytest.raises(CommandError, match="SIPANTAU_SITE_URL"):
        call_command("send_digest")
    assert mail.outbox == []


def test_check_deploy_reports_a_missing_public_site_url(settings):
    from django.core.checks import run_checks

    settings.SIPANTAU_SITE_URL = "http://localhost:8000"
    assert "followup.W001" in [m.id for m in run_checks(include_deployment_checks=True)]
    settings.SIPANTAU_SITE_URL = "https://sipantau.sumbarprov.go.id"
    assert "followup.W001" not in [m.id for m in run_checks(include_deployment_checks=True)]
