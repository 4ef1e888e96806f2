import uuid
from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .forms import (
    CorrectionTripForm,
    TravellerForm,
    TravellerFormSet,
    TravelStopFormSet,
    TripForm,
    correction_initial,
)
from .models import Arrival
from .services import arrival_correct, member_key, recent_repeats, vehicle_register

REPEAT_HOURS = 6
FEVER = Decimal("37.5")


def officer_required(view):
    """Officers placed at a post only (permission accounts.enter_arrivals); others get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.has_perm("accounts.enter_arrivals") and user.checkpoint_id):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _entry_forms(request):
    data = request.POST if request.method == "POST" else None
    trip = TripForm(data, initial={"entry_key": uuid.uuid4()})
    people = TravellerFormSet(data, prefix="orang")
    stops = TravelStopFormSet(data, prefix="riwayat", arrived_on=timezone.localdate())
    if data is None:
        # The cursor waits in the NIK box: the officer starts typing as the traveller hands over the KTP.
        people.forms[0].fields["id_number"].widget.attrs["autofocus"] = True
    return trip, people, stops


def _people(people):
    """Each person's fields; passengers marked "same destination" take the first person's."""
    forms = [form for form in people.forms if not form.cleaned_data.get("DELETE")]
    result = [form.person_fields() for form in forms]
    first = result[0]
    for form, fields in zip(forms[1:], result[1:], strict=True):
        if form.cleaned_data.get("same_destination"):
            fields["destination"] = first["destination"]
            fields["destination_address"] = first["destination_address"]
    if len(result) > 1:
        first["vehicle_role"] = first["vehicle_role"] or Arrival.VehicleRole.DRIVER
        for fields in result[1:]:
            fields["vehicle_role"] = fields["vehicle_role"] or Arrival.VehicleRole.PASSENGER
    return result


def _saved_message(registrations):
    created = [r.arrival for r in registrations if r.created]
    if not created:
        return _("Entri ini sudah tersimpan sebelumnya; tidak dicatat dua kali.")
    names = ", ".join(arrival.person.name for arrival in created)
    return ngettext(
        "Tersimpan: %(names)s. Silakan catat pelaku perjalanan berikutnya.",
        "Tersimpan %(count)d orang: %(names)s. Silakan catat kendaraan berikutnya.",
        len(created),
    ) % {"count": len(created), "names": names}


@officer_required
def arrival_create(request):
    """The officer's entry form: one traveller, or a driver and passengers sharing a vehicle."""
    trip, people, stops = _entry_forms(request)
    repeats = []
    if request.method == "POST" and all([trip.is_valid(), people.is_valid(), stops.is_valid()]):
        entry_key = trip.cleaned_data["entry_key"]
        persons = _people(people)
        keys = [member_key(entry_key, i) for i in range(len(persons))]
        if not request.POST.get("confirm_repeat"):
            documents = [(p["id_type"], p["id_number"]) for p in persons]
            repeats = list(
                recent_repeats(
                    checkpoint_id=request.user.checkpoint_id, documents=documents, hours=REPEAT_HOURS, exclude_keys=keys
                )
            )
        if not repeats:
            try:
                registrations = vehicle_register(
                    officer=request.user,
                    entry_key=entry_key,
                    trip=trip.trip_fields(),
                    people=persons,
                    travel_stops=stops.stops(),
                )
            except ValidationError as error:
                trip.add_error(None, error.messages)
            else:
                messages.success(request, _saved_message(registrations))
                return redirect("travellers:arrival_create")
    warnings = [w for form in people.forms for w in getattr(form, "warnings", [])]
    invalid = request.method == "POST" and not repeats
    context = {"trip": trip, "people": people, "stops": stops, "repeats": repeats, "warnings": warnings}
    return render(request, "travellers/arrival_form.html", context, status=400 if invalid else 200)


@officer_required
def arrival_today(request):
    """The officer's day: today's entries at their post, newest first, with counts."""
    arrivals = (
        Arrival.objects.visible_to(request.user)
        .select_related("person", "destination", "origin", "officer")
        .order_by("-arrived_at", "-id")
    )
    counts = arrivals.aggregate(
        total=Count("id"),
        mine=Count("id", filter=Q(officer=request.user)),
        vehicles=Count("vehicle_group", distinct=True),
        fever=Count("id", filter=Q(temperature__gte=FEVER)),
    )
    context = {"arrivals": arrivals, "counts": counts, "fever": FEVER, "today": timezone.localdate()}
    return render(request, "travellers/arrival_today.html", context)


@officer_required
def arrival_update(request, pk):
    """Correction of an entry by the officer who made it, until the end of that day."""
    arrival = get_object_or_404(
        Arrival.objects.visible_to(request.user)
        .filter(officer=request.user)
        .select_related("person", "person__home_region", "origin", "destination"),
        pk=pk,
    )
    data = request.POST if request.method == "POST" else None
    initial = correction_initial(arrival)
    trip = CorrectionTripForm(data, initial=initial)
    person = TravellerForm(data, initial=initial, prefix="orang-0")
    if data is not None and trip.is_valid() & person.is_valid():
        values = {**trip.trip_fields(), **person.person_fields()}
        try:
            change = arrival_correct(arrival=arrival, officer=request.user, **values)
        except ValidationError as error:
            trip.add_error(None, error.messages)
        else:
            if change is None:
                messages.info(request, _("Tidak ada yang berubah."))
            else:
                messages.success(request, _("Perbaikan tersimpan: %(fields)s.") % {"fields": change_summary(change)})
            return redirect("travellers:arrival_today")
    context = {
        "arrival": arrival,
        "trip": trip,
        "person": person,
        "changes": arrival.changes.select_related("changed_by"),
    }
    return render(request, "travellers/arrival_update.html", context, status=400 if data is not None else 200)


def change_summary(change):
    return ", ".join(item["label"] for item in change.changes)
