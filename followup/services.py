"""Writes of the follow-up: each one function, keyword-only, validated, in one transaction."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from regions.models import Region, code_at_level, is_within
from travellers.models import Arrival, TravelStop

from . import tallies
from .models import (
    ArrivalConfirmation,
    Check,
    ExemptionCategory,
    FlaggedRegion,
    IsolationEvent,
    IsolationOrder,
    ViolationReport,
    ViolationReportEvent,
)

MAX_ISOLATION_DAYS = 90


# ------------------------------------------------------------------------------
# The isolation rule
# ------------------------------------------------------------------------------
def isolation_reason(*, arrival: Arrival, travel_stops=None) -> tuple[str, dict] | None:
    """Why `arrival` must self-isolate, as a message code and its values (texts.py); None when the
    rule does not apply or the purpose is exempt. `travel_stops`: its stops, when not stored yet."""
    return isolation_reasons(arrivals=[arrival], travel_stops=None if travel_stops is None else [travel_stops])[0]


def isolation_reasons(*, arrivals, travel_stops=None) -> list[tuple[str, dict] | None]:
    """isolation_reason for each of `arrivals`, in their order, in at most three queries whatever
    their number. `travel_stops`: each one's stops in the same order, when not stored yet."""
    exempt = set(
        ExemptionCategory.objects.filter(active=True, purpose__in={a.purpose for a in arrivals}).values_list(
            "purpose", flat=True
        )
    )
    inside = [a for a in arrivals if is_within(a.origin.code, settings.SIPANTAU_PROVINCE)]
    flags = list(FlaggedRegion.objects.select_related("region")) if inside else []  # only they can be flagged
    if travel_stops is None:
        stored = {}
        if flags:  # the usual case is none: no need to read the stops back
            for stop in TravelStop.objects.filter(arrival__in=[a.pk for a in inside]).select_related("region"):
                stored.setdefault(stop.arrival_id, []).append(stop)
        travel_stops = [stored.get(arrival.pk, []) for arrival in arrivals]
    return [
        None if arrival.purpose in exempt else _reason(arrival, flags, stops)
        for arrival, stops in zip(arrivals, travel_stops, strict=True)
    ]


def _reason(arrival, flags, stops) -> tuple[str, dict] | None:
    origin = arrival.origin
    if not is_within(origin.code, settings.SIPANTAU_PROVINCE):
        return "outside", {"origin": str(origin)}
    arrived_on = timezone.localdate(arrival.arrived_at)
    for flag in flags:
        if is_within(origin.code, flag.region.code) and flag.date_from <= arrived_on <= flag.date_to:
            return "flagged_origin", {"region": str(flag.region)}
        for stop in stops:
            overlaps = stop.date_from <= flag.date_to and stop.date_to >= flag.date_from
            if overlaps and is_within(stop.region.code, flag.region.code):
                return "flagged_stop", {
                    "region": str(flag.region),
                    "from": f"{stop.date_from:%d-%m-%Y}",
                    "to": f"{stop.date_to:%d-%m-%Y}",
                }
    return None


def _order_clean(order: IsolationOrder) -> None:
    """full_clean without its round trips: the person and arrival were just read or written by the
    caller, and the days range (the table's check constraint) is checked here instead."""
    order.full_clean(exclude=["person", "arrival"], validate_constraints=False)
    if not 1 <= order.days <= MAX_ISOLATION_DAYS:
        raise ValidationError({"days": _("Lama isolasi harus 1 sampai %(max)s hari.") % {"max": MAX_ISOLATION_DAYS}})


def arrival_isolation_decide(*, arrival: Arrival, travel_stops) -> None:
    """On arrival_registering: whether the arrival about to be stored must self-isolate, set on it
    (its INSERT stores it), and why, kept on it for arrivals_follow_up_open."""
    arrivals_isolation_decide(arrivals=[arrival], travel_stops=[travel_stops])


def arrivals_isolation_decide(*, arrivals, travel_stops) -> None:
    """On arrivals_registering: arrival_isolation_decide for each of `arrivals` (a paper import's
    chunk) in at most two queries, so that their INSERT stores the decision and no UPDATE follows.
    `travel_stops`: each one's stops, in the same order."""
    for arrival, reason in zip(arrivals, isolation_reasons(arrivals=arrivals, travel_stops=travel_stops), strict=True):
        arrival.isolation_reason = reason
        arrival.isolation_required = reason is not None


# No savepoint of its own: it runs inside arrival_register's, and an error here undoes the entry.
@transaction.atomic(savepoint=False)
def arrival_follow_up_open(*, arrival: Arrival) -> IsolationOrder | None:
    """Open (or restart, on a re-entry) the isolation order the rule asks for `arrival` (one at a time)."""
    if hasattr(arrival, "isolation_reason"):  # decided already (arrival_isolation_decide, arrivals_follow_up_open)
        reason = arrival.isolation_reason
    else:
        reason = isolation_reason(arrival=arrival)
        if reason is not None:
            Arrival.objects.filter(pk=arrival.pk).update(isolation_required=True)
            arrival.isolation_required = True
    if reason is None:
        return None
    reason_code, reason_params = reason
    start = timezone.localdate(arrival.arrived_at)
    # A person isolates once: a re-entry while an order still runs restarts it from the new arrival.
    current = (
        IsolationOrder.objects.select_for_update()
        .filter(person_id=arrival.person_id, state=IsolationOrder.State.ACTIVE, end_date__gt=start)
        .order_by("-end_date")
        .first()
    )
    if current is not None:
        return _order_restarted(current, arrival, reason)
    order, opened = _order_opened(arrival, reason_code, reason_params)
    order.save()
    opened.order = order
    opened.save()
    return order


def _order_restarted(current: IsolationOrder, arrival: Arrival, reason) -> IsolationOrder:
    """A person isolates once: `current`, still running, restarts from the new `arrival`."""
    reason_code, reason_params = reason
    start = timezone.localdate(arrival.arrived_at)
    previous_end, previous_code = current.end_date, current.destination_code
    current.arrival = arrival
    current.reason, current.reason_code, current.reason_params = "", reason_code, reason_params
    current.start_date = start
    current.days = max(current.days, settings.SIPANTAU_ISOLATION_DAYS)
    _order_clean(current)
    current.save()  # takes the new arrival's destination_code, where its earlier visits now count
    tallies.checks_moved(order=current, old_code=previous_code)
    IsolationEvent.objects.create(
        order=current,
        kind=IsolationEvent.Kind.RESTARTED,
        note_code="restarted",
        note_params={
            "date": f"{start:%d-%m-%Y}",
            "old": f"{previous_end:%d-%m-%Y}",
            "new": f"{current.end_date:%d-%m-%Y}",
        },
        by_id=arrival.officer_id,
    )
    return current


def _order_opened(arrival, reason_code, reason_params) -> tuple[IsolationOrder, IsolationEvent]:
    """A new order for `arrival` on the rule's grounds, validated, and the event that opens it (neither saved)."""
    start = timezone.localdate(arrival.arrived_at)
    order = IsolationOrder(
        person_id=arrival.person_id,
        arrival=arrival,
        reason_code=reason_code,
        reason_params=reason_params,
        start_date=start,
        days=settings.SIPANTAU_ISOLATION_DAYS,
        destination_code=arrival.destination_code,
        practice=arrival.practice,  # as save() would: in its arrival's mode (bulk_create skips save)
    )
    order.end_date = start + timedelta(days=order.days)
    _order_clean(order)
    opened = IsolationEvent(
        kind=IsolationEvent.Kind.OPENED, note_code=reason_code, note_params=reason_params, by_id=arrival.officer_id
    )
    return order, opened


@transaction.atomic(savepoint=False)
def arrivals_follow_up_open(*, arrivals, new_persons=frozenset()) -> None:
    """On arrivals_registered: arrival_follow_up_open for each of `arrivals` (an entry's one, or a
    paper import's chunk) in a handful of statements whatever their number; a running order a
    re-entry restarts is saved on its own. A person who comes more than once among them is taken
    one by one, in the order they came.
    `new_persons`: persons made with these arrivals, whose running orders need no look-up."""
    undecided = [a for a in arrivals if not hasattr(a, "isolation_reason")]  # not by arrival_isolation_decide
    for arrival, reason in zip(undecided, isolation_reasons(arrivals=undecided), strict=True):
        arrival.isolation_reason = reason
    due = [(a, a.isolation_reason) for a in arrivals if a.isolation_reason is not None]
    if not due:
        return
    times = Counter(arrival.person_id for arrival, _reason in due)
    known = [person_id for person_id in times if person_id not in new_persons]
    running = {}
    if known:
        first_day = min(timezone.localdate(arrival.arrived_at) for arrival, _reason in due)
        for order in (
            IsolationOrder.objects.select_for_update()
            .filter(person_id__in=known, state=IsolationOrder.State.ACTIVE, end_date__gt=first_day)
            .order_by("end_date")
        ):
            running[order.person_id] = order  # the latest ending last: the one a re-entry restarts
    opened, restarted, one_by_one = [], [], []
    for arrival, reason in due:
        current = running.get(arrival.person_id)
        if times[arrival.person_id] > 1:
            one_by_one.append(arrival)
        elif current is not None and current.end_date > timezone.localdate(arrival.arrived_at):
            restarted.append((current, arrival, reason))
        else:
            opened.append(_order_opened(arrival, *reason))
    stored_without = [a.pk for a, _reason in due if not a.isolation_required]  # the paper import's
    if stored_without:
        Arrival.objects.filter(pk__in=stored_without).update(isolation_required=True)
    for arrival, _reason in due:
        arrival.isolation_required = True
    IsolationOrder.objects.bulk_create([order for order, _event in opened])
    for order, event in opened:
        event.order = order
    IsolationEvent.objects.bulk_create([event for _order, event in opened])
    for current, arrival, reason in restarted:
        _order_restarted(current, arrival, reason)
    for arrival in one_by_one:  # in the order they came, as each entry would have been
        arrival_follow_up_open(arrival=arrival)


@transaction.atomic
def arrival_follow_up_correct(*, arrival: Arrival, change) -> None:
    """On arrival_corrected: the follow-up moves with a corrected destination and follows a corrected rule.

    The dispatch inbox reads the arrival's own destination, so it moves by itself; the orders and
    reports keep a denormalised copy, updated here, and the order's history says what changed.
    """
    fields = {item["field"]: item for item in change.changes}
    orders = list(IsolationOrder.objects.select_for_update().filter(arrival=arrival))
    if {"id_type", "id_number"} & set(fields):
        # A mistyped document: the entry (and so its order) now belongs to the corrected person.
        for order in orders:
            if order.person_id != arrival.person_id:
                order.person_id = arrival.person_id
                order.save()
    if "destination" in fields:
        moved = fields["destination"]
        for order in orders:
            old_code = order.destination_code
            order.arrival = arrival
            order.save()  # takes the arrival's destination_code
            tallies.checks_moved(order=order, old_code=old_code)
            ViolationReport.objects.filter(order=order).update(destination_code=order.destination_code)
            IsolationEvent.objects.create(
                order=order,
                kind=IsolationEvent.Kind.CORRECTED,
                note_code="destination",
                note_params={"old": moved["old"], "new": moved["new"]},
                by=change.changed_by,
            )
    if {"origin", "purpose"} & set(fields):
        _isolation_rule_recheck(arrival=arrival, orders=orders, by=change.changed_by)


def _isolation_rule_recheck(*, arrival, orders, by):
    """A corrected origin or purpose may start an order the entry missed, or end one opened by mistake."""
    reason = isolation_reason(arrival=arrival)
    if reason is not None and not orders:
        arrival_follow_up_open(arrival=arrival)
    elif reason is None:
        Arrival.objects.filter(pk=arrival.pk).update(isolation_required=False)
        arrival.isolation_required = False
        for order in orders:
            opened_here = order.events.filter(kind=IsolationEvent.Kind.OPENED).exists()
            if order.status_on() == IsolationOrder.Status.ACTIVE and opened_here and not order.checks.exists():
                order.state = IsolationOrder.State.CLOSED_EARLY
                order.save()
                IsolationEvent.objects.create(
                    order=order, kind=IsolationEvent.Kind.CLOSED, note_code="rule_lifted", by=by
                )


# ------------------------------------------------------------------------------
# Dispatch
# ------------------------------------------------------------------------------
@transaction.atomic
def arrival_confirm(*, arrival: Arrival, user: User, outcome: str, note: str = "") -> ArrivalConfirmation:
    """Record that the village team found (or did not find) the traveller at the address."""
    arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
    if ArrivalConfirmation.objects.filter(arrival=arrival).exists():
        raise ValidationError(_("Kedatangan ini sudah dikonfirmasi."))
    note = note.strip()
    if outcome == ArrivalConfirmation.Outcome.NOT_FOUND and not note:
        raise ValidationError({"note": _("Tuliskan apa yang ditemukan di alamat itu.")})
    confirmation = ArrivalConfirmation(arrival=arrival, outcome=outcome, note=note, confirmed_by=user)
    confirmation.full_clean()
    confirmation.save()
    return confirmation


# ------------------------------------------------------------------------------
# Isolation orders
# ------------------------------------------------------------------------------
def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Alasan wajib diisi.")})
    return reason


@transaction.atomic
def isolation_period_change(*, order: IsolationOrder, user: User, days: int, reason: str) -> IsolationOrder:
    """Set the order's length in days, with the reason kept in its history."""
    reason = _require_reason(reason)
    if not 1 <= days <= MAX_ISOLATION_DAYS:
        raise ValidationError({"days": _("Lama isolasi harus 1 sampai %(max)s hari.") % {"max": MAX_ISOLATION_DAYS}})
    order = IsolationOrder.objects.select_for_update().get(pk=order.pk)
    if order.state != IsolationOrder.State.ACTIVE:
        raise ValidationError(_("Isolasi yang sudah ditutup tidak dapat diubah; buka kembali dulu."))
    old = order.days
    order.days = days
    order.full_clean()
    order.save()
    IsolationEvent.objects.create(
        order=order,
        kind=IsolationEvent.Kind.PERIOD,
        note_code="period",
        note_params={"old": old, "new": days, "reason": reason},
        by=user,
    )
    return order


@transaction.atomic
def isolation_close(*, order: IsolationOrder, user: User, reason: str) -> IsolationOrder:
    """Close a running order before its end date, with the reason."""
    reason = _require_reason(reason)
    order = IsolationOrder.objects.select_for_update().get(pk=order.pk)
    if order.status_on() != IsolationOrder.Status.ACTIVE:
        raise ValidationError(_("Hanya isolasi yang masih aktif dapat ditutup."))
    order.state = IsolationOrder.State.CLOSED_EARLY
    order.closed_on = timezone.localdate()
    order.save()
    IsolationEvent.objects.create(order=order, kind=IsolationEvent.Kind.CLOSED, note=reason, by=user)
    return order


@transaction.atomic
def isolation_reopen(*, order: IsolationOrder, user: User, reason: str) -> IsolationOrder:
    """Reopen an order closed by mistake; it runs again to its end date."""
    reason = _require_reason(reason)
    order = IsolationOrder.objects.select_for_update().get(pk=order.pk)
    if order.state != IsolationOrder.State.CLOSED_EARLY:
        raise ValidationError(_("Hanya isolasi yang ditutup lebih awal dapat dibuka kembali."))
    order.state = IsolationOrder.State.ACTIVE
    order.closed_on = None
    order.save()
    IsolationEvent.objects.create(order=order, kind=IsolationEvent.Kind.REOPENED, note=reason, by=user)
    return order


@transaction.atomic
def isolation_check_record(
    *,
    order: IsolationOrder,
    user: User,
    at_home: bool,
    symptoms: list[str] | None = None,
    temperature: Decimal | None = None,
    note: str = "",
) -> Check:
    """Record today's visit to a running order (a repeated tap within two minutes is the same visit)."""
    order = IsolationOrder.objects.select_for_update().get(pk=order.pk)
    today = timezone.localdate()
    if order.status_on(today) != IsolationOrder.Status.ACTIVE or order.start_date > today:
        raise ValidationError(_("Isolasi ini tidak sedang berjalan; pemantauan tidak dapat dicatat."))
    now = timezone.now()
    repeat = (
        order.checks.filter(checked_by=user, at_home=at_home, checked_at__gte=now - timedelta(minutes=2))
        .order_by("-checked_at")
        .first()
    )
    if repeat is not None and not (symptoms or temperature is not None or note):
        return repeat
    check = Check(
        order=order,
        day=today,
        at_home=at_home,
        symptoms=symptoms or [],
        temperature=temperature,
        note=note.strip(),
        checked_by=user,
        checked_at=now,
    )
    check.full_clean()
    check.save()
    IsolationOrder.objects.filter(pk=order.pk).update(last_checked_on=check.day)  # visits are made today: the latest
    tallies.check_tallied(check=check, destination_code=order.destination_code)
    return check


# ------------------------------------------------------------------------------
# Non-compliance reports
# ------------------------------------------------------------------------------
def report_recipient(*, destination_code: str) -> str:
    """Police of the destination's village when it has any active one, else the regency task force."""
    village = code_at_level(destination_code, Region.Level.VILLAGE)
    police = User.objects.filter(role=Role.POLICE, is_active=True, jurisdictions__code=village)
    return ViolationReport.Recipient.POLICE if police.exists() else ViolationReport.Recipient.REGENCY


@transaction.atomic
def violation_report_raise(*, failed_check: Check, user: User, description: str) -> ViolationReport:
    """Report a failed check to the police of the village (or the regency task force)."""
    description = description.strip()
    if failed_check.at_home:
        raise ValidationError(_("Hanya pemantauan yang gagal (tidak di rumah) dapat dilaporkan."))
    if ViolationReport.objects.filter(failed_check=failed_check).exists():
        raise ValidationError(_("Pemantauan ini sudah dilaporkan."))
    if not description:
        raise ValidationError({"description": _("Uraikan pelanggarannya.")})
    order = failed_check.order
    report = ViolationReport(
        order=order,
        failed_check=failed_check,
        recipient=report_recipient(destination_code=order.destination_code),
        description=description,
        raised_by=user,
    )
    report.destination_code = order.destination_code
    report.full_clean()
    report.save()
    ViolationReportEvent.objects.create(report=report, state=report.state, note=description, by=user)
    return report


def _report_move(report, user, state, allowed_from, note, message):
    report = ViolationReport.objects.select_for_update().get(pk=report.pk)
    if report.state not in allowed_from:
        raise ValidationError(message)
    report.state = state
    if state == ViolationReport.State.CLOSED:
        report.action_taken = note
    report.full_clean()
    report.save()
    ViolationReportEvent.objects.create(report=report, state=state, note=note, by=user)
    return report


@transaction.atomic
def violation_report_acknowledge(*, report: ViolationReport, user: User, note: str = "") -> ViolationReport:
    """The police (or task force) took the report in hand."""
    return _report_move(
        report,
        user,
        ViolationReport.State.ACKNOWLEDGED,
        {ViolationReport.State.OPEN},
        note.strip(),
        _("Laporan ini sudah diterima sebelumnya."),
    )


@transaction.atomic
def violation_report_close(*, report: ViolationReport, user: User, action_taken: str) -> ViolationReport:
    """Close the report with the action taken."""
    action_taken = action_taken.strip()
    if not action_taken:
        raise ValidationError({"action_taken": _("Tuliskan tindakan yang diambil.")})
    return _report_move(
        report,
        user,
        ViolationReport.State.CLOSED,
        {ViolationReport.State.OPEN, ViolationReport.State.ACKNOWLEDGED},
        action_taken,
        _("Laporan ini sudah selesai."),
    )
