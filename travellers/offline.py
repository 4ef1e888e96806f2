"""The entry form as an installable app that keeps working without a signal.

The service worker (/sw.js, scope "/") caches the entry form's shell and its static files,
and nothing else that holds personal data; entries made offline wait in the browser's
IndexedDB and are sent through the JSON entry API when the connection returns
(static/js/offline-queue.js, travellers/static/travellers/offline-entry.js).
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import transaction
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from regions.offline import offline_regions

# The static files the entry form needs, cached by the service worker when it installs.
SHELL_ASSETS = [
    "css/sipantau.css",
    "travellers/entry.css",
    "travellers/offline.css",
    "js/region-picker.js",
    "travellers/entry-form.js",
    "js/offline-queue.js",
    "travellers/outbox-list.js",
    "travellers/offline-entry.js",
    "img/icon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
]
ICONS = [("img/icon-192.png", "192x192", "image/png"), ("img/icon-512.png", "512x512", "image/png")]


def _asset_bytes(name: str) -> bytes:
    path = finders.find(name)
    if path is None and staticfiles_storage.exists(name):
        path = staticfiles_storage.path(name)
    if path is None:
        return name.encode()
    with open(path, "rb") as handle:
        return handle.read()


@lru_cache(maxsize=1)
def _assets_digest() -> str:
    digest = hashlib.sha256()
    for name in SHELL_ASSETS:
        digest.update(static(name).encode())
        digest.update(_asset_bytes(name))
    return digest.hexdigest()


def offline_version() -> str:
    """A short name for this release of the shell: changes when any cached asset or the setting changes."""
    # Files change under a running development server; in production they change only with a deploy.
    assets = _assets_digest.__wrapped__() if settings.DEBUG else _assets_digest()
    return hashlib.sha256(f"{settings.SIPANTAU_OFFLINE_VERSION}:{assets}".encode()).hexdigest()[:12]


def offline_config(user) -> dict:
    """What the offline scripts need to know: where to send, how long entries may wait."""
    return {
        "version": offline_version(),
        "sw_url": reverse("service_worker"),
        "api_url": reverse("travellers:api_arrival_create"),
        "session_url": reverse("travellers:api_session"),
        "shell_url": reverse("travellers:arrival_create"),
        "login_url": reverse(settings.LOGIN_URL),
        "logout_url": reverse("accounts:logout"),
        "user": user.pk if user.is_authenticated else None,
        "max_hours": settings.SIPANTAU_OFFLINE_QUEUE_MAX_HOURS,
        "warn_hours": settings.SIPANTAU_OFFLINE_QUEUE_WARN_HOURS,
        "logout_warning": _(
            "Masih ada %(count)s entri yang belum terkirim di perangkat ini. Bila keluar sekarang, entri itu "
            "baru terkirim setelah Anda masuk lagi. Tetap keluar?"
        )
        % {"count": "{count}"},
    }


@login_not_required  # the worker script holds no data; it must load for the login page too
@transaction.non_atomic_requests  # no database work: browsers fetch it alongside the page
@require_GET
def service_worker(request):
    """The service worker script, served from the site root so its scope covers every page."""
    children = reverse("regions:children")
    region_file = f"{reverse('regions:offline')}?v={offline_regions()[0]}"
    config = {
        "version": offline_version(),
        "assets": [static(name) for name in SHELL_ASSETS],
        "shell_url": reverse("travellers:arrival_create"),
        "api_url": reverse("travellers:api_arrival_create"),
        "session_url": reverse("travellers:api_session"),
        "login_url": reverse(settings.LOGIN_URL),
        "max_hours": settings.SIPANTAU_OFFLINE_QUEUE_MAX_HOURS,
        # Region lists are public reference data: cached so the pickers work without a signal.
        "region_children_url": children,
        "region_precache": [region_file, children, f"{children}?induk={settings.SIPANTAU_PROVINCE}"],
        # Every region in one versioned file (regions/offline.py): kept until the data changes.
        "region_file_url": region_file,
        "fallback_prefixes": ["/posko/"],
        # Any other page without a signal: a page that says so (no personal data in it).
        "offline_url": reverse("offline_page"),
    }
    context = {"config_json": json.dumps(config), "outbox_script_json": json.dumps(static("js/offline-queue.js"))}
    response = render(request, "travellers/service_worker.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker on every visit; the cache must not stand in the way.
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required  # cached by the worker for every page, the login page included
@transaction.non_atomic_requests
@require_GET
def offline_page(request):
    """What a page that cannot load without a signal shows instead (served by the service worker)."""
    return render(request, "travellers/offline_page.html", {"shell_url": reverse("travellers:arrival_create")})


@login_not_required
@transaction.non_atomic_requests
@require_GET
@cache_control(max_age=3600)
def web_manifest(request):
    """The web app manifest: SIPANTAU installs to the home screen and opens on the entry form."""
    body = {
        "name": "SIPANTAU — " + _("Catat kedatangan"),
        "short_name": "SIPANTAU",
        "description": _("Pencatatan pelaku perjalanan di posko perbatasan, juga tanpa sinyal."),
        "lang": get_language(),
        "start_url": reverse("travellers:arrival_create"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f9fafb",
        "theme_color": "#14532d",
        "icons": [{"src": static(n), "sizes": s, "type": t, "purpose": "any maskable"} for n, s, t in ICONS]
        + [{"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@login_not_required  # answers "not signed in" instead of redirecting to the login page
@transaction.non_atomic_requests  # a read
@never_cache
@require_GET
def api_session(request):
    """Whether this browser still has an officer's session, and a CSRF token for the entry API."""
    user = request.user
    officer = user.is_authenticated and user.is_posted_officer
    return JsonResponse(
        {
            "authenticated": user.is_authenticated,
            "officer": officer,
            "user": user.pk if user.is_authenticated else None,
            "csrf_token": get_token(request),
        }
    )
