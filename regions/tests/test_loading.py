import pytest
from django.core.management import call_command

from regions.loading import load_regions
from regions.models import Region

pytestmark = pytest.mark.django_db


def level_counts():
    return {level: Region.objects.filter(level=level).count() for level in Region.Level}


def test_loads_every_province_regency_district_and_home_villages(regions):
    counts = level_counts()
    assert counts[Region.Level.PROVINCE] == 38
    assert counts[Region.Level.REGENCY] == 514
    assert counts[Region.Level.DISTRICT] == 7285
    assert counts[Region.Level.VILLAGE] == 1265  # Sumatera Barat only
    assert not Region.objects.filter(level=Region.Level.VILLAGE).exclude(code__startswith="13.").exists()


def test_parents_follow_the_codes(regions):
    village = Region.objects.select_related("parent__parent__parent").get(code="13.71.01.1002")
    assert village.name == "Alang Laweh"
    assert [village.parent.code, village.parent.parent.code, village.parent.parent.parent.code] == [
        "13.71.01",
        "13.71",
        "13",
    ]


def test_village_kinds_follow_the_place(regions):
    assert Region.objects.get(code="13.71.01.1002").kind == Region.Kind.KELURAHAN  # Kota Padang
    agam_village = Region.objects.filter(code__startswith="13.06.", level=Region.Level.VILLAGE).first()
    assert agam_village.kind == Region.Kind.NAGARI
    mentawai_village = Region.objects.filter(code__startswith="13.09.", level=Region.Level.VILLAGE).first()
    assert mentawai_village.kind == Region.Kind.DESA
    assert Region.objects.get(code="13.71").kind == Region.Kind.KOTA
    assert Region.objects.get(code="13.06").kind == Region.Kind.KABUPATEN


def test_second_run_changes_nothing(regions):
    before = list(Region.objects.values_list("id", "code", "name", "parent_id", "retired").order_by("id"))
    result = load_regions(province="13")
    assert (result.created, result.updated, result.retired) == (0, 0, 0)
    assert result.unchanged == 38 + 514 + 7285 + 1265
    assert list(Region.objects.values_list("id", "code", "name", "parent_id", "retired").order_by("id")) == before


def test_region_gone_from_the_data_is_retired_not_deleted(regions, make_arrival):
    old = Region.objects.create(
        code="13.71.01.1999",
        name="Kelurahan Lama",
        level=Region.Level.VILLAGE,
        kind="kelurahan",
        parent=Region.objects.get(code="13.71.01"),
    )
    arrival = make_arrival(destination=old)
    load_regions(province="13")
    old.refresh_from_db()
    assert old.retired
    arrival.refresh_from_db()
    assert arrival.destination == old
    assert not Region.objects.current().filter(code=old.code).exists()


def test_renamed_region_is_updated_and_retired_region_returns(regions):
    Region.objects.filter(code="13.71.01.1002").update(name="Salah Nama", retired=True)
    result = load_regions(province="13")
    assert result.updated == 1
    region = Region.objects.get(code="13.71.01.1002")
    assert (region.name, region.retired) == ("Alang Laweh", False)


def test_admin_added_hamlets_are_left_alone(hamlet):
    load_regions(province="13")
    hamlet.refresh_from_db()
    assert not hamlet.retired
    assert hamlet.kind == Region.Kind.KAMPUNG  # follows its kelurahan


def test_command_reports_counts_and_attribution(regions, capsys):
    call_command("load_regions")
    out = capsys.readouterr().out
    assert "Kecamatan: 7285" in out
    assert "0 created" in out
    assert "ODbL" in out
