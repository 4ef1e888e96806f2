"""Writing the audit log: one call per sensitive read, export, denial or login."""

from django.conf import settings

from .models import AuditEvent


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the right address in X-Forwarded-For behind proxies.

    With SIPANTAU_TRUSTED_PROXY_COUNT = n, the n-th address from the right of X-Forwarded-For is
    the one our own proxy saw; anything left of it was written by the client and is not trusted.
    """
    proxies = getattr(settings, "SIPANTAU_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:45]
    return request.META.get("REMOTE_ADDR") or None


def clean_text(value, limit=150):
    """`value` as a string safe to store: no NUL (PostgreSQL refuses it), at most `limit` characters."""
    return str(value).replace("\x00", "")[:limit]


def audit_record(*, request, action, obj=None, object_type="", object_id="", detail=None, user=None):
    """Append one audit event for `request`'s user (or `user`) on `obj` or the given type/id."""
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    detail = {k: clean_text(v, 500) if isinstance(v, str) else v for k, v in (detail or {}).items()}
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else clean_text(detail.get("username", "")),
        action=action,
        object_type=object_type,
        object_id=clean_text(object_id, 64),
        detail=detail,
        ip=client_ip(request) if request is not None else None,
    )
