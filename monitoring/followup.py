"""Follow-up figures per sub-area of a user's reach, in a constant number of queries."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from regions.models import Region
from travellers.models import Arrival

from . import dispatch
from .models import Check, IsolationOrder, ViolationReport

# Length of a code one level below a code of n dot-separated parts: 13 → 13.71 → 13.71.01 → 13.71.01.1001 → …01
CHILD_CODE_LENGTH = {1: 5, 2: 8, 3: 13, 4: 16, 5: 16}
FIGURES = ["unconfirmed", "escalated", "active", "due", "overdue", "checks", "at_home", "open_reports"]


def sub_area_length(user) -> int:
    """How many characters of a destination code name the sub-area it falls in, for `user`."""
    codes = [settings.SIPANTAU_PROVINCE] if user.is_superuser else user.jurisdiction_codes()
    if not codes:
        return CHILD_CODE_LENGTH[1]
    return CHILD_CODE_LENGTH[min(len(code.split(".")) for code in codes)]


def _count_by_area(queryset, field, length, **counts):
    rows = queryset.order_by().values(area=Substr(field, 1, length)).annotate(**counts)
    return {row.pop("area"): row for row in rows}


def followup_summary(user, now=None) -> dict:
    """Per sub-area: unconfirmed/escalated arrivals, active isolations, checks due/overdue, compliance, open reports."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    length = sub_area_length(user)
    district_cutoff, _regency_cutoff = dispatch.cutoffs(now)
    orders = IsolationOrder.objects.visible_to(user)
    since = today - timedelta(days=settings.SIPANTAU_ISOLATION_DAYS)
    parts = [
        _count_by_area(
            dispatch.unconfirmed(Arrival.objects.visible_to(user), now),
            "destination_code",
            length,
            unconfirmed=Count("pk"),
            escalated=Count("pk", filter=Q(arrived_at__lt=district_cutoff)),
        ),
        _count_by_area(orders.running(today), "destination_code", length, active=Count("pk")),
        _count_by_area(orders.due(today), "destination_code", length, due=Count("pk")),
        _count_by_area(orders.overdue(today), "destination_code", length, overdue=Count("pk")),
        _count_by_area(
            Check.objects.visible_to(user).filter(day__gt=since),
            "order__destination_code",
            length,
            checks=Count("pk"),
            at_home=Count("pk", filter=Q(at_home=True)),
        ),
        _count_by_area(
            ViolationReport.objects.visible_to(user).open(), "destination_code", length, open_reports=Count("pk")
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
