"""What the follow-up shows of itself elsewhere: figures per sub-area of a user's reach (in a constant
number of queries, each reading only its window: orders not yet at their end date, the tallied
visits of one isolation period, the dispatch window's arrivals), an arrival's follow-up, and an
arrival's isolation state for lists and exports."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access, practice
from regions.models import CODE_WIDTH, Region, code_level, code_within
from travellers.models import Arrival

from . import dispatch
from .models import ArrivalConfirmation, Check, CheckTally, IsolationOrder, ViolationReport

# Length of a code one level below a code of n dot-separated parts: 13 → 13.71 → 13.71.01 → 13.71.01.1001 → …01
CHILD_CODE_LENGTH = {level: CODE_WIDTH[min(level + 1, 5)] for level in CODE_WIDTH}
FIGURES = ["unconfirmed", "escalated", "active", "due", "overdue", "checks", "at_home", "open_reports"]


def sub_area_length(user) -> int:
    """How many characters of a destination code name the sub-area it falls in, for `user`."""
    codes = access.top_codes(user)
    if not codes:
        return CHILD_CODE_LENGTH[1]
    return CHILD_CODE_LENGTH[min(code_level(code) for code in codes)]


def _count_by_area(queryset, field, length, **counts):
    rows = queryset.order_by().values(area=Substr(field, 1, length)).annotate(**counts)
    return {row.pop("area"): row for row in rows}


def _within(queryset, field, area):
    """`queryset` narrowed to rows whose code in `field` lies within `area` (None: no narrowing)."""
    return queryset if area is None else queryset.filter(code_within(field, [area.code]))


def active_by_area(summary, *, length) -> dict:
    """{code prefix of `length` characters: isolation orders in force} from followup_summary()'s rows,
    whose codes are never shorter (a sub-area is at least a regency): no query of its own."""
    counts = {}
    for row in summary["rows"]:
        if row["active"]:
            code = row["code"][:length]
            counts[code] = counts.get(code, 0) + row["active"]
    return counts


def followup_summary(user, now=None, *, area=None) -> dict:
    """Per sub-area: unconfirmed/escalated arrivals, active isolations, checks due/overdue, compliance, open reports.

    `area` (a region within the user's reach, e.g. the overview's drilled-into one) narrows the
    figures to it and splits them one level below it; it never widens what visible_to allows.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    length = sub_area_length(user) if area is None else CHILD_CODE_LENGTH[code_level(area.code)]
    district_cutoff, _regency_cutoff = dispatch.cutoffs(now)
    orders = _within(IsolationOrder.objects.visible_to(user), "destination_code", area)
    since = today - timedelta(days=settings.SIPANTAU_ISOLATION_DAYS)
    parts = [
        _count_by_area(
            dispatch.unconfirmed(_within(Arrival.objects.visible_to(user), "destination_code", area), now),
            "destination_code",
            length,
            unconfirmed=Count("pk"),
            escalated=Count("pk", filter=Q(arrived_at__lt=district_cutoff)),
        ),
        _in_force(orders, today, length),
        _visits(user, area, since, length),
        _count_by_area(
            _within(ViolationReport.objects.visible_to(user), "destination_code", area).open(),
            "destination_code",
            length,
            open_reports=Count("pk"),
        ),
    ]
    areas = sorted({code for part in parts for code in part})
    names = {r.code: r for r in Region.objects.filter(code__in=areas)}
    rows = []
    for code in areas:
        row = {"code": code, "region": names.get(code)} | dict.fromkeys(FIGURES, 0)
        for part in parts:
            row.update(part.get(code, {}))
        rows.append(row)
    totals = {figure: sum(row[figure] for row in rows) for figure in FIGURES}
    for row in [*rows, totals]:
        row["compliance"] = round(100 * row["at_home"] / row["checks"]) if row["checks"] else None
    return {"rows": rows, "totals": totals, "since": since + timedelta(days=1)}


def arrival_follow_up(user, arrival) -> dict:
    """The arrival's confirmation and the traveller's isolation orders within `user`'s reach, in three queries."""
    confirmation = ArrivalConfirmation.objects.filter(arrival=arrival).select_related("confirmed_by").first()
    orders = list(
        IsolationOrder.objects.visible_to(user)
        .filter(person_id=arrival.person_id)
        .with_status()
        .select_related("arrival")
        .order_by("-start_date", "-id")[:10]
    )
    awaiting = confirmation is None and dispatch.inbox(user).filter(pk=arrival.pk).exists()
    district, regency = dispatch.cutoffs()
    expired = confirmation is None and arrival.arrived_at < dispatch.window_start()
    if confirmation is not None or expired:
        escalation = dispatch.NONE
    elif arrival.arrived_at < regency:
        escalation = dispatch.REGENCY
    elif arrival.arrived_at < district:
        escalation = dispatch.DISTRICT
    else:
        escalation = dispatch.NONE
    return {
        "confirmation": confirmation,
        "awaiting": awaiting,
        "expired": expired,
        "escalation": escalation,
        "orders": orders,
    }


# ------------------------------------------------------------------------------
# An arrival's isolation state, for the arrival list, its filter and its exports
# ------------------------------------------------------------------------------
# The arrival list filter's values (kept in URLs): any order, an order's Status, or none.
REQUIRED, NOT_REQUIRED = "ya", "tidak"
ISOLATION_STATES = {
    REQUIRED: _("Wajib isolasi (semua status)"),
    IsolationOrder.Status.ACTIVE: _("Sedang isolasi"),
    IsolationOrder.Status.COMPLETED: _("Isolasi selesai"),
    IsolationOrder.Status.CLOSED: _("Isolasi ditutup lebih awal"),
    NOT_REQUIRED: _("Tidak wajib isolasi"),
}


def _orders_of_arrival(user):
    """Orders `user` may see that the outer arrival opened or restarted (for Exists / Subquery)."""
    return IsolationOrder.objects.visible_to(user).filter(arrival=OuterRef("pk"))


def with_isolation_state(arrivals, user, day=None):
    """Annotate each arrival with its order's `order_state`, `order_end` and `order_status` (an
    IsolationOrder.Status on `day`; None: no order), in the same query."""
    orders = _orders_of_arrival(user).order_by("-end_date", "-id")
    return arrivals.annotate(
        order_state=Subquery(orders.values("state")[:1]),
        order_end=Subquery(orders.values("end_date")[:1]),
        order_status=Subquery(orders.with_status(day).values("status")[:1]),
        isolation_order_id=Subquery(orders.values("pk")[:1]),
    )


def filter_isolation_state(arrivals, user, state: str, day=None):
    """Arrivals whose isolation order (visible to `user`) is in `state`, one of ISOLATION_STATES."""
    day = day or timezone.localdate()
    orders = _orders_of_arrival(user)
    if state == IsolationOrder.Status.ACTIVE:
        return arrivals.filter(Exists(orders.running(day)))
    if state in IsolationOrder.Status.values:
        return arrivals.filter(Exists(orders.with_status(day).filter(status=state)))
    # "ya" also keeps an arrival whose order a later re-entry took over (the rule still applied to it).
    required = Q(Exists(orders)) | Q(isolation_required=True)
    return arrivals.filter(required if state == REQUIRED else ~required)


def isolation_state_label(state, end, day=None) -> str:
    """What the exports show for an order's (state, end date): its Status's label; '' for an arrival without one."""
    if state is None:
        return ""
    return str(IsolationOrder.Status.of(state, end, day).label)


def _in_force(orders, today, length):
    """Orders in force today per area, and how many are due (no visit today) and overdue (none
    yesterday either, started before today): one read of the in-force index, where each order's
    last visit day stands beside its dates (IsolationOrder.due() and overdue() in one pass, for today:
    visits are only ever recorded for the day they are made, so none lies after it)."""
    not_today = Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=today)
    not_since_yesterday = Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=today - timedelta(days=1))
    return _count_by_area(
        orders.running(today),
        "destination_code",
        length,
        active=Count("pk"),
        due=Count("pk", filter=not_today),
        overdue=Count("pk", filter=not_since_yesterday & Q(start_date__lt=today)),
    )


def _visits(user, area, since, length):
    """The window's visits (and visits at home) per area: from the daily tallies (tallies.py), not
    one row per visit; in practice mode, whose few visits are never tallied, counted live."""
    if practice.active():
        checks = _within(Check.objects.visible_to(user), "order__destination_code", area).filter(day__gt=since)
        return _count_by_area(
            checks, "order__destination_code", length, checks=Count("pk"), at_home=Count("pk", filter=Q(at_home=True))
        )
    tallies = _within(CheckTally.objects.visible_to(user), "destination_code", area)
    return _count_by_area(
        tallies.filter(day__gt=since, checks__gt=0),
        "destination_code",
        length,
        checks=Sum("checks"),
        at_home=Sum("at_home"),
    )
