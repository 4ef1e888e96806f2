"""Exports as a task force uses them: the filtered list as CSV/XLSX, safe to open in a spreadsheet, audited."""

import csv
import io
import re

import pytest
from django.db import connection
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent
from conftest import ALANG_LAWEH, SAWAHAN
from monitoring.tests import fixtures

pytestmark = pytest.mark.django_db
camat, days_ago = fixtures.camat, fixtures.days_ago  # shared fixtures
CSV = reverse("monitoring:arrival_export_csv")
XLSX = reverse("monitoring:arrival_export_xlsx")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def read(response):
    """The exported rows (header first) as the user's spreadsheet program would see the cells."""
    content = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]


def filename(response):
    return re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)


@pytest.fixture
def hostile(make_person, make_arrival):
    """An arrival whose free-text fields try to start spreadsheet formulas."""
    person = make_person(name='=HYPERLINK("http://x","klik")', home_address="@SUM(1+1)", phone="+6281234567890")
    return make_arrival(
        person=person,
        destination=ALANG_LAWEH,
        destination_address="-2+3",
        origin_place="\tcmd|' /C calc'!A0",
        plate="\rBA 1234 XY",
    )


@pytest.mark.parametrize("url", [CSV, XLSX], ids=["csv", "xlsx"])
def test_no_cell_can_start_a_formula(client, camat, hostile, url):
    client.force_login(camat)
    response = client.get(url)
    assert response.status_code == 200
    rows = read(response)
    assert len(rows) == 2
    cells = [str(cell) for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(DANGEROUS)]
    assert '\'=HYPERLINK("http://x","klik")' in cells and "'-2+3" in cells and "'+6281234567890" in cells
    assert hostile.person.id_number in cells  # exports carry the whole NIK (and are audited)


@pytest.mark.parametrize("url", [CSV, XLSX], ids=["csv", "xlsx"])
def test_export_is_the_filtered_list_named_after_its_filters(client, camat, make_arrival, days_ago, url):
    today = timezone.localdate().isoformat()
    for _ in range(3):
        make_arrival(destination=ALANG_LAWEH, isolation_required=True)
    make_arrival(destination=ALANG_LAWEH, isolation_required=False)
    make_arrival(destination=ALANG_LAWEH, isolation_required=True, arrived_at=days_ago(3))
    make_arrival(destination=SAWAHAN, isolation_required=True)  # outside the camat's kecamatan
    client.force_login(camat)
    response = client.get(url, {"tujuan": ALANG_LAWEH, "isolasi": "ya", "dari": today, "sampai": today})
    rows = read(response)
    assert len(rows) == 1 + 3 and rows[0][0] == "Waktu tiba (WIB)"
    ext = url.rsplit(".", 1)[1]
    assert filename(response) == f"kedatangan_{ALANG_LAWEH}_{today}_sd_{today}_isolasi-ya_3-baris.{ext}"
    event = AuditEvent.objects.get(action="export")
    assert event.user == camat and event.detail["rows"] == 3 and event.detail["filters"]["isolasi"] == "ya"


def test_export_without_filters_is_todays_list(client, camat, make_arrival, days_ago):
    make_arrival(destination=ALANG_LAWEH)
    make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(1))
    client.force_login(camat)
    assert len(read(client.get(CSV))) == 2


def test_streamed_not_built_in_memory(client, camat, make_arrival):
    make_arrival()
    client.force_login(camat)
    assert client.get(CSV).streaming and client.get(XLSX).streaming


@pytest.mark.parametrize("role", ["village", "hamlet", "babinsa", "police", "officer"])
def test_roles_without_export_permission_are_refused_and_audited(client, make_user, make_arrival, role):
    make_arrival()
    codes = {"village": [ALANG_LAWEH], "hamlet": [f"{ALANG_LAWEH}.01"], "babinsa": [ALANG_LAWEH]}
    user = make_user(role, *codes.get(role, [ALANG_LAWEH] if role == "police" else []))
    client.force_login(user)
    assert client.get(CSV).status_code == 403 and client.get(XLSX).status_code == 403
    assert AuditEvent.objects.filter(action="denied", user=user).count() == 2
    assert not AuditEvent.objects.filter(action="export").exists()


def test_bad_filter_is_refused_before_anything_is_written(client, camat):
    client.force_login(camat)
    response = client.get(CSV, {"q": "123"})
    assert response.status_code == 400 and "NIK terdiri dari 16 angka" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("url", [CSV, XLSX], ids=["csv", "xlsx"])
def test_export_query_count_does_not_grow(client, camat, make_arrival, url, django_assert_max_num_queries):
    client.force_login(camat)
    for _ in range(3):
        make_arrival()
    read(client.get(url))
    with django_assert_max_num_queries(31) as small:  # 11 of them: the rate-limit counter (shared cache)
        read(client.get(url))
    for _ in range(30):
        make_arrival()
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = read(client.get(url))
    assert len(rows) == 34


@pytest.mark.parametrize("url", [CSV, XLSX], ids=["csv", "xlsx"])
def test_times_are_wib_dates_are_dates_and_the_isolation_order_is_shown(client, camat, make_arrival, url):
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from followup.models import IsolationOrder

    at = datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))  # 2 March, 06:30 WIB
    arrival = make_arrival(destination=ALANG_LAWEH, arrived_at=at, isolation_required=True, temperature="37.9")
    IsolationOrder.objects.create(
        person=arrival.person, arrival=arrival, reason="zona merah", start_date=date(2026, 3, 2), days=14
    )
    make_arrival(destination=ALANG_LAWEH, arrived_at=at - timedelta(hours=1))  # no order; listed after
    client.force_login(camat)
    header, with_order, without = read(client.get(url, {"dari": "2026-03-01", "sampai": "2026-03-02"}))
    col = header.index
    when, state, until = col("Waktu tiba (WIB)"), col("Status isolasi"), col("Isolasi sampai")
    if url == CSV:
        assert with_order[when] == "02-03-2026 06:30" and with_order[until] == "16-03-2026"
        assert with_order[col("Suhu (°C)")] == "37.9"
    else:
        assert with_order[when] == datetime(2026, 3, 2, 6, 30) and with_order[until] == datetime(2026, 3, 16)
        assert with_order[col("Suhu (°C)")] == 37.9
    assert with_order[state] == "Selesai" and with_order[col("Wajib isolasi")] == "ya"
    assert without[state] == "" and without[until] == "" and without[col("Wajib isolasi")] == "tidak"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_copy_csv_is_the_row_by_row_csv_byte_for_byte(
    client, camat, make_arrival, make_person, monkeypatch, language
):
    """On PostgreSQL the CSV comes from COPY: the same bytes, rows and scope as the Python writer's."""
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from followup.models import IsolationOrder
    from monitoring import exports
    from travellers.models import Arrival, Person

    today = timezone.localdate()
    at = datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    cells = [
        '=HYPERLINK("http://x","klik")',
        "@SUM(1+1)",
        "+62 812",
        "-2+3",
        "\tcmd",
        "\rBA 1",
        'Jl. "Kenanga", No. 5',
        "baris satu\nbaris dua",
        "baris satu\r\nbaris dua\r\n",
        'tanda "kutip"\n"',
        "Nagari Kototuo, Ampek Angkek",
        "Ñoño — 東京 ✓",
        " spasi ",
        "\\.",
        "",
    ]
    orders = [None, IsolationOrder.State.ACTIVE, IsolationOrder.State.CLOSED_EARLY, "done"]
    for n, cell in enumerate(cells):
        passport = {"id_type": Person.IdType.PASSPORT, "id_number": f"A{n:07d}", "nationality": "MY"}
        person = make_person(
            name=cell or "Tanpa",
            home_address=cell,
            phone=cell[:16],
            birth_date=None if n % 3 == 0 else date(1990, 5, 17),
            **(passport if n % 4 == 1 else {}),
        )
        arrival = make_arrival(
            person=person,
            destination=ALANG_LAWEH,
            arrived_at=at - timedelta(minutes=n % 4),  # ties broken by id, as the list does
            origin_place=cell,
            destination_address=cell,
            plate=cell[:12],
            temperature=None if n % 2 else ("-1.0" if n == 4 else "36.5"),
            symptoms=["fever", "cough"] if n % 3 == 1 else [],
            isolation_required=n % 2 == 0,
            purpose=list(Arrival.Purpose)[n % len(Arrival.Purpose)],
            transport=list(Arrival.Transport)[n % len(Arrival.Transport)],
        )
        state = orders[n % 4]
        if state is not None:
            start = today - timedelta(days=20 if state == "done" else 2)
            order = IsolationOrder.objects.create(
                person=person, arrival=arrival, reason="uji", start_date=start, days=14, destination_code=ALANG_LAWEH
            )
            if state != "done":
                IsolationOrder.objects.filter(pk=order.pk).update(state=state)
    make_arrival(destination=SAWAHAN, arrived_at=at)  # outside the camat's reach: in neither file
    client.force_login(camat)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    query = {"dari": "2026-02-28", "sampai": "2026-03-02"}
    copied = client.get(CSV, query)
    assert copied.streaming
    copied_bytes = b"".join(copied.streaming_content)
    monkeypatch.setattr(
        exports,
        "arrivals_csv_response",
        lambda arrivals, *, filename: exports.csv_response(exports.arrival_rows(arrivals), filename=filename),
    )
    written = client.get(CSV, query)
    written_bytes = b"".join(written.streaming_content)
    assert isinstance(copied, FileResponse) and not isinstance(written, FileResponse)  # COPY, then the csv module
    assert copied_bytes.startswith("\ufeff".encode())
    assert copied_bytes == written_bytes
    assert copied["Content-Type"] == written["Content-Type"]
    assert filename(copied) == filename(written)
    rows = list(csv.reader(io.StringIO(copied_bytes.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(cells)  # the reach's rows, not the other district's
    assert not any(cell.startswith(DANGEROUS) for row in rows for cell in row)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_copy_export_that_matches_nobody_is_the_header(client, camat, make_arrival):
    make_arrival()
    client.force_login(camat)
    rows = read(client.get(CSV, {"dari": "2020-01-01", "sampai": "2020-01-02"}))
    assert len(rows) == 1 and rows[0][0] == "Waktu tiba (WIB)"
