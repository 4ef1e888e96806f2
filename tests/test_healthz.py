import pytest
from django.db import connection
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_healthz_says_503_when_the_database_does_not(client):
    if connection.vendor == "sqlite":
        pytest.skip("Django never closes an in-memory SQLite test database; PostgreSQL runs this in CI.")
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        response = client.get(reverse("healthz"))
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    # Service returns by itself once the database is back.
    assert client.get(reverse("healthz")).status_code == 200
