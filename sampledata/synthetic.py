"""Realistic synthetic arrivals for benchmarks and demos: `manage.py generate_arrivals`.

On PostgreSQL the rows are made by the server itself (INSERT … SELECT over generate_series),
so ten million arrivals take minutes, not hours; elsewhere they are made in Python and
bulk-inserted. Names come from Faker's id_ID lists plus Minangkabau names; NIKs are valid
(registration district, birth date with +40 for women, serial); origins lean toward the
neighbouring provinces; destinations are skewed across the home province's villages; a
mudik spike sits in the last weeks. Arrivals told to isolate get an isolation order (closed early
now and then), the orders running in the last weeks get their daily checks (a few missed, some
failed), and some failed checks a report to the police.
"""

import random
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from checkpoints.models import Checkpoint
from followup.models import Check, IsolationOrder, ViolationReport
from followup.tallies import tally_checks
from monitoring.tallies import tally_loaded
from regions.models import Region
from travellers.models import Arrival, Person, TravelStop

MINANG_MALE = [
    "Afrizal", "Asrul", "Azwar", "Dedi", "Efendi", "Erizal", "Fauzi", "Firdaus", "Hendri", "Irwandi",
    "Jasman", "Nasrul", "Nofrizal", "Rizal", "Syafri", "Yulizar", "Yusrizal", "Zulkifli", "Zulfahmi", "Buyung",
]  # fmt: skip
MINANG_FEMALE = [
    "Asmarni", "Desmawati", "Efriyanti", "Elvi", "Erlinda", "Fitri", "Mardiana", "Nofita", "Nurhayati",
    "Rahmi", "Rosmaniar", "Suci", "Yenni", "Yulia", "Yusnimar", "Upik", "Rosnidar", "Syafrida",
]  # fmt: skip
MINANG_FAMILY = [
    "Chaniago", "Piliang", "Tanjung", "Koto", "Jambak", "Sikumbang", "Caniago", "Melayu", "Guci",
    "Panyalai", "Bendang", "Sumpadang", "Sutan", "Datuak", "Malin", "Bagindo",
]  # fmt: skip
STREETS = [
    "Sudirman", "Ahmad Yani", "Diponegoro", "Hamka", "Khatib Sulaiman", "Sutan Syahrir", "Veteran",
    "Bagindo Aziz Chan", "Imam Bonjol", "Perintis Kemerdekaan", "Raya Padang–Bukittinggi", "Lintas Sumatera",
]  # fmt: skip
NEIGHBOURS = {"12", "14", "15", "17"}  # Sumatera Utara, Riau, Jambi, Bengkulu
JAVA = {"31", "32", "33", "34", "35", "36"}
PURPOSE_WEIGHTS = [
    ("homecoming", 45), ("work", 15), ("logistics", 15), ("family", 12), ("official", 5), ("health", 3), ("other", 5),
]  # fmt: skip
TRANSPORT_WEIGHTS = [
    ("car", 40), ("motorcycle", 15), ("bus", 15), ("travel", 12), ("truck", 12), ("plane", 5), ("other", 1),
]  # fmt: skip
BIRTH_SPAN_DAYS = 21900  # 1950 to 2009
# Person number g is spread over (district, birth date) by multiplying with a prime modulo
# their product: a permutation, so NIKs stay unique while looking evenly spread.
SCRAMBLE = 2654435761
SPIKE_SHARE = 0.15
SPIKE_DAYS = 14
ISOLATION_DAYS = 14
CLOSED_EARLY_SHARE = 0.03
CHECKS_WINDOW_DAYS = 7  # checks for orders running now or ended within this many days
CHECK_DONE_TODAY = 0.6  # the rest are due: the due list has work on it
AT_HOME = 0.97
REPORTED_SHARE = 0.3  # of the failed checks
ISOLATION_REASON = "Datang dari luar provinsi (data sintetis)"


# Common Indonesian names, so the demo (sampledata/demo.py) needs no Faker (a dev requirement).
INDONESIAN_MALE = [
    "Agus", "Andi", "Bambang", "Budi", "Dedy", "Eko", "Fajar", "Hadi", "Hendra", "Iwan", "Joko", "Rudi",
    "Slamet", "Teguh", "Wahyu", "Yudi", "Arief", "Bayu", "Dimas", "Gilang", "Ilham", "Reza", "Rizky", "Taufik",
]  # fmt: skip
INDONESIAN_FEMALE = [
    "Ani", "Dewi", "Fitriani", "Indah", "Kartini", "Lestari", "Maya", "Nur", "Putri", "Ratna", "Sari", "Sri",
    "Tuti", "Wati", "Yanti", "Ayu", "Dian", "Intan", "Lina", "Mega", "Novi", "Rina", "Sinta", "Wulan",
]  # fmt: skip
INDONESIAN_FAMILY = [
    "Saputra", "Hidayat", "Siregar", "Nasution", "Lubis", "Harahap", "Simanjuntak", "Pratama", "Wijaya",
    "Kurniawan", "Setiawan", "Hasibuan", "Rangkuti", "Syahputra", "Gunawan", "Permana",
]  # fmt: skip


def names(*, faker=True):
    """First names by sex and family names: Faker's Indonesian lists (unless faker=False) plus
    common Indonesian and Minangkabau names."""
    male = set(MINANG_MALE) | set(INDONESIAN_MALE)
    female = set(MINANG_FEMALE) | set(INDONESIAN_FEMALE)
    family = set(MINANG_FAMILY) | set(INDONESIAN_FAMILY)
    if faker:
        from faker.providers.person.id_ID import Provider

        male |= set(Provider.first_names_male)
        female |= set(Provider.first_names_female)
        family |= set(Provider.last_names_male) | set(Provider.last_names_female)
    return sorted(male), sorted(female), sorted(family)


@dataclass
class Pools:
    villages: list  # (id, code), shuffled: skew picks the first ones more often
    origins: list  # (id, outside) repeated by weight
    districts: list  # (digits, regency id) where NIKs were issued
    checkpoints: list  # ids
    stats: dict = field(default_factory=dict)


def build_pools(rng):
    home = settings.SIPANTAU_PROVINCE
    villages = list(Region.objects.current().within(home).filter(level=Region.Level.VILLAGE).values_list("id", "code"))
    if not villages:
        raise ValueError("No villages: run load_regions first.")
    rng.shuffle(villages)
    origins = []
    for region_id, code in Region.objects.current().filter(level=Region.Level.REGENCY).values_list("id", "code"):
        province = code.split(".")[0]
        weight = 12 if province in NEIGHBOURS else 3 if province in JAVA else 1 if province != home else 0
        origins += [(region_id, province != home)] * weight
    regency_ids = dict(Region.objects.filter(level=Region.Level.REGENCY).values_list("code", "id"))
    districts = [
        (code.replace(".", ""), regency_ids[code.rsplit(".", 1)[0]])
        for code in Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", flat=True)
        if code.split(".")[0] in NEIGHBOURS | JAVA | {home}
    ]
    checkpoints = list(Checkpoint.objects.values_list("id", flat=True))
    if not checkpoints:
        raise ValueError("No checkpoints: run seed_demo or add checkpoints first.")
    return Pools(villages=villages, origins=origins, districts=districts, checkpoints=checkpoints)


def generate(*, count, seed=2020, chunk=500_000, now=None, out=None):
    """Add `count` synthetic arrivals (and their people and travel stops); return timing stats."""
    now = now or timezone.now()
    rng = random.Random(seed)
    pools = build_pools(rng)
    started = time.monotonic()
    last_pk = Arrival.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_check = Check.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if connection.vendor == "postgresql":
        _generate_postgresql(count=count, seed=seed, chunk=chunk, now=now, pools=pools, out=out)
    else:
        _generate_python(count=count, rng=rng, now=now, pools=pools)
    # The overviews read past days from the daily tallies, as on a running system (tallies.py).
    pools.stats["tallied_days"] = tally_loaded(Arrival.objects.filter(pk__gt=last_pk))
    if out:
        out(f"tallied {pools.stats['tallied_days']} days")
    # And the follow-up figures' visits, recounted from the first day the load added one to.
    first_check = Check.objects.filter(pk__gt=last_check).aggregate(first=Min("day"))["first"]
    if first_check is not None:
        tally_checks(first_check)
    pools.stats["seconds"] = time.monotonic() - started
    return pools.stats


def _weighted_sql(pairs, column="random()"):
    """A CASE expression picking a value by weight from one uniform draw."""
    total = sum(w for _, w in pairs)
    cases, upto = [], 0
    for value, weight in pairs[:-1]:
        upto += weight
        cases.append(f"WHEN {column} < {upto / total:.6f} THEN '{value}'")
    return f"(CASE {' '.join(cases)} ELSE '{pairs[-1][0]}' END)"


def _generate_postgresql(*, count, seed, chunk, now, pools, out):
    male, female, family = names()
    persons = max(1, int(count * 0.8))  # one in five arrivals is a returning traveller
    n_districts = len(pools.districts)
    with connection.cursor() as cursor, _bulk_load(cursor, out):
        cursor.execute("SELECT setseed(%s)", [((seed % 1000) / 1000.0)])
        cursor.execute("DROP TABLE IF EXISTS syn_village, syn_origin, syn_district, syn_checkpoint")
        cursor.execute(
            "CREATE TEMP TABLE syn_village (idx int PRIMARY KEY, id bigint, code text);"
            "CREATE TEMP TABLE syn_origin (idx int PRIMARY KEY, id bigint, outside bool);"
            "CREATE TEMP TABLE syn_district (idx int PRIMARY KEY, digits text, regency_id bigint);"
            "CREATE TEMP TABLE syn_checkpoint (idx int PRIMARY KEY, id bigint);"
        )
        cursor.executemany(
            "INSERT INTO syn_village VALUES (%s, %s, %s)", [(i, v, c) for i, (v, c) in enumerate(pools.villages)]
        )
        cursor.executemany(
            "INSERT INTO syn_origin VALUES (%s, %s, %s)", [(i, o, out_) for i, (o, out_) in enumerate(pools.origins)]
        )
        cursor.executemany(
            "INSERT INTO syn_district VALUES (%s, %s, %s)", [(i, d, r) for i, (d, r) in enumerate(pools.districts)]
        )
        cursor.executemany("INSERT INTO syn_checkpoint VALUES (%s, %s)", list(enumerate(pools.checkpoints)))

        params = {
            "male": male,
            "female": female,
            "family": family,
            "streets": STREETS,
            "nd": n_districts,
            "scramble": SCRAMBLE,
            "span": BIRTH_SPAN_DAYS,
            "now": now,
            "spike": SPIKE_SHARE,
            "spike_days": SPIKE_DAYS,
            "nv": len(pools.villages),
            "no": len(pools.origins),
            "nc": len(pools.checkpoints),
        }
        cursor.execute("SELECT coalesce(max(id), 0) FROM travellers_person")
        person_base = cursor.fetchone()[0]
        # Offset the NIK sequence by what is already there, so a second run adds new people.
        cursor.execute("SELECT count(*) FROM travellers_person WHERE id_type = 'nik'")
        nik_offset = cursor.fetchone()[0]

        def log(message):
            if out:
                out(message)

        for start in range(1, persons + 1, chunk):
            end = min(start + chunk - 1, persons)
            with transaction.atomic():
                cursor.execute(PERSON_SQL, {**params, "start": start + nik_offset, "end": end + nik_offset})
            log(f"people {end:,}/{persons:,}")
        cursor.execute("SELECT min(id), max(id), count(*) FROM travellers_person WHERE id > %s", [person_base])
        pmin, pmax, pcount = cursor.fetchone()
        if pmax - pmin + 1 != pcount:
            raise RuntimeError("Person ids are not contiguous; run the generator on a quiet database.")
        params.update(pmin=pmin, persons=pcount)

        today = timezone.localdate(now)
        followup = {
            "today": today,
            "days": ISOLATION_DAYS,
            "reason": ISOLATION_REASON,
            "closed": CLOSED_EARLY_SHARE,
            "window": today - timedelta(days=CHECKS_WINDOW_DAYS),
            "done_today": CHECK_DONE_TODAY,
            "at_home": AT_HOME,
            "reported": REPORTED_SHARE,
            "now": now,
        }
        for start in range(1, count + 1, chunk):
            end = min(start + chunk - 1, count)
            with transaction.atomic():
                marks = {}
                for table in ("travellers_arrival", "followup_isolationorder", "followup_check"):
                    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
                    marks[table] = cursor.fetchone()[0]
                cursor.execute(ARRIVAL_SQL, {**params, "start": start, "end": end})
                cursor.execute(TRAVELSTOP_SQL, {"after": marks["travellers_arrival"], "no": params["no"]})
                cursor.execute(ORDER_SQL, {**followup, "after": marks["travellers_arrival"]})
                cursor.execute(CHECK_SQL, {**followup, "after": marks["followup_isolationorder"]})
                cursor.execute(LAST_VISIT_SQL, {"after": marks["followup_isolationorder"]})
                cursor.execute(REPORT_SQL, {**followup, "after": marks["followup_check"]})
            log(f"arrivals {end:,}/{count:,}")
        cursor.execute("DROP TABLE syn_village, syn_origin, syn_district, syn_checkpoint")
        # VACUUM sets the visibility map, so index-only scans (the counts) work from the start;
        # inside a transaction (tests) only ANALYZE is allowed.
        analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        for table in BULK_TABLES:
            cursor.execute(f"{analyze} {table}")
    pools.stats.update(persons=pcount, arrivals=count)


BULK_TABLES = (
    "travellers_person",
    "travellers_arrival",
    "travellers_travelstop",
    "followup_isolationorder",
    "followup_check",
    "followup_violationreport",
)


@contextmanager
def _bulk_load(cursor, out):
    """Load without per-row index upkeep and FK triggers, then rebuild: the usual bulk-load recipe.

    Secondary indexes (not those backing constraints) are dropped and re-created from their own
    definitions; FK triggers are skipped only where the role may (superuser), since the rows are
    consistent by construction. Commits are asynchronous: synthetic data, nothing to lose.
    """
    cursor.execute("SET synchronous_commit = off")
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [list(BULK_TABLES)],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    superuser = cursor.fetchone()[0]
    if superuser:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if superuser:
            cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        started = time.monotonic()
        for _name, definition in indexes:
            cursor.execute(definition)
        if out:
            out(f"{len(indexes)} indexes rebuilt in {time.monotonic() - started:.1f} s")
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("SET synchronous_commit = on")


PERSON_SQL = """
INSERT INTO travellers_person
    (id_type, id_number, nationality, name, sex, birth_date, phone, home_address, home_region_id,
     created_at, updated_at)
SELECT 'nik',
       d.digits
         || lpad((extract(day FROM s.bd)::int + CASE WHEN s.sx = 'P' THEN 40 ELSE 0 END)::text, 2, '0')
         || to_char(s.bd, 'MMYY')
         || lpad((1 + (s.g / (%(nd)s * %(span)s)) %% 9999)::text, 4, '0'),
       'ID',
       CASE WHEN s.sx = 'L'
            THEN (%(male)s::text[])[1 + floor(random() * array_length(%(male)s::text[], 1))::int]
            ELSE (%(female)s::text[])[1 + floor(random() * array_length(%(female)s::text[], 1))::int] END
         || ' ' || (%(family)s::text[])[1 + floor(random() * array_length(%(family)s::text[], 1))::int],
       s.sx,
       s.bd,
       '+628' || (1 + floor(random() * 9))::int || lpad(floor(random() * 100000000)::int::text, 8, '0'),
       'Jl. ' || (%(streets)s::text[])[1 + floor(random() * array_length(%(streets)s::text[], 1))::int]
         || ' No. ' || (1 + floor(random() * 200))::int,
       d.regency_id,
       %(now)s, %(now)s
FROM (
    SELECT g, h,
           CASE WHEN random() < 0.5 THEN 'L' ELSE 'P' END AS sx,
           date '1950-01-01' + ((h / %(nd)s) %% %(span)s)::int AS bd
    FROM generate_series(%(start)s::bigint, %(end)s::bigint) AS g,
         LATERAL (SELECT (g * %(scramble)s) %% (%(nd)s::bigint * %(span)s) AS h) AS scrambled
) s
JOIN syn_district d ON d.idx = s.h %% %(nd)s
"""

ARRIVAL_SQL = f"""
INSERT INTO travellers_arrival
    (entry_key, person_id, entered_name, checkpoint_id, officer_id, arrived_at, origin_id, origin_place,
     destination_id, destination_code, destination_address, purpose, transport, plate, vehicle_group,
     vehicle_role, temperature, symptoms, isolation_required, created_at, updated_at)
SELECT gen_random_uuid(), p.id, p.name,
       c.id, NULL, s.at, o.id, '', v.id, v.code,
       'Jl. ' || (%(streets)s::text[])[1 + floor(random() * array_length(%(streets)s::text[], 1))::int]
         || ' No. ' || (1 + floor(random() * 200))::int,
       {_weighted_sql(PURPOSE_WEIGHTS)},
       {_weighted_sql(TRANSPORT_WEIGHTS)},
       CASE WHEN random() < 0.8
            THEN chr(65 + floor(random() * 26)::int) || ' ' || (1000 + floor(random() * 9000))::int
                 || ' ' || chr(65 + floor(random() * 26)::int) || chr(65 + floor(random() * 26)::int)
            ELSE '' END,
       NULL, '',
       round((35.8 + random() * 1.8)::numeric, 1),
       CASE WHEN random() < 0.03 THEN '["demam"]'::jsonb ELSE '[]'::jsonb END,
       o.outside,
       s.at, s.at
FROM (
    SELECT g,
           CASE WHEN g <= %(persons)s THEN %(pmin)s + g - 1
                ELSE %(pmin)s + floor(random() * %(persons)s)::bigint END AS pid,
           CASE WHEN random() < %(spike)s
                THEN %(now)s::timestamptz - interval '20 days' - random() * %(spike_days)s * interval '1 day'
                ELSE %(now)s::timestamptz - random() * interval '365 days' END AS at,
           floor(power(random(), 2.2) * %(nv)s)::int AS vi,
           floor(random() * %(no)s)::int AS oi,
           floor(random() * %(nc)s)::int AS ci
    FROM generate_series(%(start)s::bigint, %(end)s::bigint) AS g
) s
JOIN travellers_person p ON p.id = s.pid
JOIN syn_village v ON v.idx = s.vi
JOIN syn_origin o ON o.idx = s.oi
JOIN syn_checkpoint c ON c.idx = s.ci
"""

TRAVELSTOP_SQL = """
INSERT INTO travellers_travelstop (arrival_id, region_id, place, date_from, date_to)
SELECT a.id, o.id, '', f.date_from, f.date_from + floor(random() * 3)::int
FROM travellers_arrival a
CROSS JOIN LATERAL (
    SELECT (a.arrived_at AT TIME ZONE 'Asia/Jakarta')::date - (3 + floor(random() * 10))::int AS date_from,
           floor(random() * %(no)s)::int AS oi,
           random() AS r
) f
JOIN syn_origin o ON o.idx = f.oi
WHERE a.id > %(after)s AND f.r < 0.35
"""


# One order per arrival told to isolate, from its local arrival day; a few closed early.
ORDER_SQL = """
INSERT INTO followup_isolationorder
    (person_id, arrival_id, destination_code, reason, start_date, days, end_date, state, created_at)
SELECT a.person_id, a.id, a.destination_code, %(reason)s, f.start, %(days)s, f.start + %(days)s,
       CASE WHEN random() < %(closed)s THEN 'closed' ELSE 'active' END, a.arrived_at
FROM travellers_arrival a
CROSS JOIN LATERAL (SELECT (a.arrived_at AT TIME ZONE 'Asia/Jakarta')::date AS start) f
WHERE a.id > %(after)s AND a.isolation_required
"""

# A check for every past day of the orders running lately, and for today on most of them.
# random() stays in the row's own expressions: in a LATERAL without outer references it is drawn once.
CHECK_SQL = """
INSERT INTO followup_check (order_id, day, at_home, symptoms, temperature, note, checked_by_id, checked_at)
SELECT o.id, d.day::date, random() < %(at_home)s, '[]'::jsonb, round((35.8 + random() * 1.4)::numeric, 1), '', NULL,
       d.day + interval '9 hours' + random() * interval '8 hours'
FROM followup_isolationorder o
CROSS JOIN LATERAL generate_series(o.start_date, least(o.end_date - 1, %(today)s::date), interval '1 day') AS d(day)
WHERE o.id > %(after)s AND o.state = 'active' AND o.end_date > %(window)s
  AND (d.day::date < %(today)s::date OR random() < %(done_today)s)
"""

# Each new order's last visit day (IsolationOrder.last_checked_on), set here while the triggers
# sleep: tally_checks after the load then finds it right and writes nothing.
LAST_VISIT_SQL = """
UPDATE followup_isolationorder o SET last_checked_on = c.last
FROM (SELECT order_id, max(day) AS last FROM followup_check WHERE order_id > %(after)s GROUP BY order_id) c
WHERE o.id = c.order_id
"""

# Some failed checks were reported to the village police; the older ones handled.
REPORT_SQL = """
INSERT INTO followup_violationreport
    (order_id, failed_check_id, destination_code, recipient, state, description, action_taken, raised_by_id,
     raised_at)
SELECT c.order_id, c.id, o.destination_code, 'police',
       CASE WHEN c.day < %(today)s::date - 2 THEN 'closed'
            WHEN c.day < %(today)s::date THEN 'acknowledged' ELSE 'open' END,
       'Tidak berada di rumah saat pemantauan (data sintetis).', '', NULL, c.checked_at
FROM followup_check c
JOIN followup_isolationorder o ON o.id = c.order_id
WHERE c.id > %(after)s AND NOT c.at_home AND random() < %(reported)s
"""


def _nik(rng, districts, g, sex):
    h = (g * SCRAMBLE) % (len(districts) * BIRTH_SPAN_DAYS)
    digits, regency_id = districts[h % len(districts)]
    born = date(1950, 1, 1) + timedelta(days=(h // len(districts)) % BIRTH_SPAN_DAYS)
    day = born.day + (40 if sex == "P" else 0)
    serial = 1 + (g // (len(districts) * BIRTH_SPAN_DAYS)) % 9999
    return f"{digits}{day:02d}{born:%m%y}{serial:04d}", born, regency_id


def _pick(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


@transaction.atomic
def _generate_python(*, count, rng, now, pools):
    male, female, family = names()
    existing = Person.objects.filter(id_type="nik").count()
    persons = []
    for g in range(existing + 1, existing + max(1, int(count * 0.8)) + 1):
        sex = rng.choice("LP")
        nik, born, regency_id = _nik(rng, pools.districts, g, sex)
        first = rng.choice(male if sex == "L" else female)
        persons.append(
            Person(
                id_number=nik,
                name=f"{first} {rng.choice(family)}",
                sex=sex,
                birth_date=born,
                phone=f"+628{rng.randint(1, 9)}{rng.randint(0, 99999999):08d}",
                home_address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
                home_region_id=regency_id,
            )
        )
    persons = Person.objects.bulk_create(persons, batch_size=2000)
    arrivals, stops = [], []
    for g in range(count):
        person = persons[g] if g < len(persons) else rng.choice(persons)
        if rng.random() < SPIKE_SHARE:
            at = now - timedelta(days=20 + rng.random() * SPIKE_DAYS)
        else:
            at = now - timedelta(days=rng.random() * 365)
        village_id, village_code = pools.villages[int(rng.random() ** 2.2 * len(pools.villages))]
        origin_id, outside = rng.choice(pools.origins)
        arrivals.append(
            Arrival(
                entry_key=uuid.uuid4(),  # never repeated, even for the same seed
                person=person,
                entered_name=person.name,
                checkpoint_id=rng.choice(pools.checkpoints),
                arrived_at=at,
                origin_id=origin_id,
                destination_id=village_id,
                destination_code=village_code,
                destination_address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
                purpose=_pick(rng, PURPOSE_WEIGHTS),
                transport=_pick(rng, TRANSPORT_WEIGHTS),
                temperature=round(35.8 + rng.random() * 1.8, 1),
                symptoms=["demam"] if rng.random() < 0.03 else [],
                isolation_required=outside,
            )
        )
    arrivals = Arrival.objects.bulk_create(arrivals, batch_size=2000)
    for arrival in arrivals:
        if rng.random() < 0.35:
            start = timezone.localtime(arrival.arrived_at).date() - timedelta(days=3 + rng.randint(0, 9))
            stops.append(
                TravelStop(
                    arrival=arrival,
                    region_id=rng.choice(pools.origins)[0],
                    date_from=start,
                    date_to=start + timedelta(days=rng.randint(0, 2)),
                )
            )
    TravelStop.objects.bulk_create(stops, batch_size=2000)
    _followup_python(rng=rng, now=now, arrivals=arrivals)
    pools.stats.update(persons=len(persons), arrivals=len(arrivals))


def _followup_python(*, rng, now, arrivals):
    """The same isolation orders, checks and reports as the PostgreSQL path, made in Python."""
    today = timezone.localdate(now)
    window = today - timedelta(days=CHECKS_WINDOW_DAYS)
    orders = []
    for arrival in arrivals:
        if not arrival.isolation_required:
            continue
        start = timezone.localtime(arrival.arrived_at).date()
        state = IsolationOrder.State.CLOSED_EARLY if rng.random() < CLOSED_EARLY_SHARE else IsolationOrder.State.ACTIVE
        orders.append(
            IsolationOrder(
                person_id=arrival.person_id,
                arrival=arrival,
                destination_code=arrival.destination_code,
                reason=ISOLATION_REASON,
                start_date=start,
                days=ISOLATION_DAYS,
                end_date=start + timedelta(days=ISOLATION_DAYS),
                state=state,
            )
        )
    orders = IsolationOrder.objects.bulk_create(orders, batch_size=2000)
    checks = []
    for order in orders:
        if order.state != IsolationOrder.State.ACTIVE or order.end_date <= window:
            continue
        day = order.start_date
        while day < order.end_date and day <= today:
            if day < today or rng.random() < CHECK_DONE_TODAY:
                checks.append(
                    Check(
                        order=order,
                        day=day,
                        at_home=rng.random() < AT_HOME,
                        temperature=round(35.8 + rng.random() * 1.4, 1),
                        checked_at=timezone.make_aware(datetime.combine(day, dtime(9))),
                    )
                )
            day += timedelta(days=1)
    checks = Check.objects.bulk_create(checks, batch_size=2000)
    reports = []
    for check in checks:
        if check.at_home or rng.random() >= REPORTED_SHARE:
            continue
        state = "closed" if check.day < today - timedelta(days=2) else "acknowledged" if check.day < today else "open"
        reports.append(
            ViolationReport(
                order=check.order,
                failed_check=check,
                destination_code=check.order.destination_code,
                recipient=ViolationReport.Recipient.POLICE,
                state=state,
                description="Tidak berada di rumah saat pemantauan (data sintetis).",
                raised_at=check.checked_at,
            )
        )
    ViolationReport.objects.bulk_create(reports, batch_size=2000)
