"""On PostgreSQL, the follow-up figures' plans read the orders in force and the window's visits,
never the orders and visits of the months before (docs/followup.md, "Figures")."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from followup.models import Check, IsolationOrder
from followup.summary import followup_summary

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]


@pytest.fixture
def history(regions):
    """A year of synthetic arrivals with their orders, visits and reports, with fresh statistics."""
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("generate_arrivals", count=4000, seed=3, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def rows_read(plan, table):
    """Rows the plan's scans of `table` looked at (kept and filtered out), over every loop."""
    read = 0
    if plan.get("Relation Name") == table:
        loops = plan.get("Actual Loops", 1)
        read += (plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0)) * loops
        read += plan.get("Rows Removed by Index Recheck", 0)
    for child in plan.get("Plans", []):
        read += rows_read(child, table)
    return read


def test_the_figures_read_the_window_not_the_history(history):
    province = User.objects.get(username="provinsi")
    today = timezone.localdate()
    in_force = IsolationOrder.objects.filter(end_date__gt=today).count()
    recent_visits = Check.objects.filter(day__gte=today - timezone.timedelta(days=1)).count()
    assert IsolationOrder.objects.count() > 5 * in_force  # the history is most of the table
    with CaptureQueriesContext(connection) as captured:
        followup_summary(province)
    reads = {"followup_isolationorder": 0, "followup_check": 0}
    with connection.cursor() as cursor:
        # Small tables invite a sequential scan whatever the indexes; this asks whether the indexes
        # give a plan bounded by the window (on a large table the planner takes it by cost).
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in captured:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                raw = cursor.fetchone()[0]
                plan = (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]
                for table in reads:
                    reads[table] = max(reads[table], rows_read(plan, table))
        finally:
            cursor.execute("RESET enable_seqscan")
    # Per query: the orders in force (plus the few that start later), and two days' visits per order.
    assert reads["followup_isolationorder"] <= 2 * in_force + 20, (reads, in_force)
    assert reads["followup_check"] <= 2 * recent_visits + 20, (reads, recent_visits)
