"""Security headers on every GET URL walked from the resolver, for each kind of visitor."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import get_resolver, reverse

from accounts.middleware import CACHEABLE_VIEWS
from tests.test_urls import sample_url

pytestmark = pytest.mark.django_db


def walk(patterns, prefix="", namespace=None):
    """(view name, route, pattern) for every URL pattern, the admin's included."""
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else (pattern.namespace or namespace)
            )
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern), pattern


def urls(include_admin):
    found = []
    for name, route, pattern in walk(get_resolver().url_patterns):
        if name is None or (name.startswith("admin:") and not include_admin):
            continue
        if "(?P<" in route or "^" in route:  # the admin's regex catch-alls
            continue
        url, kwargs = sample_url(route, pattern)
        found.append((name, url or reverse(name, kwargs=kwargs)))
    return found


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.I)


def check(response, url, signed_in, name):
    csp = response["Content-Security-Policy"]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
    assert "'unsafe-inline'" not in directives.get("script-src", directives["default-src"]), url
    assert "'unsafe-eval'" not in csp, url
    assert directives["frame-ancestors"] == "'none'", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", url
    if signed_in and name not in CACHEABLE_VIEWS:
        assert "no-store" in response["Cache-Control"], url
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        # What the CSP would block in a browser is caught here, page by page.
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group())
        assert not INLINE_HANDLER.search(html), (url, INLINE_HANDLER.search(html).group())
        assert not STYLE_ATTRIBUTE.search(html), (url, STYLE_ATTRIBUTE.search(html).group())
        assert not STYLE_BLOCK.search(html), url


def visit_all(client, include_admin, signed_in):
    seen = 0
    for name, url in urls(include_admin):
        response = client.get(url, secure=True)
        assert response.status_code < 500, url
        check(response, url, signed_in, name)
        seen += 1
    return seen


def test_headers_for_anonymous_visitors(client):
    assert visit_all(client, include_admin=True, signed_in=False) > 10


def test_headers_for_a_village_head(client, village_head):
    client.force_login(village_head)
    assert visit_all(client, include_admin=False, signed_in=True) > 10


def test_headers_for_an_admin_with_two_factor(client, admin_user, make_arrival):
    make_arrival()
    client.force_login(admin_user)
    assert visit_all(client, include_admin=True, signed_in=True) > 50


def test_pages_for_signed_in_users_are_not_stored_but_region_lists_are_cached(client, village_head):
    client.force_login(village_head)
    assert "no-store" in client.get(reverse("monitoring:overview"))["Cache-Control"]
    children = client.get(reverse("regions:children"))
    assert "max-age=3600" in children["Cache-Control"] and "no-store" not in children["Cache-Control"]


def test_static_files_keep_their_caching(client, village_head):
    client.force_login(village_head)
    response = client.get("/static/css/sipantau.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(client, officer):
    client.get(reverse("accounts:login"), secure=True)
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    response = client.post(
        reverse("accounts:login"),
        {"username": "petugas", "password": "kata-sandi-uji-123", "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"
    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_the_admin_address_comes_from_the_environment():
    code = "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    env = {"DJANGO_SETTINGS_MODULE": "sipantau.settings", "DJANGO_DEBUG": "1", "DJANGO_ADMIN_URL": "kelola-7f3a/"}
    out = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "/kelola-7f3a/"
