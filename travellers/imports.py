"""The paper backlog: a CSV/XLSX template, reading an upload, and storing its rows in chunks.

Each row goes through the same validation as the entry form and the API (forms.single_traveller)
and the same rules as arrival_register, and the valid rows of a chunk are written together. Its
entry_key is derived from what identifies the crossing (post, document, minute of arrival), not
from the file, so uploading the same rows again, in the same file or another, stores nothing twice.
"""

import contextlib
import copy
import csv
import functools
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from regions.models import Region
from regions.names import CODE, RegionNames

from .forms import MAX_STOPS, SingleTravellerForms, regions_ahead, travel_stop_errors
from .models import Arrival, ImportBatch, Person, PersonChange, TravelStop, change_line, same_name
from .services import PERSON_UPDATABLE, _fetched, _officer_checkpoint_id, identity_change_error
from .signals import arrivals_registered, arrivals_registering

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 40
MAX_CELL = 1000
CHUNK = 500  # rows per request: validated one by one, written together
BULK_BATCH = 500  # rows per INSERT
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
# Words a sheet may hold for a choice besides its code and its labels.
CHOICE_ALIASES = {
    Person.IdType: {"paspor": "passport", "ktp": "nik", "kk": "nik"},
    Person.Sex: {"laki": "L", "lk": "L", "pr": "P", "wanita": "P"},
    Arrival.Transport: {"mobil": "car", "motor": "motorcycle"},
    Arrival.Purpose: {"mudik": "homecoming"},
}


@functools.cache
def _choice_table(choices) -> dict:
    """{code, label or alias, casefolded: code} of a Choices class, built once per process."""
    table = {str(code).casefold(): code for code in choices.values}
    # Labels in every interface language: a sheet filled in Indonesian uploads from an English session.
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            table.update({str(label).casefold(): code for code, label in choices.choices})
    table.update(CHOICE_ALIASES.get(choices, {}))
    return table


def _choice(value: str, choices) -> str:
    """The code of a choice of `choices` typed as its code or its label (any case); the text as is if neither."""
    key = " ".join(value.split()).casefold()
    if not key:
        return ""
    return _choice_table(choices).get(key, value)


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

    def code(self, field: str, text: str) -> tuple[str, ValidationError | None]:
        """(code, error): a code stays as typed (the form checks it); a name is looked up under its parents."""
        text = " ".join(text.split())
        if not text or CODE.match(text):
            return text, None
        if field not in self._indexes:
            levels, home = REGION_COLUMNS[field]
            self._indexes[field] = RegionNames(levels, within=settings.SIPANTAU_PROVINCE if home else None)
        found = self._indexes[field].resolve(text)
        return (found.region.code, None) if found.region else (text, found.error_data)


def row_data(row: dict, names: RegionNameColumns | None = None) -> tuple[dict, dict]:
    """single_traveller's data from one spreadsheet row, and the errors found before it (column → messages).

    Cells are stored as typed, as the entry form stores them: one starting with "=" or "@" is a
    name like any other here, and exports neutralise it (monitoring/exports.py)."""
    names = names or RegionNameColumns()
    errors = {}
    if row.get("nomor_identitas", "").startswith("#angka:"):
        errors["nomor_identitas"] = [
            ValidationError(
                _(
                    "Sel berformat angka: Excel membulatkan angka 16 digit. "
                    "Ubah format kolom menjadi teks lalu ketik ulang."
                )
            )
        ]
    if not row.get("waktu_tiba", "").strip():
        errors["waktu_tiba"] = [ValidationError(_("Isi waktu tiba (tanggal dan jam)."))]
    data = {field: row.get(header, "") for header, field, _help in COLUMNS}
    data["arrived_at"] = _datetime(data["arrived_at"])
    data["id_type"] = _choice(data["id_type"], Person.IdType)
    data["sex"] = _choice(data["sex"], Person.Sex)
    data["transport"] = _choice(data["transport"], Arrival.Transport)
    data["purpose"] = _choice(data["purpose"], Arrival.Purpose)
    data["symptoms"] = [_choice(part, Arrival.Symptom) for part in re.split(r"[,;]", data["symptoms"]) if part.strip()]
    stops = []
    for part in filter(str.strip, data["travel_stops"].split(";")):
        match = _STOP.match(part)
        if match is None:
            errors["riwayat_perjalanan"] = [
                ValidationError(_("Tulis setiap tempat sebagai: kode dari-tanggal sampai-tanggal."))
            ]
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


# ------------------------------------------------------------------------------
# The row report: each message kept as its code (the Indonesian msgid) and values
# ------------------------------------------------------------------------------
def report_message(error, column: str = "") -> dict:
    """A message of the row report, {column, code, params}, translated only when read (message_text).

    Made while the interface language is active (see _validated), so that a message translated at
    once (gettext, not gettext_lazy) is its own msgid too."""
    if isinstance(error, ValidationError) and hasattr(error, "message"):
        code, params = error.message, error.params or {}
    else:
        code, params = error, {}
    message = {"column": column, "code": _msgid(code), "params": {key: _param(value) for key, value in params.items()}}
    if isinstance(code, Promise) and hasattr(code, "_get_number_value"):
        # ngettext_lazy counting one of its values (Django's "at most %(limit_value)d characters"):
        # its text alone is empty; kept as both forms and the count, for ngettext when read.
        with translation.override(None):
            message.update(code=str(code._translate(1)), plural=str(code._translate(2)))
        message["number"] = code._get_number_value(params)
    return message


def _msgid(text) -> str:
    """The message id of a lazy translation (Django's own are in English); other text as it is."""
    if isinstance(text, Promise):
        with translation.override(None):
            return str(text)
    return str(text)


def _param(value):
    if isinstance(value, ValidationError):
        return report_message(value)
    if isinstance(value, Promise):  # a translatable word (a label): translated when read, too
        return {"code": _msgid(value), "params": {}}
    if isinstance(value, (int, float)):
        return value
    return str(value)


def message_text(message) -> str:
    """A row report message in the active language.

    A report stored before messages kept their code holds sentences: shown as stored, translated
    when one is a whole message of the interface."""
    if isinstance(message, str):
        label, sep, rest = message.partition(": ")
        if sep and label in FIELD_HEADER.values():
            return f"{label}: {_translated(rest)}"
        return _translated(message)
    if "plural" in message:
        text = ngettext(message["code"], message["plural"], message["number"])
    else:
        text = _translated(message.get("code", ""))
    params = {k: message_text(v) if isinstance(v, dict) else v for k, v in message.get("params", {}).items()}
    if params:
        with contextlib.suppress(KeyError, ValueError, TypeError):  # a translation naming other values
            text %= params
    column = message.get("column", "")
    return f"{column}: {text}" if column else text


def _translated(text: str) -> str:
    return gettext(text) if text else ""  # gettext("") is the catalogue's header


def report_texts(entry: dict) -> list[str]:
    """The messages of one report entry, in the active language."""
    return [message_text(message) for message in entry.get("messages", [])]


# ------------------------------------------------------------------------------
# Rows → arrivals, a chunk at a time
# ------------------------------------------------------------------------------
@dataclass
class ValidRow:
    """A row that passed the entry form's rules: arrival_register's fields and its entry key."""

    index: int
    fields: dict
    key: uuid.UUID
    messages: list  # warnings, kept in the report


def _errors_report(errors: dict) -> list[dict]:
    return [
        report_message(message, "" if column == "__all__" else column)
        for column, messages in errors.items()
        for message in messages
    ]


def _validated(rows: list[dict], names: RegionNameColumns, checkpoint_id: int):
    """(valid rows, {index: error messages}) for the non-blank `rows` ((index, row) pairs).

    The rules are the entry form's (forms.single_traveller), applied with the interface language
    active so every message keeps its code; the regions the rows name are fetched in one query."""
    valid, failed = [], {}
    with translation.override(settings.LANGUAGE_CODE):
        prepared = [(index, row, *row_data(row, names)) for index, row in rows]
        pairs = []
        for _index, _row, data, _errors in prepared:
            pairs.extend(item for item in data.items() if item[0] != "travel_stops")
            pairs.extend(("region", stop.get("region")) for stop in data["travel_stops"][:MAX_STOPS])
        traveller_forms = SingleTravellerForms(check_identity=False, regions=regions_ahead(pairs))
        for index, row, data, errors in prepared:
            fields, form_errors, warnings = traveller_forms.validate(data, as_data=True)
            for field, messages in form_errors.items():
                errors.setdefault(FIELD_HEADER.get(field, field), messages)
            if errors:
                failed[index] = _errors_report(errors)
                continue
            key = _phone_key(row) or row_entry_key(checkpoint_id, fields)
            valid.append(ValidRow(index, fields, key, [report_message(w) for w in warnings]))
    return valid, failed


def _person_values(fields: dict) -> dict:
    return {
        "name": fields["name"],
        "sex": fields["sex"],
        "birth_date": fields.get("birth_date"),
        "nationality": fields.get("nationality") or "ID",
        "phone": fields.get("phone") or "",
        "home_address": fields.get("home_address") or "",
        "home_region": fields.get("home_region"),
    }


def _model_errors(error: ValidationError) -> list[dict]:
    errors = getattr(error, "error_dict", None) or {"__all__": error.error_list}
    return _errors_report({FIELD_HEADER.get(field, field): messages for field, messages in errors.items()})


def _store(*, officer, checkpoint_id: int, valid: list[ValidRow]) -> dict[int, dict]:
    """Write the valid rows of a chunk in bulk: {index: report entry}. Run inside a transaction.

    Per row, what arrival_register does for one: a key already stored answers as a duplicate
    (another post's key is refused), a known document under another name is refused, the person
    is created or brought up to date, then the arrival and its stops. A row refused here writes
    nothing; the others are written with a few statements for the whole chunk."""
    entries = {}
    stored = {
        arrival.entry_key: arrival
        for arrival in Arrival.objects.filter(entry_key__in=[row.key for row in valid]).only(
            "pk", "entry_key", "checkpoint_id"
        )
    }
    documents = {(row.fields["id_type"], row.fields["id_number"]) for row in valid}
    persons = {
        (person.id_type, person.id_number): person
        for person in Person.objects.select_for_update().filter(
            id_type__in={t for t, _n in documents}, id_number__in={n for _t, n in documents}
        )
    }
    new_persons, changed_persons, person_changes = {}, {}, []
    arrivals, arrival_stops, taken = [], [], {}
    with translation.override(settings.LANGUAGE_CODE):
        for row in valid:
            fields = row.fields
            earlier = stored.get(row.key) or taken.get(row.key)
            if earlier is not None:
                if earlier.checkpoint_id != checkpoint_id:
                    message = ValidationError(_("Kunci entri ini sudah dipakai untuk entri lain."))
                    entries[row.index] = {"status": "error", "messages": [report_message(message)]}
                else:
                    entries[row.index] = {"status": "duplicate", "messages": row.messages, "arrival": earlier}
                continue
            document = (fields["id_type"], fields["id_number"])
            values = _person_values(fields)
            person = persons.get(document)
            diffs = []
            try:
                if person is None:
                    person = Person(id_type=document[0], id_number=document[1], **values)
                    person.full_clean(
                        exclude=_fetched(person, ["home_region"]), validate_unique=False, validate_constraints=False
                    )
                else:
                    if not same_name(person.name, values["name"]):
                        raise identity_change_error(person)
                    values["name"] = person.name
                    changed = [f for f in PERSON_UPDATABLE if values[f] and getattr(person, f) != values[f]]
                    if person.birth_date is None and values["birth_date"]:
                        changed.append("birth_date")
                    if changed:
                        diffs = [change_line(Person, f, getattr(person, f), values[f]) for f in changed]
                        person = copy.copy(person)  # the stored one stays as it is if this row is refused
                        for f in changed:
                            setattr(person, f, values[f])
                        person.full_clean(
                            exclude=_fetched(person, ["home_region"]),
                            validate_unique=False,
                            validate_constraints=False,
                        )
                arrival = Arrival(
                    entry_key=row.key,
                    person=person,
                    entered_name=fields["name"],
                    checkpoint_id=checkpoint_id,
                    officer=officer,
                    arrived_at=fields["arrived_at"],
                    origin=fields["origin"],
                    origin_place=fields.get("origin_place") or "",
                    destination=fields["destination"],
                    destination_address=fields["destination_address"],
                    purpose=fields["purpose"],
                    transport=fields["transport"],
                    plate=fields.get("plate") or "",
                    temperature=fields.get("temperature"),
                    symptoms=list(fields.get("symptoms") or []),
                )
                arrival.full_clean(
                    exclude=["checkpoint", "person", *_fetched(arrival, ["officer", "origin", "destination"])],
                    validate_unique=False,
                )
                row_stops = [TravelStop(arrival=arrival, **stop) for stop in fields.get("travel_stops") or []]
                arrived_on = timezone.localdate(arrival.arrived_at)
                for number, stop in enumerate(row_stops, start=1):
                    stop.full_clean(exclude=["arrival", *_fetched(stop, ["region"])], validate_constraints=False)
                    for error in travel_stop_errors(stop.date_from, stop.date_to, arrived_on):
                        error = ValidationError(_("Baris %(n)d: %(e)s"), params={"n": number, "e": error})
                        raise ValidationError({"travel_stops": [error]})
            except ValidationError as error:
                messages = _model_errors(error)
                if any(m["column"] == "confirm_identity_change" for m in messages):
                    # A sheet has no confirmation box: the officer enters this one through the form.
                    messages = [m for m in messages if m["column"] != "confirm_identity_change"]
                    note = _("Bila namanya memang berubah, catat orang ini lewat formulir posko.")
                    messages.append(report_message(ValidationError(note)))
                entries[row.index] = {"status": "error", "messages": messages}
                continue
            if person.pk is None:
                new_persons[document] = person
            elif diffs:
                changed_persons[document] = person
            if diffs:
                person_changes.append((document, arrival, diffs))
            persons[document] = person
            arrivals.append(arrival)
            arrival_stops.append(row_stops)
            taken[row.key] = arrival
            entries[row.index] = {"status": "stored", "messages": row.messages, "arrival": arrival}

    # The unique document and entry key stay the database's to enforce: a concurrent insert
    # raises IntegrityError here and the chunk is done again (import_batch_process).
    Person.objects.bulk_create(new_persons.values(), batch_size=BULK_BATCH)
    now = timezone.now()
    for person in changed_persons.values():
        person.updated_at = now
    Person.objects.bulk_update(
        changed_persons.values(), [*PERSON_UPDATABLE, "birth_date", "updated_at"], batch_size=BULK_BATCH
    )
    for arrival in arrivals:
        arrival.person = persons[(arrival.person.id_type, arrival.person.id_number)]
    if arrivals:  # what arrival_registering is to an entry, for the chunk at once (isolation decided)
        arrivals_registering.send(sender=Arrival, arrivals=arrivals, travel_stops=arrival_stops)
    Arrival.objects.bulk_create(arrivals, batch_size=BULK_BATCH)
    TravelStop.objects.bulk_create([stop for stops in arrival_stops for stop in stops], batch_size=BULK_BATCH)
    PersonChange.objects.bulk_create(
        [PersonChange(person=persons[doc], arrival=a, changed_by=officer, changes=d) for doc, a, d in person_changes],
        batch_size=BULK_BATCH,
    )
    if arrivals:  # what a single entry announces, for the chunk's new arrivals at once (the follow-up opens)
        made = {person.pk for person in new_persons.values()}
        arrivals_registered.send(sender=Arrival, arrivals=arrivals, new_persons=made)
    for entry in entries.values():
        if "arrival" in entry:
            entry["arrival"] = entry["arrival"].pk
    return entries


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
    """Process the next `limit` rows of `batch` in one transaction; the report and counts go with them.

    The rows are validated one by one with the entry form's rules, then the valid ones are
    written together (_store); a row is either written whole or reported with its reasons."""
    checkpoint_id = _officer_checkpoint_id(officer)
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _process(batch=batch, officer=officer, checkpoint_id=checkpoint_id, limit=limit)
        except IntegrityError:
            # Another request stored one of these documents or keys meanwhile: done again, the
            # chunk finds it stored (a duplicate, or the person to bring up to date).
            if attempt:
                raise
    raise AssertionError("unreachable")


def _process(*, batch: ImportBatch, officer, checkpoint_id: int, limit: int) -> ImportBatch:
    batch = ImportBatch.objects.visible_to(officer).select_for_update().get(pk=batch.pk)
    start = batch.processed
    chunk = list(enumerate(batch.rows[start : start + limit], start=start))
    rows = [(index, row) for index, row in chunk if row is not None]
    valid, failed = _validated(rows, RegionNameColumns(), checkpoint_id)
    entries = {index: {"status": "error", "messages": messages} for index, messages in failed.items()}
    entries.update(_store(officer=officer, checkpoint_id=checkpoint_id, valid=valid))
    for index, row in rows:  # a blank line is counted as processed, and not reported
        entry = entries[index]
        entry.update({"row": index + 2, "name": row.get("nama", "")[:100]})  # the header is row 1 of the sheet
        batch.report.append(entry)
        if entry["status"] == "stored":
            batch.stored += 1
        elif entry["status"] == "duplicate":
            batch.duplicates += 1
        else:
            batch.failed += 1
    batch.processed += len(chunk)
    batch.save(update_fields=["report", "processed", "stored", "duplicates", "failed"])
    return batch
