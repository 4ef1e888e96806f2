"""The API describes itself: an OpenAPI document and a plain page, both without a token and without any CDN."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_endpoint(client):
    response = client.get(reverse("exchange:openapi-json"))
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/arrivals",
        "/api/v1/arrivals/{arrival_id}",
        "/api/v1/isolation-orders",
        "/api/v1/isolation-orders/{order_id}",
        "/api/v1/police-reports",
        "/api/v1/police-reports/{report_id}",
        "/api/v1/fhir/arrivals",
        "/api/v1/fhir/people/{person_id}",
    }
    arrivals = schema["paths"]["/api/v1/arrivals"]["get"]
    assert {p["name"] for p in arrivals["parameters"]} == {"since", "cursor", "limit"}
    assert {"200", "400", "401", "429"} <= set(arrivals["responses"])
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert "application/fhir+json" in schema["paths"]["/api/v1/fhir/arrivals"]["get"]["responses"]["200"]["content"]


def test_the_docs_page_is_plain_and_local(client):
    response = client.get(reverse("exchange:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "GET /api/v1/fhir/people/{person_id}" in html and "since" in html
    assert "/api/v1/api/" not in html
    assert "<script" not in html.split("</header>")[1]  # no Swagger bundle, nothing from a CDN
    assert "cdn" not in html.lower()
