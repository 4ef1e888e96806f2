"""Writing the audit log: one call per sensitive read, export, denial or login."""

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router

from . import practice
from .models import AuditEvent, AuditEventPerson

# What a person does with records: in practice mode these are about practice records, and are kept
# (and purged) with them. Everything else (sign-ins, denials, lockouts) is a real security event.
RECORD_ACTIONS = {AuditEvent.Action.VIEW, AuditEvent.Action.EXPORT, AuditEvent.Action.SEARCH, AuditEvent.Action.CHANGE}


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the right address in X-Forwarded-For behind proxies.

    With SIPANTAU_TRUSTED_PROXY_COUNT = n, the n-th address from the right of X-Forwarded-For is
    the one our own proxy saw; anything left of it was written by the client and is not trusted.
    """
    proxies = getattr(settings, "SIPANTAU_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:45]
    return request.META.get("REMOTE_ADDR") or None


def clean_text(value, limit=150):
    """`value` as a string safe to store: no NUL (PostgreSQL refuses it), at most `limit` characters."""
    return str(value).replace("\x00", "")[:limit]


def audit_record(*, request, action, obj=None, object_type="", object_id="", detail=None, user=None, people=()):
    """Append one audit event for `request`'s user (or `user`) on `obj` or the given type/id.

    `people`: ids of the travellers whose identity or contact data the event showed, so it appears
    on each one's "who viewed" panel (an export passes its queryset to audit_people_from instead).
    """
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    detail = {k: clean_text(v, 500) if isinstance(v, str) else v for k, v in (detail or {}).items()}
    event = AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else clean_text(detail.get("username", "")),
        action=action,
        object_type=object_type,
        object_id=clean_text(object_id, 64),
        detail=detail,
        ip=client_ip(request) if request is not None else None,
        practice=practice.active() and action in RECORD_ACTIONS,
    )
    if people:
        AuditEventPerson.objects.bulk_create([AuditEventPerson(event=event, person_id=pk) for pk in set(people)])
    return event


def audit_people_from(event, queryset, *, field="person_id"):
    """Record every distinct `field` of `queryset` as a person `event` showed, in one INSERT … SELECT.

    The ids never travel to Python: an export of any size costs one statement on the database.
    Returns the number of people recorded.
    """
    db = router.db_for_write(AuditEventPerson)  # the select runs where the rows go, never on a replica
    ids = queryset.using(db).order_by().values(field).distinct()
    try:
        select, params = ids.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. an empty choice list): nobody shown
        return 0
    table = AuditEventPerson._meta.db_table
    connection = connections[db]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({quote('event_id')}, {quote('person_id')}) "
            f"SELECT %s, people.{quote(field)} FROM ({select}) people",
            [event.pk, *params],
        )
        return cursor.rowcount
