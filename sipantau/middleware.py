"""Middleware that turns a database outage into a friendly 503 page instead of a traceback."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger("sipantau.outage")

# What psycopg raises while PostgreSQL is down, restarting or has dropped the connection.
DATABASE_DOWN = (OperationalError, InterfaceError)
# Seconds a client (or the offline queue) is asked to wait before trying again.
RETRY_AFTER = 15
# The outage page is self-contained (one inline stylesheet, no script, nothing fetched), so it
# carries its own strict policy instead of the site's, which forbids inline styles.
SELF_CONTAINED_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def database_unavailable(request, exception=None) -> HttpResponse:
    """The 503 answer: JSON for API calls, a self-contained page (no database, no session) for people."""
    logger.warning("database unavailable for %s %s: %s", request.method, request.path, exception)
    message = _("Layanan sedang tidak dapat menghubungi basis data. Coba lagi sebentar lagi.")
    if "/api/" in request.path or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"errors": {"__all__": [message]}, "retry_after": RETRY_AFTER}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html", {"retry_after": RETRY_AFTER}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Content-Security-Policy"] = SELF_CONTAINED_CSP
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 "sedang gangguan" wherever an unreachable database shows up first.

    Place it right after AuthenticationMiddleware: its process_view loads the signed-in user
    (session and user rows) before LoginRequiredMiddleware does, so an outage surfaces here;
    process_exception catches it in the view, including the ATOMIC_REQUESTS transaction.
    Anything raised later still reaches ``sipantau.views.server_error``, which answers the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Middleware below this one (two-factor, session lifetime) reads the user before any
        # view: with a session cookie, load it here so an outage answers 503, not a traceback.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            try:
                request.user.is_authenticated  # noqa: B018 - forces the lazy session and user lookups
            except DATABASE_DOWN as exc:
                return database_unavailable(request, exc)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "login_required", True) is False:
            return None  # public views (healthz, login) meet the database, if at all, in the view
        try:
            request.user.is_authenticated  # noqa: B018 - forces the lazy session and user lookups
        except DATABASE_DOWN as exc:
            return database_unavailable(request, exc)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return database_unavailable(request, exception)
        return None


class LanguageChoiceMiddleware(LocaleMiddleware):
    """Indonesian unless the person picked another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer whose
    phone happens to be set to English would get an English SIPANTAU they never asked for.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
