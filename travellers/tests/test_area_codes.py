"""An arrival keeps its destination's regency, district and village codes, and an area of any
level finds the same arrivals by them as by the code prefix."""

import pytest

from conftest import ALANG_LAWEH, BELAKANG_PONDOK, SAWAHAN
from regions.models import code_within, code_within_columns
from travellers.models import DESTINATION_COLUMNS, Arrival

pytestmark = pytest.mark.django_db


def test_an_arrival_stores_the_codes_of_its_destinations_areas(make_arrival, hamlet):
    arrival = make_arrival(destination=hamlet)
    stored = Arrival.objects.values("regency_code", "district_code", "village_code").get(pk=arrival.pk)
    assert stored == {"regency_code": "13.71", "district_code": "13.71.01", "village_code": ALANG_LAWEH}
    assert (arrival.regency_code, arrival.village_code) == ("13.71", ALANG_LAWEH)  # read back on save


@pytest.mark.parametrize(
    "codes",
    [
        ["13"],
        ["13.71"],
        ["13.71.01"],
        [ALANG_LAWEH],
        [f"{ALANG_LAWEH}.01"],
        ["13.71.01", SAWAHAN],
        [ALANG_LAWEH, BELAKANG_PONDOK],
        ["13.06"],
        [],
    ],
)
def test_an_area_finds_the_same_arrivals_by_its_column_as_by_its_prefix(make_arrival, hamlet, codes):
    for destination in (hamlet, ALANG_LAWEH, BELAKANG_PONDOK, SAWAHAN, "13.06.01.2001", "13.71.02.1002"):
        make_arrival(destination=destination)
    by_prefix = set(Arrival.objects.filter(code_within("destination_code", codes)).values_list("pk", flat=True))
    by_column = Arrival.objects.filter(code_within_columns("destination_code", codes, DESTINATION_COLUMNS))
    assert set(by_column.values_list("pk", flat=True)) == by_prefix
    assert bool(by_prefix) == bool(codes)
