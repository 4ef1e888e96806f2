"""Issue 16 (1): the overview's map of regencies, built from nusa-13 and drawn by the server, scoped like the page."""

import gzip
import io
import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import AGAM, ALANG_LAWEH, SAWAHAN
from followup.models import IsolationOrder
from monitoring import mapdata, regionmap
from monitoring.tests import fixtures

days_ago, province_user = fixtures.days_ago, fixtures.province_user  # shared fixtures
pytestmark = pytest.mark.django_db
OVERVIEW = reverse("monitoring:overview")
SUMBAR = [f"13.{n:02d}" for n in range(1, 13)] + [f"13.{n}" for n in range(71, 78)]


# ------------------------------------------------------------------------------
# The build: command on a small fixture, and the committed file
# ------------------------------------------------------------------------------
def _ring(lat, lon, size):
    return [[lat, lon], [lat, lon + size], [lat - size, lon + size], [lat - size, lon], [lat, lon]]


def test_build_region_map_reads_lat_lon_rings_and_several_polygons(tmp_path):
    source = tmp_path / "regencies.csv"
    north = _ring(0.5, 100.0, 0.2)  # a square in the north-west
    # 1371: two rings (mainland and an island further east), as Kota Padang has 15
    south = [_ring(-0.5, 100.5, 0.2), _ring(-0.5, 100.9, 0.1)]
    with open(source, "w", encoding="utf-8") as f:
        f.write("code,province_code,name,latitude,longitude,coordinates\n")
        f.write(f'1306,13,"Kab. Agam",0.4,100.1,"{json.dumps(north)}"\n')
        f.write(f'1371,13,"Kota Padang",-0.6,100.6,"{json.dumps(south)}"\n')
    output = tmp_path / "map.json"
    call_command("build_region_map", str(source), "--output", str(output), stdout=io.StringIO())
    content = json.loads(output.read_text())
    regions = {r["code"]: r["d"] for r in content["regions"]}
    assert set(regions) == {"13.06", "13.71"}
    assert regions["13.71"].count("M") == 2 and regions["13.06"].count("M") == 1
    width, height = map(int, content["viewBox"].split()[2:])
    assert width == 1000 and 1195 < height < 1210  # 1.2° of latitude over 1.0° of longitude
    agam_x, agam_y = map(int, re.match(r"M(\d+) (\d+)", regions["13.06"]).groups())
    padang_x, padang_y = map(int, re.match(r"M(\d+) (\d+)", regions["13.71"]).groups())
    assert (agam_x, agam_y) == (0, 0)  # north-west corner: latitude read first, north up
    assert padang_x > agam_x and padang_y > agam_y  # further east and further south
    assert "nusa" in content["source"] and "MIT" in content["source"]


def test_simplify_drops_points_within_the_tolerance_and_keeps_the_corners():
    line = [(0, 0), (1, 0.1), (2, -0.1), (3, 0), (3, 3), (0, 3), (0, 0)]
    assert mapdata.simplify(line, 0.5) == [(0, 0), (3, 0), (3, 3), (0, 3), (0, 0)]


def test_committed_map_file_holds_the_19_regencies_small_and_with_its_licence():
    raw = mapdata.MAP_FILE.read_bytes()
    content = json.loads(raw)
    assert [r["code"] for r in content["regions"]] == SUMBAR
    assert all(re.fullmatch(r"(M\d+ \d+l[-\d ]+z)+", r["d"]) for r in content["regions"])
    assert content["regions"][SUMBAR.index("13.71")]["d"].count("M") > 1  # Kota Padang's islands
    assert len(gzip.compress(raw, 9)) <= 30_000
    licence = (mapdata.MAP_FILE.parent / "LICENSE-nusa-MIT.txt").read_text()
    assert "Creasi.co" in licence and "MIT License" in licence
    assert "LICENSE-nusa-MIT.txt" in content["source"]


def test_steps_and_legend_cover_every_count_once():
    for top in (1, 3, 5, 7, 40, 1234):
        ranges = regionmap.legend(top)
        for n in range(top + 1):
            (k,) = [k for k, low, high in ranges if low <= n <= high]
            assert regionmap.step(n, top) == k


# ------------------------------------------------------------------------------
# The overview
# ------------------------------------------------------------------------------
class MapParser(HTMLParser):
    """The map's shapes (code → class, link, name) and its table's rows (code → numbers), as a reader gets them."""

    def __init__(self):
        super().__init__()
        self.shapes, self.rows, self.paths, self.border = {}, {}, 0, None
        self.link, self.row, self.cells, self.cell = None, None, [], None
        self.svg_depth, self.img_tag, self.img_nest, self.interactive_in_img, self.pictures = 0, None, 0, [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "map" in a.get("class", ""):
            self.svg_depth = 1
        if self.img_tag:  # inside an element with role=img: nothing interactive (axe nested-interactive)
            self.img_nest += tag == self.img_tag
            if tag in ("a", "button", "input", "select", "textarea", "details") or "tabindex" in a:
                self.interactive_in_img.append(tag)
        elif a.get("role") == "img":
            self.img_tag, self.img_nest, self.pictures = tag, 1, self.pictures + 1
        if self.svg_depth:
            if tag == "a":
                self.link = a
            if tag == "path" and a.get("class") == "map-border":
                self.border = a
            elif tag == "path":
                self.paths += 1
                code = a.get("data-code") or self.link["data-code"]
                self.shapes[code] = {"class": a["class"], "link": self.link}
        if tag == "tr" and "data-code" in a:
            self.row, self.cells = a, []
        if tag == "td" and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == self.img_tag:
            self.img_nest -= 1
            self.img_tag = self.img_tag if self.img_nest else None
        if tag == "svg":
            self.svg_depth = 0
        if tag == "a":
            self.link = None
        if tag == "td" and self.cell is not None:
            self.cells.append(self.cell.strip())
            self.cell = None
        if tag == "tr" and self.row is not None:
            name, arrivals, isolating = self.cells
            self.rows[self.row["data-code"]] = {"name": name, "arrivals": arrivals, "isolating": isolating}
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def parse(response):
    parser = MapParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def spread(make_arrival, days_ago):
    """Arrivals over the last days: Kota Padang busiest, Agam some, Kota Bukittinggi one long ago."""
    made = [make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(i % 5)) for i in range(6)]
    made += [make_arrival(destination=SAWAHAN, arrived_at=days_ago(1)) for _ in range(4)]
    made += [make_arrival(destination="13.06.01.2001", arrived_at=days_ago(2)) for _ in range(3)]
    made += [make_arrival(destination="13.75.01.1001", arrived_at=days_ago(20))]
    for arrival in made[:3] + made[10:11]:  # three in Kota Padang, one in Agam, in isolation
        IsolationOrder.objects.create(
            person=arrival.person, arrival=arrival, reason="luar provinsi", start_date=timezone.localdate(), days=14
        )
    return made


@pytest.fixture
def regency_user(make_user):
    return make_user("regency", "13.71", username="kabkota")


def test_province_sees_all_19_regencies_shaded_as_its_table_says(client, province_user, spread):
    client.force_login(province_user)
    page = parse(client.get(OVERVIEW, {"hari": 7}))
    assert page.paths == 19 and set(page.shapes) == set(SUMBAR)
    assert page.pictures >= 1 and page.interactive_in_img == []  # the chart is a picture; the map is not
    assert set(page.rows) == set(SUMBAR)  # every regency is within reach, each has its number
    assert page.rows["13.71"]["arrivals"] == "10" and page.rows["13.06"]["arrivals"] == "3"
    assert page.rows["13.75"]["arrivals"] == "0"  # its arrival was 20 days ago
    top = 10
    for code, shape in page.shapes.items():
        n = int(page.rows[code]["arrivals"])
        assert f"map-{regionmap.step(n, top)}" in shape["class"].split(), (code, n, shape)
        assert shape["link"]["aria-label"].endswith(f": {n} kedatangan")
    assert "map-5" in page.shapes["13.71"]["class"] and "map-2" in page.shapes["13.06"]["class"]


def test_the_regency_link_opens_its_list_with_the_same_number(client, province_user, spread):
    client.force_login(province_user)
    page = parse(client.get(OVERVIEW, {"hari": 7}))
    since = timezone.localdate() - timedelta(days=6)
    href = page.shapes["13.06"]["link"]["href"]
    assert href == f"{reverse('monitoring:arrival_list')}?dari={since}&sampai={timezone.localdate()}&tujuan=13.06"
    assert len(client.get(href).context["arrivals"]) == 3


def test_isolation_view_shades_by_running_orders_and_links_to_them(client, province_user, spread):
    client.force_login(province_user)
    page = parse(client.get(OVERVIEW, {"hari": 7, "peta": "isolasi"}))
    assert page.rows["13.71"]["isolating"] == "3" and page.rows["13.06"]["isolating"] == "1"
    assert "map-5" in page.shapes["13.71"]["class"] and "map-2" in page.shapes["13.06"]["class"]
    assert "map-0" in page.shapes["13.01"]["class"]
    href = page.shapes["13.71"]["link"]["href"]
    assert "isolasi=aktif" in href and "tujuan=13.71" in href
    assert len(client.get(href).context["arrivals"]) == 3


def test_isolation_view_shows_the_follow_up_panels_running_orders(client, province_user, spread):
    client.force_login(province_user)
    for where in ({}, {"wilayah": "13.71"}):
        response = client.get(OVERVIEW, {"peta": "isolasi", **where})
        shaded = {row["region"].code: row["isolating"] for row in response.context["map"]["rows"]}
        panel = {}
        for row in response.context["followup"]["rows"]:
            panel[row["code"][:5]] = panel.get(row["code"][:5], 0) + row["active"]
        assert shaded == {code: panel.get(code, 0) for code in shaded}
        assert sum(shaded.values()) == response.context["followup"]["totals"]["active"] > 0


def test_regency_sees_its_own_number_and_its_neighbours_as_outlines(client, regency_user, spread):
    client.force_login(regency_user)
    response = client.get(OVERVIEW, {"hari": 7})
    page = parse(response)
    assert page.paths == 19
    assert set(page.rows) == {"13.71"} and page.rows["13.71"]["arrivals"] == "10"
    assert page.shapes["13.71"]["link"] is not None and "map-current" in page.shapes["13.71"]["class"]
    assert page.border["d"] == regionmap.outlines()["regions"][SUMBAR.index("13.71")]["d"]  # drawn on top
    for code in set(SUMBAR) - {"13.71"}:
        assert page.shapes[code] == {"class": "map-outline", "link": None}
    body = response.content.decode()
    assert "tujuan=13.06" not in body and "Kabupaten Agam" not in body  # nothing about a neighbour


def test_province_drilled_into_a_regency_highlights_it(client, province_user, spread):
    client.force_login(province_user)
    page = parse(client.get(OVERVIEW, {"wilayah": AGAM, "hari": 7}))
    assert set(page.rows) == {AGAM} and page.rows[AGAM]["arrivals"] == "3"
    assert "map-current" in page.shapes[AGAM]["class"] and page.shapes["13.71"]["link"] is None


def test_camat_overview_has_no_map(client, make_user, spread):
    client.force_login(make_user("district", "13.71.01", username="camat"))
    response = client.get(OVERVIEW)
    assert response.context["map"] is None and 'class="map"' not in response.content.decode()


def test_the_map_is_a_named_group_with_named_links_not_a_picture_with_links(client, province_user, spread):
    client.force_login(province_user)
    body = client.get(OVERVIEW).content.decode()
    svg = body[body.index('<svg class="map"') :]
    svg = svg[: svg.index("</svg>")]
    assert 'role="group"' in svg and 'aria-labelledby="map-title"' in svg and 'role="img"' not in svg
    assert svg.count("<a ") == 19 and svg.count("aria-label=") == 19
    assert "style=" not in svg and "<script" not in body and "http" not in svg


def test_overview_with_map_keeps_a_constant_number_of_queries(
    client, province_user, make_arrival, django_assert_max_num_queries
):
    client.force_login(province_user)
    for i in range(4):
        make_arrival(destination=[ALANG_LAWEH, SAWAHAN][i % 2])
    client.get(OVERVIEW)
    with django_assert_max_num_queries(22) as small:  # as without the map: it reads the page's own figures
        client.get(OVERVIEW, {"peta": "isolasi"})
    for i in range(30):
        arrival = make_arrival(destination=[ALANG_LAWEH, "13.06.01.2001", "13.75.01.1001"][i % 3])
        IsolationOrder.objects.create(
            person=arrival.person, arrival=arrival, reason="uji", start_date=timezone.localdate(), days=14
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(OVERVIEW, {"peta": "isolasi"})
    assert sum(row["isolating"] for row in response.context["map"]["rows"]) == 30


def test_tallied_days_shade_the_map_as_counted_ones_do(client, province_user, spread):
    from monitoring.tallies import tally_until

    client.force_login(province_user)
    before = parse(client.get(OVERVIEW, {"hari": 30}))
    tally_until(timezone.localdate() - timedelta(days=1))
    after = parse(client.get(OVERVIEW, {"hari": 30}))
    assert after.rows == before.rows and after.shapes == before.shapes
    assert after.rows["13.75"]["arrivals"] == "1"  # 20 days ago, from the tallies now
