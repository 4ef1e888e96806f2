"""Login lockout (django-axes): per username and address, with a ceiling per account."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from .audit import clean_text


def attempted_username(request, credentials):
    """The username tried, cut to what the attempt table holds and without NUL bytes."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return None if value is None else clean_text(value)


def account_failures(username):
    """Failed logins on `username` from every address within the cool-off period."""
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """Locks a username from one address (AXES_FAILURE_LIMIT), or everywhere at the ceiling."""

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or self.ceiling_reached(request, credentials)

    def ceiling_reached(self, request, credentials):
        username = attempted_username(request, credentials)
        return bool(username) and account_failures(username) >= settings.SIPANTAU_LOGIN_ACCOUNT_CEILING

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and self.ceiling_reached(request, credentials):
            request.axes_locked_out = True  # answer with the lockout page, not "wrong password"


def lockout_response(request, original_response=None, credentials=None):
    """The Indonesian lockout page (429), for the login form and the admin's alike."""
    from django.shortcuts import render

    minutes = int(get_cool_off().total_seconds() // 60) if get_cool_off() else None
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)
