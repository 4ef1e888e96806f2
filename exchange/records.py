"""What the API reads: each kind's rows within the client's reach, with their change time, as JSON.

Every queryset starts from the model's ``visible_to(user)``, the gate the pages use.
"""

from django.db.models import DateTimeField, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.roles import EXCHANGE_IDENTITY
from travellers.models import Arrival, Person, TravelStop

from .sources import IsolationEvent, IsolationOrder, ViolationReport, ViolationReportEvent


def sees_identity(user) -> bool:
    """Whether `user`'s role receives identity numbers and phone numbers whole (docs/exchange.md)."""
    return user.has_perm(f"accounts.{EXCHANGE_IDENTITY}")


def arrivals(user):
    """Arrivals `user` reaches; changed_at is the arrival's own last change."""
    return (
        Arrival.objects.visible_to(user)
        .annotate(changed_at=F("updated_at"))
        .select_related("person", "checkpoint", "origin", "destination")
        .prefetch_related(Prefetch("travel_stops", queryset=TravelStop.objects.select_related("region")))
    )


def isolation_orders(user):
    """Isolation orders `user` reaches; changed_at is the last event of the order (opened, closed, …)."""
    last_event = Subquery(
        IsolationEvent.objects.filter(order=OuterRef("pk")).order_by("-at").values("at")[:1],
        output_field=DateTimeField(),
    )
    return (
        IsolationOrder.objects.visible_to(user)
        .annotate(changed_at=Greatest("created_at", Coalesce(last_event, "created_at"), output_field=DateTimeField()))
        .select_related("person")
    )


def police_reports(user):
    """Police reports `user` reaches; changed_at is the last state change (raised, acknowledged, closed)."""
    last_event = Subquery(
        ViolationReportEvent.objects.filter(report=OuterRef("pk")).order_by("-at").values("at")[:1],
        output_field=DateTimeField(),
    )
    return ViolationReport.objects.visible_to(user).annotate(
        changed_at=Greatest("raised_at", Coalesce(last_event, "raised_at"), output_field=DateTimeField()),
        person_id=F("order__person_id"),
    )


def people(user):
    """Travellers with an arrival `user` reaches."""
    return Person.objects.visible_to(user)


# ------------------------------------------------------------------------------
# JSON shapes (schemas.py describes them for OpenAPI)
# ------------------------------------------------------------------------------
def _region(region):
    return {"code": region.code, "name": region.name} if region is not None else None


def _moment(value):
    return timezone.localtime(value).isoformat() if value is not None else None


def person_json(person, *, whole: bool):
    return {
        "id": person.pk,
        "id_type": person.id_type,
        "id_number": person.id_number if whole else person.masked_id,
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "nationality": person.nationality,
        "phone": (person.phone or None) if whole else None,
    }


def arrival_json(arrival, *, whole: bool):
    return {
        "id": arrival.pk,
        "entry_key": str(arrival.entry_key),
        "changed_at": _moment(arrival.updated_at),
        "created_at": _moment(arrival.created_at),
        "arrived_at": _moment(arrival.arrived_at),
        "person": person_json(arrival.person, whole=whole),
        "entered_name": arrival.entered_name or arrival.person.name,
        "checkpoint": {"code": arrival.checkpoint.code, "name": arrival.checkpoint.name},
        "origin": _region(arrival.origin),
        "origin_place": arrival.origin_place,
        "destination": _region(arrival.destination),
        "destination_address": arrival.destination_address,
        "purpose": arrival.purpose,
        "transport": arrival.transport,
        "temperature": float(arrival.temperature) if arrival.temperature is not None else None,
        "symptoms": list(arrival.symptoms or []),
        "isolation_required": arrival.isolation_required,
        "travel_stops": [
            {"region": _region(stop.region), "place": stop.place, "date_from": stop.date_from, "date_to": stop.date_to}
            for stop in arrival.travel_stops.all()
        ],
    }


def order_json(order, *, whole: bool):
    return {
        "id": order.pk,
        "arrival_id": order.arrival_id,
        "changed_at": _moment(order.changed_at),
        "created_at": _moment(order.created_at),
        "person": person_json(order.person, whole=whole),
        "destination_code": order.destination_code,
        "reason": order.get_reason(),
        "start_date": order.start_date,
        "days": order.days,
        "end_date": order.end_date,
        "state": order.state,
        "status": order_status(order),
        "closed_on": order.closed_on,
    }


# The API's words for an order's status (its contract, kept whatever the pages call it).
API_STATUS = {
    IsolationOrder.Status.ACTIVE: "active",
    IsolationOrder.Status.COMPLETED: "completed",
    IsolationOrder.Status.CLOSED: "closed",
}


def order_status(order) -> str:
    """The order's status today, in the API's words."""
    return API_STATUS[order.status_on()]


def report_json(report):
    return {
        "id": report.pk,
        "number": report.number,
        "order_id": report.order_id,
        "changed_at": _moment(report.changed_at),
        "raised_at": _moment(report.raised_at),
        "destination_code": report.destination_code,
        "recipient": report.recipient,
        "state": report.state,
    }
