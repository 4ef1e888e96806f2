"""Daily arrival counts for overviews of large areas, kept in ArrivalTally.

A day is tallied once it is over: every arrival of that day (WIB) is added to ArrivalTally per
destination district × origin province × post, and a TallyDay row marks the day as done. The
nightly `tally_arrivals` command does that, and purge_expired before it deletes a day's
arrivals. Pages only read: overviews count today, and any day not yet tallied, from the
arrivals themselves. So an entry costs nothing here,
except one that lands on a day already tallied (a paper backlog row, a queue sent the next
morning): monitoring.receivers adds that one when travellers announces it.

The tallies outlive the personal data (retention.py), so an overview's history still counts
purged days. Adding is the only operation: a day is never recounted, because some of its
arrivals may be gone.
"""

from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from accounts.access import local_midnight
from followup.models import IsolationOrder
from regions.models import CODE_WIDTH, Region, code_level, code_within
from travellers.models import Arrival

from .models import ArrivalTally, TallyDay

# Kemendagri codes have fixed-width parts: "13" province, "13.71" regency, "13.71.01" district.
PROVINCE_LENGTH, DISTRICT_LENGTH = CODE_WIDTH[Region.Level.PROVINCE], CODE_WIDTH[Region.Level.DISTRICT]


def _on(arrivals, day: date):
    return arrivals.filter(arrived_at__gte=local_midnight(day), arrived_at__lt=local_midnight(day + timedelta(days=1)))


def day_cells(arrivals, *, isolated=True):
    """Rows of day, district, province, checkpoint_id, n (and isolated: with an order) per cell, one query."""
    if "day" not in arrivals.query.annotations:
        arrivals = _with_day(arrivals)
    cells = arrivals.annotate(
        district=Substr("destination_code", 1, DISTRICT_LENGTH), province=Substr("origin__code", 1, PROVINCE_LENGTH)
    )
    counts = {"n": Count("id")}
    if isolated:
        cells = cells.annotate(has_order=Exists(IsolationOrder.objects.filter(arrival_id=OuterRef("pk"))))
        counts["isolated"] = Count("id", filter=Q(has_order=True))
    return cells.order_by().values("day", "district", "province", "checkpoint_id").annotate(**counts)


def _with_day(arrivals):
    return arrivals.annotate(day=TruncDate("arrived_at"))  # the WIB date (TIME_ZONE)


def _add(cells) -> None:
    """Add the grouped `cells` queryset (day_cells) to ArrivalTally, in one statement."""
    table = connection.ops.quote_name(ArrivalTally._meta.db_table)
    sql, params = cells.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, destination_district, origin_province, checkpoint_id, arrivals, isolated) "
            f"SELECT c.day, c.district, c.province, c.checkpoint_id, c.n, c.isolated FROM ({sql}) c WHERE 1 = 1 "
            "ON CONFLICT (day, destination_district, origin_province, checkpoint_id) DO UPDATE SET "
            f"arrivals = {table}.arrivals + excluded.arrivals, isolated = {table}.isolated + excluded.isolated",
            params,
        )


def tally_day(day: date) -> bool:
    """Add every arrival of `day` to the tallies, once; False when the day was already tallied (or is not over)."""
    if day >= timezone.localdate():
        return False
    with transaction.atomic():
        # The marker first: a concurrent tally of the same day waits on it, then finds it there.
        _marker, created = TallyDay.objects.using("default").get_or_create(day=day)
        if created:
            _add(day_cells(_on(Arrival.objects.all(), day)))
    return created


def tally_days(days) -> int:
    """Tally each of `days` that is over and not yet tallied; the number tallied now."""
    days = set(days)
    done = set(TallyDay.objects.using("default").filter(day__in=days).values_list("day", flat=True))
    return sum(tally_day(day) for day in sorted(days - done))


def tally_until(last: date, *, first: date | None = None) -> int:
    """Tally every day from `first` (default: the first arrival's day) to `last` that is not yet tallied."""
    if first is None:
        earliest = Arrival.objects.order_by("arrived_at").values_list("arrived_at", flat=True).first()
        if earliest is None:
            return 0
        first = timezone.localdate(earliest)
    return tally_days(first + timedelta(days=i) for i in range((last - first).days + 1))


def tally_loaded(arrivals) -> int:
    """Count `arrivals` just bulk-loaded (generate_arrivals) in two passes rather than one per day:
    every day that is over and not yet tallied, whole; and `arrivals` on days already tallied.
    The number of days tallied now."""
    before_today = Arrival.objects.filter(arrived_at__lt=local_midnight(timezone.localdate()))
    with transaction.atomic():
        done = set(TallyDay.objects.using("default").values_list("day", flat=True))
        _add(day_cells(_with_day(before_today).exclude(day__in=done)))
        if done:
            _add(day_cells(_with_day(arrivals & before_today).filter(day__in=done)))
        days = set(ArrivalTally.objects.using("default").values_list("day", flat=True).distinct()) - done
        TallyDay.objects.using("default").bulk_create([TallyDay(day=day) for day in days], ignore_conflicts=True)
    return len(days)


def arrivals_late_tallied(*, arrivals) -> None:
    """Arrivals registered on days already tallied (backlog, a late queue) are added to them.
    Practice arrivals never are: tallies count real arrivals only."""
    today = timezone.localdate()
    days = {arrival.pk: timezone.localdate(arrival.arrived_at) for arrival in arrivals if not arrival.practice}
    past = {day for day in days.values() if day < today}
    if not past:
        return
    tallied = set(TallyDay.objects.using("default").filter(day__in=past).values_list("day", flat=True))
    late = [pk for pk, day in days.items() if day in tallied]
    if late:
        _add(day_cells(Arrival.objects.filter(pk__in=late)))


def tallies_within(codes, *, first: date, last: date):
    """ArrivalTally rows of the days `first`..`last` bound for `codes` (regions at district level or above)."""
    return ArrivalTally.objects.filter(code_within("destination_district", codes), day__gte=first, day__lte=last)


def tallies_serve(codes, sub_codes) -> bool:
    """Whether an overview of `codes` broken down by `sub_codes` can be read from the tallies (district or above)."""
    return bool(codes) and all(code_level(code) <= Region.Level.DISTRICT for code in [*codes, *sub_codes])
