import pytest
from django.core.exceptions import ValidationError

from regions.models import Region, code_at_level, code_level, code_within, is_within


@pytest.mark.parametrize(
    ("code", "container", "inside"),
    [
        ("13.71.01.1002", "13", True),
        ("13.71.01.1002", "13.71", True),
        ("13.71.01.1002", "13.71.01", True),
        ("13.71.01.1002", "13.71.01.1002", True),
        ("13.71.01.1002.01", "13.71.01.1002", True),  # a hamlet in its village
        ("13.71.01.1002", "13.71.01.1002.01", False),  # a village is not in its hamlet
        ("13.71.01.1002", "13.7", False),  # a prefix of digits is not a parent
        ("13.71.01.1002", "13.71.1", False),
        ("13.710", "13.71", False),
        ("12.71.01", "13", False),
        ("13", "13.71", False),
    ],
)
def test_containment_is_a_code_prefix_at_a_dot(code, container, inside):
    assert is_within(code, container) is inside


@pytest.mark.django_db
def test_within_queryset_uses_the_same_rule(regions, hamlet):
    codes = set(Region.objects.within("13.71.01.1002").values_list("code", flat=True))
    assert codes == {"13.71.01.1002", "13.71.01.1002.01"}
    district = Region.objects.within("13.71.01")
    assert district.filter(level=Region.Level.VILLAGE).count() == 12
    assert not district.filter(code__startswith="13.71.010").exists()


@pytest.mark.django_db
def test_no_codes_match_nothing(regions):
    assert not Region.objects.filter(code_within("code", [])).exists()


@pytest.mark.django_db
def test_retired_regions_still_contain_but_are_not_current(regions):
    Region.objects.filter(code="13.71.01.1002").update(retired=True)
    assert Region.objects.within("13.71.01").filter(code="13.71.01.1002").exists()
    assert not Region.objects.current().within("13.71.01").filter(code="13.71.01.1002").exists()


@pytest.mark.django_db
def test_path_and_levels_from_codes(regions, hamlet):
    assert code_level(hamlet.code) == Region.Level.HAMLET == hamlet.level
    assert code_at_level(hamlet.code, Region.Level.REGENCY) == "13.71"
    assert [r.code for r in hamlet.path()] == ["13", "13.71", "13.71.01", "13.71.01.1002", "13.71.01.1002.01"]
    assert hamlet.path_display() == "Kampung Tangah, Kelurahan Alang Laweh, Kecamatan Padang Selatan, Kota Padang"


@pytest.mark.django_db
def test_hamlet_code_and_parent_are_validated(regions):
    village = Region.objects.get(code="13.71.01.1002")
    bad_code = Region(code="13.71.01.1003.01", name="X", level=Region.Level.HAMLET, parent=village)
    with pytest.raises(ValidationError) as excinfo:
        bad_code.full_clean()
    assert "code" in excinfo.value.message_dict
    bad_parent = Region(code="13.71.01.01", name="X", level=Region.Level.HAMLET, parent=village.parent)
    with pytest.raises(ValidationError) as excinfo:
        bad_parent.full_clean()
    assert "parent" in excinfo.value.message_dict
    good = Region(code="13.71.01.1002.02", name="Baru", level=Region.Level.HAMLET, parent=village)
    good.full_clean()
    good.save()
    assert good.kind == Region.Kind.KAMPUNG
