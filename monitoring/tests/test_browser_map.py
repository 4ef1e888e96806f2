"""Issue 16 (1): the overview's map in Chromium at 360 and 1280 px, as the province and a regency see it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import ALANG_LAWEH, DESKTOP, PHONE, SAWAHAN, browser_login
from followup.models import IsolationOrder
from monitoring.tests.test_browser_monitoring import no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page's DOM says, read as a checker would: every regency shape with its class, link and
# name; the table's rows; and anything interactive inside an element with role=img (axe nested-interactive).
READ_MAP = """() => {
  const shapes = [...document.querySelectorAll('svg.map path:not(.map-border)')].map(p => {
    const a = p.closest('a');
    return {code: p.dataset.code || a.dataset.code, cls: p.getAttribute('class'),
            href: a ? a.getAttribute('href') : null, name: a ? a.getAttribute('aria-label') : null};
  });
  const rows = Object.fromEntries([...document.querySelectorAll('table.map-table tbody tr')].map(
    tr => [tr.dataset.code, {step: tr.dataset.step, cells: [...tr.cells].map(td => td.textContent.trim())}]));
  const nested = [...document.querySelectorAll('[role=img]')].flatMap(
    img => [...img.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')].map(e => e.tagName));
  return {shapes, rows, nested, pictures: document.querySelectorAll('[role=img]').length};
}"""


@pytest.fixture
def province_map(make_arrival, make_user, regions):
    """Arrivals over the week to six regencies, some in isolation, and the two task forces."""
    now = timezone.now()
    villages = {
        code: regions.filter(level=4, code__startswith=code + ".").order_by("code").first().code
        for code in ("13.06", "13.01", "13.75", "13.09", "13.04")
    }
    plan = [(ALANG_LAWEH, 9), (SAWAHAN, 5), (villages["13.06"], 6), (villages["13.01"], 3), (villages["13.75"], 2)]
    plan += [(villages["13.09"], 1), (villages["13.04"], 4)]
    made = []
    for destination, n in plan:
        made += [
            make_arrival(destination=destination, arrived_at=now - timedelta(days=i % 6, hours=1)) for i in range(n)
        ]
    for arrival in made[::3]:
        IsolationOrder.objects.create(
            person=arrival.person, arrival=arrival, reason="luar provinsi", start_date=timezone.localdate(), days=14
        )
    make_user("province", "13", username="provinsi")
    make_user("regency", "13.71", username="kabkota")
    return made


def step(n, top):
    return 0 if n == 0 else min(5, -(-5 * n // top))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_map_as_the_province_and_a_regency_see_it(live_server, new_page, screenshot, province_map, viewport):
    width = viewport["width"]
    for username in ("provinsi", "kabkota"):
        page = new_page(viewport)
        browser_login(page, live_server, username, second_factor=True)
        page.goto(f"{live_server.url}/pantau/?hari=7")
        seen = page.evaluate(READ_MAP)
        assert len(seen["shapes"]) == 19
        assert seen["pictures"] >= 1 and seen["nested"] == []
        counted = {s["code"]: s for s in seen["shapes"] if s["href"]}
        numbers = {code: int(row["cells"][1]) for code, row in seen["rows"].items()}
        assert set(counted) == set(numbers)
        top = max(numbers.values())
        for code, shape in counted.items():
            assert f"map-{step(numbers[code], top)}" in shape["cls"].split(), (code, shape, numbers[code])
            assert shape["name"].endswith(f": {numbers[code]} kedatangan")
            assert f"tujuan={code}" in shape["href"]
        if username == "provinsi":
            assert len(counted) == 19 and numbers["13.71"] == 14 and numbers["13.06"] == 6
        else:
            assert set(counted) == {"13.71"} and numbers["13.71"] == 14
            assert all(s["cls"] == "map-outline" and s["name"] is None for s in seen["shapes"] if s["code"] != "13.71")
        screenshot(page, f"map-overview-{username}-{width}")
        no_sideways_scroll(page, viewport)

        # Keyboard: from the map's own switch, Tab reaches the regency links, each named with its number.
        page.locator("nav.map-measures a").last.focus()
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => ({inMap: !!document.activeElement.closest('svg.map'),"
            " name: document.activeElement.getAttribute('aria-label')})"
        )
        assert focused["inMap"] and re.search(r": \d+ kedatangan$", focused["name"]), focused
        link = page.get_by_role("link", name=f"Kota Padang: {numbers['13.71']} kedatangan")
        assert link.count() == 1
        page.locator("section.region-map").screenshot(path=screenshot(page, f"map-focus-{username}-{width}"))

        page.goto(f"{live_server.url}/pantau/?hari=7&peta=isolasi")
        seen = page.evaluate(READ_MAP)
        isolating = {code: int(row["cells"][2]) for code, row in seen["rows"].items()}
        top = max(isolating.values())
        for shape in seen["shapes"]:
            if shape["href"]:
                assert f"map-{step(isolating[shape['code']], top)}" in shape["cls"].split()
                assert "isolasi=aktif" in shape["href"]
        screenshot(page, f"map-isolation-{username}-{width}")

        # Tapping Kota Padang opens its list.
        page.locator('svg.map a[data-code="13.71"]').click()
        page.wait_for_load_state()
        assert "tujuan=13.71" in page.url and "isolasi=aktif" in page.url
        assert page.locator("table.arrivals tbody tr").count() == isolating["13.71"]
        page.context.close()
