"""Retention: purge_expired reviews, then removes expired personal data, keeps counts, audits counts."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent
from followup.models import Check, IsolationOrder, ViolationReport
from followup.services import isolation_check_record, violation_report_raise
from monitoring.models import ArrivalTally
from travellers.models import Arrival, Person, TravelStop

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


@pytest.fixture
def history(clock, register, make_arrival, make_person, team, regions, settings):
    """Four arrivals around a 30-day retention period (now = 25-11-2026)."""
    settings.SIPANTAU_RETENTION_DAYS = 30
    returning = make_person(name="Rina Kembali")
    old = register(person=returning, arrived_at=days_ago(60))  # isolation ended 46 days ago: expired
    stop_day = days_ago(65).date()
    TravelStop.objects.create(arrival=old, region=regions.get(code="15.71"), date_from=stop_day, date_to=stop_day)
    clock.move_to(days_ago(55))
    order = IsolationOrder.objects.get(arrival=old)
    check = isolation_check_record(order=order, user=team["village"], at_home=False, note="Ke pasar")
    violation_report_raise(failed_check=check, user=team["village"], description="Tidak di rumah")
    clock.move_to(days_ago(-55))
    recent_order = register(arrived_at=days_ago(20))  # isolation ends 6 days ago: kept
    local = make_arrival(
        person=make_person(name="Budi Lokal"), arrived_at=days_ago(40), origin=regions.get(code="13.06")
    )  # no isolation; arrived 40 days ago: expired
    again = make_arrival(person=returning, arrived_at=days_ago(2))  # the same traveller, back: kept
    return {"old": old, "recent": recent_order, "local": local, "again": again, "returning": returning}


def run(*args):
    out = StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def test_without_yes_it_lists_what_would_go_and_deletes_nothing(history):
    before = (Arrival.objects.count(), Person.objects.count(), AuditEvent.objects.filter(action="purge").count())
    out = run()
    assert "Kedatangan kedaluwarsa: 2" in out
    assert f"#{history['old'].pk} " in out and f"#{history['local'].pk} " in out
    assert f"#{history['recent'].pk} " not in out and f"#{history['again'].pk} " not in out
    assert "Rina" not in out and history["returning"].id_number not in out  # masked, no names
    assert "tidak ada yang dihapus" in out
    assert (Arrival.objects.count(), Person.objects.count(), 0) == before


def test_yes_removes_expired_arrivals_with_their_follow_up_and_keeps_the_rest(history):
    out = run("--yes")
    assert "Dihapus: 2 kedatangan" in out
    assert set(Arrival.objects.values_list("pk", flat=True)) == {history["recent"].pk, history["again"].pk}
    assert not TravelStop.objects.exists()
    assert not ViolationReport.objects.exists() and not Check.objects.exists()
    assert list(IsolationOrder.objects.values_list("arrival_id", flat=True)) == [history["recent"].pk]
    # The returning traveller still has an arrival; the local one had only the expired one.
    assert Person.objects.filter(pk=history["returning"].pk).exists()
    assert not Person.objects.filter(name="Budi Lokal").exists()


def test_the_tally_keeps_the_counts_of_what_was_removed(history, checkpoint):
    run("--yes")
    cells = {
        (t.day, t.destination_district, t.origin_province, t.checkpoint_id): (t.arrivals, t.isolated)
        for t in ArrivalTally.objects.all()
    }
    old_day = timezone.localdate(history["old"].arrived_at)
    local_day = timezone.localdate(history["local"].arrived_at)
    assert cells == {
        (old_day, "13.71.01", "15", checkpoint.pk): (1, 1),
        (local_day, "13.71.01", "13", checkpoint.pk): (1, 0),
    }
    run("--yes")  # nothing more expired: the counts do not change
    assert ArrivalTally.objects.get(day=old_day).arrivals == 1


def test_the_purge_is_audited_with_counts_not_personal_data(history):
    run("--yes")
    event = AuditEvent.objects.get(action="purge")
    assert event.detail["arrivals"] == 2 and event.detail["tallied"] == 2
    assert event.detail["removed"]["travellers.Arrival"] == 2
    assert event.detail["removed"]["travellers.Person"] == 1
    assert event.detail["removed"]["followup.ViolationReport"] == 1
    assert "Rina" not in str(event.detail) and "Budi" not in str(event.detail)


def test_old_audit_events_and_login_logs_expire_too(clock, settings):
    from axes.models import AccessLog

    settings.SIPANTAU_AUDIT_RETENTION_DAYS = 730
    settings.SIPANTAU_LOGIN_LOG_RETENTION_DAYS = 90
    AuditEvent.objects.create(action="login", at=days_ago(731))
    kept = AuditEvent.objects.create(action="login", at=days_ago(700))
    old_log = AccessLog.objects.create(username="lurah", ip_address="10.0.0.1", user_agent="x", path_info="/")
    AccessLog.objects.filter(pk=old_log.pk).update(attempt_time=days_ago(91))
    AccessLog.objects.create(username="lurah", ip_address="10.0.0.1", user_agent="x", path_info="/")
    run("--yes")
    assert list(AuditEvent.objects.exclude(action="purge")) == [kept]
    assert AccessLog.objects.count() == 1 and not AccessLog.objects.filter(pk=old_log.pk).exists()


def test_an_order_closed_early_is_dated_from_the_day_it_closed(clock, register, team, settings):
    """Closed on day 2 of 14, 40 days ago: expired although its planned end is only 28 days ago."""
    from followup.services import isolation_close, isolation_reopen

    settings.SIPANTAU_RETENTION_DAYS = 30
    closed = register(arrived_at=days_ago(42))
    reopened = register(arrived_at=days_ago(42))
    clock.move_to(days_ago(40))
    for arrival in (closed, reopened):
        isolation_close(order=IsolationOrder.objects.get(arrival=arrival), user=team["village"], reason="Salah data")
    isolation_reopen(order=IsolationOrder.objects.get(arrival=reopened), user=team["village"], reason="Keliru tutup")
    clock.move_to(days_ago(-40))
    assert IsolationOrder.objects.get(arrival=closed).closed_on == timezone.localdate(days_ago(40))
    assert IsolationOrder.objects.get(arrival=reopened).closed_on is None
    out = run()
    assert "Kedatangan kedaluwarsa: 1" in out and f"#{closed.pk} " in out
    run("--yes")
    assert list(Arrival.objects.values_list("pk", flat=True)) == [reopened.pk]  # runs to its planned end


def test_orders_closed_before_the_field_existed_get_the_day_of_their_closing_event(clock, register, team):
    import importlib

    from django.apps import apps

    from followup.services import isolation_close

    arrival = register(arrived_at=days_ago(5))
    order = isolation_close(order=IsolationOrder.objects.get(arrival=arrival), user=team["village"], reason="Sembuh")
    IsolationOrder.objects.filter(pk=order.pk).update(closed_on=None)
    migration = importlib.import_module("monitoring.migrations.0007_isolation_closed_on")

    class MovedApps:  # the models the migration names under monitoring live in followup now
        def get_model(self, app_label, model_name):
            return apps.get_model("followup", model_name)

    migration.closed_on_from_events(MovedApps(), None)
    assert IsolationOrder.objects.get(pk=order.pk).closed_on == timezone.localdate()


def test_a_name_change_that_came_with_an_expired_arrival_goes_with_it(history):
    from travellers.models import PersonChange

    person = history["returning"]
    changed = {"field": "name", "old": "Nama Lama", "new": person.name}
    PersonChange.objects.create(person=person, arrival=history["old"], changes=[changed])
    kept = PersonChange.objects.create(person=person, arrival=history["again"], changes=[changed])
    run("--yes")
    assert list(PersonChange.objects.all()) == [kept]
