"""The read API for other government systems (django-ninja): token auth, keyset pages, audit.

Every call: a bearer token of an API client (auth), at most SIPANTAU_RATE_LIMIT_EXCHANGE calls a
minute per client (429), rows through the models' ``visible_to`` (another area's object: 404), one
audit record naming the travellers it returned. docs/exchange.md tells a system how to connect.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from accounts.audit import audit_record, client_ip
from accounts.models import AuditEvent
from accounts.ratelimit import once_per_window, rate_limit_hit, rate_limited_response

from . import fhir, records
from .models import ApiToken, hash_token
from .paging import BadParameter, keyset_page, make_cursor, page_request
from .schemas import (
    ArrivalOut,
    ArrivalPage,
    Errors,
    IsolationOrderOut,
    IsolationOrderPage,
    PoliceReportOut,
    PoliceReportPage,
)

RATE_SCOPE = "exchange_api"
TOUCH_EVERY = 60  # seconds: last_used_at is written at most once a minute per token
MAX_TOKEN_LENGTH = 100


class RateLimited(Exception):
    pass


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token> of an API client: not revoked, not expired, account active."""

    def authenticate(self, request, token):
        if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
            return None
        found = ApiToken.objects.usable().select_related("client__user").filter(key_hash=hash_token(token)).first()
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() >= TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.client.user  # the gate, the audit and the rate limit read request.user
        if rate_limit_hit(scope=RATE_SCOPE, key=str(request.user.pk), limit=settings.SIPANTAU_RATE_LIMIT_EXCHANGE):
            raise RateLimited
        return found


api = NinjaAPI(
    title="SIPANTAU exchange API",
    version="1",
    description=(
        "Read-only access for other government systems to arrivals, isolation orders and police report "
        "states within the client's jurisdiction, as JSON and as FHIR R4. How to connect: docs/exchange.md "
        "(the page /api/v1/docs summarises it)."
    ),
    auth=TokenAuth(),
    urls_namespace="exchange",
    docs_url=None,  # Swagger UI loads scripts the CSP forbids; /api/v1/docs is a plain page instead
    openapi_url="/openapi.json",
)


def _errors(status, errors, **headers):
    response = JsonResponse(
        {"errors": {key: [str(m) for m in messages] for key, messages in errors.items()}}, status=status
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    # Refusals are audited once a minute per address: a misconfigured client retrying in a loop
    # must not fill the audit log.
    if once_per_window(scope="exchange_denied", key=str(client_ip(request)), window=60):
        audit_record(
            request=request, action=AuditEvent.Action.DENIED, object_type="exchange.api", detail={"path": request.path}
        )
    message = _("Token tidak ada, tidak dikenal, sudah dicabut atau kedaluwarsa.")
    return _errors(401, {"__all__": [message]}, WWW_Authenticate='Bearer realm="sipantau"')


@api.exception_handler(RateLimited)
def too_many(request, exc):
    return rate_limited_response(request, scope=RATE_SCOPE, key=str(request.user.pk), json=True)


@api.exception_handler(BadParameter)
def bad_parameter(request, exc):
    return _errors(400, {exc.field: [exc.message]})


@api.exception_handler(NinjaValidationError)
def bad_input(request, exc):
    fields = {}
    for error in exc.errors:
        name = str(error.get("loc", ["", "__all__"])[-1])
        fields.setdefault(name, []).append(_("Nilai tidak dapat dipakai."))
    return _errors(400, fields or {"__all__": [_("Permintaan tidak dapat dipakai.")]})


@api.exception_handler(Http404)
def not_found(request, exc):
    return _errors(404, {"__all__": [_("Data tidak ditemukan di wilayah klien ini.")]})


def _page(request, kind, queryset, *, since, cursor, limit, field="changed_at"):
    """(parsed request, rows, next cursor, more?) for one keyset page; BadParameter answers 400."""
    wanted = page_request(kind, since=since, cursor=cursor, limit=limit)
    rows, last, more = keyset_page(queryset, wanted, field=field)
    return wanted, rows, (make_cursor(kind, last) if last is not None else None), more


def _audit(request, kind, *, rows, people, since=None, cursor=None, limit=None, obj_id=""):
    """One record per call: what was read, with which parameters, and which travellers it showed."""
    filters = {"since": since or "", "cursor": "…" if cursor else "", "limit": limit or ""}
    audit_record(
        request=request,
        action=AuditEvent.Action.EXPORT,
        object_type=f"exchange.{kind}",
        object_id=str(obj_id),
        detail={
            "format": "api",
            "endpoint": kind,
            "rows": rows,
            "filters": filters,
            "client": request.auth.client.name,
        },
        people=people,
    )


def _identity(user):
    return "whole" if records.sees_identity(user) else "masked"


PAGE_ERRORS = {400: Errors, 401: Errors, 429: Errors}
DETAIL_ERRORS = {401: Errors, 404: Errors, 429: Errors}
SYNC_HELP = (
    "Rows in ascending (changed_at, id). First call: `since` (ISO 8601 with a time zone) or nothing; then pass "
    "`next_cursor` as `cursor` until `has_more` is false; keep the last `next_cursor` and call again later for "
    "the changes since. `limit`: 1 to 500 (100)."
)


# ------------------------------------------------------------------------------
# JSON
# ------------------------------------------------------------------------------
@api.get("/arrivals", response={200: ArrivalPage, **PAGE_ERRORS}, summary="Arrivals", description=SYNC_HELP)
def arrival_list(request, since: str | None = None, cursor: str | None = None, limit: str | None = None):
    user = request.user
    whole = records.sees_identity(user)
    _wanted, rows, next_cursor, more = _page(
        request, "arrivals", records.arrivals(user), since=since, cursor=cursor, limit=limit, field="updated_at"
    )
    _audit(
        request, "arrivals", rows=len(rows), people=[a.person_id for a in rows], since=since, cursor=cursor, limit=limit
    )
    items = [records.arrival_json(a, whole=whole) for a in rows]
    return {"identity": _identity(user), "has_more": more, "next_cursor": next_cursor, "items": items}


@api.get("/arrivals/{arrival_id}", response={200: ArrivalOut, **DETAIL_ERRORS}, summary="One arrival")
def arrival_detail(request, arrival_id: int):
    arrival = get_object_or_404(records.arrivals(request.user), pk=arrival_id)
    _audit(request, "arrivals", rows=1, people=[arrival.person_id], obj_id=arrival.pk)
    return records.arrival_json(arrival, whole=records.sees_identity(request.user))


@api.get(
    "/isolation-orders",
    response={200: IsolationOrderPage, **PAGE_ERRORS},
    summary="Isolation orders",
    description=SYNC_HELP,
)
def isolation_order_list(request, since: str | None = None, cursor: str | None = None, limit: str | None = None):
    user = request.user
    whole = records.sees_identity(user)
    _wanted, rows, next_cursor, more = _page(
        request, "isolation-orders", records.isolation_orders(user), since=since, cursor=cursor, limit=limit
    )
    _audit(
        request,
        "isolation-orders",
        rows=len(rows),
        people=[o.person_id for o in rows],
        since=since,
        cursor=cursor,
        limit=limit,
    )
    items = [records.order_json(o, whole=whole) for o in rows]
    return {"identity": _identity(user), "has_more": more, "next_cursor": next_cursor, "items": items}


@api.get(
    "/isolation-orders/{order_id}", response={200: IsolationOrderOut, **DETAIL_ERRORS}, summary="One isolation order"
)
def isolation_order_detail(request, order_id: int):
    order = get_object_or_404(records.isolation_orders(request.user), pk=order_id)
    _audit(request, "isolation-orders", rows=1, people=[order.person_id], obj_id=order.pk)
    return records.order_json(order, whole=records.sees_identity(request.user))


@api.get(
    "/police-reports",
    response={200: PoliceReportPage, **PAGE_ERRORS},
    summary="Police report states",
    description=SYNC_HELP,
)
def police_report_list(request, since: str | None = None, cursor: str | None = None, limit: str | None = None):
    _wanted, rows, next_cursor, more = _page(
        request, "police-reports", records.police_reports(request.user), since=since, cursor=cursor, limit=limit
    )
    _audit(
        request,
        "police-reports",
        rows=len(rows),
        people=[r.person_id for r in rows],
        since=since,
        cursor=cursor,
        limit=limit,
    )
    items = [records.report_json(r) for r in rows]
    return {"identity": _identity(request.user), "has_more": more, "next_cursor": next_cursor, "items": items}


@api.get(
    "/police-reports/{report_id}", response={200: PoliceReportOut, **DETAIL_ERRORS}, summary="One police report state"
)
def police_report_detail(request, report_id: int):
    report = get_object_or_404(records.police_reports(request.user), pk=report_id)
    _audit(request, "police-reports", rows=1, people=[report.person_id], obj_id=report.pk)
    return records.report_json(report)


# ------------------------------------------------------------------------------
# FHIR R4
# ------------------------------------------------------------------------------
FHIR_OK = {200: {"description": "A FHIR R4 Bundle", "content": {fhir.FHIR_JSON: {"schema": {"type": "object"}}}}}


def _fhir_response(bundle):
    return HttpResponse(bundle.model_dump_json(exclude_none=True), content_type=fhir.FHIR_JSON)


@api.get(
    "/fhir/arrivals",
    response={400: Errors, 401: Errors, 429: Errors},
    summary="A page of arrivals as a FHIR R4 Bundle (searchset)",
    description=SYNC_HELP + " The Bundle's `next` link carries the cursor.",
    openapi_extra={"responses": FHIR_OK},
)
def fhir_arrivals(request, since: str | None = None, cursor: str | None = None, limit: str | None = None):
    user = request.user
    wanted, rows, next_cursor, more = _page(
        request, "fhir-arrivals", records.arrivals(user), since=since, cursor=cursor, limit=limit, field="updated_at"
    )
    orders = {}
    for order in records.isolation_orders(user).filter(arrival__in=[a.pk for a in rows]):
        orders.setdefault(order.arrival_id, []).append(order)
    _audit(
        request,
        "fhir-arrivals",
        rows=len(rows),
        people=[a.person_id for a in rows],
        since=since,
        cursor=cursor,
        limit=limit,
    )
    here = request.build_absolute_uri(request.path)
    base = {"limit": wanted.limit, **({"since": since} if since else {})}
    self_url = f"{here}?{urlencode({**base, **({'cursor': cursor} if cursor else {})})}"
    next_url = f"{here}?{urlencode({**base, 'cursor': next_cursor})}" if more else None
    bundle = fhir.arrivals_bundle(rows, orders, whole=records.sees_identity(user), self_url=self_url, next_url=next_url)
    response = _fhir_response(bundle)
    if next_cursor:
        response["X-Next-Cursor"] = next_cursor  # also when there is no more: the cursor to sync from later
    return response


@api.get(
    "/fhir/people/{person_id}",
    response={401: Errors, 404: Errors, 429: Errors},
    summary="One traveller's record as a FHIR R4 Bundle (collection)",
    openapi_extra={"responses": FHIR_OK},
)
def fhir_person(request, person_id: int):
    user = request.user
    person = get_object_or_404(records.people(user), pk=person_id)
    arrivals = list(records.arrivals(user).filter(person=person).order_by("arrived_at", "pk"))
    orders = list(records.isolation_orders(user).filter(person=person).order_by("created_at", "pk"))
    _audit(request, "fhir-people", rows=1, people=[person.pk], obj_id=person.pk)
    return _fhir_response(fhir.person_bundle(person, arrivals, orders, whole=records.sees_identity(user)))
