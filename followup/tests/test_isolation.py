"""The isolation rule, the order's life (period edits, close, reopen, completion) and re-entry."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_nik
from followup.models import ExemptionCategory, FlaggedRegion, IsolationEvent, IsolationOrder
from followup.services import (
    arrival_follow_up_open,
    isolation_close,
    isolation_period_change,
    isolation_reopen,
)
from travellers.models import TravelStop

from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_the_follow_up_answers_the_travellers_signals():
    from followup.receivers import correct_follow_up, decide_isolations, open_follow_up
    from travellers.signals import arrival_corrected, arrivals_registered, arrivals_registering

    assert decide_isolations in [receiver[1]() for receiver in arrivals_registering.receivers]
    assert open_follow_up in [receiver[1]() for receiver in arrivals_registered.receivers]
    assert correct_follow_up in [receiver[1]() for receiver in arrival_corrected.receivers]


def test_an_arrival_registered_at_the_post_opens_its_order(clock, officer, regions):
    from travellers.services import arrival_register

    arrival, created = arrival_register(
        officer=officer,
        entry_key=uuid.uuid4(),
        id_type="nik",
        id_number=make_nik(),
        name="Budi Santoso",
        sex="L",
        birth_date=dt.date(1990, 5, 17),
        origin=regions.get(code="15.71"),
        destination=regions.get(code="13.71.01.1002"),
        destination_address="Jl. Sudirman 1",
        purpose="work",
        transport="car",
    )
    assert created
    order = IsolationOrder.objects.get(arrival=arrival)
    assert order.person_id == arrival.person_id and order.events.get().kind == IsolationEvent.Kind.OPENED


def test_arrival_from_outside_the_province_gets_a_14_day_order(clock, register, regions):
    arrival = register(origin=regions.get(code="15.71"))
    order = IsolationOrder.objects.get(arrival=arrival)
    assert arrival.isolation_required
    assert order.start_date == dt.date(2026, 11, 25)
    assert order.days == 14
    assert order.end_date == dt.date(2026, 12, 9)
    assert order.destination_code == "13.71.01.1002"
    assert order.status_on() == IsolationOrder.Status.ACTIVE
    assert "luar provinsi" in order.get_reason() and order.reason_code == "outside"
    assert [e.kind for e in order.events.all()] == [IsolationEvent.Kind.OPENED]


def test_arrival_from_inside_the_province_isolates_nobody(clock, register, regions):
    arrival = register(origin=regions.get(code="13.06"))
    assert not arrival.isolation_required
    assert not IsolationOrder.objects.exists()


@pytest.mark.parametrize("purpose", ["logistics", "health", "official"])
def test_exempt_purposes_isolate_nobody(clock, register, purpose):
    arrival = register(purpose=purpose)
    assert not arrival.isolation_required
    assert not IsolationOrder.objects.exists()


def test_an_exemption_the_admin_switched_off_no_longer_exempts(clock, register):
    ExemptionCategory.objects.filter(purpose="logistics").update(active=False)
    register(purpose="logistics")
    assert IsolationOrder.objects.count() == 1


def test_a_stop_in_a_flagged_region_within_its_dates_isolates(clock, make_arrival, regions):
    FlaggedRegion.objects.create(
        region=regions.get(code="13.06"), date_from=dt.date(2026, 11, 10), date_to=dt.date(2026, 11, 20)
    )
    arrival = make_arrival(origin=regions.get(code="13.75"))
    TravelStop.objects.create(
        arrival=arrival,
        region=regions.get(code="13.06.01"),
        date_from=dt.date(2026, 11, 18),
        date_to=dt.date(2026, 11, 22),
    )
    order = arrival_follow_up_open(arrival=arrival)
    assert order is not None
    assert "Agam" in order.get_reason() and "berisiko" in order.get_reason()


def test_a_stop_in_a_flagged_region_outside_its_dates_does_not(clock, make_arrival, regions):
    FlaggedRegion.objects.create(
        region=regions.get(code="13.06"), date_from=dt.date(2026, 11, 10), date_to=dt.date(2026, 11, 15)
    )
    arrival = make_arrival(origin=regions.get(code="13.75"))
    TravelStop.objects.create(
        arrival=arrival,
        region=regions.get(code="13.06"),
        date_from=dt.date(2026, 11, 16),
        date_to=dt.date(2026, 11, 22),
    )
    assert arrival_follow_up_open(arrival=arrival) is None
    assert not IsolationOrder.objects.exists()


def test_coming_from_a_flagged_region_during_its_dates_isolates(clock, register, regions):
    FlaggedRegion.objects.create(
        region=regions.get(code="13.06"), date_from=dt.date(2026, 11, 20), date_to=dt.date(2026, 11, 30)
    )
    register(origin=regions.get(code="13.06.01"))
    assert IsolationOrder.objects.count() == 1


def test_the_isolation_period_is_a_setting(clock, register, settings):
    settings.SIPANTAU_ISOLATION_DAYS = 10
    order = IsolationOrder.objects.get(arrival=register())
    assert order.end_date == dt.date(2026, 12, 5)


def test_reentry_during_a_running_order_restarts_it(clock, register, make_person):
    person = make_person()
    first = register(person=person)
    clock.move_to(NOW + dt.timedelta(days=5))
    second = register(person=person, destination="13.71.02.1001")
    order = IsolationOrder.objects.get()
    assert order.arrival == second and first != second
    assert order.start_date == dt.date(2026, 11, 30)
    assert order.end_date == dt.date(2026, 12, 14)
    assert order.destination_code == "13.71.02.1001"  # the new address's team follows up now
    assert [e.kind for e in order.events.all()] == [IsolationEvent.Kind.OPENED, IsolationEvent.Kind.RESTARTED]


def test_reentry_after_completion_opens_a_new_order(clock, register, make_person):
    person = make_person()
    register(person=person)
    clock.move_to(NOW + dt.timedelta(days=20))
    register(person=person)
    assert IsolationOrder.objects.count() == 2


def test_an_order_completes_on_its_end_date(clock, order):
    assert IsolationOrder.objects.running().get() == order
    clock.move_to(NOW + dt.timedelta(days=13))
    assert IsolationOrder.objects.running().get() == order
    clock.move_to(NOW + dt.timedelta(days=14))
    assert not IsolationOrder.objects.running().exists()
    assert IsolationOrder.objects.completed().get() == order
    order.refresh_from_db()
    assert order.status_on() == IsolationOrder.Status.COMPLETED


def test_period_edit_needs_a_reason_and_moves_the_end_date(clock, order, team):
    with pytest.raises(ValidationError):
        isolation_period_change(order=order, user=team["village"], days=7, reason="  ")
    with pytest.raises(ValidationError):
        isolation_period_change(order=order, user=team["village"], days=0, reason="salah")
    order = isolation_period_change(order=order, user=team["village"], days=7, reason="Hasil PCR negatif")
    assert order.end_date == dt.date(2026, 12, 2)
    event = order.events.last()
    assert event.kind == IsolationEvent.Kind.PERIOD and "14 → 7 hari: Hasil PCR negatif" in event.get_note()
    assert event.by == team["village"]


def test_close_early_then_reopen_when_closed_by_mistake(clock, order, team):
    order = isolation_close(order=order, user=team["village"], reason="Pindah ke RS")
    assert order.status_on() == IsolationOrder.Status.CLOSED
    assert not IsolationOrder.objects.running().exists()
    with pytest.raises(ValidationError):
        isolation_close(order=order, user=team["village"], reason="lagi")
    order = isolation_reopen(order=order, user=team["village"], reason="Salah orang")
    assert order.status_on() == IsolationOrder.Status.ACTIVE
    assert IsolationOrder.objects.running().get() == order
    assert [e.kind for e in order.events.all()][-2:] == [IsolationEvent.Kind.CLOSED, IsolationEvent.Kind.REOPENED]


def test_orders_are_scoped_to_the_jurisdiction(clock, order, team):
    assert list(IsolationOrder.objects.visible_to(team["village"])) == [order]
    assert list(IsolationOrder.objects.visible_to(team["district"])) == [order]
    assert list(IsolationOrder.objects.visible_to(team["regency"])) == [order]
    assert not IsolationOrder.objects.visible_to(team["other_village"]).exists()
    assert not IsolationOrder.objects.visible_to(team["other_district"]).exists()
    assert not IsolationOrder.objects.visible_to(team["officer"]).exists()
    assert not IsolationOrder.objects.visible_to(team["hamlet"]).exists()  # bound for the village, not the hamlet


def test_the_status_annotation_reads_as_the_order_does(clock, register, team, regions):
    """with_status() (lists, filters) and status_on() (one order) give one Status on any day."""
    running = IsolationOrder.objects.get(arrival=register(origin=regions.get(code="15.71")))
    closed = isolation_close(
        order=IsolationOrder.objects.get(arrival=register(origin=regions.get(code="14.71"))),
        user=team["village"],
        reason="Salah catat",
    )
    orders = [running, closed]
    for day in (
        NOW.date(),
        running.end_date - dt.timedelta(days=1),
        running.end_date,
        running.end_date.replace(year=2027),
    ):
        annotated = dict(
            IsolationOrder.objects.filter(pk__in=[o.pk for o in orders]).with_status(day).values_list("pk", "status")
        )
        for order in orders:
            order.refresh_from_db()
            assert annotated[order.pk] == order.status_on(day), (order, day)
    assert IsolationOrder.Status(annotated[running.pk]) == IsolationOrder.Status.COMPLETED
    assert IsolationOrder.Status(annotated[closed.pk]).label == "Ditutup lebih awal"


def test_the_overdue_annotation_follows_the_overdue_filter(clock, register, regions):
    order = IsolationOrder.objects.get(arrival=register(origin=regions.get(code="15.71")))
    for days_later in range(4):
        day = NOW.date() + dt.timedelta(days=days_later)
        flagged = set(IsolationOrder.objects.with_check_state(day).filter(overdue=True).values_list("pk", flat=True))
        assert flagged == set(IsolationOrder.objects.overdue(day).values_list("pk", flat=True))
        assert (order.pk in flagged) == (days_later >= 1)  # unchecked since it started


def test_a_chunk_of_arrivals_opens_the_orders_each_entry_would_have(clock, make_arrival, make_person, regions):
    """A paper import announces a chunk at once: orders open set-based, and a person who comes twice
    in it, or whose order still runs, restarts it as two entries at the post would."""
    from travellers.models import Arrival
    from travellers.signals import arrivals_registered

    now = timezone.now()
    twice, running, once = make_person(), make_person(), make_person()
    earlier = make_arrival(person=running, arrived_at=now - dt.timedelta(days=3))
    arrivals_registered.send(sender=Arrival, arrivals=[earlier])
    chunk = [
        make_arrival(person=twice, arrived_at=now - dt.timedelta(days=2)),
        make_arrival(person=once, arrived_at=now - dt.timedelta(hours=2)),
        make_arrival(person=running, arrived_at=now - dt.timedelta(hours=1)),
        make_arrival(person=twice, arrived_at=now),
        make_arrival(person=make_person(), origin=regions.get(code="13.06")),  # from inside: no order
    ]
    arrivals_registered.send(sender=Arrival, arrivals=chunk)

    def history(person):
        order = IsolationOrder.objects.get(person=person)
        return order.arrival_id, order.start_date, [event.kind for event in order.events.all()]

    opened, restarted = IsolationEvent.Kind.OPENED, IsolationEvent.Kind.RESTARTED
    assert history(twice) == (chunk[3].pk, timezone.localdate(now), [opened, restarted])
    assert history(running) == (chunk[2].pk, timezone.localdate(now), [opened, restarted])
    assert history(once) == (chunk[1].pk, timezone.localdate(chunk[1].arrived_at), [opened])
    required = dict(Arrival.objects.filter(pk__in=[a.pk for a in chunk]).values_list("pk", "isolation_required"))
    assert [required[a.pk] for a in chunk] == [True, True, True, True, False]
    assert IsolationOrder.objects.count() == 3
