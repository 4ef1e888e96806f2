"""The entry form as an officer uses it in Chromium on a 360 px phone: one traveller, a returning
traveller, a car of four; then the day list and a correction."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import DESKTOP, PHONE, browser_login, make_nik, wait_until
from travellers.models import Arrival, ArrivalChange, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rina(make_user):
    """The demo-like officer: Rina at the Dharmasraya – Jambi post."""
    return make_user("officer", username="petugas", first_name="Rina", last_name="Petugas Posko")


def pick(page, field_id, text):
    """Choose a region in a picker by typing part of its name and taking the first match."""
    page.fill(f"#{field_id}-search", text)
    page.locator(f"#{field_id}-results button").first.click()
    wait_until(page, f"document.getElementById('{field_id}').value !== ''")


def fill_trip(page):
    pick(page, "id_origin", "Kota Jambi")
    page.select_option("#id_transport", "car")
    page.fill("#id_plate", "bh 1234 ab")


def no_sideways_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_one_traveller_at_360_px(live_server, new_page, screenshot, rina):
    page = new_page(PHONE)
    browser_login(page, live_server, "petugas")
    assert page.url.endswith("/posko/catat/")
    assert page.evaluate("document.activeElement.name") == "orang-0-id_number"  # ready to type the NIK
    screenshot(page, "entry-empty-360")
    no_sideways_scroll(page, PHONE)

    nik = make_nik(sex="P")
    page.keyboard.type(nik[:4] + " " + nik[4:8] + " " + nik[8:12] + " " + nik[12:])
    page.get_by_label("Nama lengkap").first.fill("Siti Rahmah")
    page.get_by_label("Nomor HP").first.fill("0812-3456-7890")
    fill_trip(page)
    pick(page, "id_orang-0-destination", "Alang Laweh")
    page.get_by_label("Alamat tujuan").first.fill("Jl. Sutan Syahrir No. 5")
    page.select_option("#id_orang-0-purpose", "family")
    page.fill("#id_orang-0-temperature", "36,7")
    page.get_by_role("button", name="+ Tambah tempat").click()
    pick(page, "id_riwayat-0-region", "Kota Jambi")
    today = timezone.localdate()
    page.fill("#id_riwayat-0-date_from", (today - timedelta(days=7)).isoformat())
    page.fill("#id_riwayat-0-date_to", today.isoformat())
    screenshot(page, "entry-filled-360")
    page.get_by_role("button", name="Simpan kedatangan").click()
    page.wait_for_load_state()

    assert "Tersimpan: Siti Rahmah." in page.locator(".messages").inner_text()
    screenshot(page, "entry-saved-360")
    arrival = Arrival.objects.get()
    assert (arrival.person.sex, arrival.person.phone, arrival.plate) == ("P", "+6281234567890", "BH 1234 AB")
    assert arrival.travel_stops.count() == 1
    # The form is empty again with a fresh key for the next traveller.
    assert page.input_value("#id_orang-0-id_number") == ""
    assert page.input_value("[name=entry_key]") != str(arrival.entry_key)


def test_a_returning_traveller_is_recognised_by_nik(live_server, new_page, screenshot, rina, make_arrival, make_person):
    nik = make_nik()
    person = make_person(id_number=nik, name="Budi Santoso", phone="+6281299998888", home_address="Jl. Jambi 1")
    make_arrival(person=person, arrived_at=timezone.now() - timedelta(days=20))
    page = new_page(PHONE)
    browser_login(page, live_server, "petugas")
    page.fill("#id_orang-0-id_number", nik)
    page.wait_for_selector(".lookup-found")
    assert page.input_value("#id_orang-0-name") == "Budi Santoso"
    # Only the form's identity fields come back: phone and address are asked afresh,
    # and an arrival 20 days ago is not the post's entry of today.
    assert page.input_value("#id_orang-0-phone") == ""
    assert page.input_value("#id_orang-0-home_address") == ""
    assert page.locator(".previous-arrivals").count() == 0
    assert "tanyakan nomor HP dan alamat" in page.locator(".lookup-found").inner_text()
    screenshot(page, "entry-returning-360")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "entry-returning-1280")
    page.set_viewport_size(PHONE)
    fill_trip(page)
    pick(page, "id_orang-0-destination", "Sawahan")
    page.get_by_label("Alamat tujuan").first.fill("Jl. Sawahan 2")
    page.get_by_role("button", name="Simpan kedatangan").click()
    page.wait_for_load_state()
    assert "Tersimpan: Budi Santoso." in page.locator(".messages").inner_text()
    assert Person.objects.filter(id_number=nik).count() == 1
    assert person.arrivals.count() == 2


def test_a_car_of_four_then_the_day_list_and_a_correction(live_server, new_page, screenshot, rina):
    page = new_page(PHONE)
    browser_login(page, live_server, "petugas")
    page.fill("#id_orang-0-id_number", make_nik())
    page.fill("#id_orang-0-name", "Andi Pengemudi")
    fill_trip(page)
    pick(page, "id_orang-0-destination", "Alang Laweh")
    page.fill("#id_orang-0-destination_address", "Jl. Sutan Syahrir 1")
    page.select_option("#id_orang-0-purpose", "homecoming")
    for index, name in enumerate(["Bunga", "Citra", "Dedi"], start=1):
        page.get_by_role("button", name="+ Tambah penumpang").click()
        assert page.evaluate("document.activeElement.name") == f"orang-{index}-id_type"
        page.fill(f"#id_orang-{index}-id_number", make_nik(sex="P" if name != "Dedi" else "L"))
        page.fill(f"#id_orang-{index}-name", name)
        page.select_option(f"#id_orang-{index}-purpose", "homecoming")
    # Dedi gets off elsewhere: untick "same destination" and choose his.
    page.get_by_label("Tujuan sama dengan orang pertama").nth(2).uncheck()
    pick(page, "id_orang-3-destination", "Sawahan")
    page.fill("#id_orang-3-destination_address", "Jl. Sawahan 9")
    screenshot(page, "entry-car-of-four-360")
    no_sideways_scroll(page, PHONE)
    page.get_by_role("button", name="Simpan kedatangan").click()
    page.wait_for_load_state()
    assert "Tersimpan 4 orang" in page.locator(".messages").inner_text()
    arrivals = Arrival.objects.order_by("id")
    assert [a.destination_code for a in arrivals] == ["13.71.01.1002"] * 3 + ["13.71.02.1001"]
    assert len({a.vehicle_group for a in arrivals}) == 1

    page.get_by_role("link", name="Entri hari ini").first.click()
    page.wait_for_load_state()
    assert page.locator(".entry").count() == 4
    screenshot(page, "day-list-360")
    no_sideways_scroll(page, PHONE)
    page.get_by_role("link", name="Perbaiki Dedi").click()
    page.fill("#id_orang-0-phone", "0813 1111 2222")
    page.get_by_role("button", name="Simpan perbaikan").click()
    page.wait_for_load_state()
    assert "Perbaikan tersimpan: nomor HP." in page.locator(".messages").inner_text()
    assert ArrivalChange.objects.get().changes[0]["new"] == "+6281311112222"
    page.get_by_role("link", name="Perbaiki Dedi").click()
    screenshot(page, "correction-360")


def test_desktop_layout(live_server, new_page, screenshot, rina, make_arrival):
    make_arrival(officer=rina)
    page = new_page(DESKTOP)
    browser_login(page, live_server, "petugas")
    page.get_by_role("button", name="+ Tambah penumpang").click()
    screenshot(page, "entry-1280")
    no_sideways_scroll(page, DESKTOP)
    page.goto(live_server.url + "/posko/hari-ini/")
    screenshot(page, "day-list-1280")
    page.get_by_role("link", name="Perbaiki").first.click()
    screenshot(page, "correction-1280")
    no_sideways_scroll(page, DESKTOP)


def test_keyboard_enter_moves_on_and_ctrl_enter_saves(live_server, new_page, rina):
    page = new_page(PHONE)
    browser_login(page, live_server, "petugas")
    page.keyboard.type(make_nik())
    page.keyboard.press("Enter")  # next field, not a half-filled submission
    assert page.evaluate("document.activeElement.name") == "orang-0-name"
    assert page.url.endswith("/posko/catat/") and not page.locator(".form-errors").count()
    page.keyboard.type("Tono")
    fill_trip(page)
    pick(page, "id_orang-0-destination", "Alang Laweh")
    page.fill("#id_orang-0-destination_address", "Jl. Sutan Syahrir 1")
    page.focus("#id_orang-0-destination_address")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".messages")
    assert "Tersimpan: Tono." in page.locator(".messages").inner_text()
