"""The foundation as a person sees it: login, home and admin in Chromium at phone and desktop width."""

import pytest

from conftest import DESKTOP, PHONE, browser_login, browser_verify, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_login_and_home_for_a_village_head(live_server, new_page, screenshot, village_head, viewport):
    page = new_page(viewport)
    page.goto(live_server.url + "/")
    assert "/akun/masuk/" in page.url  # every page needs a login
    screenshot(page, f"login-{viewport['width']}")
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    browser_login(page, live_server, "lurah")
    assert page.url.endswith("/pantau/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ringkasan wilayah"
    header = page.locator("header").inner_text()
    assert "Wali nagari / kepala desa / lurah" in header
    assert "Kelurahan Alang Laweh" in header
    screenshot(page, f"home-village-{viewport['width']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.get_by_role("button", name="Keluar").click()
    assert "/akun/masuk/" in page.url


def test_wrong_password_shows_an_indonesian_error(live_server, new_page, officer):
    page = new_page()
    browser_login(page, live_server, "petugas", password="salah-sekali")
    assert page.get_by_role("alert").inner_text().startswith("Nama pengguna atau kata sandi salah")


def test_login_form_works_by_keyboard_alone(live_server, new_page, officer):
    page = new_page()
    page.goto(live_server.url + "/akun/masuk/")
    # The cursor starts in the username box, ready to type.
    assert page.evaluate("document.activeElement.name") == "username"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.type("petugas")
    page.keyboard.press("Tab")
    page.keyboard.type("kata-sandi-uji-123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/posko/catat/")


def test_touch_targets_are_at_least_44_px(live_server, new_page, village_head):
    page = new_page()
    browser_login(page, live_server, "lurah")
    sizes = page.eval_on_selector_all(
        "nav a, nav button, button.button, .button, input[type=text], input[type=password]",
        "els => els.map(e => e.getBoundingClientRect().height)",
    )
    assert sizes and min(sizes) >= 44


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_admin_user_page(live_server, new_page, screenshot, admin_user, make_user, viewport):
    babinsa = make_user("babinsa", "13.71.01.1001", "13.71.01.1002")
    device = totp_device_for(admin_user)  # admins have enrolled an authenticator app
    page = new_page(viewport)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "kata-sandi-uji-123")
    page.click("input[type=submit]")
    browser_verify(page, device)
    page.goto(f"{live_server.url}/admin/accounts/user/{babinsa.pk}/change/")
    assert "Kelurahan Belakang Pondok" in page.content()
    screenshot(page, f"admin-user-{viewport['width']}")
    page.goto(f"{live_server.url}/admin/accounts/user/")
    screenshot(page, f"admin-users-{viewport['width']}")
    assert page.locator("#result_list").is_visible()
