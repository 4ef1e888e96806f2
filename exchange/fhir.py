"""A traveller's record as FHIR R4 resources (fhir.resources, R4B models), per person or per page.

Mapping (docs/exchange.md, "FHIR"):
- Person → Patient, identified by the NIK under the system the national platform (SATUSEHAT)
  uses, https://fhir.kemkes.go.id/id/nik (a passport under …/id/paspor), and by SIPANTAU's id;
- Arrival → Encounter of class FLD (field: screened at the border post, not in a facility);
- the origin and the places stayed in the 14 days before → Observation "Travel" (SNOMED CT
  420008001) each with its period and Kemendagri region code; the temperature taken at the post
  → Observation body temperature (LOINC 8310-5); symptoms at the post → one Observation;
- IsolationOrder → ServiceRequest (intent order; active, completed, or revoked when closed early).

Every resource gets a stable UUID (uuid5 of its kind and SIPANTAU id) so a receiver upserts.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle, BundleEntry, BundleEntrySearch, BundleLink
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.contactpoint import ContactPoint
from fhir.resources.R4B.encounter import Encounter, EncounterLocation
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.servicerequest import ServiceRequest

from travellers.models import Person

from .records import order_status

NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik"
PASSPORT_SYSTEM = "https://fhir.kemkes.go.id/id/paspor"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
FHIR_JSON = "application/fhir+json"

GENDER = {Person.Sex.MALE: "male", Person.Sex.FEMALE: "female"}
# records.order_status() → ServiceRequest.status
ORDER_STATUS = {"active": "active", "completed": "completed", "closed": "revoked"}


def _base():
    return settings.SIPANTAU_FHIR_SYSTEM_BASE.rstrip("/:")


def system(kind: str) -> str:
    """SIPANTAU's own identifier or code system `kind` (sid/person, CodeSystem/region, …)."""
    base = _base()
    return f"{base}:{kind.replace('/', ':')}" if base.startswith("urn:") else f"{base}/{kind}"


def resource_uuid(kind: str, pk) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{system('sid/' + kind)}/{pk}"))


def full_url(kind, pk):
    return f"urn:uuid:{resource_uuid(kind, pk)}"


def _ref(kind, pk):
    return Reference(reference=full_url(kind, pk))


def _own_id(kind, pk):
    return Identifier(system=system(f"sid/{kind}"), value=str(pk))


def _instant(value: datetime) -> str:
    return timezone.localtime(value).isoformat()


def _region_concept(region, place=""):
    text = f"{place} ({region.name})" if place else region.name
    return CodeableConcept(
        coding=[Coding(system=system("CodeSystem/kemendagri-region"), code=region.code, display=region.name)],
        text=text,
    )


def patient(person, *, whole: bool) -> Patient:
    """The traveller; their identity number and phone only for clients whose role receives them."""
    identifiers = [_own_id("person", person.pk)]
    if whole:
        document = NIK_SYSTEM if person.id_type == Person.IdType.NIK else PASSPORT_SYSTEM
        identifiers.insert(0, Identifier(use="official", system=document, value=person.id_number))
    return Patient(
        id=resource_uuid("person", person.pk),
        identifier=identifiers,
        name=[HumanName(use="official", text=person.name)],
        gender=GENDER.get(person.sex, "unknown"),
        birthDate=person.birth_date,
        telecom=[ContactPoint(system="phone", value=person.phone, use="mobile")] if whole and person.phone else None,
    )


def encounter(arrival) -> Encounter:
    """The crossing: screened at the post (class FLD, field), finished when entered."""
    return Encounter(
        id=resource_uuid("arrival", arrival.pk),
        identifier=[_own_id("arrival", arrival.entry_key)],
        status="finished",
        class_fhir=Coding(system=ACT_CODE, code="FLD", display="field"),
        type=[CodeableConcept(text="Border entry screening")],
        subject=_ref("person", arrival.person_id),
        period=Period(start=_instant(arrival.arrived_at)),
        location=[
            EncounterLocation(
                location=Reference(
                    identifier=Identifier(system=system("sid/checkpoint"), value=arrival.checkpoint.code),
                    display=arrival.checkpoint.name,
                )
            )
        ],
    )


def _travel(arrival, key, region, *, place="", start=None, end=None, at=None):
    return Observation(
        id=resource_uuid(f"travel/{key}", arrival.pk),
        status="final",
        category=[CodeableConcept(coding=[Coding(system=OBSERVATION_CATEGORY, code="social-history")])],
        code=CodeableConcept(coding=[Coding(system=SNOMED, code="420008001", display="Travel")], text="Travel"),
        subject=_ref("person", arrival.person_id),
        encounter=_ref("arrival", arrival.pk),
        effectivePeriod=Period(start=start, end=end) if start else None,
        effectiveDateTime=at,
        valueCodeableConcept=_region_concept(region, place),
    )


def observations(arrival) -> list[Observation]:
    """Travel history (origin, then each stay), temperature and symptoms at the post."""
    found = [_travel(arrival, "origin", arrival.origin, place=arrival.origin_place, at=_instant(arrival.arrived_at))]
    for stop in arrival.travel_stops.all():
        found.append(
            _travel(arrival, f"stop-{stop.pk}", stop.region, place=stop.place, start=stop.date_from, end=stop.date_to)
        )
    if arrival.temperature is not None:
        found.append(
            Observation(
                id=resource_uuid("temperature", arrival.pk),
                status="final",
                category=[CodeableConcept(coding=[Coding(system=OBSERVATION_CATEGORY, code="vital-signs")])],
                code=CodeableConcept(coding=[Coding(system=LOINC, code="8310-5", display="Body temperature")]),
                subject=_ref("person", arrival.person_id),
                encounter=_ref("arrival", arrival.pk),
                effectiveDateTime=_instant(arrival.arrived_at),
                valueQuantity=Quantity(value=arrival.temperature, unit="Cel", system=UCUM, code="Cel"),
            )
        )
    if arrival.symptoms:
        found.append(
            Observation(
                id=resource_uuid("symptoms", arrival.pk),
                status="final",
                category=[CodeableConcept(coding=[Coding(system=OBSERVATION_CATEGORY, code="survey")])],
                code=CodeableConcept(text="Symptoms reported at the border post"),
                subject=_ref("person", arrival.person_id),
                encounter=_ref("arrival", arrival.pk),
                effectiveDateTime=_instant(arrival.arrived_at),
                component=[
                    ObservationComponent(
                        code=CodeableConcept(coding=[Coding(system=system("CodeSystem/symptom"), code=symptom)]),
                        valueBoolean=True,
                    )
                    for symptom in arrival.symptoms
                ],
            )
        )
    return found


def service_request(order) -> ServiceRequest:
    """The self-isolation order: who, for which period, opened by which crossing, and its state."""
    return ServiceRequest(
        id=resource_uuid("isolation-order", order.pk),
        identifier=[_own_id("isolation-order", order.pk)],
        status=ORDER_STATUS[order_status(order)],
        intent="order",
        code=CodeableConcept(
            coding=[Coding(system=system("CodeSystem/follow-up"), code="self-isolation", display="Self-isolation")],
            text="Self-isolation",
        ),
        subject=_ref("person", order.person_id),
        encounter=_ref("arrival", order.arrival_id),
        occurrencePeriod=Period(start=order.start_date, end=order.end_date),
        authoredOn=_instant(order.created_at),
        reasonCode=[CodeableConcept(text=order.get_reason() or None)],
    )


def _entry(kind, pk, resource, mode=None):
    return BundleEntry(
        fullUrl=full_url(kind, pk), resource=resource, search=BundleEntrySearch(mode=mode) if mode else None
    )


def _arrival_entries(arrival, mode=None):
    entries = [_entry("arrival", arrival.pk, encounter(arrival), mode)]
    for observation in observations(arrival):
        entries.append(BundleEntry(fullUrl=f"urn:uuid:{observation.id}", resource=observation, search=_include(mode)))
    return entries


def _include(mode):
    return BundleEntrySearch(mode="include") if mode else None


def person_bundle(person, arrivals, orders, *, whole: bool) -> Bundle:
    """One traveller's record: Patient, each reachable arrival with its observations, each order."""
    entries = [_entry("person", person.pk, patient(person, whole=whole))]
    for arrival in arrivals:
        entries.extend(_arrival_entries(arrival))
    entries.extend(_entry("isolation-order", order.pk, service_request(order)) for order in orders)
    return Bundle(id=str(uuid.uuid4()), type="collection", timestamp=_instant(timezone.now()), entry=entries or None)


def arrivals_bundle(arrivals, orders_by_arrival, *, whole: bool, self_url: str, next_url: str | None) -> Bundle:
    """A page of arrivals (search mode "match"), with their patients and orders ("include")."""
    entries, people = [], set()
    for arrival in arrivals:
        if arrival.person_id not in people:
            people.add(arrival.person_id)
            entries.append(_entry("person", arrival.person_id, patient(arrival.person, whole=whole), "include"))
        entries.extend(_arrival_entries(arrival, "match"))
        entries.extend(
            _entry("isolation-order", order.pk, service_request(order), "include")
            for order in orders_by_arrival.get(arrival.pk, ())
        )
    links = [BundleLink(relation="self", url=self_url)]
    if next_url:
        links.append(BundleLink(relation="next", url=next_url))
    return Bundle(
        id=str(uuid.uuid4()),
        type="searchset",
        timestamp=_instant(timezone.now()),
        link=links,
        entry=entries or None,
    )
