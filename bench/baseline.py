"""Honest baselines for the pages the benchmark measures (bench only; never routed by the app).

(a) The data query alone: written by hand, only the columns the page shows, run on the psycopg2
    connection under Django and every row fetched (`data_*`).
(b) A bare Django page: a minimal view and a plain template listing the same rows and columns,
    no login, Django's default middleware only (bench/baseline_settings.py and
    bench/baseline_urls.py; in-process the measure swaps them in with override_settings).

Areas are given by region code in the URL: the bare page has no account to take them from.
"""

from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.template.backends.django import DjangoTemplates
from django.utils import timezone

# Django's `startproject` middleware, as of 5.2: what a bare Django page pays for anyway.
DEFAULT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Django's default template engine with `startproject`'s context processors, the bench's templates first.
BARE_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]
PAGE = 50
_engine = None


def render(request, name, context):
    """django.shortcuts.render on the bare engine (its own templates, whatever the settings in force)."""
    global _engine
    if _engine is None:
        config = BARE_TEMPLATES[0]
        _engine = DjangoTemplates({"NAME": "bare", **{k: v for k, v in config.items() if k != "BACKEND"}})
    return HttpResponse(_engine.get_template(name).render(context, request))


def day_bounds(day):
    """[start, end) of a WIB day as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _within(code):
    """The LIKE pattern of the codes inside `code` (containment is a code prefix)."""
    return code + ".%"


# ---- (a) the data query alone -----------------------------------------------------------------

# The region list's columns: time, name, document (masked in Python), origin, destination, post,
# and the isolation state (newest order of the arrival, else the arrival's own flag).
_ROWS = """
SELECT a.id, a.arrived_at, p.name, p.id_type, p.id_number, o.name, d.name, c.name,
       io.state, io.end_date, a.isolation_required
FROM travellers_arrival a
JOIN travellers_person p ON p.id = a.person_id
JOIN regions_region o ON o.id = a.origin_id
JOIN regions_region d ON d.id = a.destination_id
JOIN checkpoints_checkpoint c ON c.id = a.checkpoint_id
LEFT JOIN LATERAL (
    SELECT state, end_date FROM followup_isolationorder i WHERE i.arrival_id = a.id
    ORDER BY i.end_date DESC, i.id DESC LIMIT 1
) io ON true
WHERE {where}
ORDER BY a.arrived_at DESC, a.id DESC
LIMIT %s
"""


# The column that stores an arrival's destination cut at a code's width (travellers 0008): the best
# plan for an area's newest arrivals is one walk down its (column, arrived_at, id) index.
AREA_COLUMNS = {5: "regency_code", 8: "district_code", 13: "village_code"}


def data_region_day(code, day):
    """The first page of arrivals bound for `code` on `day`, as the region list shows them."""
    start, end = day_bounds(day)
    if len(code) in AREA_COLUMNS:
        where = f"a.{AREA_COLUMNS[len(code)]} = %s AND a.arrived_at >= %s AND a.arrived_at < %s"
        return _fetch(_ROWS.format(where=where), [code, start, end, PAGE])
    where = "a.destination_code LIKE %s AND a.arrived_at >= %s AND a.arrived_at < %s"
    return _fetch(_ROWS.format(where=where), [_within(code), start, end, PAGE])


def data_nik(code, nik):
    """Arrivals of the document `nik` bound for `code`, as the NIK search lists them."""
    where = "a.person_id IN (SELECT id FROM travellers_person WHERE id_type = 'nik' AND id_number = %s)"
    where += " AND a.destination_code LIKE %s"
    return _fetch(_ROWS.format(where=where), [nik, _within(code), PAGE])


def data_overview(code, today, days=14):
    """The overview's figures for `code`: arrivals today / 7 / `days` days, per day, per post, per origin."""
    since, _end = day_bounds(today - timedelta(days=days - 1))
    _start, end = day_bounds(today)
    base = "FROM travellers_arrival a WHERE a.destination_code LIKE %s AND a.arrived_at >= %s AND a.arrived_at < %s"
    params = [_within(code), since, end]
    with_origin = base.replace("WHERE", "JOIN regions_region o ON o.id = a.origin_id WHERE")
    return {
        "per_day": _fetch(
            f"SELECT (a.arrived_at AT TIME ZONE 'Asia/Jakarta')::date AS day, count(*) {base} GROUP BY 1 ORDER BY 1",
            params,
        ),
        "per_post": _fetch(
            f"SELECT c.name, n FROM (SELECT a.checkpoint_id, count(*) AS n {base} GROUP BY 1) t "
            "JOIN checkpoints_checkpoint c ON c.id = t.checkpoint_id ORDER BY n DESC",
            params,
        ),
        "per_origin": _fetch(
            f"SELECT r.name, n FROM (SELECT left(o.code, 2) AS province, count(*) AS n {with_origin} "
            "GROUP BY 1) t JOIN regions_region r ON r.code = t.province ORDER BY n DESC LIMIT 10",
            params,
        ),
    }


def _fetch(sql, params):
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# ---- (b) the bare Django page -----------------------------------------------------------------


def _rows(arrivals):
    from followup.models import IsolationOrder

    newest = IsolationOrder.objects.filter(arrival=OuterRef("pk")).order_by("-end_date", "-id")
    return (
        arrivals.order_by("-arrived_at", "-id")
        .annotate(order_state=Subquery(newest.values("state")[:1]), order_end=Subquery(newest.values("end_date")[:1]))
        .values(
            "pk",
            "arrived_at",
            "person__name",
            "person__id_number",
            "origin__name",
            "destination__name",
            "checkpoint__name",
            "order_state",
            "order_end",
            "isolation_required",
        )[:PAGE]
    )


def bare_region(request, code):
    """The arrivals bound for `code` on ?day= (today by default): the region list's rows, plain."""
    from travellers.models import Arrival

    day = request.GET.get("day")
    day = datetime.strptime(day, "%Y-%m-%d").date() if day else timezone.localdate()
    start, end = day_bounds(day)
    area = (
        {AREA_COLUMNS[len(code)]: code} if len(code) in AREA_COLUMNS else {"destination_code__startswith": code + "."}
    )
    arrivals = Arrival.objects.filter(**area, arrived_at__gte=start, arrived_at__lt=end)
    return render(request, "bench/rows.html", {"rows": _rows(arrivals), "today": timezone.localdate()})


def bare_nik(request, code, nik):
    """The arrivals of one NIK bound for `code`: the NIK search's rows, plain."""
    from travellers.models import Arrival

    arrivals = Arrival.objects.filter(
        destination_code__startswith=code + ".", person__id_type="nik", person__id_number=nik
    )
    return render(request, "bench/rows.html", {"rows": _rows(arrivals), "today": timezone.localdate()})


def bare_overview(request, code):
    """The overview's figures for `code`, plain: counts per day, per post, per origin province."""
    from django.db.models import Count
    from django.db.models.functions import Left, TruncDate

    from travellers.models import Arrival

    today = timezone.localdate()
    since, _end = day_bounds(today - timedelta(days=13))
    _start, end = day_bounds(today)
    arrivals = Arrival.objects.filter(
        destination_code__startswith=code + ".", arrived_at__gte=since, arrived_at__lt=end
    )
    context = {
        "per_day": arrivals.annotate(day=TruncDate("arrived_at")).values("day").annotate(n=Count("id")).order_by("day"),
        "per_post": arrivals.values("checkpoint__name").annotate(n=Count("id")).order_by("-n"),
        "per_origin": arrivals.annotate(province=Left("origin__code", 2))
        .values("province")
        .annotate(n=Count("id"))
        .order_by("-n")[:10],
    }
    return render(request, "bench/overview.html", context)
