"""English, tried as each role would: every GET route from the resolver, with data on it, has no Indonesian left.

Two nets over every answer: (1) the Indonesian msgids themselves (any piece of 12 characters or
more found in the body is a text that escaped translation), (2) common Indonesian words in the
visible text of HTML pages, with an explicit list of names that are the same in both languages.
"""

import csv
import html
import io
import json
import re
import uuid
from datetime import datetime, time, timedelta

import polib
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from django.utils import timezone, translation

from conftest import ALANG_LAWEH, make_nik, totp_device_for, verified_client_class
from tests.test_outage import database_down  # noqa: F401 (a fixture)
from tests.test_translations import PO
from tests.test_urls import walk
from travellers.imports import COLUMNS

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------
# Net 1: the Indonesian msgids, cut at placeholders and tags into pieces of 12+ characters.
# ---------------------------------------------------------------------------------------------
_CUT = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\n")


def _pieces():
    entries = [e for e in polib.pofile(str(PO)) if e.msgid]
    english = [t for e in entries for t in ([e.msgstr] if not e.msgid_plural else e.msgstr_plural.values())]
    pieces = set()
    for entry in entries:
        for source in filter(None, [entry.msgid, entry.msgid_plural]):
            for piece in _CUT.split(source):
                piece = piece.strip(" .,:;·—–()")
                # A piece that is also part of some English text ("Jorong/kampung/dusun", names kept
                # as they are) cannot tell the two languages apart.
                if len(piece) >= 12 and not any(piece in text for text in english):
                    pieces.add(piece)
    return sorted(pieces, key=len, reverse=True)


# The paper import's column headers are a file format, the same in every language: the entry
# page carries them for the file an officer saves from the phone (travellers/imports.py).
FILE_HEADERS = {header for header, _field, _help in COLUMNS}
PIECES = [piece for piece in _pieces() if piece not in FILE_HEADERS]


def msgid_leftovers(text):
    """The Indonesian msgid pieces found in `text` (raw, HTML-escaped or JSON-escaped)."""
    found = []
    for piece in PIECES:
        forms = {piece, html.escape(piece), html.escape(piece, quote=False), json.dumps(piece)[1:-1]}
        if any(form in text for form in forms):
            found.append(piece)
    return found


# ---------------------------------------------------------------------------------------------
# Net 2: common Indonesian words in what a person reads (text, labels, placeholders, titles).
# ---------------------------------------------------------------------------------------------
WORDS = re.findall(
    r"\w+",
    """
    yang dan tidak belum sudah untuk dengan dari atau ada semua kedatangan wilayah perjalanan pelaku
    simpan kembali cari hapus keluar masuk halaman petugas ringkasan daftar unduh pilih ganti tanggal
    jumlah laporan pemantauan isolasi hari orang baris berkas kirim ubah lihat tujuan asal suhu gejala
    catat catatan tersimpan akun sandi nama alamat wajib diisi tindak lanjut terakhir sebelum oleh
    bahasa terima selesai tutup buka perbaiki
    """,
)
WORD = re.compile(r"\b(" + "|".join(WORDS) + r")\b", re.IGNORECASE)
# Names that are the same in both languages: the language's own name on the switch, region and
# post names, the demo traveller, Indonesian titles kept in English (gugus tugas roles are
# translated; these are not).
ALLOWED = [
    "Bahasa Indonesia",
    "Posko Dharmasraya – Jambi",
    "Budi Santoso",
    "Rahmat Hidayat",
    "Jl. Sutan Syahrir No. 1",
]
_INVISIBLE = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
# Codes typed as shown (the upload template's column names), marked up as <code>, are not prose.
_CODE = re.compile(r"<code>[^<]*</code>")
_READ_ATTRIBUTE = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')


def visible_text(page):
    """What a person reads or hears on an HTML page: text nodes and the labelling attributes."""
    page = _INVISIBLE.sub(" ", page)
    page = _CODE.sub(" ", page)
    attributes = " ".join(_READ_ATTRIBUTE.findall(page))
    text = html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes)
    for name in ALLOWED:
        text = text.replace(name, " ")
    return text


def word_leftovers(page):
    return sorted({m.group(0) for m in WORD.finditer(visible_text(page))})


def test_the_nets_catch_indonesian_and_let_english_through():
    """The checks themselves: an untranslated page fails them, an English one passes."""
    assert len(PIECES) > 300
    assert msgid_leftovers("<p>Data pribadi. Setiap pembukaan halaman ini dicatat.</p>")
    assert msgid_leftovers('{"x": "Tidak ada sinyal. Entri disimpan di perangkat ini."}')
    assert word_leftovers("<button>Simpan</button>") == ["Simpan"]
    assert word_leftovers('<input placeholder="Cari nama">') == ["Cari", "nama"]
    english = "<p>Personal data. Every opening of this page is logged.</p><option>Bahasa Indonesia</option>"
    assert msgid_leftovers(english) == [] and word_leftovers(english) == []


# ---------------------------------------------------------------------------------------------
# The world every role looks at, and the walk.
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def world(make_user, make_arrival, regions, hamlet, officer, settings):
    """One traveller through every stage: entered, corrected, isolated, checked, reported; a paper upload."""
    from followup.services import arrival_follow_up_open, isolation_check_record, violation_report_raise
    from travellers import imports
    from travellers.models import ArrivalChange, TravelStop

    officer.first_name, officer.last_name = "Rahmat", "Hidayat"  # the header shows the name, not "petugas"
    officer.save()
    users = {
        "officer": officer,
        "province": make_user("province", "13"),
        "regency": make_user("regency", "13.71"),
        "district": make_user("district", "13.71.01"),
        "village": make_user("village", ALANG_LAWEH),
        "hamlet": make_user("hamlet", hamlet.code),
        "babinsa": make_user("babinsa", ALANG_LAWEH),
        "police": make_user("police", ALANG_LAWEH),
        "no_role": make_user(""),
        "admin": make_user("", is_superuser=True, is_staff=True, username="admin"),
    }
    now = timezone.now()
    # Today where the post is (WIB): the officer may correct only the post's entries of the day, and
    # an hour ago is yesterday between midnight and 01:00 WIB.
    today_started = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    arrival = make_arrival(officer=officer, arrived_at=max(now - timedelta(hours=1), today_started), plate="BA 1234 XY")
    TravelStop.objects.create(
        arrival=arrival, region=regions.get(code="15.71"), date_from=now.date() - timedelta(days=5), date_to=now.date()
    )
    # A correction made in Indonesian, as stored by travellers.services.arrival_correct.
    diff = {"field": "plate", "label": "nomor polisi kendaraan", "old": "BA 1234 XY", "new": "BA 4321 XY"}
    ArrivalChange.objects.create(arrival=arrival, changed_by=officer, changes=[diff])
    order = arrival_follow_up_open(arrival=arrival)
    failed = isolation_check_record(order=order, user=users["village"], at_home=False, note="Neighbour: gone out.")
    report = violation_report_raise(failed_check=failed, user=users["village"], description="Out at 10:00.")
    waiting = make_arrival(officer=officer, arrived_at=now - timedelta(hours=30))
    unreported = isolation_check_record(
        order=arrival_follow_up_open(arrival=waiting), user=users["village"], at_home=False
    )
    # The row report is stored in the uploader's language (Indonesian here) and read in English.
    good = {**imports.EXAMPLE, "waktu_tiba": timezone.localtime(now - timedelta(hours=2)).strftime("%d-%m-%Y %H:%M")}
    good |= {"nomor_identitas": make_nik(sex="P"), "riwayat_perjalanan": ""}
    bad = {**good, "nomor_identitas": "12345", "nama": ""}
    sheet = io.StringIO()
    csv.writer(sheet).writerows([imports.HEADERS] + [[row.get(h, "") for h in imports.HEADERS] for row in (good, bad)])
    upload = SimpleUploadedFile("backlog.csv", sheet.getvalue().encode(), content_type="text/csv")
    batch = imports.import_batch_process(
        batch=imports.import_batch_create(officer=officer, upload=upload), officer=officer
    )
    assert (batch.stored, batch.failed) == (1, 1), batch.report
    args = {
        "travellers:arrival_update": [arrival.pk],
        "travellers:import_detail": [batch.pk],
        "travellers:import_report": [batch.pk],
        "travellers:import_template": ["xlsx"],
        "monitoring:arrival_detail": [arrival.pk],
        "followup:arrival_confirm": [waiting.pk],
        "followup:report_create": [unreported.pk],
    }
    for name in ("isolation_detail", "check_create", "isolation_period", "isolation_close", "isolation_reopen"):
        args[f"followup:{name}"] = [order.pk]
    for name in ("report_detail", "report_acknowledge", "report_close", "report_letter"):
        args[f"followup:{name}"] = [report.pk]
    args["lookup"] = f"{reverse('travellers:api_person_lookup')}?nik={arrival.person.id_number}"
    return users, args, arrival


# Routes with nothing to read for a person, or none to GET (the practice switch: a POST that goes home).
SKIP = {"accounts:logout", "accounts:practice_switch", "set_language", "healthz", "travellers:api_arrival_create"}
# The exchange API answers systems with a token (401 to any session); its docs page stays in.
SKIP_API = ("exchange:",)
SKIP_API_PAGES = {"exchange:docs", "exchange:api-root"}
# Extra addresses: query strings that show more of a page, an unknown record (the 404 page).
EXTRA = [
    "/pantau/kedatangan/?q=Budi",
    "/pantau/kedatangan/?q=123",
    "/pantau/isolasi/?status=semua",
    "/pantau/laporan/?status=semua",
    "/posko/formulir-kertas/?ukuran=A5",
    "/pantau/kedatangan/999999/",
    "/halaman-yang-tidak-ada/",
]


def english_client(user=None, otp=True):
    """A browser that chose English with the header's button (the language cookie), signed in as `user`.

    Privileged accounts pass their second factor too, unless otp=False (to see the two-factor pages).
    """
    client = verified_client_class()(raise_request_exception=False)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    if user is not None:
        client.force_login(user, otp=otp)
    return client


def body_text(response):
    """The readable text of an answer: HTML, JSON, JS, CSV as they are; the cells of a workbook."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in response.get("Content-Type", ""):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True)
        cells = [c for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c]
        return " ".join(sheet.title for sheet in workbook) + " " + " ".join(map(str, cells))
    return content.decode("utf-8-sig")


CODE_PAGES = {"travellers:import", "travellers:import_template", "travellers:import_detail", "travellers:import_report"}


def without_codes(text, name):
    """`text` without the upload format's column names (codes typed as shown, in every language)."""
    if name in CODE_PAGES:
        from travellers.imports import HEADERS

        text = _CODE.sub(" ", text)
        text = re.sub(r"\b(" + "|".join(HEADERS) + r")\b", " ", text)
    return text


def addresses(args):
    for name, route, pattern in walk(get_resolver().url_patterns):
        if name in SKIP or (name.startswith(SKIP_API) and name not in SKIP_API_PAGES):
            continue
        if pattern.pattern.converters:
            yield name, reverse(name, args=args[name])
        else:
            yield name, "/" + route
    yield from ((None, url) for url in EXTRA)
    yield "travellers:import_template", reverse("travellers:import_template", args=["csv"])
    yield "travellers:api_person_lookup", args["lookup"]


def test_every_page_reads_in_english_for_every_role(world):
    users, args, _arrival = world
    leftovers, rendered = [], set()
    enrolled = users["regency"]
    totp_device_for(enrolled)
    clients = {role: english_client(user) for role, user in users.items()}
    clients["province, second factor not yet set up"] = english_client(users["province"], otp=False)
    clients["regency, second factor not yet given"] = english_client(enrolled, otp=False)
    for role, client in clients.items():
        for name, url in addresses(args):
            response = client.get(url)
            assert response.status_code < 500, (role, url)
            if response.status_code in (301, 302, 405):
                continue
            text = without_codes(body_text(response), name)
            found = msgid_leftovers(text)
            if response.get("Content-Type", "").startswith("text/html"):
                assert '<html lang="en">' in text, (role, url)
                found += word_leftovers(text)
            if found:
                leftovers.append((role, url, response.status_code, found))
            if response.status_code == 200:
                rendered.add(name)
    assert leftovers == [], "\n".join(map(str, leftovers))
    # Every route was seen with content by some role (none hid behind a 403 or a redirect).
    expected = {name for name, _url in addresses(args) if name} - {"accounts:login"}  # signed in: redirects home
    expected -= {"followup:isolation_close", "followup:isolation_period", "followup:isolation_reopen"}
    expected -= {"followup:report_acknowledge", "followup:report_close", "followup:check_create"}
    expected -= {"accounts:recovery_codes_reset"}  # a POST: test_account_security_pages_read_in_english
    assert expected - rendered == set()


def test_the_login_page_and_its_error_read_in_english(officer):
    client = english_client()
    page = client.get(reverse("accounts:login"))
    wrong = client.post(reverse("accounts:login"), {"username": officer.username, "password": "salah"})
    for response in (page, wrong):
        text = response.content.decode()
        assert msgid_leftovers(text) == [] and word_leftovers(text) == []
    assert "Wrong username or password" in wrong.content.decode()
    assert "Sign in to SIPANTAU" in page.content.decode()


def test_form_errors_and_api_errors_read_in_english(world):
    users, _args, _arrival = world
    officer = english_client(users["officer"])
    entry = {"entry_key": str(uuid.uuid4()), "origin": "15.71", "transport": "car", "plate": "BH 1234 AB"}
    entry |= {"orang-TOTAL_FORMS": "1", "orang-INITIAL_FORMS": "0", "riwayat-TOTAL_FORMS": "0"}
    entry |= {"riwayat-INITIAL_FORMS": "0", "orang-0-id_type": "nik", "orang-0-id_number": "12AB"}
    form = officer.post(reverse("travellers:arrival_create"), entry)
    tampered = officer.post(reverse("travellers:arrival_create"), {"orang-0-id_number": "12AB"})
    api = officer.post(
        reverse("travellers:api_arrival_create"),
        json.dumps({"entry_key": str(uuid.uuid4()), "id_type": "nik", "id_number": "1371", "name": "X"}),
        content_type="application/json",
    )
    village = english_client(users["village"])
    search = village.get(reverse("monitoring:arrival_list"), {"q": "13710117059", "dari": "2026-02-01"})
    assert (form.status_code, api.status_code, tampered.status_code) == (400, 400, 400)
    assert "A NIK contains only digits" in form.content.decode()
    assert "This field is required." in api.content.decode()
    for response in (form, api, search, tampered):
        text = response.content.decode()
        assert msgid_leftovers(text) == [], text[:300]
    assert word_leftovers(form.content.decode()) == []


def test_the_admin_reads_in_english(world):
    users, _args, arrival = world
    admin = english_client(users["admin"])
    pages = [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:travellers_arrival_changelist"),
        reverse("admin:travellers_arrival_change", args=[arrival.pk]),
        reverse("admin:accounts_user_change", args=[users["village"].pk]),
    ]
    for url in pages:
        response = admin.get(url)
        assert response.status_code == 200, url
        assert msgid_leftovers(response.content.decode()) == [], url


def test_texts_the_system_stored_read_in_the_readers_language(world):
    """Grounds and notes the system writes are a message code with its values, worded on read."""
    from followup.models import IsolationOrder

    users, _args, arrival = world
    order = IsolationOrder.objects.get(arrival=arrival)
    with translation.override("id"):
        assert order.get_reason() == "Datang dari luar provinsi (Kota Jambi)."
    with translation.override("en"):
        assert order.get_reason() == "Came from outside the province (Kota Jambi)."
    page = english_client(users["village"]).get(reverse("followup:isolation_detail", args=[order.pk]))
    assert "Came from outside the province (Kota Jambi)." in page.content.decode()


def test_a_sheet_filled_in_indonesian_uploads_from_an_english_session():
    from travellers.imports import EXAMPLE, row_data

    with translation.override("en"):
        data, errors = row_data({**EXAMPLE, "gejala": "Demam, Batuk"})
    assert errors == {}
    assert (data["transport"], data["purpose"], data["symptoms"]) == ("car", "family", ["fever", "cough"])


@pytest.mark.django_db(transaction=True)
def test_the_outage_page_and_json_read_in_english(database_down, officer):  # noqa: F811 (the imported fixture)
    post = english_client(officer)
    visitor = english_client()
    with database_down():
        page = visitor.get(reverse("accounts:login"))
        api = post.post(reverse("travellers:api_arrival_create"), "{}", content_type="application/json")
    assert (page.status_code, api.status_code) == (503, 503)
    assert "Service temporarily unavailable" in page.content.decode()
    assert "cannot reach its database" in api.json()["errors"]["__all__"][0]
    for response in (page, api):
        assert msgid_leftovers(response.content.decode()) == []
    assert word_leftovers(page.content.decode()) == []


def test_account_security_pages_read_in_english(world):
    users, _args, _arrival = world
    admin = english_client(users["admin"])
    codes = admin.post(reverse("accounts:recovery_codes_reset"))
    newcomer = english_client(users["province"], otp=False)
    wrong_code = newcomer.post(reverse("accounts:two_factor_setup"), {"token": "000000"})
    password = english_client(users["village"]).post(
        reverse("accounts:password_change"), {"old_password": "salah", "new_password1": "x", "new_password2": "y"}
    )
    assert (codes.status_code, wrong_code.status_code) == (200, 200)
    assert "Keep your backup codes" in codes.content.decode()
    assert "Wrong or expired code" in wrong_code.content.decode()
    assert "The current password is wrong" in password.content.decode()
    for response in (codes, wrong_code, password):
        text = response.content.decode()
        assert msgid_leftovers(text) == [] and word_leftovers(text) == [], text[:500]


def test_the_language_choice_is_a_cookie_that_outlives_the_browser_session(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/pantau/"})
    assert response.status_code == 302 and response.url == "/pantau/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and int(cookie["max-age"]) == 365 * 24 * 60 * 60
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert '<html lang="en">' in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_indonesian_whatever_the_browser_asks_until_the_switch_is_used(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="id-ID")
    assert '<html lang="en">' in response.content.decode()


def test_the_row_for_arrivals_to_the_area_itself_keeps_its_meaning_in_english():
    """Overview's "Langsung ke wilayah ini (tanpa rincian)" counts arrivals bound for the area
    itself, with no finer destination; it is not a link that takes you there."""
    with translation.override("en"):
        english = translation.gettext("Langsung ke wilayah ini (tanpa rincian)")
    assert english == "To this area itself (no finer destination)"
