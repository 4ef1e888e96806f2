"""The FHIR output parses back into the R4 models of fhir.resources (R4B package): valid resources."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest

from conftest import ALANG_LAWEH

from .conftest import order_of

pytestmark = pytest.mark.django_db

NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik"


@pytest.fixture
def traveller(clock, settled, register, make_person, regions, follow_up, make_user):
    """A woman from Jambi with a stop in Riau, feverish at the post; her first order closed early, then a re-entry."""
    from travellers.models import TravelStop

    person = make_person(name="Rahmi Yusuf", sex="P", birth_date=date(1991, 3, 4), phone="+6281311112222")
    first = register(destination=ALANG_LAWEH, person=person, temperature=Decimal("38.2"), symptoms=["fever", "cough"])
    TravelStop.objects.create(
        arrival=first,
        region=regions.get(code="14"),
        place="Pekanbaru",
        date_from=date(2026, 11, 15),
        date_to=date(2026, 11, 20),
    )
    follow_up.isolation_close(order=order_of(first), user=make_user("village", ALANG_LAWEH), reason="Salah catat.")
    settled()
    return person, first


def entries_of(bundle, kind):
    return [e.resource for e in bundle.entry if e.resource.get_resource_type() == kind]


def test_a_persons_record_is_a_valid_bundle(call, api_client, traveller):
    person, arrival = traveller
    token = api_client("system_nik", "13")[1]
    response = call(reverse("exchange:fhir_person", kwargs={"person_id": person.pk}), token)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = Bundle.model_validate_json(response.content)  # raises on anything R4 does not allow
    assert bundle.type == "collection"

    (patient,) = entries_of(bundle, "Patient")
    assert isinstance(patient, Patient)
    nik = [i for i in patient.identifier if i.system == NIK_SYSTEM]
    assert [i.value for i in nik] == [person.id_number]
    assert patient.gender == "female" and patient.birthDate == date(1991, 3, 4)
    assert patient.telecom[0].value == "+6281311112222"

    (encounter,) = entries_of(bundle, "Encounter")
    assert isinstance(encounter, Encounter)
    assert encounter.class_fhir.code == "FLD" and encounter.status == "finished"
    patient_url = next(e.fullUrl for e in bundle.entry if e.resource is patient)
    assert encounter.subject.reference == patient_url

    observations = entries_of(bundle, "Observation")
    assert all(isinstance(o, Observation) for o in observations)
    travel = [o for o in observations if o.code.coding and o.code.coding[0].code == "420008001"]
    assert sorted(o.valueCodeableConcept.coding[0].code for o in travel) == ["14", "15.71"]
    (temperature,) = [o for o in observations if o.code.coding and o.code.coding[0].code == "8310-5"]
    assert temperature.valueQuantity.value == Decimal("38.2") and temperature.valueQuantity.code == "Cel"
    (symptoms,) = [o for o in observations if o.component]
    assert [c.code.coding[0].code for c in symptoms.component] == ["fever", "cough"]

    (request,) = entries_of(bundle, "ServiceRequest")
    assert isinstance(request, ServiceRequest)
    assert request.status == "revoked" and request.intent == "order"  # closed early
    assert request.encounter.reference == next(e.fullUrl for e in bundle.entry if e.resource is encounter)
    assert request.occurrencePeriod.start is not None and request.occurrencePeriod.end is not None

    # Every reference inside the bundle resolves to one of its entries.
    urls = {e.fullUrl for e in bundle.entry}
    for resource in (encounter, *observations, request):
        assert resource.subject.reference in urls


def test_without_the_identity_permission_the_patient_has_no_nik(call, api_client, traveller):
    person, _arrival = traveller
    token = api_client("system", "13")[1]
    response = call(reverse("exchange:fhir_person", kwargs={"person_id": person.pk}), token)
    bundle = Bundle.model_validate_json(response.content)
    (patient,) = entries_of(bundle, "Patient")
    assert [i.system for i in patient.identifier] == ["urn:sipantau:sid:person"]
    assert patient.telecom is None
    assert person.id_number not in response.content.decode()


def test_a_page_of_arrivals_is_a_valid_searchset(call, api_client, traveller, register, settled):
    person, _first = traveller
    others = [register(destination=ALANG_LAWEH) for _ in range(2)]
    settled()
    token = api_client("system_nik", "13.71")[1]
    response = call(reverse("exchange:fhir_arrivals"), token, limit="10")
    bundle = Bundle.model_validate_json(response.content)
    assert bundle.type == "searchset"
    assert len(entries_of(bundle, "Encounter")) == 3
    assert len(entries_of(bundle, "Patient")) == 3
    assert {e.search.mode for e in bundle.entry if e.resource.get_resource_type() == "Encounter"} == {"match"}
    assert {e.search.mode for e in bundle.entry if e.resource.get_resource_type() != "Encounter"} == {"include"}
    assert len(entries_of(bundle, "ServiceRequest")) == 3  # each arrival from Jambi opened an order
    assert response["X-Next-Cursor"]
    assert others


def test_ids_are_stable_between_reads(call, api_client, traveller):
    person, _arrival = traveller
    token = api_client("system_nik", "13")[1]
    url = reverse("exchange:fhir_person", kwargs={"person_id": person.pk})
    first = Bundle.model_validate_json(call(url, token).content)
    second = Bundle.model_validate_json(call(url, token).content)
    assert [e.fullUrl for e in first.entry] == [e.fullUrl for e in second.entry]
