"""Visits per day and order destination, kept in CheckTally for the follow-up figures.

The figures show the checks of the last isolation period and how many found the traveller at
home. Counting them from the checks reads every visit of that window and joins each to its
order for the area (at 1M arrivals: 440,000 visits, 620 ms for the province), and the window
holds more visits the more travellers there are. The tally holds one row per day and
destination that had a visit, so the figures read at most (days × destinations) rows.

Kept where checks are written (services.py): a recorded visit adds itself; an order whose
destination is corrected moves its visits from the old code to the new one. A purge leaves the
tally alone (aggregates outlive the personal data). `manage.py tally_checks` recounts days from
the checks themselves (after a bulk load, or to repair); sampledata runs it after its loads.

The figures' due and overdue orders (no visit today; none yesterday either) are the running
orders' too, and the running orders grow with the traffic. Each order keeps the day of its
latest visit (IsolationOrder.last_checked_on, written with the visit), so those counts are read
from the in-force index alone rather than looking up each running order's visits;
`tally_checks` sets it again from the visits along with the tallies.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import Check, CheckTally, IsolationOrder


def _add(rows) -> None:
    """Add (day, destination_code, checks, at_home) rows to CheckTally, one statement each."""
    table = connection.ops.quote_name(CheckTally._meta.db_table)
    with connection.cursor() as cursor:
        for day, code, checks, at_home in rows:
            cursor.execute(
                f"INSERT INTO {table} (day, destination_code, checks, at_home) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (day, destination_code) DO UPDATE SET "
                f"checks = {table}.checks + excluded.checks, at_home = {table}.at_home + excluded.at_home",
                [day, code, checks, at_home],
            )


def check_tallied(*, check: Check, destination_code: str) -> None:
    """A visit just recorded on an order bound for `destination_code` is added to its day (a
    practice visit never is: tallies count real work only)."""
    if check.practice:
        return
    _add([(check.day, destination_code, 1, int(check.at_home))])


def _per_day(checks, *also):
    """Visits and visits at home per day (and per `also` fields) of `checks`."""
    return checks.order_by().values("day", *also).annotate(n=Count("pk"), home=Count("pk", filter=Q(at_home=True)))


def checks_moved(*, order, old_code: str) -> None:
    """The visits of `order` now count for its new destination, no longer for `old_code`."""
    if old_code == order.destination_code or order.practice:
        return
    rows = list(_per_day(Check.objects.filter(order=order)))
    for row in rows:  # never below zero, should the old cell have been recounted meanwhile
        CheckTally.objects.filter(day=row["day"], destination_code=old_code).update(
            checks=Greatest(F("checks") - row["n"], 0), at_home=Greatest(F("at_home") - row["home"], 0)
        )
    _add([(row["day"], order.destination_code, row["n"], row["home"]) for row in rows])


def last_visits(first: date | None = None) -> int:
    """Set each order's last visit day from its visits, in both modes: the orders visited from
    `first` on (default: every order, unvisited ones cleared); the number of orders set."""
    visits = Check._base_manager.filter(order=OuterRef("pk"))
    latest = visits.order_by().values("order").annotate(last=Max("day")).values("last")
    # Only the orders whose day is wrong: a bulk load that set it finds nothing to write.
    wrong = (
        Q(last_checked_on__isnull=True, latest__isnull=False)
        | Q(last_checked_on__isnull=False, latest__isnull=True)
        | Q(last_checked_on__lt=F("latest"))
        | Q(last_checked_on__gt=F("latest"))
    )
    orders = IsolationOrder._base_manager.alias(latest=Subquery(latest)).filter(wrong)
    if first is not None:
        orders = orders.filter(Exists(visits.filter(day__gte=first)))
    return orders.update(last_checked_on=Subquery(latest))


@transaction.atomic
def tally_checks(first: date | None = None) -> int:
    """Recount the tallies of every day from `first` (default: the first visit) from the checks, and
    the visited orders' last visit day; tally rows written."""
    last_visits(first)
    if first is None:
        first = Check.objects.order_by("day").values_list("day", flat=True).first()
        if first is None:
            return 0
    CheckTally.objects.filter(day__gte=first).delete()
    rows = _per_day(Check.objects.filter(day__gte=first), "order__destination_code")
    tallies = [
        CheckTally(
            day=row["day"], destination_code=row["order__destination_code"], checks=row["n"], at_home=row["home"]
        )
        for row in rows
    ]
    CheckTally.objects.bulk_create(tallies, batch_size=5000)
    return len(tallies)


def recent_first() -> date:
    """The first day `tally_checks --terkini` recounts: the figures' window (one isolation period) and a day more."""
    return timezone.localdate() - timedelta(days=settings.SIPANTAU_ISOLATION_DAYS + 1)
