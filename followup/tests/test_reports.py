"""Non-compliance reports: raised from a failed check, routed to the village police, handled, printed."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import AuditEvent
from followup.models import ViolationReport
from followup.services import isolation_check_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_check(clock, order, team):
    return isolation_check_record(order=order, user=team["village"], at_home=False, note="Ke pasar")


def raise_report(client, user, check, description="Tidak di rumah pukul 10.00; kata istrinya ke pasar."):
    client.force_login(user)
    return client.post(reverse("followup:report_create", args=[check.pk]), {"description": description})


def test_a_failed_check_is_reported_to_the_village_police(client, team, failed_check):
    response = raise_report(client, team["village"], failed_check)
    report = ViolationReport.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert report.recipient == ViolationReport.Recipient.POLICE
    assert report.state == ViolationReport.State.OPEN and report.raised_by == team["village"]
    assert list(ViolationReport.objects.handled_by(team["police"])) == [report]
    assert not ViolationReport.objects.handled_by(team["other_police"]).exists()
    assert not ViolationReport.objects.handled_by(team["regency"]).exists()
    client.force_login(team["police"])
    listed = client.get(reverse("followup:report_list")).context["reports"]
    assert [r.waiting_on_me for r in listed] == [True]


def test_without_village_police_the_report_goes_to_the_regency_task_force(client, team, failed_check):
    team["police"].is_active = False
    team["police"].save()
    raise_report(client, team["village"], failed_check)
    report = ViolationReport.objects.get()
    assert report.recipient == ViolationReport.Recipient.REGENCY
    assert list(ViolationReport.objects.handled_by(team["regency"])) == [report]
    client.force_login(team["regency"])
    url = reverse("followup:report_close", args=[report.pk])
    assert client.post(url, {"action_taken": "Diteruskan ke Polsek Padang Selatan"}).status_code == 302
    report.refresh_from_db()
    assert report.state == ViolationReport.State.CLOSED


def test_the_form_says_where_the_report_will_go(client, team, failed_check):
    client.force_login(team["village"])
    html = client.get(reverse("followup:report_create", args=[failed_check.pk])).content.decode()
    assert "Bhabinkamtibmas desa/nagari" in html


def test_only_failed_checks_can_be_reported_and_only_once(client, team, order, failed_check):
    passed = isolation_check_record(order=order, user=team["babinsa"], at_home=True)
    assert raise_report(client, team["village"], passed).status_code == 404
    raise_report(client, team["village"], failed_check)
    again = raise_report(client, team["village"], failed_check)
    assert again.status_code == 302
    assert ViolationReport.objects.count() == 1


def test_a_report_needs_a_description(client, team, failed_check):
    response = raise_report(client, team["village"], failed_check, description="  ")
    assert response.status_code == 400
    assert not ViolationReport.objects.exists()


def test_only_accounts_that_raise_reports_may(client, team, failed_check):
    for role in ("district", "regency", "officer"):
        assert raise_report(client, team[role], failed_check).status_code == 403, role
    assert raise_report(client, team["other_village"], failed_check).status_code == 404
    assert not ViolationReport.objects.exists()


@pytest.mark.parametrize("role", ["babinsa", "police"])
def test_whoever_finds_the_traveller_away_reports_it(client, team, failed_check, role):
    """The Babinsa and the Bhabinkamtibmas visit too; finding nobody home, they raise the report."""
    client.force_login(team[role])
    page = client.get(reverse("followup:isolation_detail", args=[failed_check.order.pk])).content.decode()
    assert reverse("followup:report_create", args=[failed_check.pk]) in page  # the "Laporkan" button
    assert raise_report(client, team[role], failed_check).status_code == 302
    assert ViolationReport.objects.get().raised_by == team[role]


def test_police_acknowledge_then_close_with_the_action_and_every_step_is_kept(client, team, failed_check):
    raise_report(client, team["village"], failed_check)
    report = ViolationReport.objects.get()
    client.force_login(team["police"])
    client.post(reverse("followup:report_acknowledge", args=[report.pk]), {"note": "Meluncur"})
    response = client.post(reverse("followup:report_close", args=[report.pk]), {"action_taken": ""})
    assert response.status_code == 400  # the action taken is required
    client.post(reverse("followup:report_close", args=[report.pk]), {"action_taken": "Diberi teguran tertulis"})
    report.refresh_from_db()
    assert report.state == ViolationReport.State.CLOSED and report.action_taken == "Diberi teguran tertulis"
    steps = [(e.state, e.by.username) for e in report.events.all()]
    assert steps == [("open", "lurah"), ("acknowledged", "bhabin"), ("closed", "bhabin")]
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Meluncur" in html and "Diberi teguran tertulis" in html
    # Closed is closed.
    url = reverse("followup:report_acknowledge", args=[report.pk])
    assert client.post(url, {}).status_code == 400


def test_others_cannot_handle_the_report(client, team, failed_check):
    raise_report(client, team["village"], failed_check)
    report = ViolationReport.objects.get()
    for role in ("village", "babinsa", "district", "regency"):
        client.force_login(team[role])
        url = reverse("followup:report_acknowledge", args=[report.pk])
        assert client.post(url, {}).status_code == 403, role
    client.force_login(team["other_police"])
    assert client.post(reverse("followup:report_acknowledge", args=[report.pk]), {}).status_code == 404
    report.refresh_from_db()
    assert report.state == ViolationReport.State.OPEN


def test_the_letter_prints_the_full_identity_and_is_audited(client, team, failed_check):
    raise_report(client, team["village"], failed_check)
    report = ViolationReport.objects.get()
    client.force_login(team["police"])
    response = client.get(reverse("followup:report_letter", args=[report.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert report.order.person.id_number in html and report.number in html
    assert "followup/letter.css" in html and "LAPORAN PELANGGARAN ISOLASI MANDIRI" in html
    assert "@media print" in (settings.BASE_DIR / "followup/static/followup/letter.css").read_text()
    assert "25 November 2026" in html
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.user == team["police"] and event.object_id == str(report.pk)


def test_report_list_query_count_is_constant(clock, client, team, register, django_assert_max_num_queries):
    from followup.models import IsolationOrder
    from followup.services import violation_report_raise

    def add_reports(n):
        for _ in range(n):
            order = IsolationOrder.objects.get(arrival=register())
            check = isolation_check_record(order=order, user=team["village"], at_home=False)
            violation_report_raise(failed_check=check, user=team["village"], description="Tidak di rumah")

    add_reports(2)
    client.force_login(team["police"])
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("followup:report_list"))
    budget = len(small.captured_queries)  # read now: each request resets the log
    add_reports(6)
    with django_assert_max_num_queries(budget):
        response = client.get(reverse("followup:report_list"))
    assert len(response.context["reports"]) == 8
