"""A living province for demos: a month of arrivals with their follow-up (`manage.py seed_demo_activity`).

Every day of the last DAYS days (today up to now) gets its arrivals once: each arrival's entry_key
is derived from its day and number, so a day already there is skipped and running the command
again adds nothing twice (a later run adds the days that passed since). The demo accounts' own
area (Kecamatan Padang Selatan, Alang Laweh, Kampung Tangah) gets a share of the travellers so every
demo account lands on a page with content; the rest spread over the province as generate_arrivals
spreads them. Only the standard library: the demo runs on requirements.txt alone (no Faker).
"""

import random
import uuid
from datetime import datetime, timedelta
from datetime import time as dtime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.access import local_midnight
from accounts.models import User
from checkpoints.models import Checkpoint
from followup import services
from followup.models import (
    ArrivalConfirmation,
    Check,
    DigestSubscription,
    IsolationEvent,
    IsolationOrder,
    ViolationReport,
    ViolationReportEvent,
)
from followup.tallies import tally_checks
from monitoring.tallies import tally_loaded
from regions.models import Region, code_at_level, code_level
from travellers.models import Arrival, Person, TravelStop

from .synthetic import (
    ISOLATION_DAYS,
    PURPOSE_WEIGHTS,
    STREETS,
    TRANSPORT_WEIGHTS,
    _nik,
    _pick,
    build_pools,
    names,
)

DAYS = 30
PER_DAY = 80
NAMESPACE = uuid.UUID("5b1f3c2e-7a7d-4c55-9a0e-2f1d0c5a2020")
HOME_POST = "dharmasraya-jambi"  # the demo officer's post
ALANG_LAWEH, BELAKANG_PONDOK, TANGAH = "13.71.01.1002", "13.71.01.1001", "13.71.01.1002.01"
# Where a share of the travellers go (prefix, share): the demo accounts' areas, innermost first.
FOCUS = [(TANGAH, 0.03), (ALANG_LAWEH, 0.05), (BELAKANG_PONDOK, 0.03), ("13.71.01", 0.04), ("13.71", 0.08)]
VILLAGE_TEAM = ["lurah", "kampung", "babinsa", "bhabin"]
EXEMPT_PURPOSES = {"logistics", "health"}  # the exemption categories of 2020: drivers, health workers
# Daily checks for every order in Kota Padang (the demo accounts' city); elsewhere for the last
# few days only, which is what the lists show, and keeps the seed to a few seconds.
FULL_CHECKS = "13.71"
RECENT_CHECK_DAYS = 2
DEMO_ACCOUNTS = ["provinsi", "kabkota", "camat", "lurah", "kampung", "babinsa", "bhabin"]


def entry_key(day, number):
    """The arrival's entry_key: the same day and number always give the same key."""
    return uuid.uuid5(NAMESPACE, f"{day.isoformat()}:{number}")


@transaction.atomic
def demo_activity_seed(*, now=None, days=DAYS, per_day=PER_DAY) -> dict:
    """Add the demo's arrivals for each of the last `days` days not seeded yet, with their follow-up."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pools = build_pools(random.Random(2020))
    focus = _focus_destinations()
    users = {u.username: u for u in User.objects.filter(username__in=[*VILLAGE_TEAM, "petugas"])}
    home_post = Checkpoint.objects.filter(code=HOME_POST).values_list("id", flat=True).first()
    new = []
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        if Arrival.objects.filter(entry_key=entry_key(day, 0)).exists():
            continue
        rng = random.Random(day.toordinal())
        new += _arrivals_of(
            day, now=now, rng=rng, per_day=per_day, pools=pools, focus=focus, users=users, home_post=home_post
        )
    _follow_up(new, now=now, users=users)
    tallied = tally_loaded(Arrival.objects.filter(pk__in=[a.pk for a in new])) if new else 0
    _showcase(now=now, users=users)
    for username in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is not None:
            DigestSubscription.objects.get_or_create(user=user)
    return {"arrivals": len(new), "tallied_days": tallied}


def _focus_destinations():
    """(prefix, share, [(id, code)]) for each focus area that exists (the hamlet is a destination too)."""
    current = Region.objects.current()
    focus = []
    for prefix, share in FOCUS:
        if code_level(prefix) >= Region.Level.VILLAGE:
            rows = list(current.filter(code=prefix).values_list("id", "code"))
        else:
            rows = list(current.within(prefix).filter(level=Region.Level.VILLAGE).values_list("id", "code"))
        if rows:
            focus.append((share, rows))
    return focus


def _arrivals_of(day, *, now, rng, per_day, pools, focus, users, home_post):
    """One day's travellers: people, arrivals (today: only up to now) and some travel stops."""
    start = local_midnight(day)
    is_today = day == timezone.localdate(now)
    if is_today:
        span = max((now - start).total_seconds(), 60)
        count = max(12, int(per_day * span / 86400))
    else:
        span, count = 86400, per_day + rng.randint(-per_day // 5, per_day // 5)
    male, female, family = names(faker=False)
    people = []
    for number in range(count):
        sex = rng.choice("LP")
        g = 1_000_000_000 + day.toordinal() * 1000 + number  # apart from generate_arrivals' numbers
        nik, born, regency_id = _nik(rng, pools.districts, g, sex)
        name = f"{rng.choice(male if sex == 'L' else female)} {rng.choice(family)}"
        people.append(
            Person(
                id_number=nik,
                name=name,
                sex=sex,
                birth_date=born,
                phone=f"+628{rng.randint(1, 9)}{rng.randint(0, 99999999):08d}",
                home_address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
                home_region_id=regency_id,
            )
        )
    Person.objects.bulk_create(people, ignore_conflicts=True)
    by_nik = dict(Person.objects.filter(id_number__in=[p.id_number for p in people]).values_list("id_number", "id"))
    arrivals = []
    for number, person in enumerate(people):
        draw, upto, destination = rng.random(), 0.0, None
        for share, rows in focus:
            upto += share
            if draw < upto:
                destination = rng.choice(rows)
                break
        destination = destination or pools.villages[int(rng.random() ** 2.2 * len(pools.villages))]
        origin_id, outside = rng.choice(pools.origins)
        purpose = _pick(rng, PURPOSE_WEIGHTS)
        # The demo officer's post has a share, and today's first few, so their day is never empty.
        at_home_post = home_post and (rng.random() < 0.25 or (number < 4 and is_today))
        arrivals.append(
            Arrival(
                entry_key=entry_key(day, number),
                person_id=by_nik[person.id_number],
                entered_name=person.name,
                checkpoint_id=home_post if at_home_post else rng.choice(pools.checkpoints),
                officer=users.get("petugas") if at_home_post else None,
                arrived_at=start + timedelta(seconds=rng.random() * span),
                origin_id=origin_id,
                destination_id=destination[0],
                destination_code=destination[1],
                destination_address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
                purpose=purpose,
                transport=_pick(rng, TRANSPORT_WEIGHTS),
                temperature=round(35.8 + rng.random() * 1.8, 1),
                symptoms=["fever"] if rng.random() < 0.03 else [],
                isolation_required=outside and purpose not in EXEMPT_PURPOSES,
            )
        )
    arrivals = Arrival.objects.bulk_create(arrivals)
    stops = []
    for arrival in arrivals:
        if rng.random() < 0.35:
            began = day - timedelta(days=3 + rng.randint(0, 9))
            region_id = rng.choice(pools.origins)[0]
            stops.append(TravelStop(arrival=arrival, region_id=region_id, date_from=began, date_to=began))
    TravelStop.objects.bulk_create(stops)
    return arrivals


def _team_member(rng, users, code):
    """Who of the demo village team did the visit, for the demo village; nobody named elsewhere."""
    if not (code == ALANG_LAWEH or code.startswith(ALANG_LAWEH + ".")):
        return None
    team = [users[name] for name in VILLAGE_TEAM if name in users]
    return rng.choice(team) if team else None


def _follow_up(arrivals, *, now, users):
    """Confirmations, isolation orders (some closed early), daily checks, police reports."""
    rng = random.Random(len(arrivals))
    today = timezone.localdate(now)
    confirm_before = now - timedelta(hours=24)
    confirmations, orders = [], []
    for arrival in arrivals:
        in_demo_area = arrival.destination_code.startswith("13.71.01")
        # Most older arrivals are confirmed; some in the demo area stay unconfirmed and escalate.
        if arrival.arrived_at < confirm_before and rng.random() < (0.8 if in_demo_area else 0.93):
            confirmations.append(
                ArrivalConfirmation(
                    arrival=arrival,
                    outcome=ArrivalConfirmation.Outcome.FOUND if rng.random() < 0.97 else "not_found",
                    confirmed_by=_team_member(rng, users, arrival.destination_code),
                    confirmed_at=arrival.arrived_at + timedelta(hours=rng.randint(2, 20)),
                )
            )
        if arrival.isolation_required:
            start = timezone.localtime(arrival.arrived_at).date()
            closed = rng.random() < 0.03
            orders.append(
                IsolationOrder(
                    person_id=arrival.person_id,
                    arrival=arrival,
                    destination_code=arrival.destination_code,
                    reason="Datang dari luar provinsi",
                    start_date=start,
                    days=ISOLATION_DAYS,
                    end_date=start + timedelta(days=ISOLATION_DAYS),
                    state=IsolationOrder.State.CLOSED_EARLY if closed else IsolationOrder.State.ACTIVE,
                )
            )
    ArrivalConfirmation.objects.bulk_create(confirmations)
    orders = IsolationOrder.objects.bulk_create(orders)
    events, checks = [], []
    for order in orders:
        opened_at = order.arrival.arrived_at
        events.append(IsolationEvent(order=order, kind=IsolationEvent.Kind.OPENED, note=order.reason, at=opened_at))
        if order.state == IsolationOrder.State.CLOSED_EARLY:
            note = "Hasil tes negatif, dinyatakan sehat oleh puskesmas"
            events.append(IsolationEvent(order=order, kind="closed", note=note, at=opened_at + timedelta(days=3)))
            continue
        day = order.start_date + timedelta(days=1)
        if not order.destination_code.startswith(FULL_CHECKS + "."):
            day = max(day, today - timedelta(days=RECENT_CHECK_DAYS))
        while day < order.end_date and day <= today:
            if rng.random() < (0.5 if day == today else 0.93):
                checked_at = timezone.make_aware(
                    datetime.combine(day, dtime(8 + rng.randint(0, 8), rng.randint(0, 59)))
                )
                if checked_at <= now:
                    checks.append(
                        Check(
                            order=order,
                            day=day,
                            at_home=rng.random() < 0.96,
                            temperature=round(35.8 + rng.random() * 1.4, 1),
                            checked_by=_team_member(rng, users, order.destination_code),
                            checked_at=checked_at,
                        )
                    )
            day += timedelta(days=1)
    IsolationEvent.objects.bulk_create(events)
    checks = Check.objects.bulk_create(checks)
    if checks:
        tally_checks(min(check.day for check in checks))
    police_villages = set(
        User.objects.filter(role="police", is_active=True).values_list("jurisdictions__code", flat=True)
    )
    reports = []
    for check in checks:
        if check.at_home or rng.random() >= 0.4:
            continue
        age = (today - check.day).days
        state = "closed" if age > 2 else "acknowledged" if age > 0 else "open"
        village = code_at_level(check.order.destination_code, Region.Level.VILLAGE)
        reports.append(
            ViolationReport(
                order=check.order,
                failed_check=check,
                destination_code=check.order.destination_code,
                recipient="police" if village in police_villages else "regency",
                state=state,
                description="Tidak berada di rumah saat pemantauan.",
                action_taken="Diberi teguran oleh Bhabinkamtibmas." if state == "closed" else "",
                raised_by=check.checked_by,
                raised_at=check.checked_at + timedelta(minutes=10),
            )
        )
    reports = ViolationReport.objects.bulk_create(reports)
    report_events = []
    for report in reports:
        report_events.append(
            ViolationReportEvent(report=report, state="open", note=report.description, at=report.raised_at)
        )
        if report.state != "open":
            at = report.raised_at + timedelta(hours=3)
            report_events.append(ViolationReportEvent(report=report, state="acknowledged", at=at))
        if report.state == "closed":
            at = report.raised_at + timedelta(days=1)
            report_events.append(ViolationReportEvent(report=report, state="closed", note=report.action_taken, at=at))
    ViolationReportEvent.objects.bulk_create(report_events)


def _showcase(*, now, users):
    """In the demo village, through the services as users would: an open police report and an
    order closed by mistake and reopened. Each only when missing, so a rerun adds neither twice."""
    lurah, babinsa = users.get("lurah"), users.get("babinsa")
    if lurah is None or babinsa is None:
        return
    today = timezone.localdate(now)
    in_village = Q(destination_code=ALANG_LAWEH) | Q(destination_code__startswith=ALANG_LAWEH + ".")
    running = (
        IsolationOrder.objects.filter(in_village)
        .filter(state=IsolationOrder.State.ACTIVE, start_date__lt=today, end_date__gt=today)
        .order_by("-start_date", "id")
    )
    if not ViolationReport.objects.filter(destination_code__startswith=ALANG_LAWEH, state="open").exists():
        order = running.exclude(checks__day=today).first()
        if order is not None:
            check = services.isolation_check_record(
                order=order, user=babinsa, at_home=False, note="Rumah kosong, kata tetangga ke pasar Raya."
            )
            services.violation_report_raise(
                failed_check=check, user=babinsa, description="Tidak berada di rumah saat dikunjungi pukul 10.00."
            )
    reopened = IsolationEvent.objects.filter(
        kind=IsolationEvent.Kind.REOPENED, order__destination_code__startswith=ALANG_LAWEH
    )
    if not reopened.exists():
        order = running.exclude(reports__isnull=False).last()
        if order is not None:
            services.isolation_close(order=order, user=lurah, reason="Dikira sudah selesai")
            services.isolation_reopen(order=order, user=lurah, reason="Salah tutup: masa isolasi belum selesai")
