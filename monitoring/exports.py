"""Streaming CSV and XLSX of arrivals: memory stays flat as rows grow; no cell can start a formula."""

import csv
import tempfile
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from sipantau.routers import use_replica
from travellers.models import Arrival, Person

from .followup import isolation_state_label

# A spreadsheet reads a cell starting with one of these as a formula (or as DDE, via tab/CR tricks).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000

FIELDS = [
    "arrived_at",
    "person__id_type",
    "person__id_number",
    "person__name",
    "person__sex",
    "person__birth_date",
    "person__phone",
    "person__home_address",
    "origin__name",
    "origin_place",
    "checkpoint__name",
    "destination_code",
    "destination__name",
    "destination_address",
    "purpose",
    "transport",
    "plate",
    "temperature",
    "symptoms",
    "isolation_required",
    "order_state",
    "order_end",
]


def headers():
    return [
        _("Waktu tiba (WIB)"),
        _("Jenis identitas"),
        _("Nomor identitas"),
        _("Nama"),
        _("Jenis kelamin"),
        _("Tanggal lahir"),
        _("Nomor HP"),
        _("Alamat asal"),
        _("Daerah asal"),
        _("Tempat asal"),
        _("Posko"),
        _("Kode tujuan"),
        _("Tujuan"),
        _("Alamat tujuan"),
        _("Keperluan"),
        _("Moda transportasi"),
        _("Nomor polisi"),
        _("Suhu (°C)"),
        _("Gejala"),
        _("Wajib isolasi"),
        _("Status isolasi"),
        _("Isolasi sampai"),
    ]


def neutralise(value):
    """Prefix a text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def arrival_rows(arrivals):
    """Header, then one list per arrival (WIB times, labels for codes), read in chunks from one query.

    `arrivals` carries with_isolation_state's annotations. The rows are read from the replica
    when one is configured: the block sits in the generator because the response streams them
    after the view has returned.
    """
    labels = {
        "id_type": dict(Person.IdType.choices),
        "sex": dict(Person.Sex.choices),
        "purpose": dict(Arrival.Purpose.choices),
        "transport": dict(Arrival.Transport.choices),
    }
    yes, no = _("ya"), _("tidak")
    yield headers()
    today = timezone.localdate()
    for row in _replica_rows(arrivals.order_by("-arrived_at", "-id").values_list(*FIELDS)):
        (at, id_type, number, name, sex, birth, phone, home, origin, origin_place, post, code, dest, address,
         purpose, transport, plate, temperature, symptoms, isolation, order_state, order_end) = row  # fmt: skip
        yield [
            timezone.localtime(at).replace(tzinfo=None),
            str(labels["id_type"].get(id_type, id_type)),
            number,
            name,
            str(labels["sex"].get(sex, sex)),
            birth,
            phone,
            home,
            origin,
            origin_place,
            post,
            code,
            dest,
            address,
            str(labels["purpose"].get(purpose, purpose)),
            str(labels["transport"].get(transport, transport)),
            plate,
            temperature,
            ", ".join(str(s) for s in symptoms or []),
            yes if isolation or order_state else no,
            isolation_state_label(order_state, order_end, today),
            order_end,
        ]


def _replica_rows(queryset):
    """Iterate `queryset` in chunks with each fetch inside use_replica().

    Only the fetches: a generator that held the block open across its yields would leave the
    request's other reads on the replica while the response is being written.
    """
    rows = queryset.iterator(chunk_size=CHUNK)
    while True:
        with use_replica():
            row = next(rows, None)
        if row is None:
            return
        yield row


class _Echo:
    def write(self, value):
        return value


def csv_response(rows, *, filename):
    """A streamed CSV (UTF-8 with BOM so spreadsheet programs read it as UTF-8)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([_csv_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_cell(value):
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y %H:%M" if hasattr(value, "hour") else "%d-%m-%Y")
    return neutralise(str(value))


def xlsx_response(rows, *, filename, title):
    """An XLSX written row by row (openpyxl write-only, spooled to disk), then streamed from the file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    bold = Font(bold=True)
    rows = iter(rows)
    header = []
    for text in next(rows):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    # FileResponse closes the file (and so deletes it) when the response is done.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text, never a formula
    elif hasattr(value, "hour"):
        cell.number_format = "DD-MM-YYYY HH:MM"
    elif hasattr(value, "strftime"):
        cell.number_format = "DD-MM-YYYY"
    return cell
