"""In-process measurements of SIPANTAU's key operations against honest baselines of the same data.

Imported after django.setup() (by bench/run.py in a child process per database, or by the CI
test on the test database). Every page goes through Django's test client as a demo account.
The region lists, the NIK search and the overviews run interleaved, run by run, with their two
baselines (bench/baseline.py): the data query alone, written by hand, and a bare Django page
listing the same rows and columns (no login, Django's default middleware). Each gets wall time
and Python CPU per request (time.process_time). The other operations are compared with a replay
of the page's own data SELECTs, the session, user, permission and 2FA reads left out.
"""

import cProfile
import csv
import functools
import io
import json
import os
import pstats
import random
import re
import time
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.client import ClientHandler
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from bench import baseline
from bench.harness import Sample, peak_memory_mb, percentile
from bench.report import missed

DEMO_USERS = ("provinsi", "kabkota", "camat", "lurah", "petugas")
# The demo accounts' areas (seed_demo): the bare pages take theirs from the URL.
AREAS = {"provinsi": "13", "kabkota": "13.71", "camat": "13.71.01"}
# Per-request reads that are not the page's data (left out of the replay baseline).
OVERHEAD_TABLES = ('"django_session"', '"accounts_user', '"auth_', '"otp_', '"django_content_type"')


def load_average():
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


@functools.cache
def entry_destination():
    """Where the bench's entries go: a village of the province outside Kota Padang, whose lists are
    measured, so the bench never piles its own submits into the "today" it measures."""
    from regions.models import Region

    village = (
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=settings.SIPANTAU_PROVINCE + ".")
        .exclude(code__startswith=AREAS["kabkota"] + ".")
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    return village or "13.71.01.1002"


def prepare(size, *, out=print):
    """Migrate, seed the demo accounts and fill up to `size` arrivals (reused when already there)."""
    from monitoring.tallies import tally_until
    from sampledata.synthetic import generate
    from travellers.models import Arrival

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)  # rate limits and sessions' cache live there
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    have = Arrival.objects.count()
    stats = {"reused": have, "added": 0, "seconds": 0.0}
    # Arrivals made by earlier bench runs (entry submits) count too: a filled database is reused.
    if have < size:
        result = generate(count=size - have, out=out)
        stats.update(added=result["arrivals"], seconds=round(result["seconds"], 1))
    # Databases filled before the daily tallies existed: count their past days now (once).
    started = time.monotonic()
    stats["tallied_days"] = tally_until(timezone.localdate() - timedelta(days=1))
    stats["tally_seconds"] = round(time.monotonic() - started, 1)
    # Fresh planner statistics, as autovacuum keeps them on a live system: earlier runs' entry
    # submits and imports add thousands of today's arrivals the statistics have not seen.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return stats


def _consume(response):
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass


def _selects(captured):
    """The reads among captured statements; server-side cursors (DECLARE … FOR SELECT) as plain SELECTs."""
    reads = []
    for query in captured:
        sql = query["sql"].lstrip()
        if sql.startswith("DECLARE "):
            sql = sql.split(" FOR ", 1)[1]
        if sql[:6].upper() in ("SELECT", "WITH "):
            reads.append((sql, float(query["time"] or 0)))
    return reads


def raw_replay(statements):
    """Run `statements` on Django's own psycopg2 connection and fetch every row; the DB's share."""
    connection.ensure_connection()
    raw = connection.connection
    rows = 0
    with raw.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            rows += len(cursor.fetchall())
    return rows


def profile_text(func, limit=18):
    """The top of a cProfile run of `func`, by own time (where the time goes)."""
    profiler = cProfile.Profile()
    profiler.enable()
    func()
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(limit)
    lines = [line for line in buffer.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(lines[start : start + limit + 1])


def explain(sql):
    """EXPLAIN (ANALYZE, BUFFERS) of one captured statement, on the raw connection."""
    with connection.connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _data_reads(reads):
    """The page's own data reads: session, user, permission and 2FA look-ups left out."""
    return [(sql, spent) for sql, spent in reads if not any(table in sql for table in OVERHEAD_TABLES)]


def measure_request(name, do, *, repeat, memory=False, note=""):
    """Time `do()` (returns a response) repeat times (wall and CPU), count its queries, replay its data SELECTs."""
    connection.queries_log.clear()  # a full log (9,000 entries) would make every count 0
    if not memory:
        _consume(do())  # the warm-up request, not counted (exports are too long to run twice here)
    with CaptureQueriesContext(connection) as captured:
        response = do()
        _consume(response)
    assert response.status_code in (200, 201), (name, response.status_code, response.content[:300])
    sample = Sample(name=name, queries=len(captured), note=note)
    reads = _data_reads(_selects(captured))
    statements = [sql for sql, _time in reads]
    sample.cpu_times = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        _consume(do())
        sample.times.append((time.perf_counter() - started) * 1000)
        sample.cpu_times.append((time.process_time() - cpu) * 1000)
    if statements:
        raw_replay(statements)  # warm
        for _ in range(repeat):
            started = time.perf_counter()
            sample.rows = raw_replay(statements)
            sample.raw_times.append((time.perf_counter() - started) * 1000)
    if memory:
        sample.peak_mb = peak_memory_mb(lambda: _consume(do()))
    slowest = max(reads, key=lambda read: read[1], default=("", 0))[0]
    extra = {"statements": statements, "slowest_sql": slowest, "filename": response.get("Content-Disposition", "")}
    return sample, extra


class BareHandler(ClientHandler):
    """The test client's handler for the bare pages: the bench's URLconf, Django's default middleware."""

    def get_response(self, request):
        request.urlconf = "bench.baseline_urls"
        return super().get_response(request)


def bare_client():
    """A test client on the bare pages, in the same process as the project's (no login, no session)."""
    client = Client()
    handler = BareHandler(enforce_csrf_checks=False)
    with override_settings(MIDDLEWARE=baseline.DEFAULT_MIDDLEWARE):
        handler.load_middleware()  # loaded once: the project's settings stay in force for everything else
    client.handler = handler
    return client


def _rows_of(data):
    return sum(len(v) for v in data.values()) if isinstance(data, dict) else len(data)


class StatementLog:
    """Every statement run while installed (connection.execute_wrapper), as sent, with its time.

    Counted at the cursor, not from connection.queries_log: that log is a deque of 9,000 that
    every request start empties, so its counts can come out as 0."""

    def __init__(self):
        self.captured = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sent = getattr(context["cursor"].cursor, "query", None)
            sql = sent.decode() if isinstance(sent, bytes) else sql
            self.captured.append({"sql": sql, "time": f"{time.perf_counter() - started:.6f}"})

    def __len__(self):
        return len(self.captured)


def measure_baselined(name, page, bare, data, *, repeat):
    """The page, its bare Django page and its data query alone, interleaved run by run.

    Wall time and Python CPU (time.process_time) per request for each; queries per request for
    the two pages; the load average when done."""
    page_queries, bare_queries = StatementLog(), StatementLog()
    _consume(page())  # the warm-up request (a new process reads its catalogues here), not counted
    with connection.execute_wrapper(page_queries):
        response = page()
        _consume(response)
    assert response.status_code == 200, (name, response.status_code, response.content[:300])
    with connection.execute_wrapper(bare_queries):
        response = bare()
        _consume(response)
    assert response.status_code == 200, (name, "bare", response.status_code, response.content[:300])
    rows = _rows_of(data())
    runs = {"page": ([], []), "bare": ([], []), "data": ([], [])}
    steps = (("page", lambda: _consume(page())), ("bare", lambda: _consume(bare())), ("data", data))
    for _ in range(repeat):
        for key, func in steps:
            started, cpu = time.perf_counter(), time.process_time()
            func()
            runs[key][0].append((time.perf_counter() - started) * 1000)
            runs[key][1].append((time.process_time() - cpu) * 1000)
    figures = {}
    for key, (wall, cpu) in runs.items():
        figures[f"{key}_p50"], figures[f"{key}_p95"] = percentile(wall, 50), percentile(wall, 95)
        figures[f"{key}_cpu_p50"] = percentile(cpu, 50)
    slowest = max(_data_reads(_selects(page_queries.captured)), key=lambda read: read[1], default=("", 0))[0]
    return {
        "p50": figures["page_p50"],
        "p95": figures["page_p95"],
        "cpu_p50": figures["page_cpu_p50"],
        "queries": len(page_queries),
        "bare_p50": figures["bare_p50"],
        "bare_p95": figures["bare_p95"],
        "bare_cpu_p50": figures["bare_cpu_p50"],
        "bare_queries": len(bare_queries),
        "raw_p50": figures["data_p50"],  # the data query alone
        "raw_p95": figures["data_p95"],
        "raw_rows": rows,
        "ratio": figures["page_p50"] / figures["data_p50"] if figures["data_p50"] else None,
        "bare_ratio": figures["page_p50"] / figures["bare_p50"] if figures["bare_p50"] else None,
        "cpu_ratio": figures["page_cpu_p50"] / figures["bare_cpu_p50"] if figures["bare_cpu_p50"] else None,
        "load": load_average(),
        "statements": len(page_queries),
        "slowest_sql": slowest[:4000],
        "baselined": True,
    }


def peak_day(code):
    """The busiest day of the last year for `code` (the generator's mudik spike): the peak day's row."""
    today = timezone.localdate()
    rows = baseline._fetch(
        "SELECT (arrived_at AT TIME ZONE 'Asia/Jakarta')::date AS day, count(*) FROM travellers_arrival "
        "WHERE destination_code LIKE %s AND arrived_at >= %s AND arrived_at < %s GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
        [code + ".%", baseline.day_bounds(today - timedelta(days=364))[0], baseline.day_bounds(today)[0]],
    )
    return rows[0][0] if rows else today - timedelta(days=1)


def normal_day(code):
    """The normal day the "today" rows measure: today, or yesterday while today (WIB) holds less than a
    page for `code` yet (a run just after midnight WIB would otherwise time an empty list)."""
    today = timezone.localdate()
    start, end = baseline.day_bounds(today)
    rows = baseline._fetch(
        "SELECT count(*) FROM (SELECT 1 FROM travellers_arrival WHERE destination_code LIKE %s"
        " AND arrived_at >= %s AND arrived_at < %s LIMIT 50) t",
        [code + ".%", start, end],
    )
    return today if rows[0][0] >= 50 else today - timedelta(days=1)


def _clients():
    """A signed-in client per demo account; task forces as after their second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from accounts.roles import is_privileged

    clients = {}
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        if is_privileged(user):
            device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        clients[username] = client
    return clients


def _export_range(province):
    """(dari, rows): the first day from which the province has about 100,000 arrivals (fewer if smaller)."""
    from travellers.models import Arrival

    ordered = Arrival.objects.visible_to(province).order_by("-arrived_at", "-id")
    row = ordered.values_list("arrived_at", flat=True)[99_999:100_000].first()
    first = timezone.localdate(row) if row else timezone.localdate() - timedelta(days=364)
    return first


def _deep_cursor(user, since, depth):
    from monitoring.paging import cursor_for
    from travellers.models import Arrival

    scoped = Arrival.objects.visible_to(user).filter(arrived_at__gte=timezone.make_aware(since))
    arrival = scoped.order_by("-arrived_at", "-id").only("arrived_at")[depth - 1 : depth].first()
    return cursor_for(arrival)


def entry_payload(rng, destination=None):
    """One valid traveller for the JSON API, with a NIK no generated person has (serial ≥ 2)."""
    sex = rng.choice("LP")
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(15000))
    day = born.day + (40 if sex == "P" else 0)
    nik = f"137101{day:02d}{born:%m%y}{rng.randrange(2, 10000):04d}"
    destination = destination or entry_destination()
    today = timezone.localdate()
    return {
        "entry_key": str(uuid.uuid4()),
        "id_type": "nik",
        "id_number": nik,
        "name": rng.choice(["Rina", "Budi", "Siti", "Afrizal", "Yenni"]) + " " + rng.choice(["Koto", "Piliang"]),
        "sex": sex,
        "birth_date": born.isoformat(),
        "phone": "0812-3456-7890",
        "home_address": "Jl. Gatot Subroto 12, Jambi",
        "home_region": "15.71",
        "origin": "15.71",
        "origin_place": "Terminal Alam Barajo",
        "destination": destination,
        "destination_address": "Jl. Sutan Syahrir No. 5",
        "purpose": "family",
        "transport": "car",
        "plate": "BH 1234 AB",
        "temperature": "36.5",
        "symptoms": [],
        "travel_stops": [
            {
                "region": "15.71",
                "place": "Rumah",
                "date_from": (today - timedelta(days=10)).isoformat(),
                "date_to": today.isoformat(),
            }
        ],
    }


def raw_entry(rng):
    """The rows an entry writes (person, arrival, travel stop, isolation order), in one raw transaction."""
    body = entry_payload(rng)
    destination = body["destination"]
    raw = connection.connection
    begin, end = ("BEGIN", "COMMIT") if raw.autocommit else ("SAVEPOINT bench_raw", "RELEASE SAVEPOINT bench_raw")
    now = timezone.now()
    with raw.cursor() as cursor:
        cursor.execute(begin)
        cursor.execute("SELECT id FROM regions_region WHERE code = ANY(%s)", [["15.71", destination]])
        cursor.fetchall()
        cursor.execute(
            "SELECT id FROM travellers_person WHERE id_type = 'nik' AND id_number = %s AND NOT practice",
            [body["id_number"]],
        )
        cursor.fetchall()
        cursor.execute(
            "INSERT INTO travellers_person (id_type, id_number, nationality, name, sex, birth_date, phone,"
            " home_address, created_at, updated_at) VALUES ('nik', %s, 'ID', %s, %s, %s, %s, %s, %s, %s)"
            # A NIK an earlier run stored already (the bench database is reused): a returning traveller.
            " ON CONFLICT (id_type, id_number, practice) DO UPDATE SET updated_at = EXCLUDED.updated_at RETURNING id",
            [body["id_number"], body["name"], body["sex"], body["birth_date"], body["phone"],
             body["home_address"], now, now],
        )  # fmt: skip
        person = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO travellers_arrival (entry_key, person_id, entered_name, checkpoint_id, arrived_at,"
            " origin_id, origin_place, destination_id, destination_code, destination_address, purpose, transport,"
            " plate, vehicle_role, temperature, symptoms, isolation_required, created_at, updated_at)"
            " SELECT %s, %s, %s, (SELECT min(id) FROM checkpoints_checkpoint), %s, o.id, '', d.id, d.code, '',"
            " 'family', 'car', '', '', 36.5, '[]', true, %s, %s"
            " FROM regions_region o, regions_region d WHERE o.code = '15.71' AND d.code = %s RETURNING id",
            [body["entry_key"], person, body["name"], now, now, now, destination],
        )
        arrival = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO travellers_travelstop (arrival_id, region_id, place, date_from, date_to)"
            " SELECT %s, id, '', current_date - 10, current_date FROM regions_region WHERE code = '15.71'",
            [arrival],
        )
        cursor.execute(
            "INSERT INTO followup_isolationorder (person_id, arrival_id, destination_code, reason, start_date,"
            " days, end_date, state, created_at) VALUES (%s, %s, %s, 'bench', current_date, 14,"
            " current_date + 14, 'active', %s)",
            [person, arrival, destination, now],
        )
        cursor.execute(end)


def measure_all(*, repeat=20, export_repeat=3, profile=True, skip=(), out=print):
    """Every operation of the issue's table: a dict name -> figures (JSON-ready)."""
    from accounts.models import User
    from travellers.models import Arrival, Person

    clients = _clients()
    province = User.objects.get(username="provinsi")
    kabkota = User.objects.get(username="kabkota")
    today = timezone.localdate()
    year_ago = today - timedelta(days=364)
    yesterday = today - timedelta(days=1)  # "today" is short just after midnight WIB; yesterday is a full day
    total = Arrival.objects.visible_to(province).filter(arrived_at__date__gte=year_ago).count()
    depth = min(2000 * 50, max(50, total - 50))  # CI's small tables: as deep as they go
    deep = _deep_cursor(province, timezone.datetime.combine(year_ago, timezone.datetime.min.time()), depth)
    export_from = _export_range(province)
    rng = random.Random(time.time_ns())  # new NIKs each run: entries stay real inserts on a reused database
    in_regency = Arrival.objects.visible_to(kabkota).select_related("person").order_by("-id").first()
    nik = in_regency.person.id_number
    first, last = in_regency.person.name.split()[:2]
    typo = f"{first} {last[:-1]}{'a' if last[-1] != 'a' else 'i'}"
    entry_url = reverse("travellers:api_arrival_create")
    list_url = reverse("monitoring:arrival_list")
    export_q = f"?dari={export_from.isoformat()}"
    peak = peak_day(AREAS["kabkota"])
    day = normal_day(AREAS["kabkota"])
    # The list opens on today; when "today" is yesterday the same view is asked for that day.
    day_q = "" if day == today else f"?dari={day}&sampai={day}"
    day_name = "today" if day == today else f"a normal day {day:%d-%m-%Y} (today WIB has barely begun)"
    regency, district, province_code = AREAS["kabkota"], AREAS["camat"], AREAS["provinsi"]
    # name -> (bare page URL, the data query alone): the operations measured against both baselines.
    baselines = {
        "region_today_regency": (
            f"/bare/region/{regency}/?day={day}",
            lambda: baseline.data_region_day(regency, day),
        ),
        "region_peak_regency": (
            f"/bare/region/{regency}/?day={peak}",
            lambda: baseline.data_region_day(regency, peak),
        ),
        "region_today_district": (
            f"/bare/region/{district}/?day={day}",
            lambda: baseline.data_region_day(district, day),
        ),
        "nik_search": (f"/bare/nik/{regency}/{nik}/", lambda: baseline.data_nik(regency, nik)),
        "overview_regency": (f"/bare/overview/{regency}/", lambda: baseline.data_overview(regency, today)),
        "overview_province": (
            f"/bare/overview/{province_code}/",
            lambda: baseline.data_overview(province_code, today),
        ),
    }
    bare = bare_client()
    ops = [
        (
            "region_today_regency",
            "kabkota",
            f"{list_url}{day_q}",
            f"arrival list, {day_name}, Kota Padang (kab/kota user)",
        ),
        (
            "region_peak_regency",
            "kabkota",
            f"{list_url}?dari={peak}&sampai={peak}",
            f"arrival list, peak (mudik) day {peak:%d-%m-%Y}, Kota Padang",
        ),
        (
            "region_day_regency",
            "kabkota",
            f"{list_url}?dari={yesterday}&sampai={yesterday}",
            "arrival list, yesterday (a whole day), Kota Padang",
        ),
        ("region_today_district", "camat", f"{list_url}{day_q}", f"arrival list, {day_name}, one kecamatan (camat)"),
        ("overview_regency", "kabkota", reverse("monitoring:overview"), "overview, Kota Padang"),
        ("overview_province", "provinsi", reverse("monitoring:overview"), "overview, whole province"),
        ("list_page_1", "provinsi", f"{list_url}?dari={year_ago}", "list, one year, page 1 (province)"),
        (
            "list_page_2000",
            "provinsi",
            f"{list_url}?dari={year_ago}&setelah={deep}",
            f"list, one year, page {depth // 50 + 1:,} (keyset)",
        ),
        ("nik_search", "kabkota", f"{list_url}?q={nik}", "NIK search (exact), kab/kota user"),
        ("name_search", "kabkota", f"{list_url}?q={typo.replace(' ', '%20')}", "fuzzy name search with a typo"),
        ("due_list", "lurah", reverse("followup:checks_due"), "isolation checks due today, wali nagari/lurah"),
        (
            "followup_overview",
            "kabkota",
            reverse("followup:followup_overview"),
            "follow-up figures (isolation, checks, reports), Kota Padang",
        ),
        ("csv_export", "provinsi", reverse("monitoring:arrival_export_csv") + export_q, "CSV export"),
        ("xlsx_export", "provinsi", reverse("monitoring:arrival_export_xlsx") + export_q, "XLSX export"),
    ]
    results = {}
    for name, username, url, label in ops:
        if name in skip:
            continue
        client = clients[username]
        export = "export" in name
        out(f"  {name} (load {load_average()}) …")
        if name in baselines:
            bare_url, data = baselines[name]
            results[name] = measure_baselined(
                name, lambda c=client, u=url: c.get(u), lambda u=bare_url: bare.get(u), data, repeat=repeat
            )
            results[name].update(label=label, url=url, bare_url=bare_url, user=username)
            if profile and (profile == "all" or missed(name, results)):
                results[name]["profile"] = profile_text(lambda c=client, u=url: _consume(c.get(u)))
                sql = results[name]["slowest_sql"]
                results[name]["explain"] = explain(sql) if sql else ""
            continue
        sample, extra = measure_request(
            name, lambda c=client, u=url: c.get(u), repeat=export_repeat if export else repeat, memory=export
        )
        results[name] = _figures(sample, label, url, extra) | {"user": username}
        if export:
            # The row count the export names its file with (the COPY path's rows never reach Python).
            named = re.search(r"_(\d+)-baris\.", extra.get("filename", ""))
            results[name]["export_rows"] = int(named.group(1)) if named else sample.rows
            if name == "csv_export" and connection.vendor == "postgresql":
                copies = []
                for _ in range(export_repeat):
                    started = time.perf_counter()
                    results[name]["copy_rows"] = copy_baseline(province, export_from)
                    copies.append((time.perf_counter() - started) * 1000)
                results[name]["copy_p50"] = percentile(copies, 50)
        # Profiles only where a goal is missed (a cProfile'd 100k-row XLSX takes minutes); CI forces all.
        if profile and not (export and profile == "pages") and (profile == "all" or missed(name, results)):
            results[name]["profile"] = profile_text(lambda c=client, u=url: _consume(c.get(u)))
            results[name]["explain"] = explain(extra["slowest_sql"]) if extra["slowest_sql"] else ""
    if "entry_submit" not in skip:
        officer = clients["petugas"]

        def submit():
            return officer.post(entry_url, json.dumps(entry_payload(rng)), content_type="application/json")

        out("  entry_submit …")
        sample, extra = measure_request("entry_submit", submit, repeat=repeat)
        sample.raw_times = []
        raw_entry(rng)
        for _ in range(repeat):
            started = time.perf_counter()
            raw_entry(rng)
            sample.raw_times.append((time.perf_counter() - started) * 1000)
        results["entry_submit"] = _figures(sample, "entry submit (JSON API, officer)", entry_url, extra)
        if profile and (profile == "all" or missed("entry_submit", results)):
            results["entry_submit"]["profile"] = profile_text(submit)
            results["entry_submit"]["explain"] = ""
    if "import_rows" not in skip:
        out("  import_rows …")
        results["import_rows"] = measure_import(rng)
    results["_meta"] = {
        "arrivals": Arrival.objects.count(),
        "people": Person.objects.count(),
        "province_year_rows": total,
        "deep_row": depth,
        "export_from": export_from.isoformat(),
        "repeat": repeat,
        "export_repeat": export_repeat,
        "debug": settings.DEBUG,
        "peak_day": peak.isoformat(),
        "normal_day": day.isoformat(),
        "entry_destination": entry_destination(),
    }
    return results


IMPORT_ROWS = 2000  # the paper backlog takes 5,000 rows per file; 100k rows is 20 such files


def measure_import(rng, rows=IMPORT_ROWS):
    """The paper backlog: a CSV of `rows` valid rows read and stored by the import service, as the
    import page does it (batch, then chunks of 100 rows, each row validated like the entry form)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from travellers.imports import CHUNK, HEADERS, import_batch_create, import_batch_process

    officer = User.objects.get(username="petugas")
    when = timezone.localtime() - timedelta(days=2)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    for i in range(rows):
        person = entry_payload(rng)
        at = (when - timedelta(minutes=i)).strftime("%d-%m-%Y %H:%M")
        cells = dict.fromkeys(HEADERS, "")
        cells.update(
            waktu_tiba=at,
            jenis_identitas="NIK",
            nomor_identitas=person["id_number"],
            nama=person["name"],
            kode_daerah_asal="15.71",
            moda="Mobil pribadi",
            kode_tujuan=person["destination"],
            alamat_tujuan="Jl. Sutan Syahrir 5",
            keperluan="Pulang kampung / mudik",
            suhu="36,5",
        )
        writer.writerow([cells[h] for h in HEADERS])
    upload = SimpleUploadedFile("backlog.csv", text.getvalue().encode())
    started = time.perf_counter()
    with transaction.atomic():
        batch = import_batch_create(officer=officer, upload=upload)
    while batch.processed < len(batch.rows):
        batch = import_batch_process(batch=batch, officer=officer, limit=CHUNK)
    seconds = time.perf_counter() - started
    bulk_rows, bulk_seconds = bulk_insert_baseline([entry_payload(rng) for _ in range(rows)], when)
    return {
        "label": f"import of {rows:,} paper rows (CSV, officer)",
        "bulk_seconds": round(bulk_seconds, 3),
        "bulk_rows_per_second": round(bulk_rows / bulk_seconds, 1),
        "rows": rows,
        "stored": batch.stored,
        "failed": batch.failed,
        "duplicates": batch.duplicates,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds, 1),
        "projected_100k_seconds": round(100_000 / (rows / seconds), 1),
        "first_errors": [e["messages"] for e in batch.report if e["status"] == "error"][:3],
    }


def bulk_insert_baseline(bodies, when):
    """The import's baseline: the same rows (person, arrival, travel stop, isolation order) written by
    hand-made bulk INSERTs (execute_values) in one transaction, nothing validated: (rows, seconds)."""
    from psycopg2.extras import execute_values

    bodies = list({b["id_number"]: b for b in bodies}.values())  # one row per person, as ON CONFLICT needs
    destination = bodies[0]["destination"]
    raw = connection.connection
    begin, end = ("BEGIN", "COMMIT") if raw.autocommit else ("SAVEPOINT bench_bulk", "RELEASE SAVEPOINT bench_bulk")
    now = timezone.now()
    started = time.perf_counter()
    with raw.cursor() as cursor:
        cursor.execute(begin)
        cursor.execute("SELECT code, id FROM regions_region WHERE code = ANY(%s)", [["15.71", destination]])
        ids = dict(cursor.fetchall())
        cursor.execute("SELECT min(id) FROM checkpoints_checkpoint")
        post = cursor.fetchone()[0]
        people = execute_values(
            cursor,
            "INSERT INTO travellers_person (id_type, id_number, nationality, name, sex, birth_date, phone,"
            " home_address, created_at, updated_at, practice) VALUES %s"
            " ON CONFLICT (id_type, id_number, practice) DO UPDATE SET updated_at = EXCLUDED.updated_at RETURNING id",
            [("nik", b["id_number"], "ID", b["name"], b["sex"], b["birth_date"], b["phone"], b["home_address"],
              now, now, False) for b in bodies],
            fetch=True,
        )  # fmt: skip
        arrivals = execute_values(
            cursor,
            "INSERT INTO travellers_arrival (entry_key, person_id, entered_name, checkpoint_id, arrived_at,"
            " origin_id, origin_place, destination_id, destination_code, destination_address, purpose, transport,"
            " plate, vehicle_role, temperature, symptoms, isolation_required, created_at, updated_at, practice)"
            " VALUES %s RETURNING id, person_id",
            [(b["entry_key"], person, b["name"], post, when, ids["15.71"], "", ids[destination], destination,
              b["destination_address"], "family", "car", "", "", 36.5, "[]", True, now, now, False)
             for b, (person,) in zip(bodies, people, strict=True)],
            fetch=True,
        )  # fmt: skip
        execute_values(
            cursor,
            "INSERT INTO travellers_travelstop (arrival_id, region_id, place, date_from, date_to) VALUES %s",
            [(arrival, ids["15.71"], "", when.date() - timedelta(days=10), when.date()) for arrival, _ in arrivals],
        )
        execute_values(
            cursor,
            "INSERT INTO followup_isolationorder (person_id, arrival_id, destination_code, reason, start_date,"
            " days, end_date, state, created_at, practice) VALUES %s",
            [(person, arrival, destination, "bench", when.date(), 14, when.date() + timedelta(days=14), "active",
              now, False) for arrival, person in arrivals],
        )  # fmt: skip
        cursor.execute(end)
    return len(bodies), time.perf_counter() - started


def copy_baseline(user, since):
    """The CSV export's baseline: COPY of the same rows (the export's own scoped, filtered query and
    columns, unformatted) to a temporary file; the bytes written."""
    import tempfile

    from django.db.models import F

    from followup.summary import with_isolation_state
    from monitoring.exports import _COPY_COLUMNS
    from monitoring.filters import ArrivalFilterForm
    from travellers.models import Arrival

    form = ArrivalFilterForm({"dari": since.isoformat()}, user=user)
    assert form.is_valid(), form.errors
    arrivals = with_isolation_state(form.filters().apply(Arrival.objects.visible_to(user)), user)
    columns = {alias: F(field) for alias, field in _COPY_COLUMNS.items()}
    query = arrivals.order_by("-arrived_at", "-id").values(**columns)
    sql, params = query.query.sql_with_params()
    with tempfile.TemporaryFile() as sink, connection.cursor() as cursor:
        statement = cursor.mogrify(sql, params).decode()
        cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)", sink)
        return sink.tell()


def _figures(sample, label, url, extra):
    return {
        "label": label,
        "url": url,
        "p50": sample.p50,
        "p95": sample.p95,
        "raw_p50": sample.raw_p50,
        "raw_p95": percentile(sample.raw_times, 95) if sample.raw_times else None,
        "ratio": sample.ratio,
        "queries": sample.queries,
        "peak_mb": sample.peak_mb,
        "raw_rows": sample.rows,
        "cpu_p50": percentile(sample.cpu_times, 50) if sample.cpu_times else None,
        "load": load_average(),
        "statements": len(extra["statements"]),
        "slowest_sql": extra["slowest_sql"][:4000],
    }


def load_sessions():
    """Session cookies (and a CSRF secret) for the load tests: made here, used by wrk and locust."""
    from django.middleware.csrf import _get_new_csrf_string

    clients = _clients()
    sessions = {name: client.cookies[settings.SESSION_COOKIE_NAME].value for name, client in clients.items()}
    return {
        "sessions": sessions,
        "csrf": _get_new_csrf_string(),
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "destination": entry_destination(),
    }
