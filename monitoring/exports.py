"""Streaming CSV and XLSX of arrivals: memory stays flat as rows grow; no cell can start a formula."""

import csv
import io
import re
import tempfile
import zipfile
from datetime import date, datetime, timedelta
from datetime import timezone as fixed_offset
from decimal import Decimal
from itertools import islice
from xml.sax.saxutils import escape

from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.models import F
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.models import IsolationOrder
from followup.summary import isolation_state_label
from travellers.models import Arrival, Person
from travellers.spreadsheets import FORMULA_STARTS, neutralise

from .replica import use_replica

DANGER = frozenset(FORMULA_STARTS)
CHUNK = 2000
COPY_WORK_MEM = "128MB"
PIECE = 64 * 1024
NO_ORDER = (None, None)
# Asia/Jakarta keeps +07:00 all year (no daylight saving): a fixed offset converts far faster.
WIB = fixed_offset(timedelta(hours=7), "WIB")

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
    "isolation_order_id",
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


def arrival_rows(arrivals):
    """Header, then one list per arrival (WIB times, labels for codes), read in chunks from one query.

    `arrivals` carries with_isolation_state's annotations. The rows are read from the replica
    when one is configured: the block sits in the generator because the response streams them
    after the view has returned.
    """
    id_types, sexes = _labels(Person.IdType), _labels(Person.Sex)
    purposes, transports = _labels(Arrival.Purpose), _labels(Arrival.Transport)
    yes, no = _("ya"), _("tidak")
    yield headers()
    today = timezone.localdate()
    states = {}  # (state, end date) -> label: a few dozen pairs in any export
    for chunk, orders in _replica_chunks(arrivals.order_by("-arrived_at", "-id").values_list(*FIELDS)):
        for (at, id_type, number, name, sex, birth, phone, home, origin, origin_place, post, code, dest, address,
             purpose, transport, plate, temperature, symptoms, isolation, order_id) in chunk:  # fmt: skip
            order_state, order_end = orders.get(order_id, NO_ORDER)
            state = states.get((order_state, order_end))
            if state is None:
                state = states[order_state, order_end] = isolation_state_label(order_state, order_end, today)
            yield [
                at.astimezone(WIB).replace(tzinfo=None),
                id_types.get(id_type, id_type),
                number,
                name,
                sexes.get(sex, sex),
                birth,
                phone,
                home,
                origin,
                origin_place,
                post,
                code,
                dest,
                address,
                purposes.get(purpose, purpose),
                transports.get(transport, transport),
                plate,
                temperature,
                ", ".join(map(str, symptoms)) if symptoms else "",
                yes if isolation or order_state else no,
                state,
                order_end,
            ]


def _labels(choices):
    return {value: str(label) for value, label in choices.choices}


def _replica_chunks(queryset):
    """Lists of up to CHUNK rows of `queryset`, each with {order id: (state, end date)} of its orders.

    The orders come in one query per chunk: a second and third subquery per row (state, end date)
    cost PostgreSQL more than the whole fetch. Each fetch runs inside use_replica(), and only the
    fetches: a generator that held the block open across its yields would leave the request's
    other reads on the replica while the response is being written.
    """
    rows = queryset.iterator(chunk_size=CHUNK)
    while True:
        with use_replica():
            chunk = list(islice(rows, CHUNK))
            ids = {row[-1] for row in chunk} - {None}
            orders = IsolationOrder.objects.filter(pk__in=ids).values_list("pk", "state", "end_date") if ids else ()
            orders = {pk: (state, end) for pk, state, end in orders}
        if not chunk:
            return
        yield chunk, orders


def csv_response(rows, *, filename):
    """A streamed CSV (UTF-8 with BOM so spreadsheet programs read it as UTF-8), in pieces of about 64 kB."""

    def pieces():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        for row in rows:
            # Inline for text, the bulk of the cells: a call per cell would cost more than the writing.
            writer.writerow([("'" + v if v[:1] in DANGER else v) if v.__class__ is str else _csv_cell(v) for v in row])
            if buffer.tell() > PIECE:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(pieces(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def arrivals_csv_response(arrivals, *, filename):
    """The CSV of `arrivals` (with_isolation_state): written by COPY on PostgreSQL, row by row elsewhere."""
    with use_replica():
        alias = router.db_for_read(Arrival) or "default"
    if connections[alias].vendor == "postgresql":
        return csv_copy_response(arrivals, filename=filename)
    return csv_response(arrival_rows(arrivals), filename=filename)


def csv_copy_response(arrivals, *, filename):
    """The CSV of arrival_rows, byte for byte, written by PostgreSQL's COPY: no row becomes a Python object.

    `arrivals` is the same scoped, filtered, annotated queryset; its SELECT is wrapped in one that
    formats each cell as arrival_rows and _csv_cell do (labels in the active language, WIB times,
    DD-MM-YYYY dates, the formula prefix, nothing for empty) and COPY quotes them as the csv
    module does. The output goes into a temporary file, so memory stays flat whatever the size,
    and streams from it.
    """
    with use_replica():
        alias = router.db_for_read(Arrival) or "default"
    connection = connections[alias]
    output = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes (and so deletes) it
    header = io.StringIO()
    header.write("\ufeff")
    csv.writer(header).writerow(headers())
    output.write(header.getvalue().encode())
    try:
        select, params = _copy_select(arrivals.using(alias), connection)
    except EmptyResultSet:  # a filter that can match nothing: the header alone, as arrival_rows gives
        select = None
    if select is not None:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # The rows are sorted in memory rather than in temporary files (100k rows: ~50 MB).
            cursor.execute("SET LOCAL work_mem = %s", [COPY_WORK_MEM])
            sql = cursor.mogrify(select, params).decode()
            cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", _CrLf(output))
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8")


# The inner SELECT's columns (the queryset's own fields and annotation) under names the outer one reads.
_COPY_COLUMNS = {
    "c_at": "arrived_at",
    "c_id_type": "person__id_type",
    "c_number": "person__id_number",
    "c_name": "person__name",
    "c_sex": "person__sex",
    "c_birth": "person__birth_date",
    "c_phone": "person__phone",
    "c_home": "person__home_address",
    "c_origin": "origin__name",
    "c_origin_place": "origin_place",
    "c_post": "checkpoint__name",
    "c_code": "destination_code",
    "c_dest": "destination__name",
    "c_address": "destination_address",
    "c_purpose": "purpose",
    "c_transport": "transport",
    "c_plate": "plate",
    "c_temperature": "temperature",
    "c_symptoms": "symptoms",
    "c_isolation": "isolation_required",
    "c_order": "isolation_order_id",
    "c_pk": "pk",
}
_FORMULA_SQL = ", ".join("'" + start.replace("'", "''") + "'" for start in FORMULA_STARTS)


def _text(expression):
    """A text cell as the csv path writes it: nothing for '', an apostrophe before a formula start."""
    return (
        f"CASE WHEN left({expression}, 1) IN ({_FORMULA_SQL}) THEN '''' || {expression} "
        f"ELSE NULLIF({expression}, '') END"
    )


def _day(expression):
    return f"to_char({expression}, 'DD-MM-YYYY')"


def _copy_select(arrivals, connection):
    """The formatting SELECT around `arrivals` as (SQL, params); EmptyResultSet when it can match nothing."""
    inner = arrivals.order_by().values(**{alias: F(field) for alias, field in _COPY_COLUMNS.items()})
    inner_sql, inner_params = inner.query.get_compiler(connection=connection).as_sql()
    params = []  # the outer SELECT's, all before the inner one's (which sits in its FROM)

    def labels(column, choices):
        cases, values = [], []
        for value, label in _labels(choices).items():
            cases.append("WHEN %s THEN %s")
            values += [value, label]
        params.extend(values * 3)  # _text reads the expression three times
        return _text(f"(CASE q.{column} {' '.join(cases)} ELSE q.{column} END)")

    # Most arrivals have no symptoms: those never run the subquery.
    symptoms = (
        "(CASE WHEN q.c_symptoms::jsonb = '[]'::jsonb THEN NULL "
        "WHEN jsonb_typeof(q.c_symptoms::jsonb) = 'array' THEN (SELECT string_agg(e, ', ' ORDER BY n) "
        "FROM jsonb_array_elements_text(q.c_symptoms::jsonb) WITH ORDINALITY AS s(e, n)) END)"
    )
    columns = ["to_char(q.c_at AT TIME ZONE INTERVAL '+07:00', 'DD-MM-YYYY HH24:MI')"]
    columns += [labels("c_id_type", Person.IdType), _text("q.c_number"), _text("q.c_name")]
    columns += [labels("c_sex", Person.Sex), _day("q.c_birth")]
    columns += [_text(f"q.{c}") for c in ("c_phone", "c_home", "c_origin", "c_origin_place", "c_post", "c_code")]
    columns += [_text("q.c_dest"), _text("q.c_address")]
    columns += [labels("c_purpose", Arrival.Purpose), labels("c_transport", Arrival.Transport)]
    columns += [_text("q.c_plate"), _text("q.c_temperature::text"), _text(symptoms)]
    columns.append("CASE WHEN q.c_isolation OR o.state IS NOT NULL THEN %s ELSE %s END")
    params += [_("ya"), _("tidak")]
    # isolation_state_label: closed early; else complete once its end date is reached, else running.
    today = timezone.localdate()
    columns.append(
        "CASE WHEN o.state IS NULL THEN NULL WHEN o.state = %s THEN %s WHEN o.end_date <= %s THEN %s ELSE %s END"
    )
    closed = IsolationOrder.State.CLOSED_EARLY
    params += [
        closed.value,
        isolation_state_label(closed, today, today),
        today,
        isolation_state_label(IsolationOrder.State.ACTIVE, today, today),
        isolation_state_label(IsolationOrder.State.ACTIVE, today + timedelta(days=1), today),
    ]
    columns.append(_day("o.end_date"))
    quote = connection.ops.quote_name
    select = (
        # OFFSET 0 keeps the inner SELECT whole: flattened, its order subquery ran once per reference.
        f"SELECT {', '.join(columns)} FROM ({inner_sql} OFFSET 0) q "
        f"LEFT JOIN {quote(IsolationOrder._meta.db_table)} o ON o.{quote('id')} = q.c_order "
        "ORDER BY q.c_at DESC, q.c_pk DESC"
    )
    return select, [*params, *inner_params]


class _CrLf:
    """A file for COPY's output that ends rows in CRLF, as the csv module does (COPY ends them in LF).

    A line feed inside a quoted cell is the cell's own and stays: it is inside a cell after an odd
    number of quotes, counted across writes."""

    def __init__(self, output):
        self.output = output
        self.quoted = False

    def write(self, data):
        if isinstance(data, str):
            data = data.encode()
        if b'"' not in data:
            self.output.write(data if self.quoted else data.replace(b"\n", b"\r\n"))
            return
        parts = data.split(b'"')
        for index in range(1 if self.quoted else 0, len(parts), 2):
            parts[index] = parts[index].replace(b"\n", b"\r\n")
        if len(parts) % 2 == 0:  # an odd number of quotes: the state flips
            self.quoted = not self.quoted
        self.output.write(b'"'.join(parts))


def _csv_cell(value):
    if value is None:
        return ""
    # Formatted by hand: strftime costs several times more, and a CSV holds three dates a row.
    if isinstance(value, datetime):
        return f"{value.day:02d}-{value.month:02d}-{value.year:04d} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, date):
        return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
    return neutralise(str(value))


def xlsx_response(rows, *, filename, title):
    """An XLSX written row by row into a temporary file (deflated as it goes), then streamed from the file.

    The sheet's XML is written here rather than by openpyxl: its cell objects and XML elements
    cost ~40 s per 100,000 rows. Text is written as inline strings (no shared-string table held in
    memory) and is always text, never a formula; times and dates are serial numbers with a
    DD-MM-YYYY format, so they sort and filter as dates.
    """
    # FileResponse closes the file (and so deletes it) when the response is done.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, part in XLSX_PARTS.items():
            package.writestr(name, part.replace("{title}", escape(str(title)[:31], {'"': "&quot;"})))
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START)
            rows = iter(rows)
            header = "".join(f'<c r="{column}1" s="1" t="inlineStr"><is><t>{escape(str(text))}</t></is></c>'
                             for column, text in zip(COLUMNS, next(rows), strict=False))  # fmt: skip
            pending = [f'<row r="1">{header}</row>']
            for number, row in enumerate(rows, 2):
                pending.append(_xlsx_row(row, number))
                if len(pending) >= 500:
                    sheet.write(_illegal("", "".join(pending)).encode())
                    pending.clear()
            sheet.write(_illegal("", "".join(pending)).encode())
            sheet.write(b"</sheetData></worksheet>")
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _xlsx_row(row, number):
    cells = []
    for column, value in zip(COLUMNS, row, strict=False):
        if value is None or value == "":
            cells.append(f'<c r="{column}{number}"/>')  # keeps every row as wide as the header for readers
            continue
        cls = value.__class__
        if cls is str:
            if value[:1] in DANGER:
                value = "'" + value
            text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            cells.append(f'<c r="{column}{number}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
        elif cls is datetime:
            serial = (value - EXCEL_EPOCH) / ONE_DAY
            cells.append(f'<c r="{column}{number}" s="2"><v>{serial!r}</v></c>')
        elif cls is date:
            cells.append(f'<c r="{column}{number}" s="3"><v>{(value - EXCEL_EPOCH_DAY).days}</v></c>')
        elif cls in (int, float, Decimal):
            cells.append(f'<c r="{column}{number}"><v>{value}</v></c>')
        else:
            text = neutralise(str(value)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            cells.append(f'<c r="{column}{number}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


# The XLSX package around the sheet: one sheet, and styles 1 (bold header), 2 (time) and 3 (date).
COLUMNS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", *(a + b for a in "AB" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")]
EXCEL_EPOCH, EXCEL_EPOCH_DAY, ONE_DAY = datetime(1899, 12, 30), date(1899, 12, 30), timedelta(days=1)
# Characters XML 1.0 cannot carry at all (a spreadsheet program would refuse the file).
_illegal = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]").sub
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_START = f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode()
XLSX_PARTS = {
    "[Content_Types].xml": (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'{_XML}<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}">'
        '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML}<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        f'{_XML}<styleSheet xmlns="{_MAIN}">'
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="DD-MM-YYYY HH:MM"/>'
        '<numFmt numFmtId="165" formatCode="DD-MM-YYYY"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
