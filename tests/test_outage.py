"""A database outage answers a friendly 503 in Indonesian on every page, and service returns by itself."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import verified_client_class

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_down():
    """database_down() -> a context in which the connection points at a port where nothing listens."""
    if connection.vendor == "sqlite":
        pytest.skip("Django never closes an in-memory SQLite test database; PostgreSQL runs this in CI.")

    @contextmanager
    def down():
        original = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict["PORT"] = "1"
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(original)

    return down


def signed_in(user):
    # Exceptions go to handler500 as in production, instead of being re-raised into the test.
    client = verified_client_class()(raise_request_exception=False)
    client.force_login(user)
    return client


def assert_outage_page(response):
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Layanan sementara tidak tersedia" in body
    assert "Data yang sudah tersimpan tetap aman" in body
    assert "Traceback" not in body and "Error" not in body
    assert response["Retry-After"] == "15"
    assert "no-cache" in response["Cache-Control"]


def test_signed_in_pages_answer_503_then_recover_by_themselves(database_down, make_user, officer):
    """The session and user lookups fail first (before any view); every page shows the outage page."""
    province, post = signed_in(make_user("province", "13")), signed_in(officer)
    pages = [
        (province, "/"),
        (province, reverse("monitoring:overview")),
        (province, reverse("admin:index")),
        (province, "/tidak-ada/"),  # the 404 page reads the user for its header: handler500 answers
        (post, reverse("travellers:arrival_create")),
    ]
    assert [who.get(url).status_code for who, url in pages] == [302, 200, 302, 404, 200]
    with database_down():
        for who, url in pages:
            assert_outage_page(who.get(url))
        assert_outage_page(post.post(reverse("travellers:arrival_create"), {"name": "Budi"}))
    # Nothing restarted: the next request opens a fresh connection and all is well again.
    assert [who.get(url).status_code for who, url in pages] == [302, 200, 302, 404, 200]


def test_login_page_answers_503(database_down):
    visitor = Client(raise_request_exception=False)
    with database_down():
        assert_outage_page(visitor.get(reverse("accounts:login")))
        assert_outage_page(visitor.post(reverse("accounts:login"), {"username": "lurah", "password": "x"}))
    assert visitor.get(reverse("accounts:login")).status_code == 200


def test_api_calls_get_a_json_503_the_offline_queue_can_retry_on(database_down, officer):
    post = signed_in(officer)
    with database_down():
        response = post.post("/posko/api/kedatangan/", "{}", content_type="application/json")
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert "basis data" in response.json()["errors"]["__all__"][0]


def test_healthz_keeps_its_json_answer(database_down, client):
    with database_down():
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    assert client.get(reverse("healthz")).status_code == 200


def test_an_outage_is_logged_without_a_traceback(database_down, officer, caplog):
    """Pages and views meet the outage in the middleware: one line each in the logs, no traceback."""
    post = signed_in(officer)
    with database_down(), caplog.at_level("WARNING"):
        assert post.get(reverse("travellers:arrival_create")).status_code == 503
        assert Client(raise_request_exception=False).get(reverse("accounts:login")).status_code == 503
    assert [r.exc_info for r in caplog.records if r.exc_info] == []
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == [
        "Service Unavailable: /posko/catat/",
        "Service Unavailable: /akun/masuk/",
    ]
    assert [r.name for r in caplog.records if r.levelname == "WARNING"] == ["sipantau.outage"] * 2


def test_nginx_outage_page_is_the_same_page():
    """ops/nginx/gangguan.html (shown by nginx when gunicorn is down) is the rendered 503 template."""
    from pathlib import Path

    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("id"):
        rendered = render_to_string("503.html", {"retry_after": 15})
    shipped = (Path(settings.BASE_DIR) / "ops" / "nginx" / "gangguan.html").read_text()
    assert shipped == rendered, "regenerate ops/nginx/gangguan.html from templates/503.html (docs/deploy.md)"
