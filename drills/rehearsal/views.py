import json
from datetime import date

from django.contrib.auth.decorators import permission_required
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from regions.models import Region
from travellers.models import Arrival, Person, TravelStop


def _answer(arrival, created):
    body = {"id": arrival.pk, "entry_key": str(arrival.entry_key), "created": created, "person_id": arrival.person_id}
    return JsonResponse(body, status=201 if created else 200)


@require_POST
@permission_required("accounts.enter_arrivals", raise_exception=True)
def stand_in_arrival_create(request):
    """Idempotent by entry_key, one transaction: the contract's shape, none of its validation."""
    data = json.loads(request.body or b"{}")
    if not data.get("entry_key"):
        return JsonResponse({"errors": {"entry_key": ["Wajib diisi."]}}, status=400)
    existing = Arrival.objects.filter(entry_key=data["entry_key"]).first()
    if existing:
        return _answer(existing, created=False)
    regions = Region.objects.in_bulk([data["origin"], data["destination"], data["home_region"]], field_name="code")
    try:
        with transaction.atomic():
            person, _ = Person.objects.get_or_create(
                id_type=data["id_type"],
                id_number=data["id_number"],
                defaults={
                    "name": data["name"],
                    "sex": data["sex"],
                    "birth_date": date.fromisoformat(data["birth_date"]),
                    "home_region": regions[data["home_region"]],
                },
            )
            arrival = Arrival.objects.create(
                entry_key=data["entry_key"],
                person=person,
                checkpoint=request.user.checkpoint,
                officer=request.user,
                origin=regions[data["origin"]],
                destination=regions[data["destination"]],
                destination_address=data["destination_address"],
                purpose=data["purpose"],
                transport=data["transport"],
                plate=data["plate"],
                temperature=data["temperature"],
            )
            for stop in data["travel_stops"]:
                TravelStop.objects.create(
                    arrival=arrival,
                    region=Region.objects.get(code=stop["region"]),
                    date_from=stop["date_from"],
                    date_to=stop["date_to"],
                )
    except IntegrityError:  # the same key committed by a concurrent retry a moment ago
        return _answer(Arrival.objects.get(entry_key=data["entry_key"]), created=False)
    return _answer(arrival, created=True)
