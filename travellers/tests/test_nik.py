"""NIK, passport and phone rules, with vectors of both sexes, edge dates and leap days."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from travellers.nik import (
    NikInfo,
    nik_mismatches,
    normalise_country,
    normalise_nik,
    normalise_passport,
    normalise_phone,
    parse_nik,
)

TODAY = date(2026, 11, 25)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
KNOWN = {"13", "13.71.01", "12", "12.01.01", "31", "31.71.01"}


def parse(raw, today=TODAY):
    return parse_nik(raw, known_codes=KNOWN, today=today)


def codes(excinfo):
    return sorted(e.code for e in excinfo.value.error_list)


# ---- valid vectors -----------------------------------------------------------
@pytest.mark.parametrize(
    ("nik", "sex", "born"),
    [
        ("1371011705900001", "L", date(1990, 5, 17)),  # man, 17-05-1990
        ("1371015705900001", "P", date(1990, 5, 17)),  # woman: day 17 + 40 = 57
        ("1371010101000001", "L", date(2000, 1, 1)),  # first day of 2000
        ("1371014101000002", "P", date(2000, 1, 1)),  # woman, day 01 + 40 = 41
        ("1371013112990001", "L", date(1999, 12, 31)),  # last day of a year
        ("1371017112990001", "P", date(1999, 12, 31)),  # woman, day 31 + 40 = 71
        ("1371012902000001", "L", date(2000, 2, 29)),  # leap day of 2000 (a leap year although % 100)
        ("1371016902960001", "P", date(1996, 2, 29)),  # woman born on a leap day
        ("1371012902240001", "L", date(2024, 2, 29)),  # recent leap day
        ("1371012511260001", "L", date(2026, 11, 25)),  # born today
        ("1371013004900001", "L", date(1990, 4, 30)),  # 30 April (31 April is refused below)
        ("1371012611260001", "L", date(1926, 11, 26)),  # tomorrow's date two-digit year -> last century
        ("1371013006300009", "L", date(1930, 6, 30)),  # year 30 is in the future for 2030 -> 1930
        ("3171010101809999", "L", date(1980, 1, 1)),  # another province, serial 9999
    ],
)
def test_valid_niks_give_sex_and_birth_date(nik, sex, born):
    info = parse(nik)
    assert isinstance(info, NikInfo)
    assert (info.sex, info.birth_date) == (sex, born)
    assert info.number == nik
    assert info.warnings == ()


def test_province_regency_district_and_serial_are_split_out():
    info = parse("1371015705900123")
    assert (info.province_code, info.regency_code, info.district_code, info.serial) == (
        "13",
        "13.71",
        "13.71.01",
        "0123",
    )


# ---- normalisation -----------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    [
        "1371 0117 0590 0001",  # spaces
        "13.71.01.170590.0001",  # dots, as on some KTP copies
        "137101-170590-0001",  # dashes
        " 1371011705900001\n",  # pasted with whitespace
        "1371011705900001".translate(FULL_WIDTH),  # full-width digits (CJK keyboards)
        "1371011705900001".translate(ARABIC_INDIC),  # Arabic-Indic digits
        "1371\u00a00117\u20030590 0001",  # non-breaking and em spaces
    ],
)
def test_digits_typed_by_habit_are_normalised(typed):
    assert normalise_nik(typed) == "1371011705900001"
    assert parse(typed).number == "1371011705900001"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        (None, "required"),
        ("   ", "required"),
        ("137101170590000", "nik_length"),  # 15 digits
        ("13710117059000011", "nik_length"),  # 17 digits
        ("1371O11705900001", "nik_not_digits"),  # letter O for zero
        ("1371011705900001\x00", "nik_not_digits"),  # NUL byte
        ("<b>1371011705900001</b>", "nik_not_digits"),
    ],
)
def test_malformed_niks_are_refused_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as excinfo:
        normalise_nik(typed)
    assert excinfo.value.code == code
    assert excinfo.value.messages[0].startswith("NIK")


def test_length_message_says_how_many_digits_were_typed():
    with pytest.raises(ValidationError) as excinfo:
        normalise_nik("1371 0117 0590 000")
    assert excinfo.value.messages == ["NIK harus 16 angka; yang diketik 15 angka."]


# ---- invalid vectors ---------------------------------------------------------
@pytest.mark.parametrize(
    ("nik", "expected"),
    [
        ("9971011705900001", ["nik_province"]),  # no province 99
        ("0071011705900001", ["nik_province"]),
        ("1371010005900001", ["nik_date"]),  # day 00
        ("1371013205900001", ["nik_date"]),  # day 32 (a man cannot have it, a woman starts at 41)
        ("1371014005900001", ["nik_date"]),  # day 40 = woman's day 0
        ("1371017205900001", ["nik_date"]),  # day 72 = woman's day 32
        ("1371013102900001", ["nik_date"]),  # 31 February
        ("1371013104900001", ["nik_date"]),  # 31 April
        ("1371017104900001", ["nik_date"]),  # woman, 31 April
        ("1371012902010001", ["nik_date"]),  # 29 February 2001 / 1901: no leap year
        ("1371016902010001", ["nik_date"]),  # woman, 29 February 2001
        ("1371012902250001", ["nik_date"]),  # 29 February 2025 / 1925: neither a leap year
        ("1371011700900001", ["nik_date"]),  # month 00
        ("1371011713900001", ["nik_date"]),  # month 13
        ("1371011705900000", ["nik_serial"]),  # serial 0000
        ("9971013102900000", ["nik_date", "nik_province", "nik_serial"]),  # every rule at once
    ],
)
def test_invalid_niks_are_refused(nik, expected):
    with pytest.raises(ValidationError) as excinfo:
        parse(nik)
    assert codes(excinfo) == expected


def test_error_messages_are_indonesian_and_name_the_digits():
    with pytest.raises(ValidationError) as excinfo:
        parse("9971013102900000")
    messages = excinfo.value.messages
    assert "Dua angka pertama NIK (99) bukan kode provinsi yang dikenal." in messages
    assert any("310290" in m and "tanggal lahir" in m for m in messages)
    assert "Empat angka terakhir NIK tidak boleh 0000." in messages


def test_leap_day_of_1900_is_read_as_2000():
    # 29-02-00: 1900 was not a leap year, 2000 was; the only possible reading is 2000.
    assert parse("1371012902000001").birth_date == date(2000, 2, 29)


def test_a_date_not_yet_reached_this_century_falls_in_the_last():
    assert parse("1371012611260001", today=date(2026, 11, 25)).birth_date == date(1926, 11, 26)
    assert parse("1371012611260001", today=date(2026, 11, 26)).birth_date == date(2026, 11, 26)


def test_leap_day_in_a_year_still_to_come_this_century_needs_a_past_leap_year():
    # 29-02-28: 2028 is in the future on 25-11-2026, 1928 was a leap year.
    assert parse("1371012902280001").birth_date == date(1928, 2, 29)
    # 29-02-30: 2030 future, 1930 no leap year -> impossible.
    with pytest.raises(ValidationError):
        parse("1371012902300001")


def test_unknown_district_is_a_warning_not_an_error():
    info = parse("1371991705900001")  # province 13 known, district 13.71.99 not
    assert info.sex == "L"
    assert info.warnings == ("Kode kecamatan pada NIK (13.71.99) tidak ada di data wilayah; periksa kembali angkanya.",)


@pytest.mark.django_db
def test_province_and_district_are_checked_against_the_region_data(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        info = parse_nik("1371011705900001", today=TODAY)
    assert info.warnings == ()
    assert parse_nik("1371991705900001", today=TODAY).warnings  # no such district
    with pytest.raises(ValidationError):
        parse_nik("9971011705900001", today=TODAY)


# ---- cross-check against what was typed --------------------------------------
def test_typed_sex_and_birth_date_must_match_the_nik():
    info = parse("1371015705900001")  # woman, 17-05-1990
    assert nik_mismatches(info, sex="P", birth_date=date(1990, 5, 17)) == {}
    assert nik_mismatches(info, sex=None, birth_date=None) == {}
    errors = nik_mismatches(info, sex="L", birth_date=date(1990, 5, 18))
    assert errors["sex"].messages[0] == "Jenis kelamin tidak cocok dengan NIK (NIK ini milik seorang perempuan)."
    assert errors["birth_date"].messages[0] == "Tanggal lahir tidak cocok dengan NIK (menurut NIK: 17-05-1990)."


# ---- passports ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("a1234567", "A1234567"),
        (" E 123 4567 ", "E1234567"),
        ("XY12345".translate(str.maketrans("XY12345", "ＸＹ１２３４５")), "XY12345"),
    ],
)
def test_passport_numbers_are_normalised(typed, stored):
    assert normalise_passport(typed) == stored


@pytest.mark.parametrize("typed", ["", "A12", "A1234567<", "A" * 21, "A12\x0034567"])
def test_bad_passport_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_passport(typed)


def test_nationality_is_a_two_letter_code():
    assert normalise_country(" my ") == "MY"
    for bad in ["", "MYS", "M1", "Malaysia"]:
        with pytest.raises(ValidationError):
            normalise_country(bad)


# ---- phones ------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.7890",
        "+6281234567890",
        "+62 812 3456 7890",
        "+62 (0)812 3456 7890",
        "6281234567890",
        "62-812-3456-7890",
        "081234567890".translate(FULL_WIDTH),
    ],
)
def test_indonesian_mobile_numbers_have_one_form(typed):
    assert normalise_phone(typed) == "+6281234567890"


def test_landlines_and_foreign_numbers():
    assert normalise_phone("(0751) 123456") == "+62751123456"
    assert normalise_phone("+60 12-345 6789") == "+60123456789"
    assert normalise_phone("") == ""
    assert normalise_phone(None) == ""


@pytest.mark.parametrize("typed", ["12345", "0812", "08123456789012345", "0812abc4567", "812345678", "+12", "0"])
def test_impossible_phone_numbers_are_refused(typed):
    with pytest.raises(ValidationError) as excinfo:
        normalise_phone(typed)
    assert "Nomor" in excinfo.value.messages[0]
