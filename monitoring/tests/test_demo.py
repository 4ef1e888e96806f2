"""bin/serve's demo: a living province on first start, each demo account with work to see."""

import sys
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from followup import dispatch
from followup.models import Check, DigestSubscription, IsolationEvent, IsolationOrder, ViolationReport
from travellers.models import Arrival

pytestmark = pytest.mark.django_db

ALANG_LAWEH = "13.71.01.1002"


def seed(**options):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo_activity", stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def counts():
    return [m.objects.count() for m in (Arrival, IsolationOrder, Check, ViolationReport, IsolationEvent)]


@override_settings(DEBUG=True)
def test_first_start_shows_a_living_province_and_a_rerun_adds_nothing(regions):
    seed()
    today = timezone.localdate()
    arrivals = Arrival.objects.all()
    assert 2000 <= arrivals.count() <= 4000
    assert arrivals.filter(arrived_at__date=today).exists()
    assert arrivals.filter(arrived_at__date__lte=today - timedelta(days=29)).exists()
    assert not arrivals.filter(arrived_at__gt=timezone.now()).exists()
    orders = IsolationOrder.objects.all()
    statuses = {order.status_on(today) for order in orders.filter(destination_code__startswith="13.71")}
    assert statuses == set(IsolationOrder.Status)
    in_village = Q(order__destination_code=ALANG_LAWEH) | Q(order__destination_code__startswith=ALANG_LAWEH + ".")
    assert IsolationEvent.objects.filter(in_village, kind="reopened").exists()
    assert Check.objects.filter(in_village, day=today).exists()
    assert ViolationReport.objects.filter(in_village, state="open", recipient="police").exists()
    regency = User.objects.get(username="kabkota")
    assert dispatch.inbox(regency).filter(escalation=dispatch.REGENCY).exists()
    before = counts()
    seed()
    assert counts() == before


@override_settings(DEBUG=True)
def test_every_demo_account_lands_on_a_page_with_content(regions, client):
    seed(per_day=30)
    for username in ["provinsi", "kabkota", "camat", "lurah", "kampung", "babinsa", "bhabin"]:
        client.force_login(User.objects.get(username=username))
        response = client.get(reverse("home"), follow=True)
        assert response.status_code == 200, username
        assert sum(bar.count for bar in response.context["bars"]) > 0, username
    pages = {
        "lurah": ("followup:checks_due", "orders"),
        "kampung": ("followup:isolation_list", "orders"),
        "babinsa": ("followup:dispatch_inbox", "arrivals"),
        "bhabin": ("followup:report_list", "reports"),
        "camat": ("followup:dispatch_inbox", "arrivals"),
    }
    for username, (name, key) in pages.items():
        client.force_login(User.objects.get(username=username))
        response = client.get(reverse(name))
        assert response.status_code == 200 and len(response.context[key]) > 0, username
    client.force_login(User.objects.get(username="petugas"))
    response = client.get(reverse("travellers:arrival_today"))
    assert response.status_code == 200 and len(response.context["arrivals"]) > 0


@override_settings(DEBUG=True)
def test_the_demo_needs_no_faker(regions, monkeypatch):
    monkeypatch.setitem(sys.modules, "faker", None)  # `import faker` now raises ImportError
    seed(per_day=10, days=3)
    assert Arrival.objects.exists()


@override_settings(DEBUG=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_demo_accounts_have_addresses_and_get_the_digest(regions):
    seed(per_day=10, days=3)
    lurah = User.objects.get(username="lurah")
    assert lurah.email == "lurah@sipantau.example"
    assert DigestSubscription.objects.filter(user=lurah, active=True).exists()
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "lurah@sipantau.example" in [to for message in mail.outbox for to in message.to]


def test_the_demo_refuses_to_run_outside_debug(regions):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo_activity")
