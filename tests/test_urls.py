"""Every URL pattern, walked from the resolver, needs a login unless it is on the public list."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {"healthz", "accounts:login", "set_language"}
# The offline entry: the worker script and manifest hold no data; the session check and the JSON
# entry API answer "not signed in" (200 / 403 JSON) so a queued entry is never lost to a redirect.
PUBLIC |= {"service_worker", "web_manifest", "travellers:api_session", "travellers:api_arrival_create"}
# The page the worker shows for any URL without a signal: no user, no data.
PUBLIC |= {"offline_page"}
# The exchange API (issue 16) answers other systems, which send a bearer token: 401 JSON, never a
# login redirect; its description (OpenAPI, docs page) is public.
PUBLIC_NAMESPACES = ("exchange:",)


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if ns == "admin":
                continue  # the admin has its own staff login, tested in test_admin.py
            child = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else ns
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), child)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern), pattern


def sample_url(route, pattern):
    kwargs = {}
    for key, converter in pattern.pattern.converters.items():
        kwargs[key] = {"int": 1, "uuid": "00000000-0000-0000-0000-000000000001", "slug": "x"}.get(
            type(converter).__name__.replace("Converter", "").lower(), "x"
        )
    return "/" + route if not kwargs and "<" not in route else None, kwargs


ALL = list(walk(get_resolver().url_patterns))


def test_the_walk_finds_the_views():
    names = {name for name, _, _ in ALL}
    assert {"home", "healthz", "accounts:login", "regions:search", "monitoring:overview"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route", "pattern"), ALL, ids=[n or r for n, r, _ in ALL])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_requests_are_sent_to_login(client, name, route, pattern, method):
    url, kwargs = sample_url(route, pattern)
    if url is None:
        url = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(url)
    if name in PUBLIC or name.startswith(PUBLIC_NAMESPACES):
        assert response.status_code != 302 or not response.url.startswith(reverse(settings.LOGIN_URL))
    else:
        assert response.status_code == 302, url
        assert response.url.startswith(reverse(settings.LOGIN_URL) + "?next="), url
