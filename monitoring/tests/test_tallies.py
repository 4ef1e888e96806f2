"""Daily tallies behind the overviews of provinces and regencies: same numbers, kept after a purge."""

import random
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from conftest import ALANG_LAWEH, BELAKANG_PONDOK, SAWAHAN, make_nik, otp_verify_session
from monitoring import dashboard
from monitoring.filters import top_regions
from monitoring.models import ArrivalTally, TallyDay
from monitoring.tests import fixtures
from travellers.models import Arrival

pytestmark = pytest.mark.django_db
days_ago, province_user = fixtures.days_ago, fixtures.province_user  # shared fixtures
OVERVIEW = reverse("monitoring:overview")
FIGURES = ("count_today", "count_7", "count_14", "by_origin", "by_checkpoint", "by_sub_area")


@pytest.fixture
def month(make_arrival, days_ago, regions, checkpoint, other_checkpoint):
    """60 arrivals over 40 days, to three kecamatan and another regency, from three provinces, two posts."""
    rng = random.Random(13)
    origins = [regions.get(code=code) for code in ("15.71", "14.71", "12.71")]
    places = [ALANG_LAWEH, BELAKANG_PONDOK, SAWAHAN, "13.71.01", "13.06.01.2001"]
    return [
        make_arrival(
            destination=rng.choice(places),
            origin=rng.choice(origins),
            checkpoint=rng.choice([checkpoint, other_checkpoint]),
            arrived_at=days_ago(rng.randrange(40), hour=rng.randrange(24), minute=rng.randrange(60)),
        )
        for _ in range(60)
    ]


def figures(context):
    return {
        "count_today": context["count_today"],
        "count_7": context["count_7"],
        "count_14": context["count_14"],
        "bars": [bar.count for bar in context["bars"]],
        "by_origin": [(region.code, n) for region, n in context["by_origin"]],
        "by_checkpoint": list(context["by_checkpoint"]),
        "by_sub_area": [(region.code if region else None, n) for region, n in context["by_sub_area"]],
    }


def counted_directly(user, *, area=None, days=14):
    """What the overview would show counted from the arrivals (the path small areas take)."""
    arrivals = Arrival.objects.visible_to(user)
    if area is not None:
        arrivals = arrivals.bound_for(area)
    today = timezone.localdate()
    tops = top_regions(user)
    numbers = dashboard.counted(
        arrivals, areas=dashboard.sub_areas(area, tops), today=today, since=today - timedelta(days=days - 1)
    )
    series = numbers["series"]
    return {
        "count_today": series[-1][1],
        "count_7": sum(n for _, n in series[-7:]),
        "count_14": sum(n for _, n in series[-14:]),
        "bars": [n for _, n in series],
        "by_origin": [(region.code, n) for region, n in numbers["by_origin"]],
        "by_checkpoint": list(numbers["by_checkpoint"]),
        "by_sub_area": [(region.code if region else None, n) for region, n in numbers["by_sub_area"]],
    }


@pytest.mark.parametrize("tallied", [False, True], ids=["untallied", "tallied"])
@pytest.mark.parametrize(
    "query", [{}, {"hari": 7}, {"hari": 30}, {"wilayah": "13.71"}, {"wilayah": "13.71", "hari": 1}]
)
def test_the_province_overview_from_tallies_equals_counting_every_arrival(
    client, province_user, month, query, regions, tallied
):
    if tallied:
        call_command("tally_arrivals", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(province_user)
    response = client.get(OVERVIEW, query)
    assert response.status_code == 200
    area = regions.get(code=query["wilayah"]) if "wilayah" in query else None
    assert figures(response.context) == counted_directly(province_user, area=area, days=query.get("hari", 14))


def test_the_overview_only_reads_and_the_nightly_tally_keeps_its_figures(client, province_user, month):
    client.force_login(province_user)
    first = figures(client.get(OVERVIEW).context)
    assert not TallyDay.objects.exists() and not ArrivalTally.objects.exists()  # a GET never writes
    call_command("tally_arrivals", stdout=open("/dev/null", "w"))  # noqa: SIM115
    tallied = sorted(
        ArrivalTally.objects.filter(day__gte=timezone.localdate() - timedelta(days=29)).values_list(
            "day", "destination_district", "arrivals"
        )
    )
    assert sum(n for _, _, n in tallied) == sum(1 for a in month if days_ago_of(a) in range(1, 30))
    assert figures(client.get(OVERVIEW).context) == first


def days_ago_of(arrival):
    return (timezone.localdate() - timezone.localdate(arrival.arrived_at)).days


def test_a_late_entry_on_a_tallied_day_is_counted(client, province_user, officer, days_ago, make_arrival):
    make_arrival(arrived_at=days_ago(3))
    call_command("tally_arrivals", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(province_user)
    before = client.get(OVERVIEW).context["count_7"]
    assert TallyDay.objects.filter(day=timezone.localdate() - timedelta(days=1)).exists()
    # An entry queued offline last night reaches the server this morning.
    client.force_login(officer)
    body = {
        "entry_key": str(uuid.uuid4()),
        "id_type": "nik",
        "id_number": make_nik(serial=77),
        "name": "Siti Rahmah",
        "sex": "L",
        "origin": "15.71",
        "destination": ALANG_LAWEH,
        "destination_address": "Jl. Sutan Syahrir 5",
        "purpose": "family",
        "transport": "car",
        "arrived_at": days_ago(1, hour=22).isoformat(),
    }
    response = client.post(reverse("travellers:api_arrival_create"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    client.force_login(province_user)
    context = client.get(OVERVIEW).context
    assert context["count_7"] == before + 1 and context["bars"][-2].count == 1
    # Counted with the isolation order the follow-up opened for it (from Jambi) in the same transaction.
    late = ArrivalTally.objects.get(day=timezone.localdate() - timedelta(days=1))
    assert (late.arrivals, late.isolated) == (1, 1)


def test_purged_arrivals_still_count_in_the_history(client, province_user, make_arrival, days_ago, settings):
    settings.SIPANTAU_RETENTION_DAYS = 3
    old = [make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(10)) for _ in range(2)]
    make_arrival(destination=SAWAHAN, arrived_at=days_ago(0))
    client.force_login(province_user)
    call_command("purge_expired", "--yes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Arrival.objects.filter(pk__in=[a.pk for a in old]).exists()
    context = client.get(OVERVIEW).context
    assert (context["count_today"], context["count_14"]) == (1, 3)
    assert {r.code: n for r, n in context["by_sub_area"] if r}["13.71"] == 3
    # The list shows what is still stored: the day's personal data is gone.
    listed = client.get(reverse("monitoring:arrival_list"), {"dari": days_ago(10).date().isoformat()}).context
    assert len(listed["arrivals"]) == 1


def test_tally_arrivals_command_is_idempotent(month, capsys):
    call_command("tally_arrivals")
    first = sorted(ArrivalTally.objects.values_list("day", "destination_district", "origin_province", "arrivals"))
    assert sum(row[3] for row in first) == sum(1 for a in month if days_ago_of(a) >= 1)
    call_command("tally_arrivals")
    assert "Hari yang direkap: 0" in capsys.readouterr().out
    assert (
        sorted(ArrivalTally.objects.values_list("day", "destination_district", "origin_province", "arrivals")) == first
    )


def test_a_camat_overview_is_counted_from_the_arrivals(client, make_user, month):
    """Below a kecamatan the tallies have no villages: the kecamatan's own overview counts directly."""
    camat = make_user("district", "13.71.01", username="camat")
    client.force_login(camat)
    context = client.get(OVERVIEW).context
    assert figures(context) == counted_directly(camat)
    assert not TallyDay.objects.exists()


@pytest.fixture
def demo(regions):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_generated_arrivals_are_tallied_in_bulk(client, demo, capsys):
    """generate_arrivals tallies every past day in one pass, and adds to days already tallied."""
    province = User.objects.get(username="provinsi")
    call_command("generate_arrivals", count=400, seed=3)
    assert TallyDay.objects.exists()
    call_command("generate_arrivals", count=300, seed=4)  # on top: some of its days are tallied already
    tallied = sum(ArrivalTally.objects.values_list("arrivals", flat=True))
    assert tallied == Arrival.objects.filter(arrived_at__lt=fixtures.wib(timezone.localdate(), 0, 0)).count()
    client.force_login(province)
    otp_verify_session(client, province)
    assert figures(client.get(OVERVIEW).context) == counted_directly(province)


def test_the_late_tally_answers_arrivals_registered_after_the_follow_up():
    """The tally counts isolated arrivals: the follow-up's receiver must have opened the order first
    (receivers run in the order they were connected: followup's AppConfig before monitoring's)."""
    from followup.receivers import open_follow_up
    from monitoring.receivers import tally_late_arrival
    from travellers.signals import arrivals_registered

    registered = [receiver[1]() for receiver in arrivals_registered.receivers]
    assert registered.index(open_follow_up) < registered.index(tally_late_arrival)
