"""Change-history lines keep the stored value of fields worded by the language (choices, symptoms),
so they are shown in the reader's language. Older lines carry only the writer's words: their value
is found again from those words, in either language; words no choice has are left as they were."""

from django.db import migrations
from django.utils import translation

WORDED = {
    "id_type": ("Person", "id_type"),
    "sex": ("Person", "sex"),
    "purpose": ("Arrival", "purpose"),
    "transport": ("Arrival", "transport"),
}


def _by_words(apps):
    """{field: {words in Indonesian or English: stored value}} for the choice fields, and the symptoms."""
    from travellers.models import Arrival, Person

    models = {"Person": Person, "Arrival": Arrival}
    found = {}
    for language in ("id", "en"):
        with translation.override(language):
            for field, (model, name) in WORDED.items():
                choices = models[model]._meta.get_field(name).flatchoices
                found.setdefault(field, {}).update({str(label): value for value, label in choices})
            found.setdefault("symptoms", {}).update({str(label): value for value, label in Arrival.Symptom.choices})
    return found


def _with_values(lines, words):
    changed = False
    for line in lines:
        field = line.get("field")
        if field not in words or "old_value" in line:
            continue
        values = {}
        for side in ("old", "new"):
            shown = line.get(side, "")
            if shown == "—":
                values[side] = [] if field == "symptoms" else ""
            elif field == "symptoms":
                parts = [part.strip() for part in shown.split(",")]
                if not all(part in words[field] for part in parts):
                    break
                values[side] = [words[field][part] for part in parts]
            elif shown in words[field]:
                values[side] = words[field][shown]
            else:
                break
        else:
            line["old_value"], line["new_value"] = values["old"], values["new"]
            changed = True
    return changed


def forwards(apps, schema_editor):
    words = _by_words(apps)
    for name in ("ArrivalChange", "PersonChange"):
        model = apps.get_model("travellers", name)
        for change in model.objects.iterator(chunk_size=2000):
            if _with_values(change.changes, words):
                model.objects.filter(pk=change.pk).update(changes=change.changes)


class Migration(migrations.Migration):
    dependencies = [("travellers", "0006_identity_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
