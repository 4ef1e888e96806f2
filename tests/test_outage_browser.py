"""The outage page as a phone shows it: self-contained, so it renders with no server behind it."""

import pytest
from django.test import RequestFactory

from conftest import DESKTOP, PHONE
from sipantau.middleware import database_unavailable

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport,name", [(PHONE, "outage-503-phone"), (DESKTOP, "outage-503-desktop")])
def test_outage_page_reads_well_and_needs_nothing_else(new_page, screenshot, viewport, name):
    response = database_unavailable(RequestFactory().get("/pantau/"))
    page = new_page(viewport)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_content(response.content.decode())
    assert page.get_by_role("heading", name="Layanan sementara tidak tersedia").is_visible()
    retry = page.get_by_role("link", name="Coba lagi")
    assert retry.bounding_box()["height"] >= 44
    # Fits the phone's width: nothing to scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert requests == []  # no stylesheet, font or script to fetch from a server that is down
    screenshot(page, name)
