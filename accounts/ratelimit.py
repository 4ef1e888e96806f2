"""Per-user rate limits shared by every gunicorn worker (the "shared" cache: database or Redis)."""

import functools
import time

from django.conf import settings
from django.core.cache import caches
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .audit import audit_record, client_ip
from .models import AuditEvent

WINDOW = 60  # seconds


def _cache():
    return caches[settings.SIPANTAU_RATE_LIMIT_CACHE]


def rate_limit_hit(*, scope: str, key: str, limit: int, window: int = WINDOW) -> bool:
    """Count one request for `key` in `scope`'s current window (a minute unless told); True when over `limit`.

    Each request claims a numbered slot with cache.add(), which is atomic in the database
    cache (a primary-key insert) and in Redis (SET NX); a plain get-then-set counter would
    let concurrent workers overshoot. The hint only saves look-ups; slots decide.
    """
    cache = _cache()
    base = f"rl:{scope}:{key}:{window}:{int(time.time() // window)}"
    timeout = window * 2
    start = cache.get(f"{base}:n", 0)
    for slot in range(start + 1, limit + 1):
        if cache.add(f"{base}:{slot}", 1, timeout):
            cache.set(f"{base}:n", slot, timeout)
            return False
    return True


def window_count(*, scope: str, key: str, window: int, delta: int = 1) -> int:
    """Count `delta` (one request) for `key` in `scope`'s current window of `window` seconds; the count so far.

    For hour and day windows, where a slot per request would fill the cache: one counter, atomic
    in Redis (INCR); the database cache's incr is a read and a write, so two workers at the same
    instant may count once: a limit a few requests loose, never a wrong refusal.
    """
    cache = _cache()
    counter = f"rc:{scope}:{key}:{window}:{int(time.time() // window)}"
    cache.add(counter, 0, window * 2)
    try:
        return cache.incr(counter, delta)
    except ValueError:  # expired between add and incr
        cache.set(counter, delta, window * 2)
        return delta


def once_per_window(*, scope: str, key: str, window: int) -> bool:
    """True the first time it is asked for `key` in `scope`'s current window (alerts, audit records)."""
    return _cache().add(f"once:{scope}:{key}:{window}:{int(time.time() // window)}", 1, window * 2)


def rate_limited(scope: str, *, per_minute: int | str, when=None, json: bool = False):
    """View decorator: at most `per_minute` requests per user per minute, else a 429 page.

    Use on searches, look-ups by NIK and exports, e.g. @rate_limited("nik_lookup", per_minute=30).
    `per_minute` may name a setting (read at each request, so deployments and tests can change
    it); `when(request)` limits only the requests it says yes to (a list is not a search until
    it has a query); `json` answers the 429 as JSON. The first refusal of each minute is audited.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if when is not None and not when(request):
                return view(request, *args, **kwargs)
            limit = getattr(settings, per_minute) if isinstance(per_minute, str) else per_minute
            user = request.user
            key = str(user.pk) if user.is_authenticated else f"ip-{client_ip(request)}"
            if rate_limit_hit(scope=scope, key=key, limit=limit):
                return rate_limited_response(request, scope=scope, key=key, json=json)
            return view(request, *args, **kwargs)

        wrapped.rate_limit = (scope, per_minute)
        return wrapped

    return decorator


def rate_limited_response(request, *, scope, key, json=False, window=WINDOW, message=None):
    """429 in Indonesian (JSON for JSON clients), audited once per user, scope and window."""
    if _cache().add(f"rl-audit:{scope}:{key}:{window}:{int(time.time() // window)}", 1, window * 2):
        audit_record(request=request, action=AuditEvent.Action.RATE_LIMITED, detail={"scope": scope})
    retry_after = str(window - int(time.time()) % window)
    message = message or _("Terlalu banyak permintaan dalam satu menit. Tunggu sebentar, lalu coba lagi.")
    wants_json = "application/json" in request.headers.get("Accept", "") or request.content_type == "application/json"
    if json or wants_json:
        response = JsonResponse({"errors": {"__all__": [message]}}, status=429)
    else:
        response = render(request, "accounts/rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = retry_after
    return response
