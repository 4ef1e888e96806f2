"""Brute-force protection: a username is locked from one address; an account has a ceiling."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

POST_NAT = "36.80.10.20"  # the whole checkpoint leaves through one mobile-carrier address


def fail(login, username, times, ip=POST_NAT):
    return [login(username, "salah-tebak", ip=ip).status_code for _ in range(times)]


def test_repeated_failures_lock_the_username_from_that_address(login, officer):
    limit = settings.AXES_FAILURE_LIMIT
    # The form answers "wrong password" until the limit-th failure, which locks.
    assert fail(login, "petugas", limit) == [200] * (limit - 1) + [429]
    response = login("petugas", ip=POST_NAT)  # now even the right password is refused
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in html and "30 menit" in html
    assert "_auth_user_id" not in response.client.session


def test_a_colleague_behind_the_same_address_can_still_log_in(login, officer, make_user):
    make_user("officer", username="petugas2")
    fail(login, "petugas", settings.AXES_FAILURE_LIMIT + 2)
    response = login("petugas2", ip=POST_NAT)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_the_owner_from_another_address_can_still_log_in(login, officer):
    fail(login, "petugas", settings.AXES_FAILURE_LIMIT + 1)
    assert login("petugas", ip="10.9.9.9").status_code == 302


def rotate(login, username, failures, per_address=None):
    """`failures` wrong passwords on `username`, each address used below its own limit."""
    per_address = per_address or settings.AXES_FAILURE_LIMIT - 1
    statuses = []
    for n in range(failures):
        statuses.append(login(username, "salah-tebak", ip=f"10.0.{n // per_address}.{n % per_address + 1}").status_code)
    return statuses


def test_the_account_ceiling_slows_a_guesser_who_rotates_addresses(login, officer):
    ceiling = settings.SIPANTAU_LOGIN_ACCOUNT_CEILING
    statuses = rotate(login, "petugas", ceiling + 10)
    assert statuses[:ceiling] == [200] * ceiling  # "wrong password" up to the ceiling
    # Past it, one password check a minute for the whole account from new addresses: the first
    # is checked (wrong: 200), the rest of that minute are refused unchecked.
    assert statuses[ceiling:] == [200] + [429] * 9
    response = login("petugas", "salah-lagi", ip="10.99.0.1")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "satu percobaan per 60 detik" in response.content.decode()
    alert = AuditEvent.objects.get(action="alert")
    assert alert.detail == {"alert": "login_account_ceiling", "username": "petugas"}


def test_a_guarded_account_still_signs_in_at_once_from_a_known_address(login, officer):
    assert login("petugas", ip=POST_NAT).status_code == 302  # the post, where the owner signs in
    rotate(login, "petugas", settings.SIPANTAU_LOGIN_ACCOUNT_CEILING + 10)
    assert login("petugas", ip=POST_NAT).status_code == 302


def test_a_guarded_account_takes_the_right_password_elsewhere_after_a_short_wait(login, officer):
    rotate(login, "petugas", settings.SIPANTAU_LOGIN_ACCOUNT_CEILING + 5)
    assert login("petugas", ip="10.200.0.1").status_code == 429  # a guess took this minute's check
    with time_machine.travel(datetime.timedelta(seconds=61)):
        assert login("petugas", ip="10.200.0.1").status_code == 302  # not locked for 30 minutes


def test_one_address_trying_many_usernames_is_locked_for_all_of_them(login, officer):
    limit = settings.SIPANTAU_LOGIN_ADDRESS_LIMIT
    sprayer = "45.10.20.30"
    statuses = [login(f"tebakan{i}", "salah", ip=sprayer).status_code for i in range(40)]
    assert statuses == [200] * (limit - 1) + [429] * (40 - limit + 1)
    response = login("petugas", ip=sprayer)  # even a real account's right password, from there
    assert response.status_code == 429
    assert "dari jaringan ini" in response.content.decode()
    assert login("petugas", ip=POST_NAT).status_code == 302  # everywhere else, nothing changed
    assert AuditEvent.objects.filter(action="locked_out", ip=sprayer).count() == 40 - limit + 2


def test_a_posts_shared_address_in_normal_use_stays_below_the_address_limit(client, login, officer, make_user):
    """Eight officers behind one NAT address, each mistyping three times in the half hour."""
    names = ["petugas", *(f"petugas{n}" for n in range(2, 9))]
    for name in names[1:]:
        make_user("officer", username=name)
    for name in names:  # every typo first: the worst case (a success clears that officer's count)
        assert fail(login, name, 3) == [200] * 3
    for name in names:
        assert login(name, ip=POST_NAT).status_code == 302
        client.logout()


def test_lockout_ends_after_the_cool_off(login, officer):
    fail(login, "petugas", settings.AXES_FAILURE_LIMIT)
    assert login("petugas", ip=POST_NAT).status_code == 429
    with time_machine.travel(datetime.timedelta(minutes=31)):
        assert login("petugas", ip=POST_NAT).status_code == 302


def test_success_resets_the_count(login, officer):
    fail(login, "petugas", settings.AXES_FAILURE_LIMIT - 1)
    assert login("petugas").status_code == 302
    fail(login, "petugas", settings.AXES_FAILURE_LIMIT - 1)
    assert login("petugas").status_code == 302


def test_logins_failures_lockouts_and_logouts_are_audited(client, login, officer):
    login("petugas", "salah", ip="10.3.3.3")
    login("petugas", ip="10.3.3.3")
    client.post(reverse("accounts:logout"), REMOTE_ADDR="10.3.3.3")
    fail(login, "petugas", settings.AXES_FAILURE_LIMIT + 1, ip="10.4.4.4")
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "username", "ip"))
    assert events[:3] == [
        ("login_failed", "petugas", "10.3.3.3"),
        ("login", "petugas", "10.3.3.3"),
        ("logout", "petugas", "10.3.3.3"),
    ]
    assert events[-1] == ("locked_out", "petugas", "10.4.4.4")
    assert AuditEvent.objects.get(action="login").user == officer


def test_the_admin_login_is_protected_too(client, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "admin", "password": "salah"}, REMOTE_ADDR="10.5.5.5")
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": "kata-sandi-uji-123"}, REMOTE_ADDR="10.5.5.5"
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("username", "answers"),
    [("a" * 5000, {200, 429}), ("١٢٣", {200, 429}), ("\u202enimda", {200, 429}), ("petugas\x00", {400})],
)
def test_odd_usernames_are_refused_without_error(client, login, officer, username, answers):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert login(username).status_code in answers
    assert "_auth_user_id" not in client.session


def test_hammering_a_locked_account_stores_nothing_more(login, officer):
    from axes.models import AccessAttempt

    fail(login, "petugas", settings.AXES_FAILURE_LIMIT + 40)
    attempt = AccessAttempt.objects.get(username="petugas")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    assert len(attempt.post_data) < 10_000
    # The attempt that locked, and each refusal after it, are audited.
    assert AuditEvent.objects.filter(action="locked_out").count() == 41
