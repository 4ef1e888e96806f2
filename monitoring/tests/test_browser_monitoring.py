"""Overview, list and detail in Chromium at phone and desktop width, as several demo roles see them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import ALANG_LAWEH, BELAKANG_PONDOK, DESKTOP, PHONE, SAWAHAN, browser_login
from travellers.models import TravelStop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["Rahmat Hidayat", "Siti Aminah", "Budi Santoso", "Yuliani Putri", "Fajar Pratama", "Dewi Lestari"]


@pytest.fixture
def month(make_arrival, make_person, make_user, regions, other_checkpoint, hamlet):
    """A month of arrivals around Padang Selatan, and the demo-like accounts that look at them."""
    now = timezone.now()
    made = []
    for i in range(40):
        sex = "P" if i % 2 else "L"
        person = make_person(name=f"{NAMES[i % len(NAMES)]} {i}", sex=sex, phone="+6281234567890")
        made.append(
            make_arrival(
                destination=[ALANG_LAWEH, BELAKANG_PONDOK, SAWAHAN, hamlet.code][i % 4],
                person=person,
                arrived_at=now - timedelta(days=(i * 7) % 29, hours=i % 5),
                origin=regions.get(code=["15.71", "14.71", "12.71", "31.71"][i % 4]),
                checkpoint=other_checkpoint if i % 3 == 0 else made[0].checkpoint if made else None,
                isolation_required=i % 2 == 0,
                plate="BA 1234 XY",
            )
            if made
            else make_arrival(destination=ALANG_LAWEH, person=person, isolation_required=True)
        )
    today = timezone.localdate()
    TravelStop.objects.create(
        arrival=made[0], region=regions.get(code="15.71"), place="Pasar Angso Duo",
        date_from=today - timedelta(9), date_to=today - timedelta(2),
    )  # fmt: skip
    make_user("district", "13.71.01", username="camat")
    make_user("village", ALANG_LAWEH, username="lurah")
    make_user("regency", "13.71", username="kabkota")
    make_user("babinsa", ALANG_LAWEH, BELAKANG_PONDOK, username="babinsa")
    return made


def no_sideways_scroll(page, viewport):
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], wide
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_pages_as_the_roles_see_them(live_server, new_page, screenshot, month, viewport):
    width = viewport["width"]
    for username in ("camat", "lurah", "kabkota", "babinsa"):
        page = new_page(viewport)
        browser_login(page, live_server, username, second_factor=username == "kabkota")
        assert page.get_by_role("heading", level=1).inner_text() == "Ringkasan wilayah"
        assert page.locator(".chart svg rect").count() == 30
        screenshot(page, f"monitoring-overview-{username}-{width}")
        no_sideways_scroll(page, viewport)

        page.get_by_role("link", name="Daftar kedatangan").first.click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Daftar kedatangan"
        screenshot(page, f"monitoring-list-{username}-{width}")
        if username == "camat":
            page.get_by_text("Saring: tanggal, posko, asal, tujuan, isolasi").click()
            page.get_by_label("Status isolasi").select_option("ya")
            page.get_by_label("Wilayah tujuan").select_option(ALANG_LAWEH)
            with page.expect_navigation():
                page.get_by_role("button", name="Terapkan").click()
            assert f"tujuan={ALANG_LAWEH}" in page.url and "isolasi=ya" in page.url
            screenshot(page, f"monitoring-list-filtered-{username}-{width}")
            no_sideways_scroll(page, viewport)
        no_sideways_scroll(page, viewport)

        page.goto(f"{live_server.url}/pantau/kedatangan/?dari={(timezone.localdate() - timedelta(29)).isoformat()}")
        rows = page.locator("table.arrivals tbody tr")
        assert rows.count() > 0
        screenshot(page, f"monitoring-list-month-{username}-{width}")
        page.screenshot(path=screenshot(page, f"monitoring-list-month-{username}-{width}").replace(".png", "-top.png"))
        rows.first.get_by_role("link").click()
        page.wait_for_load_state()
        assert "Identitas" in page.locator("main").inner_text()
        screenshot(page, f"monitoring-detail-{username}-{width}")
        no_sideways_scroll(page, viewport)
        page.context.close()


def test_search_by_keyboard_alone(live_server, new_page, month):
    page = new_page(PHONE)
    browser_login(page, live_server, "camat")
    page.goto(f"{live_server.url}/pantau/kedatangan/")
    page.get_by_label("Cari NIK atau nama").focus()
    page.keyboard.type(month[0].person.id_number)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    names = page.locator("table.arrivals tbody tr .name").all_inner_texts()
    assert names == [month[0].person.name]
    assert month[0].person.masked_id in page.locator("main").inner_text()


def test_overview_drill_down_by_clicking(live_server, new_page, screenshot, month):
    page = new_page(DESKTOP)
    browser_login(page, live_server, "kabkota", second_factor=True)
    by_area = page.locator("section[aria-labelledby=by-area]")  # the follow-up table links the same areas
    by_area.get_by_role("link", name="Kecamatan Padang Selatan", exact=True).click()
    page.wait_for_load_state()
    assert "wilayah=13.71.01" in page.url
    by_area.get_by_role("link", name="Kelurahan Alang Laweh", exact=True).click()
    page.wait_for_load_state()
    assert "wilayah=13.71.01.1002" in page.url
    screenshot(page, "monitoring-overview-drilled-1280")
