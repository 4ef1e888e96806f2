"""The entry form's JSON doors: register one arrival, look up a known traveller.

Contract (docs/entry.md): POST /posko/api/kedatangan/ with one traveller as JSON,
session auth and the X-CSRFToken header; 201 new, 200 replayed entry_key, 400 {"errors": …},
403 non-officers, 413 too-large bodies.
"""

import json
import re
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import practice
from accounts.audit import audit_record
from accounts.models import AuditEvent

from .forms import single_traveller
from .lookup import lookup_answer, lookup_refusal, lookup_watch
from .models import Arrival, Person
from .nik import normalise_nik, normalise_passport
from .services import Registration, arrival_register

SCALARS = (str, int, float)
LIST_FIELDS = {"symptoms", "travel_stops"}


def error_response(status, errors):
    """{"errors": {field: [messages]}} with `status`."""
    body = {"errors": {key: [str(m) for m in messages] for key, messages in errors.items()}}
    return JsonResponse(body, status=status)


def _officer_denial(user):
    if not user.is_authenticated:  # only the entry API is open to them (login_not_required)
        return error_response(403, {"__all__": [_("Sesi berakhir. Masuk kembali lalu kirim ulang.")]})
    if not user.is_posted_officer:
        return error_response(403, {"__all__": [_("Hanya petugas posko yang dapat mencatat kedatangan.")]})
    return None


_NUL = re.compile("\x00")
# A lone UTF-16 surrogate ("\ud800" as a JSON escape) is no character: it cannot be encoded to
# UTF-8, so the database driver would fail on it with a 500.
_SURROGATE = re.compile("[\ud800-\udfff]")
# An entry nests at most three deep ({"travel_stops": [{…}]}); anything deeper is refused before
# any code walks it (Python's recursion limit is ~1000 frames, json.loads stops near it).
MAX_DEPTH = 8


def _too_deep(value, limit=MAX_DEPTH) -> bool:
    """True when lists and objects nest deeper than `limit` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return False


def _bad_text(value, pattern) -> bool:
    """True when `pattern` matches a string anywhere in a JSON value, keys included."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if pattern.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _has_nul(value) -> bool:
    """True when a NUL character hides anywhere in a JSON value (PostgreSQL text cannot hold one)."""
    return _bad_text(value, _NUL)


def _has_surrogate(value) -> bool:
    """True when a lone surrogate hides anywhere in a JSON value."""
    return _bad_text(value, _SURROGATE)


# true / false: the officer confirms that a known document's holder has a new name.
BOOLEAN_FIELDS = {"confirm_identity_change"}


def _as_form_data(payload: dict):
    """Form data from a JSON object (scalars as strings), or the type errors found in it."""
    data, errors = {}, {}
    for key, value in payload.items():
        if _has_nul(key) or _has_nul(value):
            # The NUL middleware sees only query and form parameters, never a JSON body.
            errors["__all__" if _has_nul(key) else key] = [_("Isian berisi karakter kendali yang tidak diizinkan.")]
        elif _has_surrogate(key) or _has_surrogate(value):
            errors["__all__" if _has_surrogate(key) else key] = [
                _("Isian berisi karakter Unicode yang tidak sah (surrogate tunggal). Ketik ulang isian ini.")
            ]
        elif key in LIST_FIELDS:
            if value is None:
                continue
            if key == "symptoms" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                errors[key] = [_("Harus berupa daftar teks.")]
            elif key == "travel_stops" and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
                errors[key] = [_("Harus berupa daftar objek.")]
            else:
                data[key] = value
        elif value is None:
            data[key] = ""
        elif key in BOOLEAN_FIELDS and isinstance(value, bool):
            data[key] = "1" if value else ""
        elif isinstance(value, bool) or not isinstance(value, SCALARS):
            errors[key] = [_("Jenis nilai salah: harus teks atau angka.")]
        else:
            data[key] = str(value)
    return data, errors


def _answer(registration, status, warnings=()):
    arrival = registration.arrival
    body = {
        "id": arrival.pk,
        "entry_key": str(arrival.entry_key),
        "created": registration.created,
        "person_id": arrival.person_id,
    }
    if warnings:
        body["warnings"] = [str(w) for w in warnings]
    return JsonResponse(body, status=status)


@login_not_required  # answers 403 JSON, never a redirect, so the offline queue keeps the entry
@never_cache
@require_POST
@transaction.non_atomic_requests  # arrival_register is the one write, in its own transaction
def api_arrival_create(request):
    """Register one traveller from JSON; the same entry_key again answers with the stored arrival."""
    denial = _officer_denial(request.user)
    if denial:
        return denial
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        # A form post is not JSON (and its body was already parsed into request.POST).
        return error_response(400, {"__all__": [_("Isi permintaan bukan JSON yang sah.")]})
    try:
        body = request.body
    except RequestDataTooBig:
        return error_response(413, {"__all__": [_("Data terlalu besar.")]})
    except RawPostDataException:  # a form post (already parsed), not JSON
        return error_response(400, {"__all__": [_("Isi permintaan bukan JSON yang sah.")]})
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return error_response(400, {"__all__": [_("Isi permintaan bukan JSON yang sah.")]})
    except RecursionError:
        # Deep nesting ([[[[…]]]]) exhausts the parser's stack; no entry nests more than 3 deep.
        return error_response(400, {"__all__": [_("Isi permintaan bersarang terlalu dalam.")]})
    if not isinstance(payload, dict):
        return error_response(400, {"__all__": [_("Isi permintaan harus berupa satu objek JSON.")]})
    if _too_deep(payload):
        return error_response(400, {"__all__": [_("Isi permintaan bersarang terlalu dalam.")]})

    # The mode the entry was made in, kept with it in the queue: stored in that mode, whatever the
    # session's mode is when it is sent (an entry without it was queued before practice mode: real).
    entry_practice = payload.pop("practice", False)
    if not isinstance(entry_practice, bool):
        return error_response(400, {"practice": [_("Harus berupa true atau false.")]})
    with practice.mode(entry_practice):
        return _register(request, payload)


def _register(request, payload):
    """Validate and store one entry of `payload`, in the current mode."""
    data, errors = _as_form_data(payload)
    try:
        entry_key = uuid.UUID(data.get("entry_key", ""))
    except ValueError:
        entry_key = None
        errors.setdefault("entry_key", [_("entry_key harus berupa UUID.")])
    # The name a known document is stored under is checked by arrival_register, as it finds the person.
    fields, form_errors, warnings = single_traveller(data, check_identity=False)
    for field, messages in form_errors.items():
        errors.setdefault(field, messages)  # a wrong type says more than "required"
    # A vehicle entered offline arrives as one entry per person sharing a group (the first's key).
    try:
        vehicle_group = uuid.UUID(data["vehicle_group"]) if data.get("vehicle_group") else None
    except ValueError:
        errors.setdefault("vehicle_group", [_("vehicle_group harus berupa UUID.")])
    if errors:
        return _resent(request, entry_key) or error_response(400, errors)
    fields["vehicle_group"] = vehicle_group
    try:
        # A resent key is answered by the unique index (arrival_register then finds the stored one).
        registration = arrival_register(officer=request.user, entry_key=entry_key, key_checked=True, **fields)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return _resent(request, entry_key) or error_response(400, errors)
    except PermissionDenied as error:
        return error_response(403, {"__all__": [str(error)]})
    return _answer(registration, 201 if registration.created else 200, warnings)


def _resent(request, entry_key):
    """The answer to an entry refused as it is now, when its key is stored for this post already: a
    resend answers with what is stored, even if its data would not pass today's checks. (A key
    another post used is refused by arrival_register, after the data's own errors.)"""
    if entry_key is None:
        return None
    stored = Arrival.objects.filter(entry_key=entry_key).first()
    if stored is None or stored.checkpoint_id != request.user.checkpoint_id:
        return None
    return _answer(Registration(stored, False), 200)


@require_GET
@never_cache
def api_person_lookup(request):
    """A returning traveller by NIK (`nik`) or passport (`paspor`): the entry form's pre-fill only. Officers only.

    Limited per officer and per post, audited (found or not), watched for look-ups without
    entries (travellers/lookup.py).
    """
    denial = _officer_denial(request.user)
    if denial:
        return denial
    refusal = lookup_refusal(request)
    if refusal:
        return refusal
    try:
        if request.GET.get("paspor"):
            id_type, number = Person.IdType.PASSPORT, normalise_passport(request.GET["paspor"][:40])
        else:
            id_type, number = Person.IdType.NIK, normalise_nik(request.GET.get("nik", "")[:40])
    except ValidationError as error:
        return error_response(400, {"nik": error.messages})
    person = Person.objects.filter(id_type=id_type, id_number=number).first()
    detail = {"lookup": id_type, "found": person is not None}
    if person is None:
        audit_record(request=request, action=AuditEvent.Action.SEARCH, object_type="travellers.person", detail=detail)
    else:
        audit_record(request=request, action=AuditEvent.Action.SEARCH, obj=person, detail=detail, people=[person.pk])
    lookup_watch(request, found=person is not None)
    return JsonResponse(lookup_answer(person, request.user))
