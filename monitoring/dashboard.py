"""The overview's numbers: a fixed handful of grouped queries, whatever the number of arrivals."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from regions.models import Region

CHART_DAYS = 30
PERIODS = (1, 7, 14, 30)
CHART_WIDTH, CHART_HEIGHT = 600, 160


@dataclass
class Bar:
    day: object
    count: int
    x: float
    y: float
    width: float
    height: float


def day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def sub_areas(area, tops):
    """The regions one level below what is looked at: the area's children, or the user's several areas."""
    if area is not None:
        return list(Region.objects.filter(parent=area).order_by("code"))
    if len(tops) == 1:
        return list(Region.objects.filter(parent=tops[0]).order_by("code"))
    return sorted(tops, key=lambda r: r.code)


def per_day(arrivals, today):
    """Counts per day (WIB) for the last CHART_DAYS days, oldest first, zeros included."""
    first = today - timedelta(days=CHART_DAYS - 1)
    rows = (
        arrivals.filter(arrived_at__gte=day_start(first))
        .annotate(day=TruncDate("arrived_at"))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
    )
    counts = {row["day"]: row["n"] for row in rows}
    return [(first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(CHART_DAYS)]


def chart_bars(series):
    """Bar geometry for the server-drawn SVG chart (viewBox CHART_WIDTH × CHART_HEIGHT)."""
    peak = max((n for _, n in series), default=0)
    top = peak or 1
    slot = CHART_WIDTH / len(series)
    bars = []
    for i, (day, n) in enumerate(series):
        height = round(n / top * (CHART_HEIGHT - 4), 1)
        bars.append(Bar(day, n, round(i * slot + 1, 1), round(CHART_HEIGHT - height, 1), round(slot - 2, 1), height))
    return bars, peak


def by_origin_province(arrivals):
    """[(province, count)] by where travellers came from, most first."""
    rows = list(
        arrivals.annotate(province=Substr("origin__code", 1, 2))
        .order_by()
        .values("province")
        .annotate(n=Count("id"))
        .order_by("-n", "province")
    )
    names = {r.code: r for r in Region.objects.filter(code__in=[row["province"] for row in rows])}
    return [(names.get(row["province"], Region(code=row["province"], name=row["province"])), row["n"]) for row in rows]


def by_checkpoint(arrivals):
    """[(code, name, count)] by border post, most first."""
    rows = (
        arrivals.order_by()
        .values("checkpoint__code", "checkpoint__name")
        .annotate(n=Count("id"))
        .order_by("-n", "checkpoint__name")
    )
    return [(row["checkpoint__code"], row["checkpoint__name"], row["n"]) for row in rows]


def by_sub_area(arrivals, areas):
    """[(region or None, count)] by the sub-area each arrival is bound for; None: bound for the area itself."""
    if not areas:  # a village without hamlets, or a hamlet: everything is bound for the area itself
        total = arrivals.count()
        return [(None, total)] if total else []
    counts = {}
    for length in sorted({len(r.code) for r in areas}):
        rows = (
            arrivals.annotate(sub=Substr("destination_code", 1, length))
            .order_by()
            .values("sub")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["sub"]] = counts.get(row["sub"], 0) + row["n"]
    # Busiest first; the quiet ones stay listed (and clickable) so the whole area is visible.
    result = [(region, counts.pop(region.code, 0)) for region in areas]
    result.sort(key=lambda item: (-item[1], item[0].code))
    rest = sum(counts.values())
    if rest:
        result.append((None, rest))
    return result


def overview_numbers(arrivals, *, area, tops, days):
    """Everything the overview shows about `arrivals` (already visible_to the user and inside `area`)."""
    today = timezone.localdate()
    series = per_day(arrivals, today)
    bars, top = chart_bars(series)
    since = today - timedelta(days=days - 1)
    window = arrivals.filter(arrived_at__gte=day_start(since))
    return {
        "today": today,
        "since": since,
        "count_today": series[-1][1],
        "count_7": sum(n for _, n in series[-7:]),
        "count_14": sum(n for _, n in series[-14:]),
        "bars": bars,
        "chart_max": top,
        "chart_first": series[0][0],
        "by_origin": by_origin_province(window),
        "by_checkpoint": by_checkpoint(window),
        "by_sub_area": by_sub_area(window, sub_areas(area, tops)),
    }
