"""Everything stored about one traveller, for a data-subject request (UU 27/2022), as JSON."""

import json

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder

# Walk reverse relations into the project's own apps only (accounts' users are officials, not subjects).
SUBJECT_APPS = {"travellers", "followup", "monitoring"}


def _children(obj):
    """Rows of the project's apps pointing at `obj` (hidden reverse relations too: related_name="+")."""
    for relation in obj._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        model = relation.related_model
        if model._meta.app_label not in SUBJECT_APPS:
            continue
        yield from model._default_manager.filter(**{relation.field.name: obj}).order_by("pk")


def person_data_export(*, person) -> dict:
    """{model label: [rows]} for `person` and every row reachable from them: arrivals, stops, follow-up, changes."""
    seen, found, queue = set(), {}, [person]
    while queue:
        obj = queue.pop(0)
        key = (obj._meta.label, obj.pk)
        if key in seen:
            continue
        seen.add(key)
        found.setdefault(obj._meta.label, []).append(obj)
        queue.extend(_children(obj))
    return {
        label: [{"id": row["pk"], **row["fields"]} for row in serializers.serialize("python", rows)]
        for label, rows in sorted(found.items())
    }


def person_data_json(*, people) -> str:
    """The export of several people as one JSON document."""
    data = [person_data_export(person=person) for person in people]
    return json.dumps({"people": data}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
