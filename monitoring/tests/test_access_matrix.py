"""The access matrix: every role × own / neighbouring / other area × every URL × GET/POST.

Each case is one request by one account. It asserts the status, the exact set of travellers the
page, search, chart or export reveals, and that no byte of an out-of-reach traveller (whole NIK,
masked NIK, name) appears in the answer. Expectations are written out by hand from design.md,
not computed with visible_to, so a bug in the choke point shows up here.

The data is built once for the module, inside a transaction rolled back at the end.
"""

import csv
import io
import re
import uuid
from datetime import datetime, time, timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import is_privileged
from conftest import make_nik, otp_verify_session
from tests.test_urls import walk

# ---------------------------------------------------------------------------------------------
# The world: one traveller per place, each with a unique NIK and a name found nowhere else.
# ---------------------------------------------------------------------------------------------
TANGAH = "13.71.01.1002.01"  # a kampung in Alang Laweh
KAMPUNG_LAIN = "13.71.01.1002.02"  # the neighbouring kampung
ALANG_LAWEH = "13.71.01.1002"
BELAKANG_PONDOK = "13.71.01.1001"  # the neighbouring kelurahan, same kecamatan
SAWAHAN = "13.71.02.1001"  # the neighbouring kecamatan, same city
AGAM = "13.06.01.2001"  # another regency

# key: (destination, days ago, post, name)
TRAVELLERS = {
    "tangah": (TANGAH, 0, "home", "Zulkarnain Batubara"),
    "kampung2": (KAMPUNG_LAIN, 0, "other", "Yusnidar Kamaluddin"),
    "village": (ALANG_LAWEH, 0, "home", "Wirdaningsih Jamal"),
    "village_old": (ALANG_LAWEH, 3, "home", "Vikriansyah Tanjung"),
    "neighbour_village": (BELAKANG_PONDOK, 0, "other", "Ujang Sudrajatmiko"),
    "neighbour_district": (SAWAHAN, 0, "home", "Tiurmaida Situmeang"),
    "other_regency": (AGAM, 0, "other", "Syafrizaldi Koto"),
}
EVERYONE = set(TRAVELLERS)
ALANG_LAWEH_ALL = {"tangah", "kampung2", "village", "village_old"}

# key: (role, jurisdiction codes, extra, which travellers it reaches, may export)
ACCOUNTS = {
    "province": ("province", ["13"], {}, EVERYONE, True),
    "regency": ("regency", ["13.71"], {}, EVERYONE - {"other_regency"}, True),
    "regency_other": ("regency", ["13.06"], {}, {"other_regency"}, True),
    "district": ("district", ["13.71.01"], {}, ALANG_LAWEH_ALL | {"neighbour_village"}, True),
    "district_neighbour": ("district", ["13.71.02"], {}, {"neighbour_district"}, True),
    "village": ("village", [ALANG_LAWEH], {}, ALANG_LAWEH_ALL, False),
    "village_neighbour": ("village", [BELAKANG_PONDOK], {}, {"neighbour_village"}, False),
    "hamlet": ("hamlet", [TANGAH], {}, {"tangah"}, False),
    "babinsa": ("babinsa", [ALANG_LAWEH, BELAKANG_PONDOK], {}, ALANG_LAWEH_ALL | {"neighbour_village"}, False),
    "police": ("police", [ALANG_LAWEH], {}, ALANG_LAWEH_ALL, False),
    "police_other": ("police", [AGAM], {}, {"other_regency"}, False),
    # Monitoring is not theirs (403); their own post's entries of today are, on the entry pages.
    "officer": (
        "officer",
        [],
        {},
        {k for k, (_d, ago, post, _n) in TRAVELLERS.items() if post == "home" and not ago},
        False,
    ),
    "admin": ("", [], {"is_superuser": True, "is_staff": True}, EVERYONE, True),
    "staff_no_role": ("", [], {"is_staff": True}, set(), False),
    "no_role": ("", [], {}, set(), False),
    "inactive_province": ("province", ["13"], {"is_active": False}, set(), False),
}
VIEWERS = {k for k, (role, *_rest) in ACCOUNTS.items() if role not in ("", "officer")} - {"inactive_province"}
VIEWERS |= {"admin"}
LONG_AGO = 20  # list/export windows reach this far back so every traveller is in range


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """All accounts and arrivals, built once; rolled back when the module is done."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import ROLE_GROUP, sync_role_groups
    from checkpoints.models import Checkpoint
    from regions.loading import load_regions
    from regions.models import Region
    from travellers.models import Arrival, Person

    with django_db_blocker.unblock(), transaction.atomic():
        if not Region.objects.filter(code="13").exists():
            load_regions(province="13")  # a browser test flushed the database before us
        if Group.objects.filter(name__in=ROLE_GROUP.values()).count() != len(ROLE_GROUP):
            sync_role_groups(apps)
        village = Region.objects.get(code=ALANG_LAWEH)
        for code, name in ((TANGAH, "Tangah"), (KAMPUNG_LAIN, "Koto Baru")):
            Region.objects.get_or_create(code=code, defaults={"name": name, "level": 5, "parent": village})
        posts = {
            "home": Checkpoint.objects.get_or_create(
                code="dharmasraya-jambi",
                defaults={"name": "Posko Dharmasraya – Jambi", "regency": Region.objects.get(code="13.10")},
            )[0],
            "other": Checkpoint.objects.get_or_create(
                code="pasaman-sumut",
                defaults={"name": "Posko Pasaman – Sumatera Utara", "regency": Region.objects.get(code="13.08")},
            )[0],
        }
        users = {}
        for key, (role, codes, extra, _reach, _export) in ACCOUNTS.items():
            user = User.objects.create_user(
                username=f"m_{key}",
                password="kata-sandi-uji-123",
                role=role,
                checkpoint=posts["home"] if role == "officer" else None,
                **extra,
            )
            user.jurisdictions.set(Region.objects.filter(code__in=codes))
            users[key] = user
        today = timezone.localdate()
        origin = Region.objects.get(code="15.71")
        arrivals = {}
        for serial, (key, (dest, ago, post, name)) in enumerate(TRAVELLERS.items(), start=7001):
            person = Person.objects.create(id_number=make_nik(serial=serial), name=name, sex="L")
            arrivals[key] = Arrival.objects.create(
                person=person,
                checkpoint=posts[post],
                arrived_at=timezone.make_aware(datetime.combine(today - timedelta(days=ago), time(0, 1))),
                origin=origin,
                destination=Region.objects.get(code=dest),
                destination_address="Jl. Uji Matriks",
                purpose=Arrival.Purpose.HOMECOMING,
                transport=Arrival.Transport.CAR,
                entry_key=uuid.uuid4(),
            )
        # One logged-in client per account, reused by every case (the sessions live in this transaction).
        clients = {}
        for key, user in users.items():
            clients[key] = signed_in(user)
        yield {"users": users, "arrivals": arrivals, "today": today, "clients": clients}
        transaction.set_rollback(True)


def client_for(world, account, *, fresh=False):
    """The account's logged-in client; a fresh one for requests that change the client's cookies."""
    if not fresh:
        return world["clients"][account]
    return signed_in(world["users"][account])


def signed_in(user):
    """A client logged in as `user`, past the second factor where the account needs one."""
    client = Client()
    client.force_login(user)
    if is_privileged(user) and user.is_active:
        otp_verify_session(client, user)
    return client


def secrets(arrival):
    """What must never be seen of an out-of-reach traveller."""
    person = arrival.person
    return [person.id_number, person.masked_id, person.name]


def assert_no_leak(world, account, body, *, allow=()):
    reach = ACCOUNTS[account][3]
    for key, arrival in world["arrivals"].items():
        if key in reach:
            continue
        for secret in secrets(arrival):
            if secret in allow:
                continue
            assert secret not in body, f"{account} saw {key}'s {secret!r}"


def body_of(response):
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        if response["Content-Type"].startswith("application/vnd.openxmlformats"):
            sheet = load_workbook(io.BytesIO(content), read_only=True).active
            rows = sheet.iter_rows(values_only=True)
            return "\n".join("\t".join(str(c) for c in row if c is not None) for row in rows)
        return content.decode("utf-8-sig")
    return response.content.decode()


def revealed_niks(world, body):
    return {key for key, a in world["arrivals"].items() if a.person.id_number in body}


def revealed_names(world, body):
    return {key for key, a in world["arrivals"].items() if a.person.name in body}


def window():
    today = timezone.localdate()
    return {"dari": (today - timedelta(days=LONG_AGO)).isoformat(), "sampai": today.isoformat()}


# ---------------------------------------------------------------------------------------------
# 1. Every URL pattern, walked from the resolver, for every account and both methods.
# ---------------------------------------------------------------------------------------------
ROUTES = [(name, route, pattern) for name, route, pattern in walk(get_resolver().url_patterns)]


MONITORING_READ_ONLY = {
    "monitoring:overview",
    "monitoring:arrival_list",
    "monitoring:arrival_detail",
    "monitoring:arrival_export_csv",
    "monitoring:arrival_export_xlsx",
}


HAMLET_MANAGERS = {"village", "village_neighbour", "regency", "regency_other", "admin"}


OPEN_TO_ANONYMOUS = {"service_worker", "web_manifest", "travellers:api_session", "travellers:api_arrival_create"}


def expected_status(name, method, account, arrival_key=None):
    """The status each route answers, by hand from the roles table. A new route must be added here."""
    role, _codes, extra, reach, may_export = ACCOUNTS[account]
    active = extra.get("is_active", True)
    views = account in VIEWERS
    if name.startswith("exchange:"):
        return None  # tokens, not sessions: exchange/tests/test_access.py is its matrix (leak/5xx checks here)
    if name in ("healthz", "offline_page"):  # public: the offline page names no one
        return 200 if method == "get" else 405
    if name == "set_language":
        return 302
    if not active:  # an inactive account is not logged in at all
        if name in OPEN_TO_ANONYMOUS:
            return None  # public doors (offline entry's worker, manifest, session probe): leak/5xx checks only
        return 200 if name == "accounts:login" else 302
    if name == "home":
        return 405 if method == "post" else (200 if account == "no_role" else 302)
    if name == "accounts:login":
        return 302  # already logged in
    if name == "accounts:logout":
        return 302 if method == "post" else 405
    if name in ("regions:children", "regions:search", "regions:offline"):
        return 200 if method == "get" else 405
    if name == "travellers:arrival_create":
        if role != "officer":  # a superuser holds every permission, but enters only from a post
            return 403
        return 200 if method == "get" else (200, 400)
    if method == "post" and name in MONITORING_READ_ONLY:
        return 405
    if name in ("monitoring:overview", "monitoring:arrival_list"):
        return 200 if views else 403
    if name == "monitoring:arrival_detail":
        if not views:
            return 403
        return 200 if arrival_key in reach else 404
    if name in ("monitoring:arrival_export_csv", "monitoring:arrival_export_xlsx"):
        return 200 if may_export else 403
    if name == "monitoring:hamlet_upload":  # village heads and regency task forces load their hamlets
        if account not in HAMLET_MANAGERS:
            return 403
        return 200 if method == "get" else 400  # a POST without a file
    return None  # not known here: see STRICT_MODULES


# Routes whose views live in these modules must have an exact status above, or the matrix fails
# (so a new view there cannot be forgotten). Routes of other modules (the follow-up pages, which
# have their own matrix in test_followup_access.py; later entry pages) are still requested by
# every account with GET and POST here and must not leak an out-of-reach traveller or fail (5xx).
STRICT_MODULES = {"monitoring.views", "sipantau.views", "regions.views"}


def is_strict(pattern):
    return pattern.callback.__module__ in STRICT_MODULES


def route_cases():
    for name, _route, pattern in ROUTES:
        converters = pattern.pattern.converters
        for account in ACCOUNTS:
            for method in ("get", "post"):
                if converters and list(converters) == ["pk"] and is_strict(pattern):
                    for key in TRAVELLERS:
                        yield pytest.param(name, account, method, key, id=f"{name}-{account}-{method}-{key}")
                else:
                    yield pytest.param(name, account, method, None, id=f"{name}-{account}-{method}")


def sample_kwargs(world, pattern):
    """Values for a route's parameters: an in-reach-of-many arrival's id for numbers."""
    pk = world["arrivals"]["tangah"].pk
    samples = {"IntConverter": pk, "UUIDConverter": "00000000-0000-0000-0000-000000000001"}
    return {key: samples.get(type(conv).__name__, "x") for key, conv in pattern.pattern.converters.items()}


def test_strict_routes_all_have_expectations():
    missing = [
        name
        for name, _route, pattern in ROUTES
        if is_strict(pattern) and expected_status(name, "get", "province", "tangah") is None
    ]
    assert not missing, f"add these routes to expected_status for every role: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "account", "method", "arrival_key"), list(route_cases()))
def test_every_route(world, name, account, method, arrival_key):
    pattern = next(p for n, _r, p in ROUTES if n == name)
    expected = expected_status(name, method, account, arrival_key)
    if arrival_key is not None:
        url = reverse(name, args=[world["arrivals"][arrival_key].pk])
    else:
        url = reverse(name, kwargs=sample_kwargs(world, pattern))
        if name in MONITORING_READ_ONLY - {"monitoring:overview"}:
            url += "?" + "&".join(f"{k}={v}" for k, v in window().items())
    # A fresh client where the answer may change the client's cookies (session, language, messages).
    fresh = name in ("accounts:logout", "set_language", "accounts:login") or not is_strict(pattern)
    response = getattr(client_for(world, account, fresh=fresh), method)(url)
    if expected is None:
        assert response.status_code < 500, url
    else:
        assert response.status_code in (expected if isinstance(expected, tuple) else (expected,)), url
    body = body_of(response)
    assert_no_leak(world, account, body)
    if response.status_code != 200:
        return
    reach = ACCOUNTS[account][3]
    if name == "monitoring:arrival_detail":
        assert revealed_niks(world, body) == {arrival_key}  # the whole NIK, of this traveller only
    elif name == "monitoring:arrival_list":
        assert {a["id"] for a in response.context["arrivals"]} == {world["arrivals"][k].pk for k in reach}
        assert revealed_names(world, body) == reach
        assert revealed_niks(world, body) == set()  # lists show NIKs masked
    elif name.startswith("monitoring:arrival_export"):
        assert revealed_niks(world, body) == reach
    elif name == "monitoring:overview":
        assert sum(bar.count for bar in response.context["bars"]) == len(reach)
        assert revealed_names(world, body) == set() and revealed_niks(world, body) == set()


# ---------------------------------------------------------------------------------------------
# 2. Searching: by each traveller's NIK and name, in the list and both exports.
#    An out-of-reach NIK answers exactly like a NIK that does not exist.
# ---------------------------------------------------------------------------------------------
NOBODY_NIK = make_nik(serial=9999)
SEARCHERS = sorted(VIEWERS)
EXPORTERS = sorted(k for k in VIEWERS if ACCOUNTS[k][4])


def normalised(text, query, stand_in):
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return text.replace(query, stand_in)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(TRAVELLERS))
@pytest.mark.parametrize("account", SEARCHERS)
def test_nik_search_in_the_list(world, account, key):
    client = client_for(world, account)
    nik = world["arrivals"][key].person.id_number
    response = client.get(reverse("monitoring:arrival_list"), {"q": nik})
    assert response.status_code == 200
    found = {a["id"] for a in response.context["arrivals"]}
    body = body_of(response)
    if key in ACCOUNTS[account][3]:
        assert found == {world["arrivals"][key].pk}
        assert revealed_names(world, body) == {key}
    else:
        assert found == set()
        nobody = client.get(reverse("monitoring:arrival_list"), {"q": NOBODY_NIK})
        assert normalised(body, nik, "<NIK>") == normalised(body_of(nobody), NOBODY_NIK, "<NIK>")
    assert_no_leak(world, account, body, allow=(nik,))  # the search box echoes what was typed


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(TRAVELLERS))
@pytest.mark.parametrize("account", SEARCHERS)
def test_name_search_in_the_list(world, account, key):
    name = world["arrivals"][key].person.name
    response = client_for(world, account).get(reverse("monitoring:arrival_list"), {"q": name})
    assert response.status_code == 200
    expected = {world["arrivals"][key].pk} if key in ACCOUNTS[account][3] else set()
    assert {a["id"] for a in response.context["arrivals"]} == expected
    assert_no_leak(world, account, body_of(response), allow=(name,))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("key", sorted(TRAVELLERS))
@pytest.mark.parametrize("account", EXPORTERS)
def test_nik_search_in_the_exports(world, account, key, fmt):
    client = client_for(world, account)
    url = reverse(f"monitoring:arrival_export_{fmt}")
    nik = world["arrivals"][key].person.id_number
    response = client.get(url, {"q": nik})
    assert response.status_code == 200
    body = body_of(response)
    reached = key in ACCOUNTS[account][3]
    assert revealed_niks(world, body) == ({key} if reached else set())
    assert_no_leak(world, account, body)
    if not reached:
        nobody = client.get(url, {"q": NOBODY_NIK})
        assert body == body_of(nobody)
        assert response["Content-Disposition"] == nobody["Content-Disposition"]
    assert nik not in response["Content-Disposition"]  # the file name never carries the search


# ---------------------------------------------------------------------------------------------
# 3. The overview (counts and chart) drilled into own, neighbouring and other areas.
# ---------------------------------------------------------------------------------------------
DRILLS = ["13", "13.71", "13.06", "13.71.01", "13.71.02", ALANG_LAWEH, BELAKANG_PONDOK, TANGAH]


def within(code, container):
    return code == container or code.startswith(container + ".")


@pytest.mark.django_db
@pytest.mark.parametrize("drill", DRILLS)
@pytest.mark.parametrize("account", SEARCHERS)
def test_overview_drilled_into_any_area(world, account, drill):
    reach = ACCOUNTS[account][3]
    codes = ACCOUNTS[account][1] or ["13"]
    allowed = any(within(drill, code) for code in codes)
    expected = {k for k in reach if within(TRAVELLERS[k][0], drill)} if allowed else reach
    response = client_for(world, account).get(reverse("monitoring:overview"), {"wilayah": drill, "hari": 30})
    assert response.status_code == 200
    ctx = response.context
    assert sum(bar.count for bar in ctx["bars"]) == len(expected)
    assert ctx["count_today"] == len({k for k in expected if TRAVELLERS[k][1] == 0})
    assert sum(n for _region, n in ctx["by_sub_area"]) == len(expected)
    assert sum(n for *_rest, n in ctx["by_checkpoint"]) == len(expected)
    assert sum(n for _region, n in ctx["by_origin"]) == len(expected)
    body = body_of(response)
    assert revealed_names(world, body) == set() and revealed_niks(world, body) == set()


def area_filter_cases():
    for account in SEARCHERS:
        for drill in DRILLS:
            yield pytest.param(account, drill, "arrival_list", id=f"{account}-{drill}-list")
            if ACCOUNTS[account][4]:
                for fmt in ("csv", "xlsx"):
                    yield pytest.param(account, drill, f"arrival_export_{fmt}", id=f"{account}-{drill}-{fmt}")


@pytest.mark.django_db
@pytest.mark.parametrize(("account", "drill", "view"), list(area_filter_cases()))
def test_list_and_exports_filtered_to_any_area(world, account, drill, view):
    reach = ACCOUNTS[account][3]
    codes = ACCOUNTS[account][1] or ["13"]
    response = client_for(world, account).get(reverse(f"monitoring:{view}"), {**window(), "tujuan": drill})
    body = body_of(response)
    assert_no_leak(world, account, body)
    if not any(within(drill, code) for code in codes):
        # An area outside one's own is refused like an unknown code, before anything is read.
        assert response.status_code == 400
        assert "Wilayah tujuan tidak dikenal di wilayah Anda" in body
        return
    assert response.status_code == 200
    expected = {k for k in reach if within(TRAVELLERS[k][0], drill)}
    if view == "arrival_list":
        assert revealed_names(world, body) == expected
    else:
        assert revealed_niks(world, body) == expected


# ---------------------------------------------------------------------------------------------
# 5. Follow-up capabilities: who records a visit, who reports a traveller not at home, who
#    receives and closes the report (README's roles table, by hand). Each through the door:
#    today's visit list, the "Laporkan" page of a failed check in Tangah, the report's buttons.
# ---------------------------------------------------------------------------------------------
VISITORS = {"village", "village_neighbour", "hamlet", "babinsa", "police", "police_other", "admin"}
REPORT_HANDLERS = {"police", "police_other", "regency", "regency_other", "admin"}
# (may record checks, may raise reports, may receive and close reports)
CAPABILITIES = {account: (account in VISITORS, account in VISITORS, account in REPORT_HANDLERS) for account in ACCOUNTS}


@pytest.fixture(scope="module")
def failed_visit(world, django_db_blocker):
    """An isolation order for the Tangah traveller, a visit that found nobody, and its report."""
    from followup.models import IsolationOrder
    from followup.services import arrival_follow_up_open, isolation_check_record, violation_report_raise

    with django_db_blocker.unblock():
        arrival = world["arrivals"]["tangah"]
        arrival_follow_up_open(arrival=arrival)
        order = IsolationOrder.objects.get(arrival=arrival)
        reported = isolation_check_record(order=order, user=world["users"]["village"], at_home=False)
        report = violation_report_raise(failed_check=reported, user=world["users"]["village"], description="uji")
        unreported = isolation_check_record(order=order, user=world["users"]["hamlet"], at_home=False, note="sore")
    return {"order": order, "check": unreported, "report": report}


@pytest.mark.django_db
@pytest.mark.parametrize("account", sorted(ACCOUNTS))
def test_followup_capabilities_per_role(world, failed_visit, account):
    record, raise_, handle = CAPABILITIES[account]
    reaches_tangah = "tangah" in ACCOUNTS[account][3] and account in VIEWERS
    client = client_for(world, account)
    active = ACCOUNTS[account][2].get("is_active", True)
    due = client.get(reverse("followup:checks_due"))
    assert due.status_code == (200 if record else 403 if active else 302)
    report_page = client.get(reverse("followup:report_create", args=[failed_visit["check"].pk]))
    if not active:
        assert report_page.status_code == 302
    elif not raise_:
        assert report_page.status_code == 403
    else:
        assert report_page.status_code == (200 if reaches_tangah else 404)
    user = world["users"][account]
    assert (user.has_perm("accounts.record_checks"), user.has_perm("accounts.raise_reports")) == (
        record and active,
        raise_ and active,
    )
    assert user.has_perm("accounts.handle_reports") == (handle and active)
    if active and account in VIEWERS:
        detail = client.get(reverse("followup:report_detail", args=[failed_visit["report"].pk]))
        acknowledge = reverse("followup:report_acknowledge", args=[failed_visit["report"].pk])
        # Only the police of the village (it has one, so the report went to them) see the buttons.
        shows_buttons = account in ("police", "admin")
        assert (acknowledge in detail.content.decode()) == shows_buttons, account


def test_the_matrix_is_big_enough():  # counted without routes other modules may add
    cases = (
        len(list(route_cases()))
        + 2 * len(SEARCHERS) * len(TRAVELLERS)
        + 2 * len(EXPORTERS) * len(TRAVELLERS)
        + len(SEARCHERS) * len(DRILLS)
        + len(list(area_filter_cases()))
        + len(ACCOUNTS) * (len(TRAVELLERS) + 1)
    )
    print(f"access matrix: {cases} cases")
    assert cases >= 1000, cases


def test_csv_reader_sees_one_row_per_reached_traveller(world):
    response = client_for(world, "district").get(reverse("monitoring:arrival_export_csv"), window())
    rows = list(csv.reader(io.StringIO(body_of(response))))
    assert len(rows) == 1 + len(ACCOUNTS["district"][3])


# ---------------------------------------------------------------------------------------------
# 5. The officers' NIK look-up: every account × every traveller's NIK and one
#    nobody has. Officers learn the entry form's pre-fill of the traveller they typed (found
#    anywhere: that is what speeds a returning traveller's entry) and nothing else: no phone,
#    address, home region, record id, nor any arrival outside their post's entries of today.
#    Every other account answers 403 (302 to the login for an inactive one).
# ---------------------------------------------------------------------------------------------
PREFILL = {"name", "sex", "birth_date", "nationality"}


def expected_lookup_status(account):
    role, _codes, extra, _reach, _export = ACCOUNTS[account]
    if not extra.get("is_active", True):
        return 302
    return 200 if role == "officer" else 403


@pytest.mark.django_db
@pytest.mark.parametrize("key", [*sorted(TRAVELLERS), "nobody"])
@pytest.mark.parametrize("account", sorted(ACCOUNTS))
def test_the_nik_lookup_answers_only_the_prefill(world, account, key, settings):
    settings.SIPANTAU_RATE_LIMIT_PERSON_LOOKUP = settings.SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST = 10**6
    nik = NOBODY_NIK if key == "nobody" else world["arrivals"][key].person.id_number
    response = client_for(world, account).get(reverse("travellers:api_person_lookup"), {"nik": nik})
    assert response.status_code == expected_lookup_status(account)
    body = body_of(response)
    if response.status_code != 200:
        assert_no_leak(world, account, body)
        return
    answer = response.json()
    if key == "nobody":
        assert answer == {"found": False}
        return
    person = world["arrivals"][key].person
    assert set(answer) == {"found", "person", "arrivals"} and set(answer["person"]) == PREFILL
    assert answer["person"]["name"] == person.name
    # Only the traveller typed, and of their arrivals only this post's entry of today.
    assert_no_leak(world, account, body, allow=(person.name, person.id_number, person.masked_id))
    assert len(answer["arrivals"]) == (1 if key in ACCOUNTS[account][3] else 0)
    for hidden in ("Jl. Uji Matriks", '"id"', "phone", "address", "home_region", str(person.pk) + ","):
        assert hidden not in body
