"""Identity numbers and phone numbers as officers type them: NIK, passport, Indonesian phones.

A NIK is 16 digits: `PP RR DD` the province, regency and district where it was first issued,
`DDMMYY` the birth date with 40 added to the day for women, then a serial other than 0000.
Digits 1–6 say where the NIK was issued, not where the person lives: never derive residence
or anyone's access from them.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NIK_LENGTH = 16
# Separators people type by habit (spaces, dots, dashes, slashes): dropped, not refused.
_SEPARATORS = re.compile(r"[\s.\-/_\u00a0\u2000-\u200b\u2010-\u2015\u3000]+")


@dataclass(frozen=True)
class NikInfo:
    """What a valid NIK says: where it was issued, the birth date and the sex."""

    number: str
    province_code: str
    regency_code: str
    district_code: str
    birth_date: date
    sex: str  # "L" or "P", as Person.Sex
    serial: str
    warnings: tuple = field(default=())


def ascii_digits(raw: str) -> str:
    """Turn any Unicode decimal digit (full-width ０-９, Arabic-Indic, …) into 0-9; keep the rest."""
    out = []
    for char in raw:
        if char.isdigit() and not char.isascii():
            try:
                out.append(str(unicodedata.decimal(char)))
                continue
            except ValueError:
                pass
        out.append(char)
    return "".join(out)


def normalise_nik(raw) -> str:
    """The 16 ASCII digits of a typed NIK, or ValidationError saying what is wrong with it."""
    if raw is None:
        raw = ""
    text = _SEPARATORS.sub("", ascii_digits(unicodedata.normalize("NFKC", str(raw))))
    if not text:
        raise ValidationError(_("NIK wajib diisi."), code="required")
    if not text.isascii() or not text.isdigit():
        raise ValidationError(_("NIK hanya berisi angka (16 angka, tanpa huruf)."), code="nik_not_digits")
    if len(text) != NIK_LENGTH:
        raise ValidationError(
            _("NIK harus 16 angka; yang diketik %(count)d angka."), code="nik_length", params={"count": len(text)}
        )
    return text


def nik_region_codes(raw) -> tuple[str, ...]:
    """The province and district codes a typed NIK names (what parse_nik checks); () when it is no NIK."""
    try:
        number = normalise_nik(raw)
    except ValidationError:
        return ()
    return number[0:2], f"{number[0:2]}.{number[2:4]}.{number[4:6]}"


def nik_birth_date(day: int, month: int, year2: int, today: date) -> date | None:
    """The latest birth date not after `today` with this day, month and two-digit year."""
    for century in (2000, 1900):
        try:
            born = date(century + year2, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def parse_nik(raw, *, known_codes=None, today: date | None = None) -> NikInfo:
    """Check a NIK against the rules and return what it says; ValidationError if it breaks one.

    `known_codes` is the set of region codes to check the province and district against;
    by default they are looked up in the region data (one query).
    """
    number = normalise_nik(raw)
    today = today or timezone.localdate()
    province = number[0:2]
    regency = f"{province}.{number[2:4]}"
    district = f"{regency}.{number[4:6]}"
    if known_codes is None:
        from regions.models import Region

        known_codes = set(Region.objects.filter(code__in=[province, district]).values_list("code", flat=True))

    errors = []
    if province not in known_codes:
        errors.append(
            ValidationError(
                _("Dua angka pertama NIK (%(code)s) bukan kode provinsi yang dikenal."),
                code="nik_province",
                params={"code": province},
            )
        )
    day, month, year2 = int(number[6:8]), int(number[8:10]), int(number[10:12])
    sex = "P" if day > 40 else "L"
    born = nik_birth_date(day - 40 if day > 40 else day, month, year2, today)
    if born is None:
        errors.append(
            ValidationError(
                _(
                    "Angka ke-7 sampai ke-12 NIK (%(digits)s) bukan tanggal lahir yang mungkin "
                    "(tanggal, bulan, tahun; tanggal ditambah 40 untuk perempuan)."
                ),
                code="nik_date",
                params={"digits": number[6:12]},
            )
        )
    if number[12:] == "0000":
        errors.append(ValidationError(_("Empat angka terakhir NIK tidak boleh 0000."), code="nik_serial"))
    if errors:
        raise ValidationError(errors)

    warnings = ()
    if district not in known_codes:
        # Codes change as regions split; an unknown district is worth a look, not a refusal.
        warnings = (
            str(
                _("Kode kecamatan pada NIK (%(code)s) tidak ada di data wilayah; periksa kembali angkanya.")
                % {"code": district}
            ),
        )
    return NikInfo(
        number=number,
        province_code=province,
        regency_code=regency,
        district_code=district,
        birth_date=born,
        sex=sex,
        serial=number[12:],
        warnings=warnings,
    )


def nik_mismatches(info: NikInfo, *, sex: str | None, birth_date: date | None) -> dict:
    """Field → message where what the officer typed contradicts the NIK."""
    errors = {}
    if sex and sex != info.sex:
        errors["sex"] = ValidationError(
            _("Jenis kelamin tidak cocok dengan NIK (NIK ini milik seorang %(sex)s)."),
            code="nik_sex",
            params={"sex": _("perempuan") if info.sex == "P" else _("laki-laki")},
        )
    if birth_date and birth_date != info.birth_date:
        errors["birth_date"] = ValidationError(
            _("Tanggal lahir tidak cocok dengan NIK (menurut NIK: %(date)s)."),
            code="nik_birth_date",
            params={"date": info.birth_date.strftime("%d-%m-%Y")},
        )
    return errors


# ------------------------------------------------------------------------------
# Passports
# ------------------------------------------------------------------------------
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def normalise_passport(raw) -> str:
    """A passport number in capitals without spaces; 5–20 letters and digits."""
    text = _SEPARATORS.sub("", ascii_digits(unicodedata.normalize("NFKC", str(raw or "")))).upper()
    if not text:
        raise ValidationError(_("Nomor paspor wajib diisi."), code="required")
    if not _PASSPORT.match(text):
        raise ValidationError(
            _("Nomor paspor hanya berisi huruf dan angka, 5 sampai 20 karakter."), code="passport_format"
        )
    return text


def normalise_country(raw) -> str:
    """An ISO 3166 two-letter country code in capitals (ID, MY, SG…)."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip().upper()
    if not _COUNTRY.match(text):
        raise ValidationError(
            _("Kewarganegaraan ditulis dengan kode negara dua huruf, mis. MY, SG, AU."), code="country"
        )
    return text


# ------------------------------------------------------------------------------
# Phones
# ------------------------------------------------------------------------------
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()\u00a0\u2010-\u2015\u3000]+")


def normalise_phone(raw) -> str:
    """One form for one number: 0812…, +62 812…, 62812…, (0751) 12345 → +62812…, +62751…

    Numbers of other countries must start with + and their country code; they are kept as typed
    without separators. Empty stays empty.
    """
    text = _PHONE_SEPARATORS.sub("", ascii_digits(unicodedata.normalize("NFKC", str(raw or ""))))
    if not text:
        return ""
    plus = text.startswith("+")
    digits = text[1:] if plus else text
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(_("Nomor HP hanya berisi angka, boleh diawali +."), code="phone_format")
    if plus and not digits.startswith("62"):
        if not 8 <= len(digits) <= 15:
            raise ValidationError(_("Nomor telepon luar negeri tidak lengkap."), code="phone_length")
        return "+" + digits
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif plus:
        national = digits
    else:
        raise ValidationError(
            _("Nomor HP Indonesia diawali 08…, +62… atau 62…, mis. 0812 3456 7890."), code="phone_prefix"
        )
    national = national.removeprefix("0")  # "+62 0812…" is typed too
    if not national or national[0] == "0" or not 8 <= len(national) <= 12:
        raise ValidationError(
            _("Nomor HP Indonesia terdiri dari 9 sampai 13 angka termasuk 0 di depan, mis. 0812 3456 7890."),
            code="phone_length",
        )
    return "+62" + national
