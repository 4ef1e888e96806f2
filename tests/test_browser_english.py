"""English in Chromium at phone width: found in the header, usable by keyboard, remembered, pages fit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username, password="kata-sandi-uji-123"):
    """The login form, whatever language it is in."""
    page.goto(f"{live_server.url}/akun/masuk/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()


def assert_fits(page, width=PHONE["width"]):
    """No sideways scrolling, and no text sticking out of its box (long English words)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    overflowing = page.evaluate(
        """() => {
          // Visually hidden (clipped) labels and boxes that scroll on purpose do not count.
          const exempt = e => {
            for (let n = e; n && n !== document.body; n = n.parentElement) {
              const s = getComputedStyle(n);
              if (s.clip !== 'auto' || n.getBoundingClientRect().width <= 1) return true;
              if (n !== e && ['auto', 'scroll'].includes(s.overflowX)) return true;
            }
            return false;
          };
          return [...document.querySelectorAll('main *, header *')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.right > window.innerWidth + 1 && !exempt(e);
          }).map(e => e.tagName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 40));
        }"""
    )
    assert overflowing == [], page.url


def screenshot_parts(page, name, height=800):
    """A long phone page in screen-sized parts, readable at full size (next to the full-page shot)."""
    from conftest import ARTIFACTS

    total = page.evaluate("document.documentElement.scrollHeight")
    for index, top in enumerate(range(0, total, height)):
        clip = {"x": 0, "y": top, "width": PHONE["width"], "height": min(height, total - top)}
        page.screenshot(path=f"{ARTIFACTS}/{name}-part{index + 1}.png", full_page=True, clip=clip)


@pytest.fixture
def arrivals(make_arrival, officer):
    """Two travellers bound for Alang Laweh from Jambi, one waiting for confirmation, both isolating."""
    from followup.services import arrival_follow_up_open

    now = timezone.now()
    made = [make_arrival(officer=officer, arrived_at=now - timedelta(hours=h)) for h in (1, 30)]
    return [arrival_follow_up_open(arrival=a) for a in made]


def test_an_officer_switches_to_english_from_the_header_by_keyboard(live_server, new_page, screenshot, officer):
    page = new_page(PHONE)
    sign_in(page, live_server, officer.username)
    assert page.locator("html").get_attribute("lang") == "id"
    switch = page.locator("header").get_by_role("button", name="English")
    assert switch.is_visible() and switch.bounding_box()["height"] >= 44
    screenshot(page, "english-switch-before-360")
    page.locator(".skip-link").focus()  # the top of the page, as after a fresh load
    for _ in range(3):  # the brand, then the language button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "English":
            break
    assert page.evaluate("document.activeElement.getAttribute('lang')") == "en"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/posko/catat/")  # back on the same page
    assert page.get_by_role("heading", level=1).inner_text() == "Record arrival"
    assert page.locator("header").get_by_role("button", name="Bahasa Indonesia").is_visible()
    screenshot(page, "english-entry-form-360")
    screenshot_parts(page, "english-entry-form-360")
    assert_fits(page)
    pages = {"today": "/posko/hari-ini/", "upload": "/posko/unggah/", "paper": "/posko/formulir-kertas/"}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        screenshot(page, f"english-{name}-360")
        assert_fits(page)


def test_a_village_head_reads_the_monitoring_pages_in_english(
    live_server, new_page, screenshot, village_head, arrivals
):
    page = new_page(PHONE)
    sign_in(page, live_server, village_head.username)
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Area overview"
    order = arrivals[0]
    pages = {
        "overview": "/pantau/",
        "list": "/pantau/kedatangan/",
        "detail": f"/pantau/kedatangan/{order.arrival_id}/",
        "inbox": "/pantau/kotak-masuk/",
        "isolation": f"/pantau/isolasi/{order.pk}/",
        "due": "/pantau/isolasi/hari-ini/",
        "figures": "/pantau/tindak-lanjut/",
    }
    for name, url in pages.items():
        page.goto(live_server.url + url)
        assert page.locator("html").get_attribute("lang") == "en", url
        screenshot(page, f"english-{name}-360")
        screenshot_parts(page, f"english-{name}-360")
        assert_fits(page)
        if name == "inbox":
            assert page.get_by_role("heading", level=1).inner_text() == "Arrivals inbox"


def test_the_choice_is_remembered_after_signing_out_and_back(live_server, new_page, village_head):
    page = new_page(PHONE)
    page.goto(live_server.url + "/akun/masuk/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to SIPANTAU"
    sign_in(page, live_server, village_head.username)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to SIPANTAU"
    sign_in(page, live_server, village_head.username)
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="Bahasa Indonesia").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ringkasan wilayah"
