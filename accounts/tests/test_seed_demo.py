import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from checkpoints.models import Checkpoint

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_seed_demo_is_idempotent_and_prints_the_logins(regions, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    assert Checkpoint.objects.count() == 10
    assert Checkpoint.objects.filter(kind="air").count() == 1
    assert User.objects.count() == 9
    assert "sipantau-demo" in first
    assert "two-factor" in first and "/akun/dua-langkah/daftar/" in first
    for username in ["admin", "petugas", "provinsi", "kabkota", "camat", "lurah", "kampung", "babinsa", "bhabin"]:
        assert f"  {username} " in first


@override_settings(DEBUG=True)
def test_every_demo_account_logs_in_and_lands_on_its_page(regions, client):
    call_command("seed_demo")
    landings = {}
    for user in User.objects.all():
        client.logout()
        response = client.post(
            reverse("accounts:login"), {"username": user.username, "password": "sipantau-demo"}, follow=True
        )
        assert response.status_code == 200, user.username
        landings[user.username] = response.redirect_chain[-1][0]
    assert landings["petugas"] == reverse("travellers:arrival_create")
    for username in ["camat", "lurah", "kampung", "babinsa", "bhabin"]:
        assert landings[username] == reverse("monitoring:overview")
    # Admins and task forces enrol an authenticator app first (the demo output says so).
    for username in ["admin", "provinsi", "kabkota"]:
        assert landings[username].startswith(reverse("accounts:two_factor_setup")), username


def test_seed_demo_refuses_to_run_in_production(regions):
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()
