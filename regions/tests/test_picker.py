import pytest
from django.urls import reverse

from regions.forms import RegionField
from regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, village_head):
    client.force_login(village_head)
    return client


def test_children_of_a_district_are_its_current_villages(logged_in):
    Region.objects.filter(code="13.71.01.1001").update(retired=True)
    response = logged_in.get(reverse("regions:children"), {"induk": "13.71.01"})
    codes = [r["code"] for r in response.json()["results"]]
    assert len(codes) == 11
    assert "13.71.01.1001" not in codes
    assert all(c.startswith("13.71.01.") for c in codes)


def test_without_a_parent_the_provinces_are_listed(logged_in):
    results = logged_in.get(reverse("regions:children")).json()["results"]
    assert len(results) == 38


def test_search_finds_by_name_within_the_root_with_a_readable_label(logged_in):
    response = logged_in.get(reverse("regions:search"), {"q": "alang laweh", "dalam": "13", "dari": 4})
    results = response.json()["results"]
    assert [r["code"] for r in results] == ["13.71.01.1002"]
    assert results[0]["label"] == "Kelurahan Alang Laweh, Kecamatan Padang Selatan, Kota Padang"


def test_search_is_bounded_and_costs_the_same_whatever_matches(logged_in, django_assert_max_num_queries):
    # session, user, matches, their ancestors (+ the request's savepoint)
    with django_assert_max_num_queries(6):
        results = logged_in.get(reverse("regions:search"), {"q": "koto"}).json()["results"]
    assert len(results) == 20


def test_short_queries_return_nothing(logged_in):
    assert logged_in.get(reverse("regions:search"), {"q": "k"}).json()["results"] == []


def test_region_field_accepts_codes_in_range_and_refuses_others(regions):
    field = RegionField(root="13", min_level=Region.Level.VILLAGE)
    assert field.clean("13.71.01.1002").code == "13.71.01.1002"
    for bad in ["13.71.01", "12.71.01.1001", "99", "<script>", "13.71.01.1002 OR 1=1"]:
        with pytest.raises(Exception) as excinfo:
            field.clean(bad)
        assert "Wilayah tidak dikenal" in str(excinfo.value)


def test_region_picker_renders_without_loading_all_regions(regions, django_assert_max_num_queries):
    field = RegionField(root="13", min_level=Region.Level.VILLAGE)
    with django_assert_max_num_queries(2):
        html = field.widget.render("destination", "13.71.01.1002")
    assert 'data-root="13"' in html
    assert "Alang Laweh" in html  # the chosen path, for the cascade
    assert html.count("<option") == 0


def test_region_field_refuses_nul_bytes_clearly(regions):
    with pytest.raises(Exception) as excinfo:
        RegionField(root="13").clean("13.71.01.1002\x00")
    assert "null" in str(excinfo.value)
