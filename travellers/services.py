"""Writes that span Person, Arrival and TravelStop, each in one transaction."""

import logging
import uuid
from contextlib import nullcontext
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Region

from .forms import error_text, travel_stop_errors
from .models import Arrival, ArrivalChange, Person, PersonChange, TravelStop, change_line, same_name
from .signals import arrival_corrected, arrival_registering, arrivals_registered

logger = logging.getLogger(__name__)

# Fields of Person a returning traveller's new entry may update (the document stays).
PERSON_UPDATABLE = ["name", "phone", "home_address", "home_region", "nationality"]


LOOK_UP = object()  # person_for_document: the caller has not read the person yet


class Registration(NamedTuple):
    arrival: Arrival
    created: bool


def _officer_checkpoint_id(officer) -> int:
    if not officer.is_posted_officer:
        raise PermissionDenied(_("Hanya petugas yang ditempatkan di posko yang dapat mencatat kedatangan."))
    return officer.checkpoint_id


def _fetched(instance, fields) -> list[str]:
    """Those foreign keys of `instance` that hold an object read from the database (or just saved).

    full_clean would ask the database whether each still exists, one query per key; the
    insert's own foreign key constraint answers that anyway, inside the same transaction.
    """
    fetched = []
    for name in fields:
        related = getattr(instance, name, None) if instance._meta.get_field(name).is_cached(instance) else None
        if related is not None and not related._state.adding:
            fetched.append(name)
    return fetched


def _stored(entry_key, checkpoint_id) -> Arrival | None:
    arrival = Arrival.objects.select_related("person").filter(entry_key=entry_key).first()
    if arrival is not None and arrival.checkpoint_id != checkpoint_id:
        # A key is only a retry of an entry of one's own post; never hand out another post's entry.
        raise ValidationError({"entry_key": _("Kunci entri ini sudah dipakai untuk entri lain.")})
    return arrival


def person_for_document(
    *,
    id_type: str,
    id_number: str,
    name: str,
    sex: str,
    birth_date: date | None = None,
    nationality: str = "ID",
    phone: str = "",
    home_address: str = "",
    home_region: Region | None = None,
    confirm_identity_change: bool = False,
    savepoint: bool = True,
    found=LOOK_UP,
) -> tuple[Person, list[dict], bool]:
    """The Person holding this document, created or brought up to date with what was just typed,
    what changed ([{field, label, old, new}]), and whether it was created. A different name is
    refused unless the officer confirmed it (`confirm_identity_change`): it renames the person on
    every earlier arrival too.

    The same document stored a moment ago by someone else is found again behind a savepoint;
    without one (`savepoint=False`) the IntegrityError is the caller's to retry after. `found`: the
    person holding the document (or None), when the caller has just read and locked it."""
    values = {
        "name": name,
        "sex": sex,
        "birth_date": birth_date,
        "nationality": nationality or "ID",
        "phone": phone or "",
        "home_address": home_address or "",
        "home_region": home_region,
    }
    if found is LOOK_UP:
        found = Person.objects.select_for_update().filter(id_type=id_type, id_number=id_number).first()
    person = found
    if person is None:
        person = Person(id_type=id_type, id_number=id_number, **values)
        # The unique document is left to the database (IntegrityError below), not to a
        # check-then-insert that a concurrent request can slip between.
        person.full_clean(exclude=_fetched(person, ["home_region"]), validate_unique=False, validate_constraints=False)
        if not savepoint:
            person.save()
            return person, [], True
        try:
            with transaction.atomic():
                person.save()
            return person, [], True
        except IntegrityError:
            # Someone stored the same document a moment ago (two posts, or a double tap).
            person = Person.objects.select_for_update().get(id_type=id_type, id_number=id_number)
    if same_name(person.name, name):
        values["name"] = person.name  # spacing or letter case only: not a change
    elif not confirm_identity_change:
        raise identity_change_error(person)
    changed = [field for field in PERSON_UPDATABLE if values[field] and _stored_value(person, field) != values[field]]
    if person.birth_date is None and birth_date:
        changed.append("birth_date")
    diffs = [change_line(Person, field, getattr(person, field), values[field]) for field in changed]
    if changed:
        for field in changed:
            setattr(person, field, values.get(field, getattr(person, field)))
        person.full_clean(exclude=_fetched(person, ["home_region"]), validate_unique=False, validate_constraints=False)
        person.save(update_fields=[*changed, "updated_at"])
    return person, diffs, False


def _stored_value(person: Person, field: str):
    """A person's stored value of `field`, a region by its id (not read unless it changes)."""
    if field == "home_region":
        return Region(pk=person.home_region_id) if person.home_region_id else None
    return getattr(person, field)


def identity_change_error(person: Person) -> ValidationError:
    """The refusal of a new name for a known document, for the form, the JSON API and the import."""
    return ValidationError(
        {
            "name": ValidationError(
                _("Nomor identitas ini tercatat atas nama %(name)s. Periksa kartu identitasnya."),
                code="identity_change",
                params={"name": person.name},
            ),
            "confirm_identity_change": ValidationError(
                _("Bila namanya memang berubah (atau dulu salah ketik), centang konfirmasi perubahan nama."),
                code="identity_change",
            ),
        }
    )


def arrival_register(
    *,
    officer,
    entry_key: uuid.UUID,
    origin: Region,
    destination: Region,
    destination_address: str,
    purpose: str,
    transport: str,
    origin_place: str = "",
    plate: str = "",
    temperature: Decimal | None = None,
    symptoms: list | None = None,
    travel_stops: list | None = None,
    arrived_at: datetime | None = None,
    vehicle_group: uuid.UUID | None = None,
    vehicle_role: str = "",
    key_checked: bool = False,
    confirm_identity_change: bool = False,
    **person_details,
) -> Registration:
    """Store one traveller's arrival at `officer`'s post; the same entry_key again returns the stored one.

    `person_details` are the traveller's own (id_type, id_number, name, sex, …): the keywords of
    `person_for_document`, which finds or creates the Person holding that document.

    `key_checked`: the caller answers a resent entry_key whose data is refused itself (the JSON
    API looks it up when it answers an error), so the key is looked up with the person, not first.

    One transaction (a savepoint inside another) and no savepoint within it: everything that may
    refuse the entry is checked before the first write, and a key or document stored concurrently
    (double tap, retry, two posts) fails the insert, which is undone and tried once more, finding
    what was stored.
    """
    entry = {
        "origin": origin,
        "destination": destination,
        "destination_address": destination_address,
        "purpose": purpose,
        "transport": transport,
        "origin_place": origin_place,
        "plate": plate,
        "temperature": temperature,
        "symptoms": symptoms,
        "travel_stops": travel_stops,
        "arrived_at": arrived_at,
        "vehicle_group": vehicle_group,
        "vehicle_role": vehicle_role,
        "confirm_identity_change": confirm_identity_change,
        **person_details,
    }
    try:
        return _arrival_store(officer=officer, entry_key=entry_key, key_checked=key_checked, **entry)
    except IntegrityError:
        registration = _arrival_store(officer=officer, entry_key=entry_key, key_checked=False, **entry)
        if not registration.created:
            stored = registration.arrival.pk
            logger.info("entry_key %s was stored concurrently; answering with arrival %s", entry_key, stored)
        return registration


@transaction.atomic
def _arrival_store(
    *,
    officer,
    entry_key: uuid.UUID,
    origin: Region,
    destination: Region,
    destination_address: str,
    purpose: str,
    transport: str,
    origin_place: str,
    plate: str,
    temperature: Decimal | None,
    symptoms: list | None,
    travel_stops: list | None,
    arrived_at: datetime | None,
    vehicle_group: uuid.UUID | None,
    vehicle_role: str,
    key_checked: bool,
    confirm_identity_change: bool,
    **person_details,
) -> Registration:
    """arrival_register's one attempt, in one transaction."""
    checkpoint_id = _officer_checkpoint_id(officer)
    found = LOOK_UP
    if key_checked:
        # The person, locked, and whether the key is stored already, in one read: a resend's
        # person is there (the first send made it); any other resend fails the insert below.
        stored_key = Arrival.objects.filter(entry_key=entry_key).values("pk")[:1]
        found = (
            Person.objects.select_for_update()
            .filter(id_type=person_details["id_type"], id_number=person_details["id_number"])
            .annotate(stored_arrival=Subquery(stored_key))
            .first()
        )
        key_checked = found is None or found.stored_arrival is None
    stored = None if key_checked else _stored(entry_key, checkpoint_id)
    if stored is not None:
        return Registration(stored, False)

    arrival = Arrival(
        entry_key=entry_key,
        entered_name=person_details["name"],
        checkpoint_id=checkpoint_id,
        officer=officer,
        arrived_at=arrived_at or timezone.now(),
        origin=origin,
        origin_place=origin_place or "",
        destination=destination,
        destination_address=destination_address,
        purpose=purpose,
        transport=transport,
        plate=plate or "",
        temperature=temperature,
        symptoms=list(symptoms or []),
        vehicle_group=vehicle_group,
        vehicle_role=vehicle_role or "",
    )
    arrival.full_clean(
        exclude=["checkpoint", "person", *_fetched(arrival, ["officer", "origin", "destination"])],
        validate_unique=False,
    )
    stops = [TravelStop(arrival=arrival, **stop) for stop in travel_stops or []]
    arrived_on = timezone.localdate(arrival.arrived_at)
    for number, stop in enumerate(stops, start=1):
        # Dates in order (the table's check constraint) are among travel_stop_errors' rules.
        stop.full_clean(exclude=["arrival", *_fetched(stop, ["region"])], validate_constraints=False)
        errors = travel_stop_errors(stop.date_from, stop.date_to, arrived_on)
        if errors:
            raise ValidationError(
                {"travel_stops": [_("Baris %(n)d: %(e)s") % {"n": number, "e": error_text(e)} for e in errors]}
            )

    # The first write: nothing after it refuses the entry (a receiver's error undoes it all).
    person, person_changes, new_person = person_for_document(
        **person_details, confirm_identity_change=confirm_identity_change, savepoint=False, found=found
    )
    arrival.person = person
    arrival_registering.send(sender=Arrival, arrival=arrival, travel_stops=stops)
    arrival.save()
    for stop in stops:
        stop.arrival = arrival  # the stops were made before the arrival had its id
    TravelStop.objects.bulk_create(stops)
    if person_changes:
        PersonChange.objects.create(person=person, arrival=arrival, changed_by=officer, changes=person_changes)
    arrivals_registered.send(
        sender=Arrival, arrivals=[arrival], new_persons={arrival.person_id} if new_person else set()
    )
    return Registration(arrival, True)


def member_key(entry_key: uuid.UUID, index: int) -> uuid.UUID:
    """The entry_key of the index-th person of a vehicle entered under `entry_key` (the first keeps it)."""
    return entry_key if index == 0 else uuid.uuid5(entry_key, f"orang-{index}")


def vehicle_register(
    *, officer, entry_key: uuid.UUID, trip: dict, people: list[dict], travel_stops: list | None = None
) -> list[Registration]:
    """Store the driver and passengers of one vehicle as arrivals sharing plate, origin and a group."""
    group = entry_key if len(people) > 1 else None
    registrations = []
    # All or none of a vehicle; one traveller alone is all or none in arrival_register already.
    with transaction.atomic() if len(people) > 1 else nullcontext():
        for index, person in enumerate(people):
            try:
                registrations.append(
                    arrival_register(
                        officer=officer,
                        entry_key=member_key(entry_key, index),
                        vehicle_group=group,
                        travel_stops=travel_stops,
                        **trip,
                        **person,
                    )
                )
            except ValidationError as error:
                messages = [_("Orang ke-%(n)d: %(e)s") % {"n": index + 1, "e": message} for message in error.messages]
                raise ValidationError({"__all__": messages}) from error
    return registrations


def recent_repeats(*, checkpoint_id: int, documents: list[tuple[str, str]], hours: int = 6, exclude_keys=()):
    """Arrivals of these documents at this post in the last `hours`: a probable double entry."""
    if not documents:
        return Arrival.objects.none()
    match = Q(pk__in=[])
    for id_type, id_number in documents:
        match |= Q(person__id_type=id_type, person__id_number=id_number)
    since = timezone.now() - timedelta(hours=hours)
    return (
        Arrival.objects.filter(match, checkpoint_id=checkpoint_id, arrived_at__gte=since)
        .exclude(entry_key__in=list(exclude_keys))
        .select_related("person")
    )


# ------------------------------------------------------------------------------
# Corrections by the officer who made the entry, on the day of the entry
# ------------------------------------------------------------------------------
PERSON_FIELDS = ["id_type", "id_number", "nationality", "name", "sex", "birth_date", "phone", "home_address"]
PERSON_FIELDS += ["home_region"]
ARRIVAL_FIELDS = ["origin", "origin_place", "transport", "plate", "destination", "destination_address"]
ARRIVAL_FIELDS += ["purpose", "temperature", "symptoms"]


def _same(old, new) -> bool:
    if isinstance(old, list) or isinstance(new, list):
        return sorted(old or []) == sorted(new or [])
    return (old or None) == (new or None)


def _or_blank(model, field, value):
    """None for nullable fields, "" for text ones: how the models store "not given"."""
    if value is None and not model._meta.get_field(field).null:
        return ""
    return value


@transaction.atomic
def arrival_correct(*, arrival: Arrival, officer, **values) -> ArrivalChange | None:
    """Apply an officer's correction to their own entry of today and keep old → new in the history."""
    arrival = (
        Arrival.objects.visible_to(officer)
        .select_for_update(of=("self",))
        .select_related("person", "origin", "destination", "person__home_region")
        .filter(officer=officer)
        .get(pk=arrival.pk)
    )
    person = arrival.person
    diffs = [
        change_line(type(record), field, getattr(record, field), values.get(field))
        for record, fields in ((person, PERSON_FIELDS), (arrival, ARRIVAL_FIELDS))
        for field in fields
        if not _same(getattr(record, field), values.get(field))
    ]
    if not diffs:
        return None

    person_values = {field: values.get(field) for field in PERSON_FIELDS}
    old_person = person
    if (person.id_type, person.id_number) != (values["id_type"], values["id_number"]):
        # A mistyped document: the entry belongs to the person who holds the corrected one. The
        # correction is the officer's confirmed act; a rename it brings is kept on that person.
        person, person_changes, _new = person_for_document(**person_values, confirm_identity_change=True)
        if person_changes:
            PersonChange.objects.create(person=person, arrival=arrival, changed_by=officer, changes=person_changes)
    else:
        for field in PERSON_FIELDS:
            setattr(person, field, _or_blank(Person, field, person_values[field]))
        person.full_clean(validate_unique=False)
        person.save()
        person_diffs = [d for d in diffs if d["field"] in PERSON_FIELDS]
        if person_diffs:  # the person's page tells every change of their details, whoever made it
            PersonChange.objects.create(person=person, arrival=arrival, changed_by=officer, changes=person_diffs)
    arrival.person = person
    arrival.entered_name = person.name  # the entry's own name, corrected
    for field in ARRIVAL_FIELDS:
        setattr(arrival, field, _or_blank(Arrival, field, values.get(field)))
    arrival.symptoms = list(values.get("symptoms") or [])
    arrival.full_clean(validate_unique=False)
    arrival.save()
    change = ArrivalChange.objects.create(arrival=arrival, changed_by=officer, changes=diffs)
    arrival_corrected.send(sender=Arrival, arrival=arrival, change=change)
    # After the receivers: what points at the mistyped person (an isolation order) has moved by now.
    if old_person.pk != person.pk and not old_person.arrivals.exists():
        old_person.delete()
    return change
