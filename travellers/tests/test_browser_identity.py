"""A name change for a known NIK, in Chromium: the officer confirms it, the person's page tells it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import DESKTOP, PHONE, browser_login, make_nik
from travellers.models import Arrival, Person

from .test_browser_entry import fill_trip, no_sideways_scroll, pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NIK = make_nik(sex="P", serial=6161)


@pytest.mark.parametrize(("viewport", "size"), [(PHONE, "360"), (DESKTOP, "1280")])
def test_the_officer_confirms_a_new_name_and_the_persons_page_shows_it(
    new_page, live_server, screenshot, make_user, make_arrival, make_person, viewport, size
):
    make_user("officer", username="petugas", first_name="Rina", last_name="Petugas Posko")
    make_user("district", "13.71.01", username="camat")
    person = make_person(id_number=NIK, name="Siti Rahmah", sex="P")
    make_arrival(person=person, arrived_at=timezone.now() - timedelta(days=3), entered_name="Siti Rahmah")
    page = new_page(viewport)
    browser_login(page, live_server, "petugas")
    page.fill("#id_orang-0-id_number", NIK)
    assert page.locator(".identity-confirm").first.is_hidden()
    # The form fills in the name the document is known under; typed over once it has (filled
    # while it arrives, the two names would run together).
    expect(page.locator("#id_orang-0-name")).to_have_value("Siti Rahmah", timeout=30_000)
    page.fill("#id_orang-0-name", "Siti Aminah")
    fill_trip(page)
    pick(page, "id_orang-0-destination", "Alang Laweh")
    page.get_by_label("Alamat tujuan").first.fill("Jl. Sutan Syahrir No. 5")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan kedatangan").click()
    assert "tercatat atas nama Siti Rahmah" in page.content()
    box = page.locator("#id_orang-0-confirm_identity_change")
    assert box.is_visible()
    screenshot(page, f"identity-confirm-{size}")
    no_sideways_scroll(page, viewport)
    box.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan kedatangan").click()
    assert "Tersimpan: Siti Aminah." in page.locator(".messages").inner_text()
    assert Person.objects.get(id_number=NIK).name == "Siti Aminah"

    newest = Arrival.objects.filter(person__id_number=NIK).order_by("-arrived_at").first()
    camat_page = new_page(viewport)
    browser_login(camat_page, live_server, "camat")
    camat_page.goto(f"{live_server.url}/pantau/kedatangan/{newest.pk}/")
    history = camat_page.locator("#identity-history").locator("xpath=..").inner_text()
    assert "Siti Rahmah" in history and "Siti Aminah" in history and "Rina Petugas Posko" in history
    assert "dicatat sebagai Siti Rahmah" in camat_page.content()
    screenshot(camat_page, f"identity-person-page-{size}")
    no_sideways_scroll(camat_page, viewport)
