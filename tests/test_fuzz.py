"""Hypothesis throws hostile input at every form in tests/fuzz_targets.py.

Per form: no answer >= 500, and no row written unless the form said yes (a redirect or a 2xx
to JSON). The number of examples comes from a profile: SIPANTAU_FUZZ_PROFILE=dev (default, quick)
or ci (5,000 per form; .ci/run uses it).
"""

import os
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import otp_verify_session
from tests.fuzz_targets import TARGETS

pytestmark = pytest.mark.django_db

COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
}
settings.register_profile("dev", max_examples=150, **COMMON)
settings.register_profile("ci", max_examples=5000, **COMMON)
PROFILE = os.environ.get("SIPANTAU_FUZZ_PROFILE", "dev")
settings.load_profile(PROFILE)

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
# Huge values are rarer than the rest (one branch in twelve): each costs a slow request.
huge = st.builds(
    lambda ch, n: ch * n, st.sampled_from(["9", "a", "é", "\x00", "😀"]), st.sampled_from([5_000, 200_000])
)
nasty_text = st.one_of(
    *[st.sampled_from(NASTY), st.text(max_size=50), unicode_text, mixed] * 3,
    huge,
)
form_value = st.one_of(
    nasty_text,
    st.lists(nasty_text, min_size=2, max_size=3),  # a repeated field where one value is expected
    st.integers().map(str),
)
json_value = st.one_of(
    nasty_text, st.integers(), st.floats(), st.booleans(), st.none(), st.lists(nasty_text, max_size=3), st.just({})
)
MISSING = object()


def payload(fields, values):
    return st.fixed_dictionaries({name: st.one_of(st.just(MISSING), values) for name in fields})


def target_fields(target):
    if target.form:
        return tuple(import_string(target.form).base_fields)
    return target.fields


def _row_count_sql():
    tables = [
        m._meta.db_table
        for app in ("regions", "checkpoints", "accounts", "travellers", "monitoring")
        for m in apps.get_app_config(app).get_models(include_auto_created=True)
        if m._meta.model_name != "auditevent" and m._meta.managed
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
    TOTPDevice.objects.create(user=users["task_force_unverified"], name="Aplikasi autentikator", confirmed=True)
    return SimpleNamespace(users=users)


def signed_in_client(ctx, who):
    client = Client()
    user = ctx.users[who]
    if user is not None:
        client.force_login(user)
        if who in ("task_force", "admin"):
            otp_verify_session(client, user)
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("target", TARGETS, ids=[t.id for t in TARGETS])
def test_hostile_input_never_breaks_a_form(target, fuzz_context):
    client = signed_in_client(fuzz_context, target.as_user)
    args = target.url_args(fuzz_context) if target.url_args else None
    url = reverse(target.url_name, args=args)
    fields = target_fields(target)
    examples = []

    @given(data=payload(fields, json_value if target.json else form_value))
    def attack(data):
        data = {k: v for k, v in data.items() if v is not MISSING}
        before = row_counts()
        if target.method == "get":
            response = client.get(url, data)
        elif target.json:
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        examples.append(response.status_code)
        assert response.status_code < 500, (url, data)
        accepted = response.status_code in (301, 302, 303) or (target.json and response.status_code in (200, 201))
        if not accepted or target.url_name.endswith(":login"):
            assert row_counts() == before, (url, data, response.status_code)

    attack()
    assert len(examples) >= settings().max_examples
    assert 500 not in examples


@pytest.mark.parametrize("target", [t for t in TARGETS if t.method == "post"], ids=lambda t: t.id)
def test_an_oversized_body_is_refused_cleanly(target, fuzz_context):
    client = signed_in_client(fuzz_context, target.as_user)
    args = target.url_args(fuzz_context) if target.url_args else None
    before = row_counts()
    response = client.post(reverse(target.url_name, args=args), dict.fromkeys(target_fields(target)[:1], "x" * 3000000))
    assert response.status_code == 400
    assert row_counts() == before
