"""Issue 5's "Done when" walked in Chromium from the real entry form: the officer enters a traveller
from Jambi bound for Kelurahan Alang Laweh; the lurah confirms it, sees its isolation order,
records two checks and reports the failed one; the Bhabinkamtibmas acknowledges and closes it.
Then every monitoring and follow-up page as each demo role, at 360 and 1280 px."""

import pytest

from conftest import DESKTOP, PHONE, browser_login, make_nik

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.url


def logout(page):
    # The logout form is sent after the page has checked the offline queue (asynchronously):
    # wait for the login page, not for the current page's load state.
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/akun/masuk/**")


def pick(page, field_id, text):
    """Choose a region in a picker by typing part of its name and taking the first match."""
    page.fill(f"#{field_id}-search", text)
    page.locator(f"#{field_id}-results button").first.click()
    page.wait_for_function(f"document.getElementById('{field_id}').value !== ''")


def enter_traveller(page, name):
    """What the officer does at the post: one traveller from Kota Jambi to Alang Laweh."""
    page.fill("#id_orang-0-id_number", make_nik(sex="P"))
    page.get_by_label("Nama lengkap").first.fill(name)
    page.get_by_label("Nomor HP").first.fill("0812-3456-7890")
    pick(page, "id_origin", "Kota Jambi")
    page.select_option("#id_transport", "car")
    page.fill("#id_plate", "bh 1234 ab")
    pick(page, "id_orang-0-destination", "Alang Laweh")
    page.get_by_label("Alamat tujuan").first.fill("Jl. Sutan Syahrir No. 5")
    page.select_option("#id_orang-0-purpose", "family")
    page.get_by_role("button", name="Simpan kedatangan").click()
    page.wait_for_load_state()
    assert f"Tersimpan: {name}." in page.locator(".messages").inner_text()


def test_entry_to_closed_police_report(live_server, new_page, screenshot, team):
    from followup.models import IsolationOrder, ViolationReport
    from travellers.models import Arrival

    page = new_page(PHONE)
    browser_login(page, live_server, "petugas")
    enter_traveller(page, "Siti Rahmah")
    screenshot(page, "e2e-01-entry-saved-360")
    arrival = Arrival.objects.get(person__name="Siti Rahmah")
    order = IsolationOrder.objects.get(arrival=arrival)  # the follow-up's receiver ran inside the entry
    assert arrival.destination_code == "13.71.01.1002"
    logout(page)

    # The lurah, on their own phone, finds her in the inbox (the overview says so too) and confirms.
    page = new_page(PHONE)
    browser_login(page, live_server, "lurah")
    page.goto(f"{live_server.url}/pantau/")
    summary = page.locator(".followup-summary").inner_text()
    assert "1\nkedatangan belum dikonfirmasi" in summary and "1\nisolasi berjalan" in summary
    screenshot(page, "e2e-02-overview-lurah-360")
    no_sideways_scroll(page, PHONE)
    page.get_by_role("link", name="Tindak lanjut", exact=True).click()
    page.wait_for_url("**/pantau/kotak-masuk/")
    card = page.locator(".card", has_text="Siti Rahmah")
    screenshot(page, "e2e-03-inbox-360")
    card.get_by_role("link", name="Konfirmasi").click()
    page.get_by_label("Ditemukan di alamat").check()
    page.get_by_role("button", name="Simpan konfirmasi").click()
    assert "Konfirmasi untuk Siti Rahmah tersimpan" in page.locator(".messages").inner_text()

    # Her arrival's page shows the confirmation and the isolation order, with the way to its timeline.
    page.goto(f"{live_server.url}/pantau/kedatangan/{arrival.pk}/")
    panel = page.locator(".followup-panel")
    assert "Ditemukan di alamat" in panel.inner_text() and "Aktif" in panel.inner_text()
    screenshot(page, "e2e-04-arrival-detail-360")
    no_sideways_scroll(page, PHONE)
    panel.get_by_role("link", name="Riwayat isolasi dan pemantauan").click()
    assert page.url.endswith(order.get_absolute_url())

    # Two checks: at home in the morning, not at home in the afternoon.
    page.get_by_role("link", name="Pantau hari ini").click()
    page.locator(".card", has_text="Siti Rahmah").get_by_role("button", name="Ada di rumah").click()
    assert "di rumah, tercatat" in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    page.get_by_role("button", name="Tidak di rumah").click()
    assert "tidak di rumah, tercatat" in page.locator(".messages").inner_text()
    assert order.checks.count() == 2
    screenshot(page, "e2e-05-order-two-checks-360")
    page.get_by_role("link", name="Laporkan ke polisi").click()
    page.get_by_label("Uraian pelanggaran").fill("Pukul 15.00 tidak di rumah; menurut tetangga pergi ke pasar.")
    page.get_by_role("button", name="Kirim laporan").click()
    report = ViolationReport.objects.get()
    assert page.url.endswith(report.get_absolute_url())
    assert report.recipient == ViolationReport.Recipient.POLICE
    logout(page)

    # The Bhabinkamtibmas: the report waits for them; acknowledge, act, close.
    page = new_page(PHONE)  # the Bhabinkamtibmas's own phone
    browser_login(page, live_server, "bhabin")
    page.goto(f"{live_server.url}/pantau/")
    assert "1\nlaporan polisi terbuka" in page.locator(".followup-summary").inner_text()
    page.locator(".followup-summary").get_by_role("link", name="laporan polisi terbuka").click()
    assert "Menunggu tindakan Anda" in page.locator(".card").inner_text()
    page.get_by_role("link", name=f"{report.number} — Siti Rahmah").click()
    page.get_by_role("button", name="Terima laporan").click()
    page.get_by_label("Tindakan yang diambil").fill("Didatangi dan diberi teguran; berjanji tetap di rumah.")
    page.get_by_role("button", name="Catat tindakan dan selesaikan").click()
    screenshot(page, "e2e-06-report-closed-360")
    no_sideways_scroll(page, PHONE)
    report.refresh_from_db()
    assert report.state == ViolationReport.State.CLOSED
    history = page.locator(".timeline").inner_text()
    assert history.index("Baru") < history.index("Diterima") < history.index("Selesai")
    page.goto(f"{live_server.url}/pantau/")
    assert "0\nlaporan polisi terbuka" in page.locator(".followup-summary").inner_text()


PAGES = [
    ("/pantau/", "overview"),
    ("/pantau/kedatangan/?dari=2026-01-01", "list"),
    ("/pantau/kotak-masuk/", "inbox"),
    ("/pantau/isolasi/hari-ini/", "due"),
    ("/pantau/isolasi/", "isolation"),
    ("/pantau/laporan/", "reports"),
    ("/pantau/tindak-lanjut/", "figures"),
]
ROLES = ["camat", "lurah", "kampung", "babinsa", "bhabin", "kabkota", "provinsi"]
TASK_FORCES = {"kabkota", "provinsi"}


def login(page, live_server, username):
    """Log in; task forces also pass two-factor."""
    browser_login(page, live_server, username, second_factor=username in TASK_FORCES)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_every_page_as_every_role(live_server, new_page, screenshot, team, register, viewport):
    from followup.models import IsolationOrder
    from followup.services import isolation_check_record, violation_report_raise

    orders = [IsolationOrder.objects.get(arrival=register(destination=code)) for code in
              ("13.71.01.1002", "13.71.01.1002.01", "13.71.01.1001", "13.71.02.1001")]  # fmt: skip
    check = isolation_check_record(order=orders[0], user=team["village"], at_home=False)
    violation_report_raise(failed_check=check, user=team["village"], description="Tidak di rumah")
    isolation_check_record(order=orders[1], user=team["hamlet"], at_home=True)
    width = viewport["width"]
    page = new_page(viewport)
    for role in ROLES:
        login(page, live_server, role)
        for path, name in PAGES:
            response = page.goto(live_server.url + path)
            if name == "due" and response.status == 403:
                continue  # only those who record checks have the page; their menu does not offer it
            assert response.status == 200, (role, path)
            screenshot(page, f"roles-{role}-{name}-{width}")
            no_sideways_scroll(page, viewport)
        logout(page)
