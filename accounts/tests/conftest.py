"""Fixtures for the security tests: privileged accounts with and without a second factor."""

import pytest

PASSWORD = "kata-sandi-uji-123"


@pytest.fixture
def task_force(make_user):
    """A provincial task-force account (two-factor required), without a device yet."""
    return make_user("province", "13", username="provinsi")


@pytest.fixture
def totp_device(task_force):
    """A confirmed authenticator-app device for `task_force`."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=task_force, name="Aplikasi autentikator", confirmed=True)


@pytest.fixture
def login(client):
    """login(username, password=PASSWORD, ip="10.1.1.1") -> the response of a real login POST."""
    from django.urls import reverse

    def post(username, password=PASSWORD, ip="10.1.1.1", **extra):
        return client.post(
            reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
        )

    return post
