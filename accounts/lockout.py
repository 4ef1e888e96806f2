"""Login lockout (django-axes) that stops guessing without handing out a denial of service.

Three rules, all counted over the cool-off period (AXES_COOLOFF_TIME, 30 minutes):

1. **A username from one address** is locked after AXES_FAILURE_LIMIT (5) failures. Officers of a
   post share one mobile-carrier address: a colleague's typos or a guesser at the post lock only
   that username there, nobody else, and the owner elsewhere is unaffected.
2. **An address** is locked for every username after SIPANTAU_LOGIN_ADDRESS_LIMIT (30) failures:
   one address spraying many usernames. A post's officers, typing their own passwords, stay far
   below it (five a username before rule 1 stops them).
3. **An account** that has failed SIPANTAU_LOGIN_ACCOUNT_CEILING (20) times across all addresses
   is *guarded*, never locked: from an address where the account signed in successfully within
   SIPANTAU_LOGIN_KNOWN_ADDRESS_DAYS it works as usual (rules 1 and 2 still apply); from any other
   address the account takes one password check per SIPANTAU_LOGIN_GUARDED_INTERVAL seconds
   (a "wait a moment" answer, not a lockout). A guesser rotating addresses gets one guess a
   minute against a password of at least ten characters; the owner keeps signing in at their post
   or office, and elsewhere after a short wait. Task forces and admins still need their second
   factor after the right password.
"""

import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core.cache import caches
from django.db.models import Sum
from django.utils import timezone

from .audit import audit_record, clean_text, client_ip
from .models import AuditEvent

logger = logging.getLogger("sipantau.security")


def attempted_username(request, credentials):
    """The username tried, cut to what the attempt table holds and without NUL bytes."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return None if value is None else clean_text(value)


def _recent(attempts):
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def account_failures(username):
    """Failed logins on `username` from every address within the cool-off period."""
    return _recent(AccessAttempt.objects.filter(username=username))


def address_failures(ip):
    """Failed logins from `ip`, whatever the username, within the cool-off period."""
    return _recent(AccessAttempt.objects.filter(ip_address=ip)) if ip else 0


def known_address(username, ip):
    """True when `username` signed in successfully from `ip` recently (axes' access log)."""
    since = timezone.now() - timedelta(days=settings.SIPANTAU_LOGIN_KNOWN_ADDRESS_DAYS)
    return bool(ip) and AccessLog.objects.filter(username=username, ip_address=ip, attempt_time__gte=since).exists()


class LockoutHandler(AxesDatabaseHandler):
    """Rules 1 and 2 lock; rule 3 slows a guarded account down from unknown addresses (module docstring)."""

    def is_locked(self, request, credentials=None):
        if request is not None and hasattr(request, "sipantau_lock"):
            return request.sipantau_lock is not None  # decided once per request
        reason = self._lock_reason(request, credentials)
        if request is not None:
            request.sipantau_lock = reason
        return reason is not None

    def _lock_reason(self, request, credentials):
        if super().is_locked(request, credentials):
            return "username"
        ip = client_ip(request) if request is not None else None
        if address_failures(ip) >= settings.SIPANTAU_LOGIN_ADDRESS_LIMIT:
            return "address"
        username = attempted_username(request, credentials)
        if not username or account_failures(username) < settings.SIPANTAU_LOGIN_ACCOUNT_CEILING:
            return None
        if known_address(username, ip):
            return None
        # One password check per interval for the whole account from unknown addresses (atomic add).
        interval = settings.SIPANTAU_LOGIN_GUARDED_INTERVAL
        if caches[settings.SIPANTAU_RATE_LIMIT_CACHE].add(f"login-guard:{username}", 1, interval):
            return None
        return "guarded"

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_failures(client_ip(request)) >= settings.SIPANTAU_LOGIN_ADDRESS_LIMIT:
            request.sipantau_lock = "address"
            request.axes_locked_out = True  # answer with the lockout page, not "wrong password"
        username = attempted_username(request, credentials)
        if username and account_failures(username) == settings.SIPANTAU_LOGIN_ACCOUNT_CEILING:
            # The account becomes guarded now: say so once, in the audit log and the security log.
            audit_record(
                request=request,
                action=AuditEvent.Action.ALERT,
                object_type="accounts.user",
                detail={"alert": "login_account_ceiling", "username": username},
            )
            logger.warning(
                "Login ceiling reached: an account failed %s times across addresses and is now guarded",
                settings.SIPANTAU_LOGIN_ACCOUNT_CEILING,
            )


def lockout_response(request, original_response=None, credentials=None):
    """The Indonesian lockout page (429), for the login form and the admin's alike."""
    from django.shortcuts import render

    reason = getattr(request, "sipantau_lock", None) or "username"
    minutes = int(get_cool_off().total_seconds() // 60) if get_cool_off() else None
    seconds = settings.SIPANTAU_LOGIN_GUARDED_INTERVAL
    context = {"minutes": minutes, "reason": reason, "seconds": seconds}
    response = render(request, "accounts/lockout.html", context, status=429)
    if reason == "guarded":
        response["Retry-After"] = str(seconds)
    return response
