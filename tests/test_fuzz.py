"""Hypothesis throws hostile input at every form in tests/fuzz_targets.py.

Per form: no answer >= 500, and no row written unless the form said yes (a redirect or a 2xx
to JSON). The number of examples per form comes from a profile (SIPANTAU_FUZZ_PROFILE):

- dev (default): 150 per form, a few minutes in all;
- ci (.ci/run): a time budget per form (SIPANTAU_FUZZ_SECONDS, default 20 s) divided by the form's
  measured cost per example (tests/fuzz_costs.json), between 150 and 5,000 examples: cheap forms
  get thousands, the slow list pages a few hundred, and the whole run fits CI's time;
- long: 5,000 per form, for a night run (README, "Test it").

No per-example deadline: the machines are shared and noisy, and a deadline would turn load into
failures. Refresh the costs after a form changes much:
SIPANTAU_FUZZ_PROFILE=dev SIPANTAU_FUZZ_RECORD=1 bin/test tests/test_fuzz.py -n 0
"""

import fcntl
import io
import itertools
import json
import logging
import os
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import ALANG_LAWEH, make_nik, otp_verify_session
from tests.fuzz_targets import TARGETS

pytestmark = pytest.mark.django_db

COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
}
settings.register_profile("dev", max_examples=150, **COMMON)
# CI reports a failing example as found, unshrunk: shrinking one took over five minutes of CI's
# budget. The printed @reproduce_failure blob replays it under dev, which shrinks.
settings.register_profile(
    "ci", max_examples=150, phases=[Phase.explicit, Phase.reuse, Phase.generate], print_blob=True, **COMMON
)  # 150 is the floor; examples_for() sizes each form
settings.register_profile("long", max_examples=5000, **COMMON)
PROFILE = os.environ.get("SIPANTAU_FUZZ_PROFILE", "dev")
settings.load_profile(PROFILE)
COSTS = Path(__file__).with_name("fuzz_costs.json")
BUDGET_SECONDS = float(os.environ.get("SIPANTAU_FUZZ_SECONDS", "20"))
MOST_EXAMPLES = 5000


def examples_for(target_id: str) -> int:
    """How many examples `target_id` gets: the profile's number, or in ci its time budget's worth."""
    floor = settings.get_profile(PROFILE).max_examples
    if PROFILE != "ci":
        return floor
    seconds = json.loads(COSTS.read_text()).get(target_id)
    if not seconds:  # a new form, not measured yet: the floor until its cost is recorded
        return floor
    return max(floor, min(MOST_EXAMPLES, int(BUDGET_SECONDS / seconds)))


def record_cost(target_id: str, seconds_per_example: float) -> None:
    """Store a form's measured cost per example in tests/fuzz_costs.json (SIPANTAU_FUZZ_RECORD=1)."""
    with COSTS.open("r+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # several xdist workers may record at once
        costs = json.loads(handle.read() or "{}")
        costs[target_id] = round(seconds_per_example, 4)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(dict(sorted(costs.items())), indent=1) + "\n")


NASTY = [
    "١٣٧١٠١٥٧٠٥٩٠٠٠٠١",  # a NIK in Arabic-Indic digits
    "１３７１０１５７０５９０",  # full-width digits
    "𝟏𝟑𝟕𝟏",  # mathematical digits
    "\u202e1000\u202c",  # right-to-left override
    "\u200f\u200e",  # RTL / LTR marks
    "adm\u200bin",  # zero-width space
    "\ufeff\u200c\u200d",
    "👨‍👩‍👧‍👦🇮🇩",  # emoji sequences
    "\x00",
    "petugas\x00",
    "\r\nINFO forged",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00%0a",
    "13.71.01.1002",
    "000000",
    "true",
    "-1",
    "1e309",
    "NaN",
    "",
    " ",
]

unicode_text = st.text(alphabet=st.characters(categories=["Nd", "Cf", "Zs", "Cc", "So", "Lo", "Mn"]), max_size=30)
mixed = st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=20))
# Huge values are rare (one branch in 41 per field): each costs a slow request, and a form of
# 50 fields would otherwise carry one in most examples (the CI profile's main cost).
# Hypothesis keeps what it drew for thousands of past examples, so the strategies draw small
# recipes (Huge, CsvFile) and the request is given the real value (materialise): drawn as
# strings, the huge values of 5,000 examples grew one CI worker past 20 GB until it was killed.


class Huge(NamedTuple):
    char: str
    length: int


class Deep(NamedTuple):
    """Lists nested `depth` deep: [[[…]]] in a JSON body, the same text in a form field."""

    depth: int


# A request line longer than 8 KB never reaches Django (nginx answers 414: ops/nginx), so the
# query string of a GET carries at most 5,000 characters a value; bodies carry up to 200,000.
HUGE_GET, HUGE_BODY = (5_000,), (5_000, 200_000)
# Lone UTF-16 surrogates: valid as \ud800 escapes in JSON, and as the bytes ED A0 80 that a
# broken client can percent-encode into a form or a URL; neither is text any database can hold.
SURROGATES = ["\ud800", "Budi\udfff", "\udc00\ud800", "\udbff"]
surrogate_text = st.builds(
    lambda a, b, c: a + b + c, st.text(max_size=8), st.sampled_from(SURROGATES), st.text(max_size=8)
)
deep = st.builds(Deep, st.sampled_from([64, 1_000, 100_000]))


def hostile_text(huge_lengths):
    huge = st.builds(Huge, st.sampled_from(["9", "a", "é", "\x00", "😀"]), st.sampled_from(huge_lengths))
    return st.one_of(
        *[st.sampled_from(NASTY), st.text(max_size=50), unicode_text, mixed] * 10,
        huge,
        surrogate_text,
        deep,
    )


def values_for(target):
    """The strategy for one field's value at `target`'s door (query string, form body or JSON)."""
    text = hostile_text(HUGE_GET if target.method == "get" else HUGE_BODY)
    if target.json:
        return st.one_of(
            text, st.integers(), st.floats(), st.booleans(), st.none(), st.lists(text, max_size=3), st.just({})
        )
    return st.one_of(
        text,
        st.lists(text, min_size=2, max_size=3),  # a repeated field where one value is expected
        st.integers().map(str),
    )


MISSING = object()


BASE = object()  # keep the field's valid value (targets with a base)


def payload(fields, values, *, with_base=False):
    choices = [st.just(MISSING), st.just(BASE), values] if with_base else [st.just(MISSING), values]
    return st.fixed_dictionaries({name: st.one_of(*choices) for name in fields})


def _xlsx(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload_samples():
    """A few real workbooks with hostile cells (built once), and cut-off copies of them."""
    from travellers.imports import HEADERS

    good = ["25-11-2026 10:00", "NIK", "1371015705900001", "", "Budi", "L", "", "", "", "", "15.71", "", "Mobil"]
    good += ["", ALANG_LAWEH, "Jl. 1", "Mudik", "36,5", "", ""]
    books = [
        _xlsx([HEADERS, good]),
        _xlsx([HEADERS, ['=HYPERLINK("http://x")', "@SUM(A1)", "+1", "-1", "\u202eevil"] + good[5:]]),
        _xlsx([HEADERS, ["9" * 40_000] * len(HEADERS)]),  # a huge cell in every column
        _xlsx([["x"] * 60] * 3),  # too many columns, no header
        _xlsx([HEADERS] + [good] * 30),
    ]
    return books + [book[: len(book) // 2] for book in books[:2]]


UPLOADS = _upload_samples()
csv_cell = st.one_of(
    hostile_text(HUGE_BODY), st.sampled_from(["=1+1", "+cmd|' /C calc'!A0", "@SUM(1)", '"', '""', ",", "\r"])
)


class CsvFile(NamedTuple):
    header: list | None
    rows: list
    encoding: str

    def content(self):
        lines = ([self.header] if self.header else []) + [[materialise(cell) for cell in row] for row in self.rows]
        text = "\n".join(",".join(row) for row in lines)
        # Lone surrogates go in as the raw bytes a broken exporter writes (UTF-8's ED A0 80).
        return text.encode(self.encoding, "surrogatepass" if self.encoding.startswith("utf") else "replace")


def materialise(value):
    """The value a recipe stands for (see Huge), in whatever it is nested in."""
    if isinstance(value, Huge):
        return value.char * value.length
    if isinstance(value, Deep):
        return "[" * value.depth + "]" * value.depth
    if isinstance(value, CsvFile):
        return value.content()
    if isinstance(value, list):
        return [materialise(v) for v in value]
    return value


csv_file = st.builds(
    CsvFile,
    st.sampled_from(
        [None, ["waktu_tiba", "jenis_identitas", "nomor_identitas", "nama", "kode_daerah_asal", "kode_tujuan"]]
    ),
    st.lists(st.lists(csv_cell, max_size=8), max_size=5),
    st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
upload_file = st.tuples(
    st.sampled_from(["data.csv", "data.xlsx", "data.txt", "data", "a" * 300 + ".csv", "../../x.csv", "x\u202e.csv"]),
    st.one_of(
        csv_file,
        st.sampled_from(UPLOADS),
        st.binary(max_size=2000),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),  # a broken zip (xlsx)
        st.just(b""),
        st.just(b"\x00" * 1000),
    ),
)


def json_body(data):
    """`data` as a JSON text, Deep values written out by hand (json.dumps would recurse too deep)."""
    nested = {}

    def placeholder(value):
        if isinstance(value, Deep):
            key = f"\x00deep{len(nested)}\x00"
            nested[json.dumps(key)] = "[" * value.depth + "]" * value.depth
            return key
        if isinstance(value, list):
            return [placeholder(v) for v in value]
        return materialise(value)

    text = json.dumps({name: placeholder(value) for name, value in data.items()})
    for key, value in nested.items():
        text = text.replace(key, value)
    return text


def form_encoded(data):
    """`data` URL-encoded as a browser would, lone surrogates as the raw bytes a broken client sends."""
    pairs = []
    for name, value in data.items():
        value = materialise(value)
        pairs += [(name, item) for item in value] if isinstance(value, list) else [(name, value)]
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass")


def target_fields(target):
    if target.form:
        return tuple(import_string(target.form).base_fields)
    return target.fields


def _row_count_sql():
    tables = [
        m._meta.db_table
        for app in ("regions", "checkpoints", "accounts", "travellers", "followup", "monitoring")
        for m in apps.get_app_config(app).get_models(include_auto_created=True)
        if not m._meta.model_name.startswith("auditevent") and m._meta.managed
    ]
    return tables, "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables)


def row_counts():
    """Rows in each of the project's own tables (not the audit log: refusals are meant to be logged)."""
    tables, sql = _row_count_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


@pytest.fixture
def fuzz_context(make_user, admin_user, hamlet):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = {
        None: None,
        "officer": make_user("officer", username="petugas"),
        "village_head": make_user("village", "13.71.01.1002", username="lurah"),
        "task_force": make_user("province", "13", username="provinsi"),
        "task_force_new": make_user("province", "13", username="provinsi_baru"),
        "task_force_unverified": make_user("regency", "13.71", username="kabkota"),
        "admin": admin_user,
    }
    users["police"] = make_user("police", ALANG_LAWEH, username="bhabin")
    TOTPDevice.objects.create(user=users["task_force_unverified"], name="Aplikasi autentikator", confirmed=True)
    serials = itertools.count(5001)
    ctx = SimpleNamespace(
        users=users,
        nik=lambda: make_nik(serial=next(serials) % 10_000 or 1),
        days_ago=lambda n: (timezone.localdate() - timedelta(days=n)).isoformat(),
    )
    return ctx


@pytest.fixture
def follow_up_context(fuzz_context, make_arrival):
    """The objects the entry-correction and follow-up forms act on."""
    from followup.models import IsolationOrder
    from followup.services import (
        arrival_follow_up_open,
        isolation_check_record,
        isolation_close,
        violation_report_raise,
    )

    ctx, village_head = fuzz_context, fuzz_context.users["village_head"]

    def order_for(arrival):
        arrival_follow_up_open(arrival=arrival)
        return IsolationOrder.objects.get(arrival=arrival)

    ctx.arrival = make_arrival(officer=ctx.users["officer"])
    ctx.inbox_arrival = make_arrival()
    ctx.order = order_for(ctx.inbox_arrival)
    ctx.closed_order = isolation_close(order=order_for(make_arrival()), user=village_head, reason="uji")
    failed = order_for(make_arrival())
    ctx.failed_check = isolation_check_record(order=failed, user=village_head, at_home=False)
    reported = isolation_check_record(order=order_for(make_arrival()), user=village_head, at_home=False)
    ctx.report = violation_report_raise(failed_check=reported, user=village_head, description="uji")
    return ctx


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """The fuzzer sends thousands of searches a minute: the limits have their own tests."""
    lookup = ["PERSON_LOOKUP" + per for per in ("", "_HOUR", "_DAY", "_POST", "_POST_HOUR", "_POST_DAY")]
    for limit in ("SEARCH", "EXPORT", "EXCHANGE", *lookup):
        setattr(settings, f"SIPANTAU_RATE_LIMIT_{limit}", 10**9)


def signed_in_client(ctx, who, target=None):
    headers = target.headers(ctx) if getattr(target, "headers", None) else None
    client = Client(headers=headers)
    user = ctx.users[who]
    if user is not None:
        client.force_login(user)
        if who in ("task_force", "admin"):
            otp_verify_session(client, user)
    return client


@pytest.fixture(autouse=True)
def no_request_log_records():
    """pytest keeps every log record of a test until the test ends, and Django's request and
    security records carry the request itself (bodies of up to 2.5 MB here): with the drawn
    values (see Huge), what made a CI worker run out of memory. The refusals are asserted on
    the responses; their log lines have tests of their own."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def request_data(target, ctx, data):
    """The example's values, with BASE filled from the target's valid values (fresh each time).

    Recipes (Huge, Deep, CsvFile) stay recipes: each door writes them out its own way (send)."""
    base = target.base(ctx) if target.base else {}
    out = {k: v for k, v in base.items() if k not in data}
    for name, value in data.items():
        if value is BASE:
            if name in base:
                out[name] = base[name]
        elif value is not MISSING:
            out[name] = value
    return out


def send(client, target, url, data, uploads):
    """One request through `target`'s door: a query string, a JSON body, a form body or a multipart upload."""
    if target.method == "get":
        return client.get(url, QUERY_STRING=form_encoded(data))
    if target.json:
        return client.post(url, json_body(data), content_type="application/json")
    if not uploads:
        return client.post(url, form_encoded(data), content_type="application/x-www-form-urlencoded")
    data = {name: materialise(value) for name, value in data.items()}
    for name, (filename, content) in uploads.items():
        data[name] = SimpleUploadedFile(filename, materialise(content))
    return client.post(url, data)


@pytest.mark.parametrize("target", TARGETS, ids=[t.id for t in TARGETS])
def test_hostile_input_never_breaks_a_form(target, follow_up_context):
    ctx = follow_up_context
    client = signed_in_client(ctx, target.as_user, target)
    args = target.url_args(ctx) if target.url_args else None
    url = reverse(target.url_name, args=args)
    fields = target_fields(target)
    examples = []
    counts = {"rows": row_counts()}
    files = st.fixed_dictionaries(dict.fromkeys(target.files, upload_file))
    wanted = examples_for(target.id)

    @settings(max_examples=wanted)
    @given(data=payload(fields, values_for(target), with_base=target.base is not None), uploads=files)
    def attack(data, uploads):
        data = request_data(target, ctx, data)
        response = send(client, target, url, data, uploads)
        examples.append(response.status_code)
        assert response.status_code < 500, (url, data)
        accepted = response.status_code in (301, 302, 303) or (target.json and response.status_code in (200, 201))
        # One count per example: compared with the last one, refreshed after an accepted write.
        after = row_counts()
        if not accepted or target.url_name.endswith(":login"):
            assert after == counts["rows"], (url, data, response.status_code)
        counts["rows"] = after

    started = time.perf_counter()
    attack()
    if os.environ.get("SIPANTAU_FUZZ_RECORD"):
        record_cost(target.id, (time.perf_counter() - started) / len(examples))
    assert len(examples) >= wanted
    assert 500 not in examples


@pytest.mark.parametrize("target", [t for t in TARGETS if t.method == "post"], ids=lambda t: t.id)
def test_an_oversized_body_is_refused_cleanly(target, follow_up_context):
    client = signed_in_client(follow_up_context, target.as_user)
    args = target.url_args(follow_up_context) if target.url_args else None
    before = row_counts()
    name = (target_fields(target) or ("note",))[0]
    response = client.post(reverse(target.url_name, args=args), {name: "x" * 3000000})
    assert response.status_code == 400
    assert row_counts() == before
