"""The follow-up's models left monitoring without losing a row: a database filled under the old
schema is migrated forward and every row, content type and permission is compared."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from conftest import ALANG_LAWEH

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="PostgreSQL only, the database SIPANTAU runs on: the table renames and the rows they keep "
        "are checked there (DATABASE_URL=postgres://…); SQLite's test database is not the one to trust for it",
    ),
    pytest.mark.django_db(transaction=True),
]

BEFORE = [("monitoring", "0007_isolation_closed_on"), ("followup", None)]
# Parents first, so each row's foreign keys point at rows already made.
MOVED = [
    "exemptioncategory",
    "flaggedregion",
    "arrivalconfirmation",
    "isolationorder",
    "isolationevent",
    "check",
    "violationreport",
    "violationreportevent",
    "digestsubscription",
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def rows(table):
    """Every row of `table`, all columns, by id (JSON columns decoded: Django reads them raw)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY id")
        names = [column.name for column in cursor.description]
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in found:
        for name in ("symptoms", "reason_params", "note_params"):
            if isinstance(row.get(name), str):
                row[name] = json.loads(row[name])
    return found


def tables():
    return set(connection.introspection.table_names())


def fill(old, *, make_user, make_arrival, regions):
    """One or more rows in every moved table, under the old schema (old: the apps of that state)."""
    model = lambda name: old.get_model("monitoring", name)  # noqa: E731
    village = make_user("village", ALANG_LAWEH, username="lurah.migrasi")
    police = make_user("police", ALANG_LAWEH, username="bhabin.migrasi")
    arrivals = [make_arrival() for _ in range(3)]
    now = timezone.now().replace(microsecond=0)
    model("ExemptionCategory").objects.get_or_create(purpose="logistics", defaults={"name": "Sopir logistik"})
    model("FlaggedRegion").objects.create(
        region_id=regions.get(code="14.71").pk, date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30)
    )
    model("ArrivalConfirmation").objects.create(
        arrival_id=arrivals[0].pk, outcome="found", note="Ada di rumah", confirmed_by_id=village.pk, confirmed_at=now
    )
    Order = model("IsolationOrder")
    reasons = [
        "Datang dari luar provinsi (Kota Jambi).",  # the rule's text, in Indonesian
        "Came from a flagged region Kota Pekanbaru.",  # the rule's text, written by an English reader
        "Ditetapkan camat karena kontak erat",  # typed: stays as typed
    ]
    orders = []
    for arrival, reason in zip(arrivals, reasons, strict=True):
        start = timezone.localdate(arrival.arrived_at)
        orders.append(
            Order.objects.create(
                person_id=arrival.person_id,
                arrival_id=arrival.pk,
                destination_code=arrival.destination_code,
                reason=reason,
                start_date=start,
                days=14,
                end_date=start + dt.timedelta(days=14),
                state="closed" if reason.startswith("Ditetapkan") else "active",
                closed_on=start if reason.startswith("Ditetapkan") else None,
            )
        )
    Event = model("IsolationEvent")
    notes = [
        ("opened", reasons[0]),
        ("period", "14 → 10 hari: Surat dokter"),
        ("restarted", "Masuk kembali 20-11-2026; selesai 01-12-2026 menjadi 04-12-2026."),
        ("corrected", "Tujuan: Kelurahan Alang Laweh → Kelurahan Sawahan."),
        ("closed", "Koreksi data posko: aturan isolasi tidak berlaku lagi."),
        ("closed", "Hasil tes negatif"),  # typed
        ("reopened", "Salah tutup"),  # typed
    ]
    for kind, note in notes:
        Event.objects.create(order_id=orders[0].pk, kind=kind, note=note, by_id=village.pk, at=now)
    Check = model("Check")
    checks = [
        Check.objects.create(
            order_id=orders[0].pk,
            day=timezone.localdate(),
            at_home=at_home,
            symptoms=["demam"] if at_home else [],
            temperature="37.5" if at_home else None,
            note="" if at_home else "Rumah kosong",
            checked_by_id=police.pk,
            checked_at=now,
        )  # fmt: skip
        for at_home in (True, False)
    ]
    report = model("ViolationReport").objects.create(
        order_id=orders[0].pk,
        failed_check_id=checks[1].pk,
        destination_code=orders[0].destination_code,
        recipient="police",
        state="acknowledged",
        description="Tidak di rumah saat dikunjungi",
        raised_by_id=village.pk,
        raised_at=now,
    )
    for state in ("open", "acknowledged"):
        model("ViolationReportEvent").objects.create(
            report_id=report.pk, state=state, note="Diterima Polsek", by_id=police.pk, at=now
        )
    model("DigestSubscription").objects.create(user_id=village.pk, active=True, last_sent_on=dt.date(2026, 11, 30))


@pytest.fixture
def back_to_latest():
    """Whatever happens, the database ends at the latest migrations (the flush after the test needs them)."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_follow_up_moves_out_of_monitoring_keeping_every_row(make_user, make_arrival, regions, back_to_latest):
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    executor = migrate(BEFORE)
    assert {f"monitoring_{name}" for name in MOVED} <= tables()
    assert not {f"followup_{name}" for name in MOVED} & tables()
    fill(
        executor.loader.project_state(BEFORE[:1]).apps, make_user=make_user, make_arrival=make_arrival, regions=regions
    )
    before = {name: rows(f"monitoring_{name}") for name in MOVED}
    assert all(before.values()), [name for name, found in before.items() if not found]
    content_types = {ct.model: ct.pk for ct in ContentType.objects.filter(app_label="monitoring", model__in=MOVED)}
    assert set(content_types) == set(MOVED)  # made by post_migrate when the test database was set up
    permissions = sorted(Permission.objects.filter(content_type__in=content_types.values()).values_list())
    assert permissions
    # A role that holds one of them (permissions point at the content type, by id).
    group = Group.objects.create(name="uji migrasi")
    group.permissions.add(Permission.objects.get(codename="view_isolationorder"))

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert not {f"monitoring_{name}" for name in MOVED} & tables()
    after = {name: rows(f"followup_{name}") for name in MOVED}
    for name in MOVED:
        if name in ("isolationorder", "isolationevent"):
            continue
        # Every old column as it was; columns added since (the practice flag) hold their defaults.
        assert len(after[name]) == len(before[name]), name
        for row, old in zip(after[name], before[name], strict=True):
            assert {k: v for k, v in row.items() if k in old} == old, name
        assert all(not row.get("practice") for row in after[name]), name

    # Orders and their history: every old column as it was, except the system's texts, now codes.
    from django.utils import translation

    from followup.texts import in_words

    with translation.override("id"):
        for table, text, code, params in [
            ("isolationorder", "reason", "reason_code", "reason_params"),
            ("isolationevent", "note", "note_code", "note_params"),
        ]:
            assert len(after[table]) == len(before[table])
            coded = 0
            for old, new in zip(before[table], after[table], strict=True):
                assert {k: v for k, v in new.items() if k in old and k != text} == {
                    k: v for k, v in old.items() if k != text
                }
                if new[code]:
                    coded += 1
                    assert new[text] == ""
                    english = old[text].startswith("Came from")
                    with translation.override("en" if english else "id"):
                        assert in_words(new[code], new[params]) == old[text], old[text]
                else:
                    assert new[text] == old[text] and new[params] == {}
            assert coded, table
    orders = {row["reason"]: row for row in after["isolationorder"]}
    assert orders[""]["reason_code"] in ("outside", "flagged_origin")
    assert "Ditetapkan camat karena kontak erat" in orders
    notes = sorted((row["note_code"], row["note"]) for row in after["isolationevent"])
    assert notes == [
        ("", "Hasil tes negatif"),
        ("", "Salah tutup"),
        ("destination", ""),
        ("outside", ""),
        ("period", ""),
        ("restarted", ""),
        ("rule_lifted", ""),
    ]
    period = next(row for row in after["isolationevent"] if row["note_code"] == "period")
    assert period["note_params"] == {"old": 14, "new": 10, "reason": "Surat dokter"}

    # The same content types, now the app's, and the same permissions pointing at them.
    moved = {ct.model: ct.pk for ct in ContentType.objects.filter(app_label="followup", model__in=MOVED)}
    assert moved == content_types
    assert not ContentType.objects.filter(app_label="monitoring", model__in=MOVED).exists()
    assert sorted(Permission.objects.filter(content_type__in=moved.values()).values_list()) == permissions
    assert Group.objects.get(name="uji migrasi").permissions.get().content_type.app_label == "followup"
    from followup.models import IsolationOrder

    assert IsolationOrder.objects.count() == len(before["isolationorder"])  # the ORM reads the renamed table
