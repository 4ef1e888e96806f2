"""The follow-up walked in Chromium on a 360 px phone: inbox, confirmation, checks, police report."""

import pytest

from conftest import DESKTOP, PHONE, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.url


def logout(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


def test_inbox_to_closed_police_report_on_a_phone(live_server, new_page, screenshot, team, register, make_person):
    from followup.models import IsolationOrder, ViolationReport

    # As the entry form stores it: the arrival, then the follow-up's arrivals_registered receiver.
    arrival = register(person=make_person(name="Andi Pratama", phone="+6281234567890"))
    page = new_page(PHONE)

    # The wali nagari / lurah finds the traveller in the inbox and confirms.
    browser_login(page, live_server, "lurah")
    page.get_by_role("link", name="Tindak lanjut").click()
    page.wait_for_url("**/pantau/kotak-masuk/")
    card = page.locator(".card", has_text="Andi Pratama")
    assert "Wajib isolasi" in card.inner_text()
    screenshot(page, "followup-inbox-360")
    no_sideways_scroll(page, PHONE)
    card.get_by_role("link", name="Konfirmasi").click()
    page.get_by_label("Ditemukan di alamat").check()
    screenshot(page, "followup-confirm-360")
    no_sideways_scroll(page, PHONE)
    page.get_by_role("button", name="Simpan konfirmasi").click()
    assert "Konfirmasi untuk Andi Pratama tersimpan" in page.locator(".messages").inner_text()
    assert page.locator(".card", has_text="Andi Pratama").count() == 0

    # The order is there; today's visit is one tap.
    order = IsolationOrder.objects.get(arrival=arrival)
    page.get_by_role("link", name="Pantau hari ini").click()
    due = page.locator(".card", has_text="Andi Pratama")
    screenshot(page, "followup-due-360")
    no_sideways_scroll(page, PHONE)
    due.get_by_role("button", name="Ada di rumah").click()
    assert "di rumah, tercatat" in page.locator(".messages").inner_text()
    assert page.get_by_text("Semua sudah dipantau hari ini.").is_visible()

    # An afternoon visit finds nobody home, with a note.
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    page.get_by_text("Tambah suhu, gejala, catatan").click()
    page.get_by_label("Catatan").fill("Kata tetangga ke pasar")
    page.get_by_role("button", name="Tidak di rumah").click()
    assert "tidak di rumah, tercatat" in page.locator(".messages").inner_text()
    timeline = page.locator(".timeline").inner_text()
    assert "Dipantau: di rumah" in timeline and "Dipantau: TIDAK di rumah" in timeline
    screenshot(page, "followup-order-360")
    no_sideways_scroll(page, PHONE)

    # From the failed check, a report to the village police.
    page.get_by_role("link", name="Laporkan ke polisi").click()
    assert "Bhabinkamtibmas desa/nagari" in page.locator(".facts").inner_text()
    page.get_by_label("Uraian pelanggaran").fill("Pukul 15.00 tidak di rumah; menurut tetangga pergi ke pasar.")
    screenshot(page, "followup-report-form-360")
    page.get_by_role("button", name="Kirim laporan").click()
    report = ViolationReport.objects.get()
    assert page.url.endswith(report.get_absolute_url())
    logout(page)

    # The Bhabinkamtibmas acknowledges, acts, closes, and prints the letter.
    browser_login(page, live_server, "bhabin")
    page.goto(f"{live_server.url}/pantau/laporan/")
    assert "Menunggu tindakan Anda" in page.locator(".card").inner_text()
    screenshot(page, "followup-police-list-360")
    page.get_by_role("link", name=f"{report.number} — Andi Pratama").click()
    page.get_by_role("button", name="Terima laporan").click()
    assert "Diterima" in page.locator(".timeline").inner_text()
    page.get_by_label("Tindakan yang diambil").fill("Didatangi dan diberi teguran; berjanji tetap di rumah.")
    page.get_by_role("button", name="Catat tindakan dan selesaikan").click()
    screenshot(page, "followup-report-closed-360")
    no_sideways_scroll(page, PHONE)
    history = page.locator(".timeline").inner_text()
    assert history.index("Baru") < history.index("Diterima") < history.index("Selesai")
    report.refresh_from_db()
    assert report.state == "closed"
    page.get_by_role("link", name="Surat laporan (cetak)").click()
    assert page.get_by_role("heading", name="LAPORAN PELANGGARAN ISOLASI MANDIRI").is_visible()
    screenshot(page, "followup-letter-360")
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Cetak").is_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_follow_up_pages_at_phone_and_desktop_width(live_server, new_page, screenshot, team, register, viewport):
    from followup.models import IsolationOrder
    from followup.services import isolation_check_record, violation_report_raise

    orders = [IsolationOrder.objects.get(arrival=register()) for _ in range(3)]
    register(destination="13.71.02.1001")
    check = isolation_check_record(order=orders[0], user=team["village"], at_home=False)
    violation_report_raise(failed_check=check, user=team["village"], description="Tidak di rumah")
    isolation_check_record(order=orders[1], user=team["village"], at_home=True)
    width = viewport["width"]
    page = new_page(viewport)
    browser_login(page, live_server, "camat")
    for path, name in [
        ("/pantau/tindak-lanjut/", "summary"),
        ("/pantau/isolasi/", "isolation-list"),
        (orders[0].get_absolute_url(), "order-camat"),
    ]:
        page.goto(live_server.url + path)
        screenshot(page, f"followup-{name}-{width}")
        no_sideways_scroll(page, viewport)
    assert "Isolasi dimulai" in page.locator(".timeline").inner_text()  # the last page: the order
    page.goto(live_server.url + "/pantau/tindak-lanjut/")
    assert "50%" in page.locator(".followup-summary").inner_text()
    logout(page)
    browser_login(page, live_server, "babinsa")
    page.goto(live_server.url + "/pantau/isolasi/hari-ini/")
    sizes = page.eval_on_selector_all(
        ".actions button, .subnav a, details.more summary", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= 44
    screenshot(page, f"followup-due-{width}")
    no_sideways_scroll(page, viewport)
