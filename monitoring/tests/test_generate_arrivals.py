from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from travellers.models import Arrival, Person, TravelStop

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(regions):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def nik_is_valid(person):
    n = person.id_number
    day = int(n[6:8]) - (40 if person.sex == "P" else 0)
    return (
        len(n) == 16
        and n.isdigit()
        and n[12:] != "0000"
        and date(person.birth_date.year, int(n[8:10]), day) == person.birth_date
        and n[10:12] == f"{person.birth_date:%y}"
    )


def test_generates_consistent_arrivals_people_and_stops(demo, capsys):
    call_command("generate_arrivals", count=300, seed=1)
    assert Arrival.objects.count() == 300
    assert Person.objects.count() == 240  # one in five arrivals is a returning traveller
    assert "300 arrivals and 240 people added" in capsys.readouterr().out
    people = list(Person.objects.all())
    assert all(nik_is_valid(p) for p in people)
    assert {p.sex for p in people} == {"L", "P"}
    assert len({p.id_number for p in people}) == len(people)
    arrivals = Arrival.objects.select_related("destination")
    assert all(a.destination_code == a.destination.code and a.destination_code.startswith("13.") for a in arrivals)
    assert all(a.arrived_at <= timezone.now() for a in arrivals)
    assert not TravelStop.objects.filter(date_to__lt=F("date_from")).exists()
    assert TravelStop.objects.exists()


def test_a_second_run_adds_new_people_without_nik_clashes(demo):
    call_command("generate_arrivals", count=100, seed=1)
    call_command("generate_arrivals", count=100, seed=1)
    assert Arrival.objects.count() == 200
    assert Person.objects.values("id_number").distinct().count() == Person.objects.count() == 160


def test_origins_lean_toward_neighbouring_provinces(demo):
    call_command("generate_arrivals", count=1000, seed=3)
    neighbours = Arrival.objects.filter(origin__code__regex=r"^(12|14|15|17)\.").count()
    assert neighbours > 400


def test_the_demo_village_head_sees_some_of_them(demo):
    call_command("generate_arrivals", count=2000, seed=4)
    kabkota = User.objects.get(username="kabkota")
    visible = Arrival.objects.visible_to(kabkota)
    assert 0 < visible.count() < 2000
    assert all(code.startswith("13.71.") for code in visible.values_list("destination_code", flat=True))


def test_refuses_nonsense(demo):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("generate_arrivals", count=0)


def test_isolation_orders_checks_and_reports_follow_the_arrivals(demo):
    from followup.models import Check, IsolationOrder, ViolationReport

    call_command("generate_arrivals", count=2000, seed=5)
    told = Arrival.objects.filter(isolation_required=True)
    orders = IsolationOrder.objects.all()
    assert orders.count() == told.count() > 0
    assert not orders.exclude(destination_code=F("arrival__destination_code")).exists()
    assert all((o.end_date - o.start_date).days == o.days == 14 for o in orders)
    assert orders.filter(state=IsolationOrder.State.CLOSED_EARLY).exists()
    today = timezone.localdate()
    assert orders.running(today).exists()
    assert orders.due(today).exists()  # some checks of today are still to be done
    assert Check.objects.filter(day=today).exists()
    assert not Check.objects.filter(day__lt=F("order__start_date")).exists()
    assert not Check.objects.filter(day__gte=F("order__end_date")).exists()
    assert not Check.objects.filter(day__gt=today).exists()
    assert Check.objects.filter(at_home=False).exists()
    reports = ViolationReport.objects.all()
    assert not reports.filter(failed_check__at_home=True).exists()
    assert not reports.exclude(order=F("failed_check__order")).exists()
