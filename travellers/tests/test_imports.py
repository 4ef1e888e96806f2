"""Paper backlog: template, upload, row report, re-upload, progress, broken files."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from conftest import make_nik
from travellers import imports
from travellers.models import Arrival, ImportBatch, Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("midday")]
UPLOAD = "/posko/unggah/"


def row(**changes):
    arrived = timezone.localtime() - timedelta(hours=3)
    values = {
        **imports.EXAMPLE,
        "waktu_tiba": arrived.strftime("%d-%m-%Y %H:%M"),
        "nomor_identitas": make_nik(sex="P"),
        "riwayat_perjalanan": f"15.71 {(arrived - timedelta(days=5)):%d-%m-%Y} {arrived:%d-%m-%Y}",
    }
    values.update(changes)
    return values


def csv_file(rows, name="backlog.csv", delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(imports.HEADERS)
    for r in rows:
        writer.writerow([r.get(h, "") for h in imports.HEADERS])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="backlog.xlsx", numeric_nik=False):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(imports.HEADERS)
    for r in rows:
        cells = [r.get(h, "") for h in imports.HEADERS]
        if numeric_nik:
            cells[imports.HEADERS.index("nomor_identitas")] = int(r["nomor_identitas"])
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload_and_process(client, upload):
    response = client.post(UPLOAD, {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    url = response["Location"]
    for _ in range(100):
        progress = client.post(url, HTTP_ACCEPT="application/json").json()
        if progress["done"]:
            break
    return ImportBatch.objects.get(pk=url.rstrip("/").split("/")[-1]), client.get(url)


def test_templates_download_with_the_columns(officer_client):
    response = officer_client.get(reverse("travellers:import_template", args=["csv"]))
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(imports.HEADERS)
    response = officer_client.get(reverse("travellers:import_template", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Kedatangan"][1]] == imports.HEADERS
    assert workbook["Kedatangan"]["C2"].number_format == "@"  # the NIK column is text
    assert "Petunjuk" in workbook.sheetnames
    assert officer_client.get("/posko/unggah/templat.exe").status_code == 404


def test_the_filled_csv_template_stores_its_rows_and_reports_each(officer_client, officer):
    rows = [
        row(nama="Siti"),
        row(nama="Rudi", jenis_kelamin="L", nomor_identitas=make_nik(sex="L")),
        row(nama="Salah", nomor_identitas="1234"),
    ]
    batch, page = upload_and_process(officer_client, csv_file(rows))
    assert (batch.stored, batch.duplicates, batch.failed) == (2, 0, 1)
    assert [e["row"] for e in batch.report] == [2, 3, 4]
    assert imports.report_texts(batch.report[2]) == ["nomor_identitas: NIK harus 16 angka; yang diketik 4 angka."]
    html = page.content.decode()
    assert "NIK harus 16 angka" in html and "3</span> dari 3 baris diproses" in html
    arrival = Arrival.objects.get(person__name="Siti")
    assert arrival.officer == officer and arrival.checkpoint == officer.checkpoint
    assert arrival.travel_stops.count() == 1
    assert arrival.purpose == "family" and arrival.transport == "car"  # labels read as choices

    report = officer_client.get(reverse("travellers:import_report", args=[batch.pk])).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(report)))
    assert lines[0] == ["baris", "nama", "hasil", "keterangan"]
    assert lines[3] == ["4", "Salah", "Galat", "nomor_identitas: NIK harus 16 angka; yang diketik 4 angka."]


def test_uploading_the_same_rows_again_stores_nothing_twice(officer_client):
    rows = [row(), row()]
    upload_and_process(officer_client, csv_file(rows))
    # The same rows in another format and another order, one name corrected: still the same crossings.
    again = [dict(rows[1]), dict(rows[0], nama="Siti Rahmah Corrected")]
    batch, _page = upload_and_process(officer_client, xlsx_file(again, name="lagi.xlsx"))
    assert (batch.stored, batch.duplicates, batch.failed) == (0, 2, 0)
    assert Arrival.objects.count() == 2


def test_a_file_saved_on_the_phone_keeps_its_entry_keys(officer_client):
    """Unsent entries the phone saved as a file carry their keys: uploaded, then sent, still one arrival."""
    import uuid

    key = uuid.uuid4()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*imports.HEADERS, "kunci_entri"])
    values = row(nama="Dari Telepon")
    writer.writerow([*(values.get(h, "") for h in imports.HEADERS), str(key)])
    upload = SimpleUploadedFile("antrean.csv", out.getvalue().encode(), content_type="text/csv")
    batch, _page = upload_and_process(officer_client, upload)
    assert batch.stored == 1
    assert Arrival.objects.get().entry_key == key
    batch, _page = upload_and_process(
        officer_client, SimpleUploadedFile("lagi.csv", out.getvalue().encode(), content_type="text/csv")
    )
    assert (batch.stored, batch.duplicates) == (0, 1)


def test_semicolon_csv_from_indonesian_excel(officer_client):
    batch, _page = upload_and_process(officer_client, csv_file([row()], delimiter=";"))
    assert batch.stored == 1


def test_a_name_starting_like_a_formula_is_stored_as_typed_and_neutralised_on_export(officer_client, client, make_user):
    """One rule on both doors (the entry form stores it too): keep what was typed, disarm it on export."""
    rows = [row(nama="=Rahmah Binti Ali"), row(nama="@Budi", nomor_identitas=make_nik(sex="P", serial=7777))]
    batch, _page = upload_and_process(officer_client, csv_file(rows))
    assert (batch.stored, batch.failed) == (2, 0)
    assert set(Person.objects.values_list("name", flat=True)) == {"=Rahmah Binti Ali", "@Budi"}
    client.force_login(make_user("district", "13.71.01", username="camat"))
    today = timezone.localdate()
    export = client.get(reverse("monitoring:arrival_export_csv"), {"dari": (today - timedelta(days=2)).isoformat()})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "'=Rahmah Binti Ali" in text and "'@Budi" in text
    assert not any(line.startswith(("=", "@")) for cell in csv.reader(io.StringIO(text)) for line in cell)


def test_numeric_niks_are_refused(officer_client):
    batch, _page = upload_and_process(officer_client, xlsx_file([row()], numeric_nik=True))
    assert batch.failed == 1
    assert "Excel membulatkan angka 16 digit" in imports.report_texts(batch.report[0])[0]


def test_a_row_without_arrival_time_or_with_a_future_one_is_an_error(officer_client):
    later = (timezone.localtime() + timedelta(days=2)).strftime("%d-%m-%Y %H:%M")
    batch, _page = upload_and_process(officer_client, csv_file([row(waktu_tiba=""), row(waktu_tiba=later)]))
    assert imports.report_texts(batch.report[0])[0] == "waktu_tiba: Isi waktu tiba (tanggal dan jam)."
    assert "waktu_tiba: Waktu tiba tidak boleh di masa depan." in imports.report_texts(batch.report[1])
    assert not Arrival.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not really a zip"), "Berkas XLSX rusak atau bukan XLSX."),
        (SimpleUploadedFile("x.csv", b"a,b\x00,c"), "Berkas berisi karakter NUL"),
        (SimpleUploadedFile("x.pdf", b"%PDF-1.4"), "Unggah berkas .csv atau .xlsx"),
        (SimpleUploadedFile("x.csv", b""), "kosong"),
        (SimpleUploadedFile("x.csv", b"nama,alamat\nBudi,Jl"), "Kolom wajib tidak ditemukan: waktu_tiba"),
        (SimpleUploadedFile("x.csv", b"x" * (5 * 1024 * 1024 + 1)), "Berkas lebih dari 5 MB."),
    ],
)
def test_broken_files_get_a_clear_message_and_store_nothing(officer_client, upload, message):
    response = officer_client.post(UPLOAD, {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists() and not Arrival.objects.exists()


def test_large_files_are_processed_in_chunks_with_progress(officer_client, officer):
    upload = csv_file([row() for _ in range(5)])
    batch = imports.import_batch_create(officer=officer, upload=upload)
    batch = imports.import_batch_process(batch=batch, officer=officer, limit=2)
    assert (batch.processed, batch.total, batch.done) == (2, 5, False)
    page = officer_client.get(reverse("travellers:import_detail", args=[batch.pk])).content.decode()
    assert "2</span> dari 5 baris diproses" in page
    assert "Proses baris berikutnya" in page
    imports.import_batch_process(batch=batch, officer=officer, limit=2)
    batch = imports.import_batch_process(batch=batch, officer=officer, limit=2)
    assert batch.done and batch.stored == 5


def test_another_officers_batch_answers_404(client, officer, make_user):
    batch = imports.import_batch_create(officer=officer, upload=csv_file([row()]))
    client.force_login(make_user("officer", username="petugas2"))
    assert client.get(reverse("travellers:import_detail", args=[batch.pk])).status_code == 404
    assert client.post(reverse("travellers:import_detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("travellers:import_report", args=[batch.pk])).status_code == 404
    assert not Arrival.objects.exists()


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_the_printable_form_follows_the_screen_order(officer_client, size):
    html = officer_client.get(reverse("travellers:paper_form"), {"ukuran": size}).content.decode()
    order = ["1. Identitas", "2. Perjalanan", "3. Tujuan", "4. Kesehatan di posko", "5. Penumpang", "6. Riwayat"]
    positions = [html.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert f"paper-{size.lower()}" in html
    assert html.count('class="digit"') == 16


def test_regions_written_by_name_as_on_the_paper_form(officer_client):
    """The paper form asks for names: the sheet takes them (under their parents) as well as codes."""
    arrived = timezone.localtime() - timedelta(hours=3)
    named = row(
        kode_tujuan="Kelurahan Alang Laweh, Kec. Padang Selatan, Kota Padang",
        kode_daerah_asal="Kota Jambi",
        kode_wilayah_asal="kota jambi",
        riwayat_perjalanan=f"Kota Jambi {(arrived - timedelta(days=5)):%d-%m-%Y} {arrived:%d-%m-%Y}",
    )
    short = row(kode_tujuan="Alang Laweh", nomor_identitas=make_nik(sex="P", serial=8181))
    batch, _page = upload_and_process(officer_client, csv_file([named, short]))
    assert (batch.stored, batch.failed) == (2, 0), batch.report
    arrival = Arrival.objects.select_related("origin", "person__home_region").first()
    assert {a.destination_code for a in Arrival.objects.all()} == {"13.71.01.1002"}
    assert (arrival.origin.code, arrival.person.home_region.code) == ("15.71", "15.71")
    assert arrival.travel_stops.get().region.code == "15.71"


def test_an_ambiguous_or_unknown_name_is_reported_on_its_row_with_candidates(officer_client):
    rows = [
        row(kode_tujuan="Baringin", nomor_identitas=make_nik(sex="P", serial=8282)),
        row(kode_tujuan="Alang Lawe", nomor_identitas=make_nik(sex="P", serial=8383)),
        row(kode_tujuan="Baringin, Lubuk Kilangan, Kota Padang", nomor_identitas=make_nik(sex="P", serial=8484)),
    ]
    batch, page = upload_and_process(officer_client, csv_file(rows))
    ambiguous, unknown = imports.report_texts(batch.report[0])[0], imports.report_texts(batch.report[1])[0]
    assert "ada di beberapa wilayah" in ambiguous
    assert "13.04.04.2001" in ambiguous and "13.71.07.1006" in ambiguous
    assert "tidak dikenal" in unknown
    assert "Kelurahan Alang Laweh, Kecamatan Padang Selatan, Kota Padang (13.71.01.1002)" in unknown
    assert batch.report[2]["status"] == "stored"  # the parent settles it
    assert Arrival.objects.get().destination_code == "13.71.07.1006"
    assert "ada di beberapa wilayah" in page.content.decode()


# ------------------------------------------------------------------------------
# Set-based writes: the same outcome as one entry at a time
# ------------------------------------------------------------------------------
def test_a_mixed_file_stores_its_good_rows_opens_their_follow_up_and_writes_nothing_of_a_bad_row(
    officer_client, officer
):
    from followup.models import IsolationOrder

    known = row(nama="Siti Rahmah", nomor_identitas=make_nik(sex="P", serial=9101))
    upload_and_process(officer_client, csv_file([known]))
    later = (timezone.localtime() - timedelta(hours=1)).strftime("%d-%m-%Y %H:%M")
    rows = [
        row(nama="Ani", nomor_hp="0812 1111 2222"),
        # a known document under another name: refused whole, though every cell is valid
        dict(known, nama="Budi Lain", waktu_tiba=later),
        row(nama="Tanpa Tujuan", kode_tujuan="99.99.99.9999"),
        # the known person again, with a new phone: brought up to date, and the change kept
        dict(known, waktu_tiba=later, nomor_hp="0813 9999 0000"),
        row(nama="Dari Padang", kode_daerah_asal="13.71", riwayat_perjalanan=""),  # inside: no isolation
    ]
    batch, page = upload_and_process(officer_client, csv_file(rows))
    assert [e["status"] for e in batch.report] == ["stored", "error", "error", "stored", "stored"]
    assert (batch.stored, batch.duplicates, batch.failed) == (3, 0, 2)
    refused = imports.report_texts(batch.report[1])
    assert "nama: Nomor identitas ini tercatat atas nama Siti Rahmah. Periksa kartu identitasnya." in refused
    assert "Bila namanya memang berubah, catat orang ini lewat formulir posko." in refused
    assert imports.report_texts(batch.report[2])[0].startswith("kode_tujuan: ")
    person = Person.objects.get(id_number=known["nomor_identitas"])
    assert person.name == "Siti Rahmah" and person.phone == "+6281399990000"
    assert person.changes.get().changes[0]["field"] == "phone"
    assert Arrival.objects.filter(person=person).count() == 2
    assert not Person.objects.filter(name__in=["Budi Lain", "Tanpa Tujuan"]).exists()
    ani = Arrival.objects.get(person__name="Ani")
    assert ani.travel_stops.count() == 1 and ani.entered_name == "Ani"
    # The follow-up opened as for an entry made at the post: from outside the province, isolate.
    assert IsolationOrder.objects.filter(arrival=ani).exists()
    assert Arrival.objects.get(pk=ani.pk).isolation_required
    assert not IsolationOrder.objects.filter(arrival__person__name="Dari Padang").exists()
    # A re-entry restarts the running order of that person instead of opening a second one.
    assert IsolationOrder.objects.filter(person=person).count() == 1
    assert "Nomor identitas ini tercatat atas nama Siti Rahmah" in page.content.decode()


def test_a_stop_in_a_flagged_region_isolates_an_imported_row_from_inside_the_province(officer_client, officer):
    """The rule is decided from the sheet's own stops before they are stored, as at the post."""
    from followup.models import FlaggedRegion, IsolationOrder
    from regions.models import Region

    arrived = timezone.localtime() - timedelta(hours=3)
    FlaggedRegion.objects.create(
        region=Region.objects.get(code="13.06"),
        date_from=(arrived - timedelta(days=6)).date(),
        date_to=(arrived - timedelta(days=4)).date(),
    )
    stop = f"13.06.01 {(arrived - timedelta(days=5)):%d-%m-%Y} {arrived:%d-%m-%Y}"
    rows = [
        row(nama="Lewat Agam", kode_daerah_asal="13.75", riwayat_perjalanan=stop),
        row(nama="Langsung", kode_daerah_asal="13.75", riwayat_perjalanan="", nomor_identitas=make_nik(sex="P")),
    ]
    batch, _page = upload_and_process(officer_client, csv_file(rows))
    assert batch.stored == 2, batch.report
    through = Arrival.objects.get(person__name="Lewat Agam")
    assert through.isolation_required and "Agam" in IsolationOrder.objects.get(arrival=through).get_reason()
    direct = Arrival.objects.get(person__name="Langsung")
    assert not direct.isolation_required and not IsolationOrder.objects.filter(arrival=direct).exists()


def test_the_same_crossing_twice_in_one_file_is_stored_once(officer_client):
    first = row()
    batch, _page = upload_and_process(officer_client, csv_file([first, dict(first), row()]))
    assert [e["status"] for e in batch.report] == ["stored", "duplicate", "stored"]
    assert batch.report[1]["arrival"] == batch.report[0]["arrival"]
    assert Arrival.objects.count() == 2


def test_another_posts_entry_key_is_refused(officer_client, make_user, checkpoint):
    import uuid

    from checkpoints.models import Checkpoint

    other_post = Checkpoint.objects.create(
        name="Posko Lain", code="lain", regency=checkpoint.regency, borders=checkpoint.borders
    )
    other = make_user("officer", post=other_post, username="petugas-lain")
    key = uuid.uuid4()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*imports.HEADERS, "kunci_entri"])
    writer.writerow([*(row().get(h, "") for h in imports.HEADERS), str(key)])
    content = out.getvalue().encode()
    imports.import_batch_process(
        batch=imports.import_batch_create(officer=other, upload=SimpleUploadedFile("a.csv", content)), officer=other
    )
    batch, _page = upload_and_process(officer_client, SimpleUploadedFile("b.csv", content))
    assert batch.failed == 1
    assert imports.report_texts(batch.report[0]) == ["Kunci entri ini sudah dipakai untuk entri lain."]
    assert Arrival.objects.get().checkpoint == other_post


def test_a_chunk_is_written_with_a_few_statements_whatever_its_size(officer, django_assert_max_num_queries):
    from followup.models import IsolationEvent, IsolationOrder

    births = [date(1980, 1, 1) + timedelta(days=n) for n in range(300)]
    rows = [row(nomor_identitas=make_nik(sex="P", birth=birth), tanggal_lahir="") for birth in births]
    batch = imports.import_batch_create(officer=officer, upload=csv_file(rows))
    with django_assert_max_num_queries(35):
        batch = imports.import_batch_process(batch=batch, officer=officer, limit=300)
    assert batch.stored == 300, batch.report[:2]
    assert Arrival.objects.count() == 300 and Person.objects.count() == 300
    # The follow-up opens every order of the chunk set-based too (all come from outside the province).
    assert IsolationOrder.objects.filter(arrival__isolation_required=True).count() == 300
    assert IsolationEvent.objects.filter(kind=IsolationEvent.Kind.OPENED).count() == 300


def test_a_large_file_is_processed_to_the_end_and_stores_exactly_its_valid_rows(officer_client):
    from followup.models import IsolationOrder

    rows = []
    for n in range(5000):
        nik = make_nik(sex="P", birth=date(1960, 1, 1) + timedelta(days=n), serial=1 + n % 9000)
        rows.append(row(nomor_identitas=nik if n % 10 else "123", nama=f"Orang {n}", tanggal_lahir=""))
    rows[17] = dict(rows[16])  # the same crossing twice
    batch, page = upload_and_process(officer_client, csv_file(rows))
    valid = 5000 - 500 - 1
    assert batch.done and (batch.stored, batch.duplicates, batch.failed) == (valid, 1, 500)
    assert Arrival.objects.count() == valid and Person.objects.count() == valid
    assert IsolationOrder.objects.count() == valid
    assert len(batch.report) == 5000 and batch.report[-1]["row"] == 5001
    assert "5000</span> dari 5000 baris diproses" in page.content.decode()


def test_the_report_is_read_in_the_readers_language_and_old_reports_stay_readable(officer_client, officer):
    batch, _page = upload_and_process(officer_client, csv_file([row(nomor_identitas="1234")]))
    message = batch.report[0]["messages"][0]
    assert message == {
        "column": "nomor_identitas",
        "code": "NIK harus 16 angka; yang diketik %(count)d angka.",
        "params": {"count": 4},
    }
    officer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = officer_client.get(reverse("travellers:import_detail", args=[batch.pk])).content.decode()
    assert "nomor_identitas: A NIK has 16 digits; 4 were typed." in english
    # A report stored before messages kept their code: its sentences, translated where whole.
    old = ImportBatch.objects.create(officer=officer, checkpoint=officer.checkpoint, file_name="lama.csv", rows=[{}])
    old.processed, old.failed = 1, 1
    old.report = [
        {
            "row": 2,
            "name": "Lama",
            "status": "error",
            "messages": ["waktu_tiba: Isi waktu tiba (tanggal dan jam).", "Sesuatu yang diketik orang"],
        }
    ]
    old.save()
    page = officer_client.get(reverse("travellers:import_detail", args=[old.pk])).content.decode()
    assert "Sesuatu yang diketik orang" in page and "waktu_tiba: " in page
    officer_client.post(reverse("set_language"), {"language": "id", "next": "/"})
    report = officer_client.get(reverse("travellers:import_report", args=[old.pk]))
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[1][3] == "waktu_tiba: Isi waktu tiba (tanggal dan jam).; Sesuatu yang diketik orang"


def test_forms_built_for_many_rows_leave_the_destination_rule_as_it_was(officer):
    """Each row builds a TravellerForm: the province it adds to the destination's rule must stay on
    that form, not pile up on the class (every later row, in the whole process, checked it again)."""
    from travellers.forms import TravellerForm

    before = list(TravellerForm.base_fields["destination"].roots)
    imports.import_batch_process(
        batch=imports.import_batch_create(officer=officer, upload=csv_file([row()] * 3)), officer=officer
    )
    assert TravellerForm.base_fields["destination"].roots == before


# ------------------------------------------------------------------------------
# One set of rules: each refusal of the entry form, with its message, in the import's report
# ------------------------------------------------------------------------------
def _stops(n, days_back=3):
    arrived = timezone.localtime() - timedelta(hours=3)
    start = arrived - timedelta(days=days_back)
    return "; ".join(f"15.71 {start:%d-%m-%Y} {arrived:%d-%m-%Y}" for _ in range(n))


BAD_ROWS = {
    "malformed NIK": ({"nomor_identitas": "1234"}, "nomor_identitas", "NIK harus 16 angka; yang diketik 4 angka."),
    "NIK with letters": ({"nomor_identitas": "13710157059O0O1A"}, "nomor_identitas", "NIK hanya berisi angka"),
    "NIK of an unknown province": (
        {"nomor_identitas": make_nik(district="99.01.01", sex="P")},
        "nomor_identitas",
        "bukan kode provinsi yang dikenal",
    ),
    "NIK of another sex": ({"jenis_kelamin": "L"}, "jenis_kelamin", "NIK"),
    "name too long": ({"nama": "A" * 101}, "nama", "100"),
    "markup in the name": ({"nama": "<b>Budi</b>"}, "nama", "Isian tidak boleh berisi tanda < atau >."),
    "control character in the address": (
        {"alamat_tujuan": "Jl. Sudirman\x07 5"},
        "alamat_tujuan",
        "Isian berisi karakter kendali yang tidak diizinkan.",
    ),
    "arrival in the future": ({"waktu_tiba": "future"}, "waktu_tiba", "Waktu tiba tidak boleh di masa depan."),
    "arrival too long ago": ({"waktu_tiba": "old"}, "waktu_tiba", "Waktu tiba lebih dari 31 hari yang lalu."),
    "arrival time not a date": ({"waktu_tiba": "kemarin sore"}, "waktu_tiba", ""),
    "impossible birth date": ({"tanggal_lahir": "31-02-1990"}, "tanggal_lahir", ""),
    "unknown destination code": ({"kode_tujuan": "13.71.01.9999"}, "kode_tujuan", "Wilayah tidak dikenal"),
    "destination at a district's level": ({"kode_tujuan": "13.71.01"}, "kode_tujuan", "Wilayah tidak dikenal"),
    "destination outside the province": ({"kode_tujuan": "15.71"}, "kode_tujuan", "Wilayah tidak dikenal"),
    "no destination address": ({"alamat_tujuan": ""}, "alamat_tujuan", ""),
    "unknown purpose": ({"keperluan": "Bertamasya ke bulan"}, "keperluan", "Bertamasya ke bulan"),
    "temperature out of range": ({"suhu": "45"}, "suhu", "43"),
    "temperature not a number": ({"suhu": "panas"}, "suhu", ""),
    "malformed plate": ({"nomor_polisi": "1234 BA"}, "nomor_polisi", "Nomor polisi ditulis huruf wilayah"),
    "malformed phone": ({"nomor_hp": "0812-ABC"}, "nomor_hp", "Nomor HP hanya berisi angka"),
    "passport without nationality": (
        {"jenis_identitas": "paspor", "nomor_identitas": "A1234567", "kewarganegaraan": ""},
        "kewarganegaraan",
        "Isi kewarganegaraan pemegang paspor.",
    ),
    "too many travel stops": ({"riwayat_perjalanan": _stops(11)}, "riwayat_perjalanan", "Paling banyak 10 tempat."),
    "travel stop before the 14 days": (
        {"riwayat_perjalanan": _stops(1, days_back=20)},
        "riwayat_perjalanan",
        "Riwayat perjalanan hanya untuk 14 hari sebelum tiba",
    ),
}


def _entry_form_errors(sheet_row: dict) -> dict:
    """What the entry form's own forms, each built afresh as the page builds them, say of the row's values."""
    import uuid

    from travellers.forms import TravellerForm, TravelStopForm, TripForm

    data, _errors = imports.row_data(sheet_row)
    trip = TripForm({**data, "entry_key": str(uuid.uuid4())})
    traveller = TravellerForm(data, check_identity=False)
    errors = {**trip.errors, **traveller.errors}
    arrived_on = timezone.localdate(trip.cleaned_data.get("arrived_at") or timezone.now())
    stops = [TravelStopForm(stop, arrived_on=arrived_on) for stop in data["travel_stops"]]
    errors["travel_stops"] = [message for stop in stops for message in stop.errors.get("__all__", [])]
    return {imports.FIELD_HEADER[field]: list(messages) for field, messages in errors.items() if messages}


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
@pytest.mark.parametrize("language", ["id", "en"])
def test_each_refusal_of_the_entry_form_refuses_the_row_with_its_message(officer, case, language):
    from django.utils import translation

    changes, column, expected = BAD_ROWS[case]
    now = timezone.localtime()
    when = {"future": now + timedelta(days=2), "old": now - timedelta(days=40)}.get(changes.get("waktu_tiba"))
    if when is not None:
        changes = {**changes, "waktu_tiba": when.strftime("%d-%m-%Y %H:%M")}
    bad = row(**changes)
    batch = imports.import_batch_create(officer=officer, upload=csv_file([bad, row()]))
    batch = imports.import_batch_process(batch=batch, officer=officer)
    assert [entry["status"] for entry in batch.report] == ["error", "stored"]
    assert Arrival.objects.count() == 1 and Person.objects.count() == 1  # nothing of the bad row
    with translation.override(language):
        reported = imports.report_texts(batch.report[0])
        form_messages = _entry_form_errors(bad).get(column, [])
        if language == "id":
            assert any(expected in message for message in reported), reported
        if column == "riwayat_perjalanan" and not form_messages:  # the count is the formset's rule
            form_messages = [str(message) for message in reported if "10" in message]
        assert form_messages, f"the entry form accepts {case}"
        for message in form_messages:
            assert any(text.startswith(f"{column}: ") and text.endswith(str(message)) for text in reported), (
                message,
                reported,
            )


def test_rows_validated_one_after_another_keep_nothing_of_the_row_before(officer):
    """The forms are built once per chunk: a row's errors, warnings and values never reach the next."""
    rows = [
        row(nama="Salah", nomor_identitas="1234", suhu="50"),
        row(nama="Peringatan", nomor_identitas=make_nik(district="13.71.99", sex="P")),  # unknown district
        row(
            nama="Bersih",
            jenis_identitas="paspor",
            nomor_identitas="A1234567",
            kewarganegaraan="MY",
            jenis_kelamin="L",
            tanggal_lahir="",
        ),
        row(nama="Bersih Juga", suhu="", nomor_hp=""),
    ]
    batch = imports.import_batch_process(
        batch=imports.import_batch_create(officer=officer, upload=csv_file(rows)), officer=officer
    )
    assert [entry["status"] for entry in batch.report] == ["error", "stored", "stored", "stored"]
    assert len(imports.report_texts(batch.report[0])) == 2  # the NIK and the temperature
    assert imports.report_texts(batch.report[1]) and not batch.report[2]["messages"] and not batch.report[3]["messages"]
    passport, last = (Arrival.objects.select_related("person").get(pk=batch.report[i]["arrival"]) for i in (2, 3))
    assert (passport.person.nationality, passport.person.sex, passport.person.birth_date) == ("MY", "L", None)
    assert (last.person.nationality, last.person.sex, last.person.phone, last.temperature) == ("ID", "P", "", None)
