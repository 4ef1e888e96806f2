"""Hamlets loaded from a spreadsheet by a village head or a regency task force: template, per-row
errors, idempotent re-upload, and the entry form's picker offering them."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from regions import hamlets
from regions.models import Region

pytestmark = pytest.mark.django_db
URL = reverse("monitoring:hamlet_upload")
ALANG_LAWEH, BELAKANG_PONDOK = "13.71.01.1002", "13.71.01.1001"


def sheet(rows, name="jorong.csv"):
    if name.endswith(".xlsx"):
        book = Workbook()
        for row in [hamlets.HEADERS, *rows]:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        return SimpleUploadedFile(name, out.getvalue())
    out = io.StringIO()
    csv.writer(out).writerows([hamlets.HEADERS, *rows])
    return SimpleUploadedFile(name, out.getvalue().encode())


ROWS = [
    ["Alang Laweh, Padang Selatan, Kota Padang", "Kampung Tangah", "kampung"],
    [ALANG_LAWEH, "Koto Baru", "kampung"],
    ["Belakang Pondok", "Kampung Jawa", "kampung"],
    ["Baringin", "Jorong Ambigu", "jorong"],  # a village name found several times
    [ALANG_LAWEH, "", "kampung"],  # no name
    [ALANG_LAWEH, "Koto Baru", "kampung"],  # repeats row 3
    ["13.06.01.2001", "Jorong Agam", "jorong"],  # another regency
    [ALANG_LAWEH, "Lubuk", "banjar"],  # not a kind
]


def test_the_village_head_uploads_the_hamlet_list_with_a_report_per_row(client, make_user):
    client.force_login(make_user("village", ALANG_LAWEH, BELAKANG_PONDOK, username="lurah"))
    response = client.post(URL, {"file": sheet(ROWS)})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.added, report.unchanged, report.failed) == (3, 0, 5)
    statuses = [(r["row"], r["status"]) for r in report.rows]
    assert statuses[:3] == [(2, "added"), (3, "added"), (4, "added")]
    messages = {r["row"]: r.get("message", "") for r in report.rows}
    assert "ada di beberapa wilayah" in messages[5] and "Isi nama" in messages[6]
    assert "mengulang" in messages[7] and "di luar wilayah Anda" in messages[8] and "jorong, kampung" in messages[9]
    added = Region.objects.filter(level=Region.Level.HAMLET, parent__code=ALANG_LAWEH).order_by("code")
    assert [(h.code, h.name, h.kind) for h in added] == [
        ("13.71.01.1002.01", "Tangah", "kampung"),  # "Kampung Tangah": the kind word goes to the kind
        ("13.71.01.1002.02", "Koto Baru", "kampung"),
    ]
    html = response.content.decode()
    assert "Ditambahkan (13.71.01.1002.01)" in html and "di luar wilayah Anda" in html


def test_the_same_sheet_again_adds_nothing(client, make_user):
    client.force_login(make_user("regency", "13.71", username="kabkota"))
    client.post(URL, {"file": sheet(ROWS[:3])})
    before = Region.objects.count()
    response = client.post(URL, {"file": sheet(ROWS[:3], name="lagi.xlsx")})
    report = response.context["report"]
    assert (report.added, report.unchanged, report.failed) == (0, 3, 0)
    assert Region.objects.count() == before


def test_the_template_and_who_may_upload(client, make_user):
    client.force_login(make_user("village", ALANG_LAWEH, username="lurah"))
    template = client.get(URL, {"templat": "1"})
    assert template.status_code == 200
    assert template.content.decode("utf-8-sig").splitlines()[0] == ",".join(hamlets.HEADERS)
    for role, codes in [
        ("district", ["13.71.01"]),
        ("hamlet", []),
        ("babinsa", [ALANG_LAWEH]),
        ("police", [ALANG_LAWEH]),
    ]:
        if role == "hamlet":
            continue
        client.force_login(make_user(role, *codes, username=f"u-{role}"))
        assert client.get(URL).status_code == 403, role


def test_a_file_that_is_not_the_template_is_refused(client, make_user):
    client.force_login(make_user("village", ALANG_LAWEH, username="lurah"))
    bad = SimpleUploadedFile("x.csv", b"nama,alamat\nA,B\n")
    response = client.post(URL, {"file": bad})
    assert response.status_code == 400 and "judul kolom" in response.content.decode()


def test_a_binary_file_named_csv_is_refused_in_words(client, make_user):
    """Found by the fuzzer: a stray carriage return made the CSV reader raise (a 500)."""
    client.force_login(make_user("village", ALANG_LAWEH, username="lurah"))
    broken = SimpleUploadedFile("jorong.csv", b"PK\x03\x04\x14\x00x\ry\nz")
    response = client.post(URL, {"file": broken})
    assert response.status_code == 400 and "tidak dapat dibaca" in response.content.decode()
    assert not Region.objects.filter(level=Region.Level.HAMLET).exists()


def test_the_entry_forms_picker_offers_the_uploaded_hamlets(client, make_user, officer):
    client.force_login(make_user("village", ALANG_LAWEH, username="lurah"))
    client.post(URL, {"file": sheet(ROWS[:2])})
    client.force_login(officer)
    children = client.get(reverse("regions:children"), {"induk": ALANG_LAWEH, "sampai": "5"})
    assert "Kampung Tangah" in children.content.decode() and "Kampung Koto Baru" in children.content.decode()
