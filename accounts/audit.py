"""Writing the audit log: one call per sensitive read, export, denial or login."""

from .models import AuditEvent


def client_ip(request):
    """The client's address as the server saw it (the proxy sets REMOTE_ADDR via gunicorn)."""
    return request.META.get("REMOTE_ADDR") or None


def audit_record(*, request, action, obj=None, object_type="", object_id="", detail=None, user=None):
    """Append one audit event for `request`'s user (or `user`) on `obj` or the given type/id."""
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else (detail or {}).get("username", ""),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or {},
        ip=client_ip(request) if request is not None else None,
    )
