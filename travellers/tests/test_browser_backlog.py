"""The paper backlog in Chromium: the printable form (A4, A5, print media) and an upload with its report."""

import csv
import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import ARTIFACTS, DESKTOP, PHONE, browser_login, make_nik
from travellers import imports
from travellers.models import Arrival

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rina(make_user):
    return make_user("officer", username="petugas", first_name="Rina", last_name="Petugas Posko")


def backlog_csv(path):
    arrived = timezone.localtime() - timedelta(hours=2)
    rows = []
    for name, sex in [("Siti Rahmah", "P"), ("Rudi Hartono", "L")]:
        rows.append({**imports.EXAMPLE, "nama": name, "jenis_kelamin": sex, "nomor_identitas": make_nik(sex=sex)})
    rows.append({**imports.EXAMPLE, "nama": "Baris Salah", "nomor_identitas": "1371 0000", "kode_tujuan": "99"})
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(imports.HEADERS)
        for row in rows:
            row.update({"waktu_tiba": arrived.strftime("%d-%m-%Y %H:%M"), "riwayat_perjalanan": ""})
            writer.writerow([row.get(h, "") for h in imports.HEADERS])
    return path


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_upload_a_backlog_and_read_the_report(live_server, new_page, screenshot, rina, viewport, tmp_path):
    page = new_page(viewport)
    browser_login(page, live_server, "petugas")
    page.wait_for_url("**/posko/catat/")
    page.get_by_role("link", name="Formulir kertas").first.click()
    page.wait_for_url("**/posko/unggah/")
    screenshot(page, f"backlog-start-{viewport['width']}")
    page.set_input_files("#id_file", backlog_csv(tmp_path / "backlog.csv"))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_selector("table.report")  # the script processes the chunks, then shows the report
    assert "3 dari 3 baris diproses" in page.locator("#import-progress").inner_text()
    screenshot(page, f"backlog-report-{viewport['width']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.locator("tr.status-stored").count() == 2
    assert "NIK harus 16 angka" in page.locator("tr.status-error").inner_text()
    assert Arrival.objects.count() == 2


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_printable_form(live_server, new_page, screenshot, rina, size):
    page = new_page(DESKTOP)
    browser_login(page, live_server, "petugas")
    page.goto(f"{live_server.url}/posko/formulir-kertas/?ukuran={size}")
    screenshot(page, f"paper-{size}-screen")
    page.emulate_media(media="print")
    # The printable width of the sheet at 96 px per inch (A4: 190 mm, A5: 134 mm).
    page.set_viewport_size({"width": 718 if size == "A4" else 506, "height": 1000})
    screenshot(page, f"paper-{size}-print")
    os.makedirs(ARTIFACTS, exist_ok=True)
    pdf = page.pdf(path=os.path.join(ARTIFACTS, f"paper-{size}.pdf"), prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # the blank form fits on one sheet
    assert page.locator(".site-header").is_hidden()
