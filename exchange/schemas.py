"""The JSON the API answers, described for its OpenAPI document (and checked on the way out)."""

from datetime import date

from ninja import Schema


class RegionOut(Schema):
    code: str
    name: str


class CheckpointOut(Schema):
    code: str
    name: str


class PersonOut(Schema):
    id: int
    id_type: str
    id_number: str  # whole for roles with accounts.exchange_identity, else masked (1371••••••••0001)
    name: str
    sex: str
    birth_date: date | None
    nationality: str
    phone: str | None


class TravelStopOut(Schema):
    region: RegionOut
    place: str
    date_from: date
    date_to: date


class ArrivalOut(Schema):
    id: int
    entry_key: str
    changed_at: str
    created_at: str
    arrived_at: str
    person: PersonOut
    entered_name: str
    checkpoint: CheckpointOut
    origin: RegionOut
    origin_place: str
    destination: RegionOut
    destination_address: str
    purpose: str
    transport: str
    temperature: float | None
    symptoms: list[str]
    isolation_required: bool
    travel_stops: list[TravelStopOut]


class IsolationOrderOut(Schema):
    id: int
    arrival_id: int
    changed_at: str
    created_at: str
    person: PersonOut
    destination_code: str
    reason: str
    start_date: date
    days: int
    end_date: date
    state: str
    status: str
    closed_on: date | None


class PoliceReportOut(Schema):
    id: int
    number: str
    order_id: int
    changed_at: str
    raised_at: str
    destination_code: str
    recipient: str
    state: str


class Page(Schema):
    identity: str  # "whole" or "masked": how this client receives identity numbers
    has_more: bool
    next_cursor: str | None


class ArrivalPage(Page):
    items: list[ArrivalOut]


class IsolationOrderPage(Page):
    items: list[IsolationOrderOut]


class PoliceReportPage(Page):
    items: list[PoliceReportOut]


class Errors(Schema):
    errors: dict[str, list[str]]
