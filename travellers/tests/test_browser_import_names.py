"""An upload whose regions are written by name, as on the paper form, with one ambiguous and one unknown."""

import csv
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import DESKTOP, PHONE, browser_login, make_nik
from travellers import imports
from travellers.models import Arrival

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def named_csv(path):
    arrived = timezone.localtime() - timedelta(hours=2)
    rows = [
        ("Siti Rahmah", "P", "Alang Laweh, Padang Selatan, Kota Padang", "Kota Jambi"),
        ("Rudi Hartono", "L", "Kelurahan Belakang Pondok", "Kab. Kerinci"),
        ("Baris Ambigu", "P", "Baringin", "Kota Jambi"),
        ("Baris Salah Ketik", "L", "Alang Lawe", "Kota Jambi"),
    ]
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(imports.HEADERS)
        for serial, (name, sex, destination, origin) in enumerate(rows, start=9101):
            row = {
                **imports.EXAMPLE,
                "nama": name,
                "jenis_kelamin": sex,
                "nomor_identitas": make_nik(sex=sex, serial=serial),
                "kode_tujuan": destination,
                "kode_daerah_asal": origin,
                "kode_wilayah_asal": origin,
                "waktu_tiba": arrived.strftime("%d-%m-%Y %H:%M"),
                "riwayat_perjalanan": "",
            }
            writer.writerow([row.get(h, "") for h in imports.HEADERS])
    return path


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_an_upload_with_region_names(live_server, new_page, screenshot, make_user, viewport, tmp_path):
    make_user("officer", username="petugas", first_name="Rina", last_name="Petugas Posko")
    page = new_page(viewport)
    browser_login(page, live_server, "petugas")
    page.goto(f"{live_server.url}/posko/unggah/")
    page.set_input_files("#id_file", named_csv(tmp_path / "nama-wilayah.csv"))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_selector("table.report")
    screenshot(page, f"import-region-names-{viewport['width']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.locator("tr.status-stored").count() == 2
    errors = page.locator("tr.status-error").all_inner_texts()
    assert "ada di beberapa wilayah" in errors[0] and "tidak dikenal" in errors[1]
    assert sorted(Arrival.objects.values_list("destination_code", flat=True)) == ["13.71.01.1001", "13.71.01.1002"]
