"""Logins, failed logins and logouts go to the audit log (Django's auth signals are the hook)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_record
from .middleware import start_session
from .models import AuditEvent


@receiver(user_logged_in, dispatch_uid="accounts.audit_login")
def audit_login(sender, request, user, **kwargs):
    if request is None:
        return
    start_session(request, user)
    audit_record(request=request, action=AuditEvent.Action.LOGIN, user=user)


@receiver(user_login_failed, dispatch_uid="accounts.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    locked = bool(getattr(request, "axes_locked_out", False))
    action = AuditEvent.Action.LOCKED_OUT if locked else AuditEvent.Action.LOGIN_FAILED
    audit_record(request=request, action=action, detail={"username": str(credentials.get("username", ""))})


@receiver(user_logged_out, dispatch_uid="accounts.audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if request is not None and user is not None:
        audit_record(request=request, action=AuditEvent.Action.LOGOUT, user=user)
