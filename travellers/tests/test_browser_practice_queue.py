"""The offline queue keeps practice and real entries apart: each entry is stored in the mode it was
queued in, whatever the session's mode is by the time the signal returns and the queue sends it."""

import pytest
from django.conf import settings

from accounts import practice
from conftest import PHONE, browser_login, make_nik
from travellers.models import Arrival

from .test_browser_offline import fill_quickly, ready_offline, rina, save, wait_outbox  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def set_session_practice(context, on):
    """Switch the signed-in session's mode behind the page's back (another tab, say)."""
    from importlib import import_module

    key = next(c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session[practice.SESSION_KEY] = on
    session.save()


def names(in_practice):
    with practice.mode(in_practice):
        return set(Arrival.objects.values_list("person__name", flat=True))


def queue_one(page, name):
    page.context.set_offline(True)
    fill_quickly(page, make_nik(), name)
    save(page)
    wait_outbox(page, waiting=1, state="waiting")


def test_a_queued_entry_keeps_the_mode_it_was_made_in(live_server, new_page, rina):  # noqa: F811
    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)  # the worker installed first, as on any phone at the post
    page.get_by_role("button", name="Latihan").click()
    page.goto(f"{live_server.url}/posko/catat/")
    assert page.locator(".practice-banner").is_visible()
    ready_offline(page)

    # Queued in practice; by the time the signal returns, the session is real again.
    queue_one(page, "Antre Latihan")
    set_session_practice(context, False)
    context.set_offline(False)
    wait_outbox(page, waiting=0, state="sent")
    assert names(True) == {"Antre Latihan"} and names(False) == set()

    # And the other way round: queued in real work, sent while the session practises.
    page.reload()
    assert not page.locator(".practice-banner").count()
    queue_one(page, "Antre Nyata")
    set_session_practice(context, True)
    context.set_offline(False)
    wait_outbox(page, waiting=0, state="sent")
    assert names(False) == {"Antre Nyata"} and names(True) == {"Antre Latihan"}
