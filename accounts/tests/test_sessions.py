"""Sessions: a new key at login, server-side logout, deactivation, idle and absolute limits."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW = "Rendang-Padang-77"

OVERVIEW = "monitoring:overview"


def signed_in(client, user):
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_login_issues_a_new_session_key(client, login, officer):
    client.get(reverse("accounts:login"))
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    assert login("petugas").status_code == 302
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()  # the old one is gone


def test_logout_deletes_the_session_on_the_server(client, village_head):
    key = signed_in(client, village_head)
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the stolen cookie gets nothing.
    client.cookies["sessionid"] = key
    response = client.get(reverse(OVERVIEW))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_deactivating_an_account_ends_its_session_at_the_next_request(client, village_head):
    key = signed_in(client, village_head)
    assert client.get(reverse(OVERVIEW)).status_code == 200
    village_head.is_active = False
    village_head.save()
    response = client.get(reverse(OVERVIEW))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert not Session.objects.filter(session_key=key).exists()


def test_changing_the_password_ends_other_sessions(client, village_head):
    from django.test import Client

    other = Client()
    other.force_login(village_head)
    assert other.get(reverse(OVERVIEW)).status_code == 200
    client.force_login(village_head)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "kata-sandi-uji-123",
            "new_password1": "Rendang-Padang-77",
            "new_password2": "Rendang-Padang-77",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse(OVERVIEW)).status_code == 200  # this one stays
    assert other.get(reverse(OVERVIEW)).status_code == 302  # the other device is signed out


@pytest.mark.parametrize(("minutes", "still_in"), [(29, True), (31, False)])
def test_privileged_sessions_end_after_30_idle_minutes(client, task_force, minutes, still_in):
    with time_machine.travel("2026-11-25 08:00 +07:00", tick=False) as clock:
        client.force_login(task_force)
        assert client.get(reverse(OVERVIEW)).status_code == 200
        clock.shift(datetime.timedelta(minutes=minutes))
        response = client.get(reverse(OVERVIEW))
    if still_in:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login") + "?next=")
        assert AuditEvent.objects.filter(action="session_ended", detail__reason="idle").exists()


def test_activity_keeps_a_privileged_session_alive(client, task_force):
    with time_machine.travel("2026-11-25 08:00 +07:00", tick=False) as clock:
        client.force_login(task_force)
        for _ in range(6):  # a click every 20 minutes for two hours
            clock.shift(datetime.timedelta(minutes=20))
            assert client.get(reverse(OVERVIEW)).status_code == 200


def test_other_roles_have_no_idle_limit(client, village_head):
    with time_machine.travel("2026-11-25 08:00 +07:00", tick=False) as clock:
        client.force_login(village_head)
        clock.shift(datetime.timedelta(hours=3))
        assert client.get(reverse(OVERVIEW)).status_code == 200


@pytest.mark.parametrize("user_fixture", ["task_force", "village_head"])
def test_every_session_ends_12_hours_after_login(request, client, user_fixture):
    user = request.getfixturevalue(user_fixture)
    with time_machine.travel("2026-11-25 06:00 +07:00", tick=False) as clock:
        client.force_login(user)
        for _ in range(11 * 4):  # busy all day, a click every 15 minutes
            clock.shift(datetime.timedelta(minutes=15))
            assert client.get(reverse(OVERVIEW)).status_code == 200
        clock.shift(datetime.timedelta(hours=1, minutes=1))
        response = client.get(reverse(OVERVIEW))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
