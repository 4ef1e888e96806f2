"""A task-force account enrols an authenticator app and logs in with it, in Chromium at 360 px."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from conftest import DESKTOP, PHONE, browser_login, browser_verify, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_key(key_text, at=None):
    """What an authenticator app shows for the key typed from the enrolment page."""
    key = b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def csp_errors(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return errors


def test_task_force_enrols_totp_and_logs_in_with_it(live_server, new_page, screenshot, make_user):
    make_user("province", "13", username="provinsi")
    page = new_page(PHONE)
    blocked = csp_errors(page)
    browser_login(page, live_server, "provinsi")
    assert "/akun/dua-langkah/daftar/" in page.url  # no data page before enrolment
    assert page.get_by_role("heading", level=1).inner_text() == "Verifikasi dua langkah"
    assert page.locator("figure.qr svg").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "2fa-enrol-360")

    key = page.locator("#secret").inner_text()
    page.get_by_label("Kode verifikasi").fill("123456" if code_from_key(key) != "123456" else "654321")
    page.get_by_role("button", name="Aktifkan").click()
    assert "Kode salah" in page.get_by_role("alert").first.inner_text()

    time.sleep(1.1)  # django-otp slows down retries after a wrong code
    page.get_by_label("Kode verifikasi").fill(code_from_key(key))
    page.get_by_role("button", name="Aktifkan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Simpan kode cadangan Anda"
    assert page.locator(".recovery-codes li").count() == 10
    screenshot(page, "2fa-recovery-codes-360")
    page.get_by_role("link", name="Sudah saya simpan, lanjutkan").click()
    assert page.url.endswith("/pantau/")

    page.get_by_role("button", name="Keluar").click()
    browser_login(page, live_server, "provinsi")
    assert "/akun/dua-langkah/verifikasi/" in page.url
    screenshot(page, "2fa-verify-360")
    # The code of the next 30-second step: the one used at enrolment may not be replayed.
    page.get_by_label("Kode verifikasi").fill(code_from_key(key, at=time.time() + 30))
    page.get_by_role("button", name="Lanjut").click()
    assert page.url.endswith("/pantau/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ringkasan wilayah"
    assert blocked == []


def test_the_admin_works_under_the_content_security_policy(live_server, new_page, screenshot, admin_user, make_user):
    babinsa = make_user("babinsa", "13.71.01.1001", "13.71.01.1002")
    device = totp_device_for(admin_user)
    page = new_page(DESKTOP)
    blocked = csp_errors(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "kata-sandi-uji-123")
    page.click("input[type=submit]")
    browser_verify(page, device)
    page.goto(f"{live_server.url}/admin/accounts/user/{babinsa.pk}/change/")
    # The autocomplete widget (admin JavaScript) comes up and offers regions as one types.
    page.locator(".field-jurisdictions .select2-selection").click()
    page.locator(".select2-search__field").fill("Sawahan")
    page.locator(".select2-results__option", has_text="Sawahan").first.wait_for()
    screenshot(page, "admin-csp-autocomplete-1280")
    assert blocked == []
