"""Hamlets (jorong, kampung, dusun) loaded from a spreadsheet: `hamlets_load` checks each row and
adds or renames hamlets under villages the uploader may manage. Hamlets have no national codes;
each is coded `<village code>.<nn>` (design.md). The same sheet again changes nothing."""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Region, is_within
from .names import CODE, RegionNames, name_key

MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
HEADERS = ["nagari_desa_kelurahan", "nama_jorong_kampung_dusun", "jenis"]
EXAMPLE = [["Alang Laweh, Padang Selatan, Kota Padang", "Tangah", "kampung"], ["13.71.01.1002", "Koto Baru", "kampung"]]
KINDS = {"jorong": Region.Kind.JORONG, "kampung": Region.Kind.KAMPUNG, "dusun": Region.Kind.DUSUN}


@dataclass
class HamletReport:
    """What one upload did, row by row: added, renamed, unchanged, or why not."""

    added: int = 0
    unchanged: int = 0
    failed: int = 0
    rows: list = field(default_factory=list)  # {"row", "village", "name", "status", "message"}


def read_sheet(upload) -> list[list[str]]:
    """The data rows (header dropped) of an uploaded CSV or XLSX, as text cells."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Berkas lebih dari 2 MB."))
    name = upload.name.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            workbook = load_workbook(upload, read_only=True, data_only=True)
            table = [
                ["" if c is None else str(c) for c in row[:3]]
                for row in workbook.worksheets[0].iter_rows(values_only=True)
            ]
            workbook.close()
        except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, OSError, ValueError, TypeError):
            raise ValidationError(
                _("Berkas XLSX rusak atau bukan XLSX. Simpan ulang dari Excel lalu unggah lagi.")
            ) from None
    elif name.endswith((".csv", ".txt")):
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        first = text.split("\n", 1)[0]
        delimiter = max([",", ";", "\t"], key=first.count)
        try:
            table = [row[:3] for row in csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter)]
        except csv.Error:  # a stray carriage return, a binary file named .csv
            raise ValidationError(
                _("Berkas CSV tidak dapat dibaca. Simpan ulang dari templat sebagai CSV lalu unggah lagi.")
            ) from None
    else:
        raise ValidationError(_("Unggah berkas .csv atau .xlsx (dari templat)."))
    if not table or not table[0] or "_".join(table[0][0].strip().lower().split()) != HEADERS[0]:
        raise ValidationError(
            _("Baris pertama harus judul kolom templat: %(headers)s.") % {"headers": ", ".join(HEADERS)}
        )
    rows = table[1:]
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Paling banyak %(n)d baris per berkas.") % {"n": MAX_ROWS})
    return rows


@transaction.atomic
def hamlets_load(*, rows: list[list[str]], reach: list[str]) -> HamletReport:
    """Add the hamlets of `rows` under villages within the codes of `reach`; rename by code."""
    report = HamletReport()
    villages = RegionNames([Region.Level.VILLAGE])
    seen = set()
    for number, cells in enumerate(rows, start=2):
        village_text, name, kind_text = ([" ".join(str(c).split()) for c in cells] + ["", "", ""])[:3]
        if not (village_text or name or kind_text):
            continue
        first, _space, rest = name.partition(" ")
        if first.casefold() in KINDS and rest:  # "Kampung Tangah": the kind is shown with the name anyway
            name, kind_text = rest, kind_text or first
        entry = {"row": number, "village": village_text, "name": name}
        village, message = _village(villages, village_text, reach)
        kind = KINDS.get(kind_text.casefold()) if kind_text else Region.Kind.JORONG
        if message is None and not name:
            message = _("Isi nama jorong/kampung/dusun.")
        if message is None and len(name) > 100:
            message = _("Nama paling panjang 100 huruf.")
        if message is None and kind is None:
            message = _("Jenis harus jorong, kampung atau dusun.")
        if message is None and (village.pk, name_key(name)[1]) in seen:
            message = _("Baris ini mengulang baris sebelumnya.")
        if message is not None:
            report.failed += 1
            report.rows.append({**entry, "status": "error", "message": message})
            continue
        seen.add((village.pk, name_key(name)[1]))
        entry["village"] = str(village)
        existing = [
            h for h in village.children.filter(level=Region.Level.HAMLET) if name_key(h.name)[1] == name_key(name)[1]
        ]
        if existing:
            hamlet = existing[0]
            if hamlet.kind != kind or hamlet.retired:
                hamlet.kind, hamlet.retired = kind, False
                hamlet.save(update_fields=["kind", "retired"])
            report.unchanged += 1
            report.rows.append({**entry, "status": "unchanged", "code": hamlet.code})
            continue
        hamlet = Region(code=_next_code(village), name=name, level=Region.Level.HAMLET, kind=kind, parent=village)
        hamlet.full_clean()
        hamlet.save()
        report.added += 1
        report.rows.append({**entry, "status": "added", "code": hamlet.code})
    return report


def _village(villages, text, reach):
    """(village, None) or (None, why not): by code or by name, within `reach`."""
    if not text:
        return None, _("Isi nagari/desa/kelurahan (nama atau kode).")
    if CODE.match(text):
        village = villages.by_code.get(text)
        if village is None or village.level != Region.Level.VILLAGE:
            return None, _("Kode %(code)s bukan nagari/desa/kelurahan yang berlaku.") % {"code": text}
    else:
        found = villages.resolve(text)
        if found.region is None:
            return None, found.error
        village = found.region
    if not any(is_within(village.code, code) for code in reach):
        return None, _("%(village)s di luar wilayah Anda.") % {"village": village}
    return Region.objects.get(pk=village.pk), None


def _next_code(village) -> str:
    """The first free `<village>.<nn>` (retired codes stay taken: records may point to them)."""
    taken = set(Region.objects.filter(Q(code__startswith=village.code + ".")).values_list("code", flat=True))
    number = 1
    while f"{village.code}.{number:02d}" in taken:
        number += 1
    return f"{village.code}.{number:02d}"
