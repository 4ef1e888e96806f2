"""A practice session in Chromium leaves every real list, count, export and digest as it was.

The officer switches "Latihan" on and enters a traveller (with a real traveller's NIK); the lurah,
in practice too, confirms the dispatch, records a check (not at home) and reports it to the
police. The real pages of the lurah and the provincial task force (overview, lists, inbox, checks
due, reports, follow-up figures, the CSV export) and their digests are snapshotted before and
after: they are the same, byte for byte, and no audit event about a real record was written.
"""

import re
from pathlib import Path

import pytest
from django.test import Client

from accounts import practice
from conftest import ARTIFACTS, DESKTOP, PHONE, browser_login, otp_verify_session

from .test_browser_integration import logout, pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/pantau/",
    "/pantau/kedatangan/?dari=2026-01-01",
    "/pantau/kotak-masuk/",
    "/pantau/isolasi/",
    "/pantau/isolasi/hari-ini/",
    "/pantau/laporan/",
    "/pantau/tindak-lanjut/",
]
EXPORT = "/pantau/kedatangan/ekspor.csv?dari=2026-01-01"
AXE_SOURCE = (Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js").read_text()
# What changes from one request to the next whatever the data: tokens and nonces.
VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


def snapshot(team):
    """The real lists, counts, export and digest the lurah and the provincial task force see."""
    from followup.digest import digest_figures

    found = {}
    for role in ("village", "province"):
        user = team[role]
        client = Client()
        client.force_login(user)
        if role == "province":
            otp_verify_session(client, user)
        for path in PAGES:
            response = client.get(path)
            if response.status_code == 403:
                continue  # the page is not this role's (checks due: those who visit)
            assert response.status_code == 200, path
            html = response.content.decode()
            found[role, path] = VOLATILE.sub("", html[html.index("<main") : html.index("</main>")])
        if role == "province":
            found[role, EXPORT] = b"".join(client.get(EXPORT).streaming_content).decode("utf-8-sig")
        found[role, "digest"] = digest_figures(user)
    return found


def record_audit_count():
    from accounts.audit import RECORD_ACTIONS
    from accounts.models import AuditEvent

    return AuditEvent.objects.filter(action__in=RECORD_ACTIONS).count()


def assert_axe_clean(page):
    """No axe violation on the page in practice mode (the CSP allows no injected script: bypassed)."""
    page.add_script_tag(content=AXE_SOURCE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"]] == []


def switch_practice_on(page):
    page.get_by_role("button", name="Latihan").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Latihan").get_attribute("aria-pressed") == "true"
    assert "data ini bukan data nyata" in page.locator(".practice-banner").inner_text()


def test_a_practice_session_changes_nothing_real(live_server, new_page, screenshot, team, register):
    from followup.models import Check, IsolationOrder, ViolationReport
    from followup.services import isolation_check_record, violation_report_raise
    from travellers.models import Arrival, Person

    real = register(destination="13.71.01.1002")
    real_order = IsolationOrder.objects.get(arrival=real)
    check = isolation_check_record(order=real_order, user=team["village"], at_home=False)
    violation_report_raise(failed_check=check, user=team["village"], description="Tidak di rumah")
    register(destination="13.71.01.1001")  # a neighbour's, unconfirmed
    before = snapshot(team)
    assert snapshot(team) == before  # nothing on these pages changes by itself
    audited = record_audit_count()

    # The officer, at the post, practises an entry, typing a real traveller's NIK.
    page = new_page(PHONE)
    browser_login(page, live_server, "petugas")
    switch_practice_on(page)
    page.goto(f"{live_server.url}/posko/catat/")
    screenshot(page, "practice-01-entry-form-360")
    page.screenshot(path=f"{ARTIFACTS}/practice-01-entry-form-360-screen.png")  # what the phone shows
    page.fill("#id_orang-0-id_number", real.person.id_number)
    page.get_by_label("Nama lengkap").first.fill("Peserta Latihan")
    pick(page, "id_origin", "Kota Jambi")
    page.select_option("#id_transport", "car")
    pick(page, "id_orang-0-destination", "Alang Laweh")
    page.get_by_label("Alamat tujuan").first.fill("Jl. Latihan No. 1")
    page.select_option("#id_orang-0-purpose", "family")
    page.get_by_role("button", name="Simpan kedatangan").click()
    page.wait_for_load_state()
    assert "Tersimpan: Peserta Latihan." in page.locator(".messages").inner_text()
    screenshot(page, "practice-02-entry-saved-360")
    logout(page)
    with practice.mode(True):
        trained = Arrival.objects.get(person__name="Peserta Latihan")
        order = IsolationOrder.objects.get(arrival=trained)
    assert trained.person_id != real.person_id and real.person.name != "Peserta Latihan"

    # The lurah, in practice: the dispatch, a check (not at home), a report to the police.
    page = new_page(DESKTOP, bypass_csp=True)  # for axe, injected below
    browser_login(page, live_server, "lurah")
    switch_practice_on(page)
    page.goto(f"{live_server.url}/pantau/kotak-masuk/")
    assert real.person.name not in page.locator("main").inner_text()  # no real record in practice
    screenshot(page, "practice-03-inbox-1280")
    assert_axe_clean(page)
    page.locator(".card", has_text="Peserta Latihan").get_by_role("link", name="Konfirmasi").click()
    page.get_by_label("Ditemukan di alamat").check()
    page.get_by_role("button", name="Simpan konfirmasi").click()
    assert "Konfirmasi untuk Peserta Latihan tersimpan" in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    page.get_by_role("button", name="Tidak di rumah").click()
    assert "tidak di rumah, tercatat" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="Laporkan ke polisi").click()
    page.get_by_label("Uraian pelanggaran").fill("Latihan: tidak di rumah pukul 15.00.")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_load_state()
    screenshot(page, "practice-04-report-1280")
    page.set_viewport_size(PHONE)
    screenshot(page, "practice-05-report-360")
    page.evaluate("window.scrollTo(0, 300)")  # scrolled down, the banner stays in view
    page.wait_for_function("document.querySelector('.practice-banner').getBoundingClientRect().top === 0")
    page.screenshot(path=f"{ARTIFACTS}/practice-06-report-scrolled-360-screen.png")
    with practice.mode(True):
        assert trained.confirmation.outcome == "found"
        assert Check.objects.filter(order=order, at_home=False).exists()
        assert ViolationReport.objects.filter(order=order).exists()
        assert Person.objects.filter(id_number=real.person.id_number).count() == 1

    assert record_audit_count() == audited  # nothing about a real record was seen or changed
    assert snapshot(team) == before
