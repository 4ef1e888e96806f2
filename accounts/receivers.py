"""Logins, failed logins and logouts go to the audit log (Django's auth signals are the hook)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import access
from .audit import audit_record
from .middleware import start_session
from .models import AuditEvent


@receiver(user_logged_in, dispatch_uid="accounts.audit_login")
def audit_login(sender, request, user, **kwargs):
    if request is None:
        return
    start_session(request, user)
    # Worked out once, at login, and reused by every request of the session.
    user.refresh_from_db(fields=["access_version"])
    access.remember(request, user)
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


# ---- what an account may do or reach changed: sessions work their access out again ----
def _raise_access_version(user_ids) -> None:
    from django.db.models import F

    from .models import User

    if user_ids:
        User.objects.filter(pk__in=list(user_ids)).update(access_version=F("access_version") + 1)


def _user_side_changed(sender, instance, action, pk_set, reverse, **kwargs):
    """A user's groups, own permissions or jurisdictions changed (from either side)."""
    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:
        _raise_access_version([instance.pk])
    elif action == "pre_clear":
        _raise_access_version(instance.user_set.values_list("pk", flat=True))
    else:
        _raise_access_version(pk_set or [])


def _group_permissions_changed(sender, instance, action, pk_set, reverse, **kwargs):
    """A role's permissions changed: every member's access is worked out again."""
    from django.contrib.auth.models import Group

    from .models import User

    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:
        groups = [instance.pk]
    elif pk_set:
        groups = list(pk_set)
    else:  # a permission taken from every role at once (pre_clear): the roles that hold it now
        groups = list(Group.objects.filter(permissions=instance).values_list("pk", flat=True))
    _raise_access_version(User.objects.filter(groups__in=groups).values_list("pk", flat=True))


def connect_access_receivers():
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed

    from .models import User

    for through in (User.groups.through, User.user_permissions.through, User.jurisdictions.through):
        m2m_changed.connect(_user_side_changed, sender=through, dispatch_uid=f"accounts.access_{through.__name__}")
    m2m_changed.connect(
        _group_permissions_changed, sender=Group.permissions.through, dispatch_uid="accounts.access_group_perms"
    )
