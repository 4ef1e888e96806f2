"""The paper backlog: a CSV/XLSX template, reading an upload, and storing its rows in chunks.

Each row goes through the same validation as the entry form and the API (forms.single_traveller)
and the same service (arrival_register). Its entry_key is derived from what identifies the
crossing (post, document, minute of arrival), not from the file, so uploading the same rows
again, in the same file or another, stores nothing twice.
"""

import csv
import io
import re
import uuid
import zipfile
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.models import Region
from regions.names import CODE, RegionNames

from .forms import single_traveller
from .models import Arrival, ImportBatch, Person
from .services import arrival_register

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 40
MAX_CELL = 1000
CHUNK = 100
# Namespace of the entry keys of imported rows (any fixed UUID would do; this one is ours).
IMPORT_NAMESPACE = uuid.UUID("5b0c7c6e-3f7e-4d1a-9a51-13a1c0de1313")

# (column header, field of single_traveller, what to write in it)
COLUMNS = [
    ("waktu_tiba", "arrived_at", gettext_lazy("tanggal dan jam tiba, mis. 25-11-2026 14:30 (wajib)")),
    ("jenis_identitas", "id_type", gettext_lazy("NIK atau paspor")),
    ("nomor_identitas", "id_number", gettext_lazy("16 angka NIK (format sel: teks) atau nomor paspor")),
    ("kewarganegaraan", "nationality", gettext_lazy("untuk paspor: kode negara dua huruf, mis. MY")),
    ("nama", "name", gettext_lazy("nama lengkap")),
    ("jenis_kelamin", "sex", gettext_lazy("L atau P (boleh kosong untuk NIK)")),
    ("tanggal_lahir", "birth_date", gettext_lazy("mis. 17-05-1990 (boleh kosong untuk NIK)")),
    ("nomor_hp", "phone", gettext_lazy("mis. 0812 3456 7890")),
    ("alamat_asal", "home_address", gettext_lazy("alamat domisili")),
    ("kode_wilayah_asal", "home_region", gettext_lazy("kabupaten/kota domisili: nama (mis. Kota Jambi) atau kode")),
    (
        "kode_daerah_asal",
        "origin",
        gettext_lazy("kabupaten/kota atau kecamatan asal perjalanan: nama (mis. Kota Jambi) atau kode (15.71)"),
    ),
    ("tempat_asal", "origin_place", gettext_lazy("keterangan tempat asal")),
    ("moda", "transport", gettext_lazy("mis. Mobil pribadi, Bus, Sepeda motor")),
    ("nomor_polisi", "plate", gettext_lazy("mis. BA 1234 XY")),
    (
        "kode_tujuan",
        "destination",
        gettext_lazy(
            "nagari/desa/kelurahan tujuan seperti di formulir: nama, kecamatan, kab/kota "
            "(mis. Alang Laweh, Padang Selatan, Kota Padang) atau kode (13.71.01.1002)"
        ),
    ),
    ("alamat_tujuan", "destination_address", gettext_lazy("alamat tujuan")),
    ("keperluan", "purpose", gettext_lazy("mis. Pulang kampung / mudik, Bekerja")),
    ("suhu", "temperature", gettext_lazy("mis. 36,5")),
    ("gejala", "symptoms", gettext_lazy("dipisah koma, mis. Demam, Batuk")),
    (
        "riwayat_perjalanan",
        "travel_stops",
        gettext_lazy("wilayah dari sampai; …  mis. Kota Jambi 01-11-2026 05-11-2026; 15.71 06-11-2026 08-11-2026"),
    ),
]
HEADERS = [header for header, _field, _help in COLUMNS]
# Not in the template: the phone writes it when the officer saves unsent entries as a file, so
# an entry both uploaded and later sent from the phone (or uploaded twice) is stored once.
ENTRY_KEY_HEADER = "kunci_entri"
FIELD_HEADER = {field: header for header, field, _help in COLUMNS}
REQUIRED_HEADERS = ["waktu_tiba", "jenis_identitas", "nomor_identitas", "nama", "kode_daerah_asal", "kode_tujuan"]

EXAMPLE = {
    "waktu_tiba": "25-11-2026 14:30",
    "jenis_identitas": "NIK",
    "nomor_identitas": "1571015705900001",
    "nama": "Siti Rahmah",
    "jenis_kelamin": "P",
    "tanggal_lahir": "17-05-1990",
    "nomor_hp": "0812 3456 7890",
    "alamat_asal": "Jl. Gatot Subroto 12",
    "kode_wilayah_asal": "15.71",
    "kode_daerah_asal": "15.71",
    "moda": "Mobil pribadi",
    "nomor_polisi": "BH 1234 AB",
    "kode_tujuan": "13.71.01.1002",
    "alamat_tujuan": "Jl. Sutan Syahrir 5",
    "keperluan": "Mengunjungi keluarga",
    "suhu": "36,5",
    "gejala": "",
    "riwayat_perjalanan": "15.71 18-11-2026 25-11-2026",
}


class NumericCell(str):
    """A cell Excel stored as a number: a NIK there has already lost its last digits."""


# ------------------------------------------------------------------------------
# Reading a file
# ------------------------------------------------------------------------------
def _header(cell) -> str:
    return "_".join(str(cell or "").strip().lower().split())


def _rows_from_table(table) -> list[dict]:
    """Dicts (header → text) from an iterator of row tuples whose first row is the header."""
    try:
        header_row = next(table)
    except StopIteration:
        raise ValidationError(_("Berkas kosong.")) from None
    headers = [_header(h) for h in header_row[:MAX_COLUMNS]]
    missing = [h for h in REQUIRED_HEADERS if h not in headers]
    if missing:
        raise ValidationError(
            _("Kolom wajib tidak ditemukan: %(columns)s. Gunakan templat yang disediakan.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    for cells in table:
        cells = list(cells[:MAX_COLUMNS])
        if not any(str(c).strip() for c in cells if c is not None):
            rows.append(None)  # a blank line keeps the numbering of the rows after it
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(
                _("Berkas berisi lebih dari %(max)d baris. Bagi menjadi beberapa berkas.") % {"max": MAX_ROWS}
            )
        row = {}
        for header, cell in zip(headers, cells, strict=False):
            if (header in FIELD_HEADER.values() or header == ENTRY_KEY_HEADER) and header not in row:
                row[header] = _cell_text(header, cell)
        rows.append(row)
    while rows and rows[-1] is None:
        rows.pop()
    return rows


def _cell_text(header, cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M") if (cell.hour or cell.minute) else cell.strftime("%Y-%m-%d")
    if isinstance(cell, date):
        return cell.strftime("%Y-%m-%d")
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, (int, float)):
        number = str(int(cell)) if float(cell).is_integer() else str(cell)
        if header == "nomor_identitas":
            return "#angka:" + number
        if header == "nomor_hp" and number.startswith("8"):
            return "0" + number  # Excel dropped the leading zero
        return number
    return str(cell)[:MAX_CELL]


def read_csv(raw: bytes) -> list[dict]:
    """Rows of a CSV file (UTF-8 or Windows-1252; comma, semicolon or tab separated)."""
    if b"\x00" in raw:
        raise ValidationError(_("Berkas berisi karakter NUL: bukan berkas CSV teks."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return _rows_from_table(iter(list(csv.reader(io.StringIO(text), delimiter=delimiter))))
    except csv.Error as error:
        raise ValidationError(_("Berkas CSV tidak dapat dibaca: %(error)s") % {"error": error}) from error


def read_xlsx(upload) -> list[dict]:
    """Rows of the first sheet of an XLSX workbook (formulas read as formulas, to be refused)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows = _rows_from_table(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS))
        workbook.close()
        return rows
    except ValidationError:
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, OSError, ValueError, TypeError):
        message = _("Berkas XLSX rusak atau bukan XLSX. Simpan ulang dari Excel lalu unggah lagi.")
        raise ValidationError(message) from None


def read_upload(upload) -> list[dict]:
    """Rows of an uploaded CSV or XLSX file, or ValidationError with a reason in Indonesian."""
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(_("Berkas lebih dari 5 MB. Bagi menjadi beberapa berkas."))
    name = upload.name.lower()
    if name.endswith(".xlsx"):
        return read_xlsx(upload)
    if name.endswith((".csv", ".txt")):
        return read_csv(upload.read())
    raise ValidationError(_("Unggah berkas .csv atau .xlsx (dari templat)."))


# ------------------------------------------------------------------------------
# One row → one traveller
# ------------------------------------------------------------------------------
def _choice(value, choices, aliases=None):
    """The code of a choice typed as its code or its label (any case); the text as is if neither."""
    key = " ".join(value.split()).casefold()
    if not key:
        return ""
    table = {str(code).casefold(): code for code, _label in choices}
    # Labels in every interface language: a sheet filled in Indonesian uploads from an English session.
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            table.update({str(label).casefold(): code for code, label in choices})
    table.update(aliases or {})
    return table.get(key, value)


_DATETIME_FORMATS = ["%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M", "%d-%m-%Y %H.%M", "%d/%m/%Y %H.%M", "%Y-%m-%d %H:%M"]
_DATETIME_FORMATS += ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y %H:%M:%S"]
_DATE = r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
# A place (a code, or a name that may hold spaces and commas), two dates, then an optional note.
_STOP = re.compile(rf"^\s*(.+?)\s+({_DATE})\s+({_DATE})\s*(.*)$")
# Region columns: the levels a name there may have, and whether it lies in the home province.
REGION_COLUMNS = {
    "home_region": ((Region.Level.REGENCY, Region.Level.DISTRICT, Region.Level.VILLAGE), False),
    "origin": ((Region.Level.REGENCY, Region.Level.DISTRICT), False),
    "destination": ((Region.Level.VILLAGE, Region.Level.HAMLET), True),
    "travel_stops": ((Region.Level.REGENCY, Region.Level.DISTRICT, Region.Level.VILLAGE), False),
}


def _datetime(value: str) -> str:
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            continue
    return value


class RegionNameColumns:
    """Region names typed in a sheet's region columns, resolved to codes (an index per column, built once)."""

    def __init__(self):
        self._indexes = {}

    def code(self, field: str, text: str) -> tuple[str, str]:
        """(code, error): a code stays as typed (the form checks it); a name is looked up under its parents."""
        text = " ".join(text.split())
        if not text or CODE.match(text):
            return text, ""
        if field not in self._indexes:
            levels, home = REGION_COLUMNS[field]
            self._indexes[field] = RegionNames(levels, within=settings.SIPANTAU_PROVINCE if home else None)
        found = self._indexes[field].resolve(text)
        return (found.region.code, "") if found.region else (text, found.error)


def row_data(row: dict, names: RegionNameColumns | None = None) -> tuple[dict, dict]:
    """single_traveller's data from one spreadsheet row, and the errors found before it.

    Cells are stored as typed, as the entry form stores them: one starting with "=" or "@" is a
    name like any other here, and exports neutralise it (monitoring/exports.py)."""
    names = names or RegionNameColumns()
    errors = {}
    if row.get("nomor_identitas", "").startswith("#angka:"):
        errors["nomor_identitas"] = [
            _("Sel berformat angka: Excel membulatkan angka 16 digit. Ubah format kolom menjadi teks lalu ketik ulang.")
        ]
    if not row.get("waktu_tiba", "").strip():
        errors["waktu_tiba"] = [_("Isi waktu tiba (tanggal dan jam).")]
    data = {field: row.get(header, "") for header, field, _help in COLUMNS}
    data["arrived_at"] = _datetime(data["arrived_at"])
    data["id_type"] = _choice(data["id_type"], Person.IdType.choices, {"paspor": "passport", "ktp": "nik", "kk": "nik"})
    data["sex"] = _choice(data["sex"], Person.Sex.choices, {"laki": "L", "lk": "L", "pr": "P", "wanita": "P"})
    data["transport"] = _choice(data["transport"], Arrival.Transport.choices, {"mobil": "car", "motor": "motorcycle"})
    data["purpose"] = _choice(data["purpose"], Arrival.Purpose.choices, {"mudik": "homecoming"})
    data["symptoms"] = [
        _choice(part, Arrival.Symptom.choices) for part in re.split(r"[,;]", data["symptoms"]) if part.strip()
    ]
    stops = []
    for part in filter(str.strip, data["travel_stops"].split(";")):
        match = _STOP.match(part)
        if match is None:
            errors["riwayat_perjalanan"] = [_("Tulis setiap tempat sebagai: kode dari-tanggal sampai-tanggal.")]
            break
        region, date_from, date_to, place = match.groups()
        region, error = names.code("travel_stops", region)
        if error:
            errors.setdefault("riwayat_perjalanan", []).append(error)
        stops.append({"region": region, "date_from": date_from, "date_to": date_to, "place": place})
    data["travel_stops"] = stops
    for field in ("home_region", "origin", "destination"):
        data[field], error = names.code(field, data[field])
        if error:
            errors[FIELD_HEADER[field]] = [error]
    return data, errors


def row_entry_key(checkpoint_id: int, fields: dict) -> uuid.UUID:
    """The same crossing (post, document, minute of arrival) gives the same key, whatever the file."""
    arrived = timezone.localtime(fields["arrived_at"]).strftime("%Y-%m-%dT%H:%M")
    name = f"{checkpoint_id}|{fields['id_type']}|{fields['id_number']}|{arrived}"
    return uuid.uuid5(IMPORT_NAMESPACE, name)


def _phone_key(row: dict) -> uuid.UUID | None:
    """The entry key the phone gave an entry it saved as a file, when the row carries one."""
    try:
        return uuid.UUID(row.get(ENTRY_KEY_HEADER, "").strip())
    except ValueError:
        return None


def _labelled(errors: dict) -> list[str]:
    messages = []
    for field, field_messages in errors.items():
        label = FIELD_HEADER.get(field, field)
        for message in field_messages:
            messages.append(str(message) if field == "__all__" else f"{label}: {message}")
    return messages


def import_row(*, officer, row: dict, names: RegionNameColumns | None = None) -> dict:
    """Validate and store one row; a report entry {status, messages, arrival}."""
    data, errors = row_data(row, names)
    # A known document under another name is refused by arrival_register below, after a row
    # already stored (a re-upload) has answered as a duplicate.
    fields, form_errors, warnings = single_traveller(data, check_identity=False)
    for field, messages in form_errors.items():
        errors.setdefault(FIELD_HEADER.get(field, field), messages)
    if errors:
        return {"status": "error", "messages": _labelled(errors)}
    key = _phone_key(row) or row_entry_key(officer.checkpoint_id, fields)
    try:
        registration = arrival_register(officer=officer, entry_key=key, **fields)
    except ValidationError as error:
        errors = getattr(error, "message_dict", {"__all__": error.messages})
        if errors.pop("confirm_identity_change", None):
            # A sheet has no confirmation box: the officer enters this one through the form.
            errors["__all__"] = [_("Bila namanya memang berubah, catat orang ini lewat formulir posko.")]
        return {"status": "error", "messages": _labelled(errors)}
    status = "stored" if registration.created else "duplicate"
    return {"status": status, "messages": [str(w) for w in warnings], "arrival": registration.arrival.pk}


# ------------------------------------------------------------------------------
# Batches
# ------------------------------------------------------------------------------
def import_batch_create(*, officer, upload) -> ImportBatch:
    """Read an uploaded file into a batch waiting to be processed (nothing stored yet)."""
    rows = read_upload(upload)
    if not any(rows):
        raise ValidationError(_("Berkas tidak berisi baris data di bawah judul kolom."))
    return ImportBatch.objects.create(
        officer=officer, checkpoint_id=officer.checkpoint_id, file_name=upload.name[:255], rows=rows
    )


def import_batch_process(*, batch: ImportBatch, officer, limit: int = CHUNK) -> ImportBatch:
    """Process the next `limit` rows of `batch` in one transaction; the report and counts go with them."""
    with transaction.atomic():
        batch = ImportBatch.objects.visible_to(officer).select_for_update().get(pk=batch.pk)
        start = batch.processed
        names = RegionNameColumns()  # the region index, built once for these rows
        for offset, row in enumerate(batch.rows[start : start + limit]):
            number = start + offset + 2  # the header is row 1 of the sheet
            if row is None:
                batch.processed += 1
                continue
            with transaction.atomic():
                entry = import_row(officer=officer, row=row, names=names)
            entry.update({"row": number, "name": row.get("nama", "")[:100]})
            batch.report.append(entry)
            batch.processed += 1
            if entry["status"] == "stored":
                batch.stored += 1
            elif entry["status"] == "duplicate":
                batch.duplicates += 1
            else:
                batch.failed += 1
        batch.save()
    return batch
