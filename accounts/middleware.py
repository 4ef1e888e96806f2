"""Request-wide security rules, so every page (today's and future ones) follows them."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from . import access
from .audit import audit_record
from .models import AuditEvent
from .roles import is_privileged

LOGIN_AT = "sipantau_login_at"
SEEN_AT = "sipantau_seen_at"
# Writing the session on every request would be wasteful; a minute's precision is enough.
SEEN_AT_RESOLUTION = 60


class SessionLifetimeMiddleware:
    """Ends sessions of deactivated accounts, idle privileged sessions and sessions past their age."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session and not request.user.is_authenticated:
            # The account was deactivated or deleted since login: drop the session server-side.
            session.flush()
        elif request.user.is_authenticated:
            reason = self.expired(request)
            if reason:
                audit_record(request=request, action=AuditEvent.Action.SESSION_ENDED, detail={"reason": reason})
                logout(request)
                messages.info(request, _("Sesi Anda berakhir. Silakan masuk lagi."))
                return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def expired(self, request):
        """'absolute' or 'idle' when the session is over, else '' (and note this visit)."""
        session, now = request.session, int(time.time())
        login_at = session.setdefault(LOGIN_AT, now)
        if now - login_at >= settings.SIPANTAU_SESSION_ABSOLUTE_TIMEOUT:
            return "absolute"
        seen_at = session.get(SEEN_AT, login_at)
        if is_privileged(request.user) and now - seen_at >= settings.SIPANTAU_SESSION_IDLE_TIMEOUT:
            return "idle"
        if now - seen_at >= SEEN_AT_RESOLUTION or SEEN_AT not in session:
            session[SEEN_AT] = now
        return ""


HAS_DEVICE = "sipantau_has_otp_device"


def start_session(request, user):
    """Note the login time, and whether a second factor is to be asked, in a fresh session."""
    from django_otp import devices_for_user

    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    # Whoever enrolled a device, even where it is optional, proves it at every login.
    request.session[HAS_DEVICE] = any(devices_for_user(user, confirmed=True))


# Pages a signed-in but not yet verified privileged account may still open.
TWO_FACTOR_OPEN_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "admin:logout",
        "set_language",
        "healthz",
    }
)


class TwoFactorRequiredMiddleware:
    """Sends admins, task forces and anyone with a device, unverified, to verification or enrolment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not (is_privileged(user) or request.session.get(HAS_DEVICE)):
            return None
        if request.resolver_match and request.resolver_match.view_name in TWO_FACTOR_OPEN_VIEWS:
            return None
        from django_otp import devices_for_user

        target = "accounts:two_factor_verify" if any(devices_for_user(user)) else "accounts:two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


# Views that show only public region names and benefit from the browser cache.
CACHEABLE_VIEWS = frozenset({"regions:children", "regions:offline"})


class NoStoreMiddleware:
    """Cache-Control: no-store on every response to a signed-in user: it may show personal data.

    Static files never reach here (whitenoise answers them earlier); CACHEABLE_VIEWS show no
    personal data and keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            match = request.resolver_match
            if match is None or match.view_name not in CACHEABLE_VIEWS:
                if "Cache-Control" in response:
                    del response["Cache-Control"]
                patch_cache_control(response, no_store=True, private=True)
        return response


class RejectNulMiddleware:
    """400 for a NUL byte in any query or form parameter: never valid here, and PostgreSQL
    refuses it in a query (a 500 in any view that filters on the value)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type == "application/x-www-form-urlencoded":
            # Keep the raw body readable for views that read request.body (the JSON entry API):
            # parsing request.POST straight from the stream would consume it.
            request.body  # noqa: B018
        for params in (request.GET, request.POST):
            if any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists()):
                from django.shortcuts import render

                # Django's own validator message, already in Indonesian: "Karakter null tidak diizinkan."
                return render(request, "400.html", {"message": _("Null characters are not allowed.")}, status=400)
        return self.get_response(request)


class AccessMiddleware:
    """Permissions and jurisdiction codes worked out once per login, not on every request
    (accounts.access.remember); an admin's change takes effect on the account's next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        access.remember(request)
        response = self.get_response(request)
        access.remember_words(request)
        return response
