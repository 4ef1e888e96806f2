"""The overview a task force or camat opens every morning: counts, breakdowns, chart, links into the list."""

import re

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from conftest import ALANG_LAWEH, BELAKANG_PONDOK, SAWAHAN
from monitoring.tests import fixtures
from travellers.models import Arrival

pytestmark = pytest.mark.django_db
camat, days_ago, province_user = fixtures.camat, fixtures.days_ago, fixtures.province_user  # shared fixtures
OVERVIEW = reverse("monitoring:overview")


@pytest.fixture
def week(make_arrival, days_ago, regions, other_checkpoint):
    """Arrivals over five weeks to Padang Selatan, Padang Timur and Agam, from Jambi and Riau."""
    riau = regions.get(code="14.71")
    made = []
    made += [make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(0)) for _ in range(3)]
    made += [make_arrival(destination=BELAKANG_PONDOK, arrived_at=days_ago(2), origin=riau) for _ in range(2)]
    made += [make_arrival(destination=f"{ALANG_LAWEH}", arrived_at=days_ago(10), checkpoint=other_checkpoint)]
    made += [make_arrival(destination="13.71.01", arrived_at=days_ago(1))]  # the district, no village given
    made += [make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(20))]
    made += [make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(45))]  # outside the chart
    made += [make_arrival(destination=SAWAHAN, arrived_at=days_ago(0)) for _ in range(4)]  # another kecamatan
    made += [make_arrival(destination="13.06.01.2001", arrived_at=days_ago(0))]  # Agam
    return made


def test_camat_sees_counts_for_the_kecamatan_only(client, camat, week):
    client.force_login(camat)
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    ctx = response.context
    assert (ctx["count_today"], ctx["count_7"], ctx["count_14"]) == (3, 6, 7)
    by_area = {(r.code if r else None): n for r, n in ctx["by_sub_area"]}
    assert by_area[ALANG_LAWEH] == 4 and by_area[BELAKANG_PONDOK] == 2 and by_area[None] == 1
    assert SAWAHAN not in by_area
    assert {p.code: n for p, n in ctx["by_origin"]} == {"15": 5, "14": 2}
    assert {name: n for _, name, n in ctx["by_checkpoint"]} == {
        "Posko Dharmasraya – Jambi": 6,
        "Posko Pasaman – Sumatera Utara": 1,
    }
    assert sum(bar.count for bar in ctx["bars"]) == 8 and ctx["bars"][-1].count == 3


def test_province_drills_down_from_regency_to_village(client, province_user, week):
    client.force_login(province_user)
    ctx = client.get(OVERVIEW).context
    assert {r.code: n for r, n in ctx["by_sub_area"] if n} == {"13.71": 11, "13.06": 1}
    ctx = client.get(OVERVIEW, {"wilayah": "13.71"}).context
    assert {r.code: n for r, n in ctx["by_sub_area"] if n} == {"13.71.01": 7, "13.71.02": 4}
    ctx = client.get(OVERVIEW, {"wilayah": "13.71.01"}).context
    assert ctx["count_today"] == 3
    body = client.get(OVERVIEW, {"wilayah": "13.71.01"}).content.decode()
    assert f'href="?wilayah={ALANG_LAWEH}&amp;hari=14"' in body  # clickable to drill in
    assert "Kota Padang" in body  # the breadcrumb back up


def test_drilling_outside_the_area_shows_only_the_own_area(client, camat, week):
    client.force_login(camat)
    ctx = client.get(OVERVIEW, {"wilayah": "13.71.02"}).context
    assert ctx["area"] is None and ctx["count_today"] == 3


def test_links_lead_into_the_filtered_list_with_the_same_rows(client, camat, week):
    client.force_login(camat)
    body = client.get(OVERVIEW).content.decode()
    links = re.findall(r'href="(/pantau/kedatangan/\?[^"]+)"', body)
    origin_link = next(link for link in links if "asal=14" in link).replace("&amp;", "&")
    listed = client.get(origin_link).context["arrivals"]
    assert len(listed) == 2 and {Arrival.objects.get(pk=a["id"]).origin.code for a in listed} == {"14.71"}


def test_chart_is_an_svg_drawn_on_the_server(client, camat, week):
    client.force_login(camat)
    body = client.get(OVERVIEW).content.decode()
    assert body.count("<rect ") == 30
    assert "<script" not in body and "cdn" not in body.lower()


def test_the_chart_is_a_picture_without_links_and_list_times_are_valid(client, camat, week):
    """Issue 14 (validity): no links inside the svg role=img (axe nested-interactive), each day's
    link sits in the table instead (only days with arrivals); <time datetime> without fractions."""
    import re

    client.force_login(camat)
    body = client.get(OVERVIEW).content.decode()
    chart = body[body.index('<figure class="chart">') :]
    svg = chart[: chart.index("</svg>")]
    assert 'role="img"' in svg and "<a " not in svg
    table = body[body.index('<details class="chart-table">') :]
    assert "?dari=" in table
    listed = client.get(reverse("monitoring:arrival_list")).content.decode()
    stamps = re.findall(r'<time datetime="([^"]+)"', listed)
    assert stamps
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp) for stamp in stamps), stamps


def test_overview_query_count_does_not_grow(client, province_user, make_arrival, django_assert_max_num_queries):
    client.force_login(province_user)
    for i in range(4):
        make_arrival(destination=[ALANG_LAWEH, SAWAHAN][i % 2])
    client.get(OVERVIEW)
    # The follow-up panel (followup_summary, in a partial) adds its figures: 6 grouped counts and the region names.
    with django_assert_max_num_queries(26) as small:
        client.get(OVERVIEW, {"wilayah": "13.71"})
    for i in range(20):
        make_arrival(destination=[ALANG_LAWEH, SAWAHAN, "13.06.01.2001"][i % 3])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(OVERVIEW, {"wilayah": "13.71"})
    assert response.context["count_today"] == 4 + 14  # the six bound for Agam are outside Kota Padang


def test_officer_is_refused_and_the_attempt_audited(client, officer):
    client.force_login(officer)
    assert client.get(OVERVIEW).status_code == 403
    assert AuditEvent.objects.filter(action="denied", object_id="monitoring:overview").count() == 1


def test_an_area_without_arrivals_says_so(client, make_user, hamlet, make_arrival):
    make_arrival(destination=ALANG_LAWEH)  # the village, not the hamlet
    client.force_login(make_user("hamlet", hamlet.code))
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert [r.code for r in response.context["tops"]] == [hamlet.code]
    assert response.context["count_14"] == 0 and response.context["by_sub_area"] == []
    assert "belum ada kedatangan" in response.content.decode()


def test_province_overview_names_a_renamed_post_at_once(client, province_user, make_arrival, checkpoint):
    """The province's breakdown by post names the posts from the per-process list: a rename shows on the next page."""
    make_arrival(destination=ALANG_LAWEH)
    client.force_login(province_user)
    assert f"<td>{checkpoint.name}</td>" in client.get(OVERVIEW).content.decode()
    checkpoint.name = "Posko Batas Lubuk Selasih"
    checkpoint.save()
    page = client.get(OVERVIEW).content.decode()
    assert "<td>Posko Batas Lubuk Selasih</td>" in page
    assert {code for code, _name, _n in client.get(OVERVIEW).context["by_checkpoint"]} == {checkpoint.code}
