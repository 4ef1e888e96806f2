"""Practice mode ("Latihan"): practice records and real ones never see each other; the switch,
the offline queue's modes, the tallies, the audit and the nightly purge."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import practice
from accounts.models import AuditEvent
from conftest import make_nik
from followup.models import ArrivalConfirmation, Check, IsolationOrder, ViolationReport
from followup.services import arrival_confirm, isolation_check_record, violation_report_raise
from monitoring.models import ArrivalTally, TallyDay
from monitoring.tallies import tally_day
from travellers.models import Arrival, Person
from travellers.tests import conftest as entry_fixtures

from .conftest import NOW

pytestmark = pytest.mark.django_db

SWITCH = reverse("accounts:practice_switch")
API = reverse("travellers:api_arrival_create")
payload = entry_fixtures.payload  # the entry API's valid body
MODELS = [Person, Arrival, ArrivalConfirmation, IsolationOrder, Check, ViolationReport]


def work(register, team, *, name):
    """One traveller taken through the whole follow-up: entered, confirmed, checked (away), reported."""
    arrival = register(person=Person.objects.create(id_number=make_nik(), name=name, sex="L"))
    arrival_confirm(arrival=arrival, user=team["village"], outcome="found")
    order = IsolationOrder.objects.get(arrival=arrival)
    check = isolation_check_record(order=order, user=team["babinsa"], at_home=False)
    report = violation_report_raise(failed_check=check, user=team["village"], description="Tidak di rumah.")
    return {Person: arrival.person, Arrival: arrival, ArrivalConfirmation: arrival.confirmation}, order, check, report


def rows(model):
    return set(model.objects.values_list("pk", flat=True))


def practising(client, user):
    client.force_login(user)
    assert client.post(SWITCH, {"practice": "1"}).status_code == 302
    return client


def test_each_record_is_seen_only_in_the_mode_it_was_made_in(clock, team, register):
    real = work(register, team, name="Rahmat Nyata")
    with practice.mode(True):
        trained = work(register, team, name="Rahmat Latihan")
    for made, in_mode in ((real, False), (trained, True)):
        records, order, check, report = made
        expected = {**records, IsolationOrder: order, Check: check, ViolationReport: report}
        for model, obj in expected.items():
            assert obj.practice is in_mode, model
            with practice.mode(in_mode):
                assert obj.pk in rows(model), model
                assert model.objects.visible_to(team["village"]).filter(pk=obj.pk).exists(), model
            with practice.mode(not in_mode):
                assert obj.pk not in rows(model), model
                assert not model.objects.visible_to(team["village"]).filter(pk=obj.pk).exists(), model


def test_a_practice_entry_with_a_real_nik_never_touches_the_real_person(clock, client, team, make_person, payload):
    real = make_person(name="Siti Nyata", id_number=make_nik(sex="P"), sex="P")
    practising(client, team["officer"])
    body = payload(id_number=real.id_number, name="Siti Latihan", phone="0812-0000-0000")
    response = client.post(API, {**body, "practice": True}, content_type="application/json")
    assert response.status_code == 201
    real.refresh_from_db()
    assert (real.name, real.phone, real.arrivals.count()) == ("Siti Nyata", "", 0)
    with practice.mode(True):
        trained = Person.objects.get(id_number=real.id_number)
    assert trained.pk != real.pk and trained.name == "Siti Latihan"


@pytest.mark.parametrize("session_practice", [False, True])
def test_a_queued_entry_is_stored_in_the_mode_it_was_queued_in(clock, client, team, payload, session_practice):
    """The queue sends each entry with its mode; the session's mode at sending time does not count."""
    client.force_login(team["officer"])
    if session_practice:
        practising(client, team["officer"])
    queued_practice = payload()
    queued_real = payload()
    legacy = payload()  # queued before practice mode existed: no mode, so real
    for body, mode in ((queued_practice, True), (queued_real, False), (legacy, None)):
        sent = body if mode is None else {**body, "practice": mode}
        assert client.post(API, sent, content_type="application/json").status_code == 201
        # A resend finds the entry in its own mode: the same arrival, not a second one.
        assert client.post(API, sent, content_type="application/json").status_code == 200
    keys = {str(k) for k in Arrival.objects.values_list("entry_key", flat=True)}
    assert keys == {queued_real["entry_key"], legacy["entry_key"]}
    with practice.mode(True):
        assert [str(a.entry_key) for a in Arrival.objects.all()] == [queued_practice["entry_key"]]
    assert client.post(API, {**payload(), "practice": "ya"}, content_type="application/json").status_code == 400


def test_a_form_opened_in_the_other_mode_is_not_stored(clock, client, team):
    practising(client, team["officer"])
    response = client.post(reverse("travellers:arrival_create"), {"practice": "0", "entry_key": "x"})
    assert response.status_code == 400
    assert "Mode latihan berubah" in response.content.decode()
    with practice.mode(True):
        assert not Arrival.objects.exists()
    assert not Arrival.objects.exists()


def test_the_switch_banner_and_colour(clock, client, team):
    client.force_login(team["village"])
    page = client.get(reverse("followup:dispatch_inbox")).content.decode()
    assert 'aria-pressed="false"' in page and "practice-banner" not in page and '<body class="practice"' not in page
    response = client.post(SWITCH, {"practice": "1"}, follow=True)
    page = response.content.decode()
    assert 'aria-pressed="true"' in page and "Mode latihan" in page and '<body class="practice"' in page
    page = client.get(reverse("followup:isolation_list")).content.decode()
    assert "data ini bukan data nyata" in page  # on every page while on
    client.post(SWITCH, {"practice": "0"})
    assert "practice-banner" not in client.get(reverse("followup:isolation_list")).content.decode()


def test_admins_systems_and_accounts_without_a_role_cannot_switch(client, admin_user, make_user):
    for user in (admin_user, make_user("", username="tanpa-peran"), make_user("system", "13", username="sistem")):
        client.force_login(user)
        client.post(SWITCH, {"practice": "1"})
        assert not client.session.get(practice.SESSION_KEY)
        assert "practice-button" not in client.get(reverse("accounts:security")).content.decode()


def test_practice_arrivals_are_never_tallied(clock, team, register):
    yesterday = timezone.now() - dt.timedelta(days=1)
    register(arrived_at=yesterday)
    with practice.mode(True):
        register(arrived_at=yesterday)
    assert tally_day(timezone.localdate(yesterday))
    assert sum(ArrivalTally.objects.values_list("arrivals", flat=True)) == 1
    with practice.mode(True):  # a late practice entry on a tallied day adds nothing either
        register(arrived_at=yesterday)
        assert not ArrivalTally.objects.exists()  # and practice pages read no real tallies
    assert sum(ArrivalTally.objects.values_list("arrivals", flat=True)) == 1
    assert TallyDay.objects.count() == 1


def test_practice_visits_count_in_practice_figures_only(clock, team, register):
    from followup.models import CheckTally
    from followup.summary import followup_summary

    work(register, team, name="Rahmat Nyata")
    with practice.mode(True):
        work(register, team, name="Rahmat Latihan")
        work(register, team, name="Rina Latihan")
        assert not CheckTally.objects.exists()  # practice pages read no real tallies
        assert followup_summary(team["village"])["totals"]["checks"] == 2  # counted live
    assert sum(CheckTally.objects.values_list("checks", flat=True)) == 1  # the real visit only
    assert followup_summary(team["village"])["totals"]["checks"] == 1


def test_practice_reads_are_audited_apart_and_security_events_stay_real(clock, client, team, register):
    with practice.mode(True):
        order = register().isolation_orders.get()
    practising(client, team["village"])
    assert client.get(reverse("followup:isolation_detail", args=[order.pk])).status_code == 200
    real_views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    assert not real_views.exists()
    with practice.mode(True):
        assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()
    # From practice mode, a real record is not found (404), and the denial is a real event.
    real_order = register().isolation_orders.get()
    assert client.get(reverse("followup:isolation_detail", args=[real_order.pk])).status_code == 404


def test_the_nightly_purge_deletes_practice_from_before_today(clock, team, register):
    real, *_ = work(register, team, name="Tetap Nyata")
    with practice.mode(True):
        clock.move_to(NOW - dt.timedelta(days=1))
        old, *_ = work(register, team, name="Latihan Kemarin")
        clock.move_to(NOW)
        # Today's check on yesterday's practice traveller goes with the traveller.
        isolation_check_record(order=old[Arrival].isolation_orders.get(), user=team["babinsa"], at_home=True)
        today, *_ = work(register, team, name="Latihan Hari Ini")
    before = {model: rows(model) for model in MODELS}

    call_command("purge_practice", stdout=io.StringIO())

    assert {model: rows(model) for model in MODELS} == before  # real rows untouched
    assert real[Person].pk in rows(Person)
    with practice.mode(True):
        assert set(Arrival.objects.all()) == {today[Arrival]}
        assert today[Person] in Person.objects.all() and old[Person] not in Person.objects.all()
        assert set(Check.objects.values_list("order__arrival", flat=True)) == {today[Arrival].pk}
        assert ViolationReport.objects.count() == IsolationOrder.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PURGE, object_type="practice").exists()

    call_command("purge_practice", "--all", stdout=io.StringIO())
    with practice.mode(True):
        assert not any(model.objects.exists() for model in MODELS)
    assert {model: rows(model) for model in MODELS} == before


def test_a_practice_export_is_written_in_practice_mode(clock, client, team, register):
    """The export streams after the view returns: its later reads (the orders' states) stay in practice."""
    with practice.mode(True):
        register(person=Person.objects.create(id_number=make_nik(), name="Ekspor Latihan", sex="L"))
    register(person=Person.objects.create(id_number=make_nik(), name="Ekspor Nyata", sex="L"))
    practising(client, team["district"])
    body = b"".join(client.get(reverse("monitoring:arrival_export_csv")).streaming_content).decode("utf-8-sig")
    rows = [line for line in body.splitlines() if "Ekspor" in line]
    assert len(rows) == 1 and "Ekspor Latihan" in rows[0] and rows[0].rstrip().split(",")[-2] == "Aktif"
