"""Every form and endpoint the fuzzer attacks. A new form is one more line in TARGETS.

FuzzTarget(url name, fields or form, as_user=..., method="post"|"get", json=False, url_args=...)
- fields: the names to send (each may also be left out, repeated or given a wrong type);
  or form="app.forms.FormClass" to take them from the form.
- as_user: who is signed in: None, "officer", "village_head", "task_force" (verified two-factor),
  "task_force_new" (no device yet), "task_force_unverified" (device, code not yet given), "admin".
- url_args: a callable(ctx) -> reverse() args, for URLs of one object (ctx.users[...] etc.).
- base: a callable(ctx) -> valid values; each field then keeps its valid value, is left out, or
  is attacked, so the fuzzer also reaches the checks behind the first wrong field.
- files: names of upload fields, sent as generated CSV/XLSX/garbage files (multipart).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FuzzTarget:
    url_name: str
    fields: tuple[str, ...] = ()
    form: str = ""
    as_user: str | None = None
    method: str = "post"
    json: bool = False
    url_args: Callable | None = field(default=None, compare=False)
    base: Callable | None = field(default=None, compare=False)
    files: tuple[str, ...] = ()
    label: str = ""

    @property
    def id(self):
        return f"{self.url_name}{'-' + self.label if self.label else ''}[{self.as_user or 'anonymous'}]"


TARGETS = [
    FuzzTarget("accounts:login", ("username", "password", "next")),
    FuzzTarget("admin:login", ("username", "password", "next")),
    FuzzTarget("accounts:password_change", form="accounts.forms.PasswordChangeForm", as_user="village_head"),
    FuzzTarget("accounts:two_factor_setup", ("token", "next"), as_user="task_force_new"),
    FuzzTarget("accounts:two_factor_verify", ("token", "next"), as_user="task_force_unverified"),
    FuzzTarget("admin:accounts_user_add", form="accounts.forms.UserAdminCreationForm", as_user="admin"),
    FuzzTarget(
        "admin:accounts_user_change",
        form="accounts.forms.UserAdminChangeForm",
        as_user="admin",
        url_args=lambda ctx: [ctx.users["village_head"].pk],
    ),
    FuzzTarget("regions:search", ("q", "dalam", "dari", "sampai"), as_user="village_head", method="get"),
    FuzzTarget("regions:children", ("induk",), as_user="village_head", method="get"),
    FuzzTarget("set_language", ("language", "next")),
]


# ---- entry (travellers) ----
ALANG_LAWEH = "13.71.01.1002"
TRAVELLER = (
    "id_type",
    "id_number",
    "nationality",
    "name",
    "sex",
    "birth_date",
    "phone",
    "home_address",
    "home_region",
    "same_destination",
    "destination",
    "destination_address",
    "purpose",
    "temperature",
    "symptoms",
    "vehicle_role",
    "confirm_identity_change",
)
TRIP = ("entry_key", "origin", "origin_place", "transport", "plate", "arrived_at")
STOP = ("region", "place", "date_from", "date_to")


def entry_form(ctx, people=1, stops=1):
    """Valid POST data of the HTML entry form (people in one vehicle, travel stops)."""
    data = {
        "entry_key": str(uuid.uuid4()),
        "orang-TOTAL_FORMS": str(people),
        "orang-INITIAL_FORMS": "0",
        "riwayat-TOTAL_FORMS": str(stops),
        "riwayat-INITIAL_FORMS": "0",
        "origin": "15.71",
        "origin_place": "Jambi",
        "transport": "car",
        "plate": "BH 1234 AB",
    }
    for i in range(people):
        p = f"orang-{i}-"
        data |= {
            p + "id_type": "nik",
            p + "id_number": ctx.nik(),
            p + "name": f"Orang {i + 1}",
            p + "purpose": "homecoming",
            p + "temperature": "36,6",
            p + "vehicle_role": "passenger",
        }
        if i == 0:
            data |= {
                p + "destination": ALANG_LAWEH,
                p + "destination_address": "Jl. Sutan Syahrir 1",
                p + "vehicle_role": "driver",
            }
        else:
            data[p + "same_destination"] = "on"
    for i in range(stops):
        data |= {
            f"riwayat-{i}-region": "15.71",
            f"riwayat-{i}-place": "Rumah",
            f"riwayat-{i}-date_from": ctx.days_ago(5),
            f"riwayat-{i}-date_to": ctx.days_ago(1),
        }
    return data


def entry_json(ctx):
    """A valid body of the JSON entry API (contract in docs/entry.md)."""
    return {
        "entry_key": str(uuid.uuid4()),
        "id_type": "nik",
        "id_number": ctx.nik(),
        "name": "Siti Rahmah",
        "sex": "P",
        "birth_date": "1990-05-17",
        "phone": "0812-3456-7890",
        "home_address": "Jl. Gatot Subroto 12",
        "home_region": "15.71",
        "origin": "15.71",
        "origin_place": "Terminal",
        "destination": ALANG_LAWEH,
        "destination_address": "Jl. Sutan Syahrir 5",
        "purpose": "family",
        "transport": "car",
        "plate": "BH 1234 AB",
        "temperature": "36.5",
        "symptoms": [],
        "travel_stops": [{"region": "15.71", "place": "", "date_from": ctx.days_ago(3), "date_to": ctx.days_ago(2)}],
        "arrived_at": None,
        "vehicle_group": None,
    }


JSON_FIELDS = (
    "entry_key",
    "id_type",
    "id_number",
    "name",
    "sex",
    "birth_date",
    "phone",
    "home_address",
    "home_region",
    "origin",
    "origin_place",
    "destination",
    "destination_address",
    "purpose",
    "transport",
    "plate",
    "temperature",
    "symptoms",
    "travel_stops",
    "arrived_at",
    "vehicle_group",
    "confirm_identity_change",
)


def people_fields(people, stops):
    names = ["orang-TOTAL_FORMS", "orang-INITIAL_FORMS", "riwayat-TOTAL_FORMS", "riwayat-INITIAL_FORMS", *TRIP]
    names += [f"orang-{i}-{f}" for i in range(people) for f in TRAVELLER]
    names += [f"riwayat-{i}-{f}" for i in range(stops) for f in STOP]
    return tuple(names)


def correction(ctx):
    data = {k: v for k, v in entry_form(ctx, people=1, stops=0).items() if not k.startswith("riwayat")}
    data.pop("orang-TOTAL_FORMS"), data.pop("orang-INITIAL_FORMS"), data.pop("entry_key")
    return data


TARGETS += [
    FuzzTarget(
        "travellers:arrival_create",
        people_fields(1, 1),
        as_user="officer",
        label="single",
        base=lambda ctx: entry_form(ctx, 1, 1),
    ),
    FuzzTarget(
        "travellers:arrival_create",
        people_fields(3, 0),
        as_user="officer",
        label="vehicle",
        base=lambda ctx: entry_form(ctx, 3, 0),
    ),
    FuzzTarget(
        "travellers:api_arrival_create",
        JSON_FIELDS,
        as_user="officer",
        json=True,
        base=entry_json,
    ),
    FuzzTarget(
        "travellers:arrival_update",
        tuple(k for k in people_fields(1, 0) if not k.endswith("FORMS") and k != "entry_key"),
        as_user="officer",
        url_args=lambda ctx: [ctx.arrival.pk],
        base=correction,
    ),
    FuzzTarget("travellers:import", (), as_user="officer", files=("file",)),
    FuzzTarget("monitoring:hamlet_upload", (), as_user="village_head", files=("file",)),
    FuzzTarget("travellers:api_person_lookup", ("nik", "paspor"), as_user="officer", method="get"),
    # ---- follow-up (monitoring) ----
    FuzzTarget(
        "followup:arrival_confirm",
        form="followup.forms.ConfirmForm",
        as_user="village_head",
        url_args=lambda ctx: [ctx.inbox_arrival.pk],
    ),
    FuzzTarget(
        "followup:check_create",
        form="followup.forms.CheckForm",
        as_user="village_head",
        url_args=lambda ctx: [ctx.order.pk],
        base=lambda ctx: {"at_home": "1", "temperature": "36.5"},
    ),
    FuzzTarget(
        "followup:isolation_period",
        form="followup.forms.PeriodForm",
        as_user="village_head",
        url_args=lambda ctx: [ctx.order.pk],
        base=lambda ctx: {"days": "10", "reason": "uji"},
    ),
    FuzzTarget(
        "followup:isolation_close", ("close-reason",), as_user="village_head", url_args=lambda ctx: [ctx.order.pk]
    ),
    FuzzTarget(
        "followup:isolation_reopen",
        ("reopen-reason",),
        as_user="village_head",
        url_args=lambda ctx: [ctx.closed_order.pk],
    ),
    FuzzTarget(
        "followup:report_create",
        form="followup.forms.ReportForm",
        as_user="village_head",
        url_args=lambda ctx: [ctx.failed_check.pk],
    ),
    FuzzTarget(
        "followup:report_acknowledge",
        form="followup.forms.AcknowledgeForm",
        as_user="police",
        url_args=lambda ctx: [ctx.report.pk],
    ),
    FuzzTarget(
        "followup:report_close",
        form="followup.forms.CloseReportForm",
        as_user="police",
        url_args=lambda ctx: [ctx.report.pk],
    ),
    FuzzTarget("followup:digest_settings", form="followup.forms.DigestForm", as_user="village_head"),
    # ---- monitoring lists: filters and paging cursors in the URL ----
    FuzzTarget(
        "monitoring:arrival_list",
        form="monitoring.filters.ArrivalFilterForm",
        as_user="village_head",
        method="get",
        label="filters",
    ),
    FuzzTarget(
        "monitoring:arrival_list",
        ("q", "setelah", "sebelum", "dari", "sampai"),
        as_user="village_head",
        method="get",
        label="paging",
    ),
    FuzzTarget(
        "monitoring:arrival_export_csv", form="monitoring.filters.ArrivalFilterForm", as_user="task_force", method="get"
    ),
    FuzzTarget("followup:isolation_list", ("status", "halaman"), as_user="village_head", method="get"),
]


# ---- exchange API (issue 16): the query parameters of the sync endpoints, with a bearer token ----
@dataclass(frozen=True)
class ApiFuzzTarget(FuzzTarget):
    """A target read by another system: `headers(ctx)` gives the request headers (a bearer token)."""

    headers: Callable | None = field(default=None, compare=False)

    @property
    def id(self):
        return f"{self.url_name}{'-' + self.label if self.label else ''}[system_token]"


def api_token(ctx):
    """A system account reaching the whole province, with a live token (made once per context)."""
    if not hasattr(ctx, "api_token"):
        from accounts.models import User
        from exchange.models import ApiClient, ApiToken
        from regions.models import Region

        user = User.objects.create_user(username="sistem-fuzz", role="system_nik")
        user.jurisdictions.set(Region.objects.filter(code="13"))
        token = ApiToken(client=ApiClient.objects.create(name="Fuzz", user=user))
        ctx.api_token = token.issue()
        token.save()
    return {"Authorization": f"Bearer {ctx.api_token}"}


def sync_query(kind):
    def base(ctx):
        from django.utils import timezone

        from exchange.paging import Position, make_cursor

        return {
            "since": ctx.days_ago(3) + "T00:00:00+07:00",
            "cursor": make_cursor(kind, Position(timezone.now(), 1)),
            "limit": "20",
        }

    return base


TARGETS += [
    ApiFuzzTarget(
        f"exchange:{name}",
        ("since", "cursor", "limit"),
        method="get",
        headers=api_token,
        base=sync_query(kind),
        label="sync",
    )
    for name, kind in [
        ("arrival_list", "arrivals"),
        ("isolation_order_list", "isolation-orders"),
        ("police_report_list", "police-reports"),
        ("fhir_arrivals", "fhir-arrivals"),
    ]
]
