"""The hamlet upload in Chromium at phone and desktop width: a sheet with good and bad rows, its report."""

import csv

import pytest

from conftest import DESKTOP, PHONE, browser_login
from regions import hamlets
from regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_upload_the_hamlets_and_read_the_report(live_server, new_page, screenshot, make_user, viewport, tmp_path):
    make_user("village", "13.71.01.1002", username="lurah", first_name="Lurah", last_name="Alang Laweh")
    path = tmp_path / "jorong.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(
            [
                hamlets.HEADERS,
                ["Alang Laweh, Padang Selatan, Kota Padang", "Tangah", "kampung"],
                ["13.71.01.1002", "Koto Baru", "kampung"],
                ["Belakang Pondok", "Jawa", "kampung"],
                ["13.71.01.1002", "", "kampung"],
            ]
        )
    page = new_page(viewport)
    browser_login(page, live_server, "lurah")
    page.get_by_role("link", name="Daftar jorong/kampung/dusun").click()
    page.wait_for_url("**/pantau/wilayah/jorong/")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Unggah dan muat").click()
    assert "2 ditambahkan, 0 sudah ada, 2 galat" in page.locator(".hamlet-counts").inner_text()
    screenshot(page, f"hamlet-upload-report-{viewport['width']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert "di luar wilayah Anda" in page.locator("tr.status-error").first.inner_text()
    assert Region.objects.filter(parent__code="13.71.01.1002", level=5).count() == 2
