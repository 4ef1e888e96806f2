"""The overview's numbers: a fixed handful of grouped queries, whatever the number of arrivals."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Sum
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone
from django.utils.formats import date_format

from accounts.access import local_midnight
from checkpoints.catalogue import checkpoints
from regions.models import Region

from .models import TallyDay
from .tallies import day_cells, tallies_serve, tallies_within

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
    label: str = ""  # the day as the page writes it ("j F Y"), formatted once for the chart and its table
    iso: str = ""  # the day in the arrival list's URL (Y-m-d)


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
        arrivals.filter(arrived_at__gte=local_midnight(first))
        .annotate(day=TruncDate("arrived_at"))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
    )
    return _series({row["day"]: row["n"] for row in rows}, first)


def _series(counts, first):
    return [(first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(CHART_DAYS)]


def chart_bars(series):
    """Bar geometry for the server-drawn SVG chart (viewBox CHART_WIDTH × CHART_HEIGHT)."""
    peak = max((n for _, n in series), default=0)
    top = peak or 1
    slot = CHART_WIDTH / len(series)
    bars = []
    for i, (day, n) in enumerate(series):
        height = round(n / top * (CHART_HEIGHT - 4), 1)
        x, y, width = round(i * slot + 1, 1), round(CHART_HEIGHT - height, 1), round(slot - 2, 1)
        bars.append(Bar(day, n, x, y, width, height, date_format(day, "j F Y"), day.isoformat()))
    return bars, peak


def by_origin_province(arrivals):
    """[(province, count)] by where travellers came from, most first."""
    rows = (
        arrivals.annotate(province=Substr("origin__code", 1, 2)).order_by().values("province").annotate(n=Count("id"))
    )
    return _named_provinces({row["province"]: row["n"] for row in rows})


def _named_provinces(counts):
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    names = {r.code: r for r in Region.objects.filter(code__in=counts)}
    return [(names.get(code, Region(code=code, name=code)), n) for code, n in rows]


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
    return _sub_area_rows(counts, areas)


def _sub_area_rows(counts, areas):
    counts = dict(counts)
    # Busiest first; the quiet ones stay listed (and clickable) so the whole area is visible.
    result = [(region, counts.pop(region.code, 0)) for region in areas]
    result.sort(key=lambda item: (-item[1], item[0].code))
    rest = sum(counts.values())
    if rest:
        result.append((None, rest))
    return result


def counted(arrivals, *, areas, today, since):
    """The overview's raw figures counted from the arrivals themselves (small areas, SQLite, tests)."""
    window = arrivals.filter(arrived_at__gte=local_midnight(since))
    return {
        "series": per_day(arrivals, today),
        "by_origin": by_origin_province(window),
        "by_checkpoint": by_checkpoint(window),
        "by_sub_area": by_sub_area(window, areas),
    }


def from_tallies(arrivals, *, codes, areas, today, since):
    """The same figures for a district or larger: tallied days from ArrivalTally, the rest from the arrivals.

    `arrivals` are the ones the user may see bound for `codes`; the tallies are narrowed by the
    same codes. Days not yet tallied (today, and any the nightly `tally_arrivals` has not reached)
    are counted from the arrivals: a page only reads, it never tallies. A constant number of
    queries over at most CHART_DAYS days, whatever the number of arrivals.
    """
    first = today - timedelta(days=CHART_DAYS - 1)
    tallied = set(TallyDay.objects.filter(day__gte=first, day__lt=today).values_list("day", flat=True))
    tallies = tallies_within(codes, first=first, last=today - timedelta(days=1)).filter(day__in=tallied)
    counts = Counter({row["day"]: row["n"] for row in tallies.order_by().values("day").annotate(n=Sum("arrivals"))})
    # Each breakdown summed by the database: the day x district x province x post cells of a
    # province run to tens of thousands of rows, too many to add up in Python on every request.
    window = tallies.filter(day__gte=since).order_by()
    origins, posts, districts = Counter(), Counter(), Counter()
    for counter, field in ((origins, "origin_province"), (posts, "checkpoint_id"), (districts, "destination_district")):
        counter.update(dict(window.values(field).annotate(n=Sum("arrivals")).values_list(field, "n")))
    # Only from the first day not tallied (usually today): the days before it are in the tallies.
    untallied = next(first + timedelta(days=i) for i in range(CHART_DAYS) if first + timedelta(days=i) not in tallied)
    live = arrivals.filter(arrived_at__gte=local_midnight(untallied))
    if tallied:
        live = live.annotate(day=TruncDate("arrived_at")).exclude(day__in=tallied)
    for row in day_cells(live, isolated=False):
        counts[row["day"]] += row["n"]
        if row["day"] >= since:
            origins[row["province"]] += row["n"]
            posts[row["checkpoint_id"]] += row["n"]
            districts[row["district"]] += row["n"]
    post_rows = [(pk, code, name) for pk, code, name in checkpoints.get() if pk in posts]  # no query
    by_post = sorted(((code, name, posts[pk]) for pk, code, name in post_rows), key=lambda row: (-row[2], row[1]))
    subs = Counter()
    for length in {len(r.code) for r in areas}:
        for district, n in districts.items():
            subs[district[:length]] += n
    return {
        "series": _series(counts, first),
        "by_origin": _named_provinces(origins),
        "by_checkpoint": by_post,
        "by_sub_area": _sub_area_rows(subs, areas) if areas else [(None, sum(districts.values()))],
    }


def overview_numbers(arrivals, *, area, tops, days):
    """Everything the overview shows about `arrivals` (already visible_to the user and inside `area`)."""
    today = timezone.localdate()
    since = today - timedelta(days=days - 1)
    areas = sub_areas(area, tops)
    codes = [area.code] if area is not None else [r.code for r in tops]
    if tallies_serve(codes, [r.code for r in areas]):
        figures = from_tallies(arrivals, codes=codes, areas=areas, today=today, since=since)
    else:
        figures = counted(arrivals, areas=areas, today=today, since=since)
    series = figures["series"]
    bars, top = chart_bars(series)
    return {
        "today": today,
        "since": since,
        "today_iso": today.isoformat(),
        "since_iso": since.isoformat(),
        "count_today": series[-1][1],
        "count_7": sum(n for _, n in series[-7:]),
        "count_14": sum(n for _, n in series[-14:]),
        "bars": bars,
        "chart_max": top,
        "chart_first": series[0][0],
        "by_origin": figures["by_origin"],
        "by_checkpoint": figures["by_checkpoint"],
        "by_sub_area": figures["by_sub_area"],
    }
