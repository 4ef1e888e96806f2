"""Texts the system wrote on isolation orders and their history become a message code with its
values (followup/texts.py), put into words on read in the reader's language. Existing rows are
converted when their text is one of those messages, in any of the site's languages; anything
else (what a person typed, generated data) stays as text."""

import re

from django.db import migrations, models

# The messages as they were when this migration was written (texts.MESSAGES may grow; these never change).
REASONS = {
    "outside": "Datang dari luar provinsi (%(origin)s).",
    "flagged_origin": "Datang dari wilayah berisiko %(region)s.",
    "flagged_stop": "Singgah di wilayah berisiko %(region)s (%(from)s–%(to)s).",
}
NOTES = {
    "opened": REASONS,
    "restarted": {"restarted": "Masuk kembali %(date)s; selesai %(old)s menjadi %(new)s."},
    "corrected": {"destination": "Tujuan: %(old)s → %(new)s."},
    "closed": {"rule_lifted": "Koreksi data posko: aturan isolasi tidak berlaku lagi."},
    "period": {"period": "%(old)s → %(new)s hari: %(reason)s"},
}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _pattern(text):
    """`text` as a regex with each placeholder a named group."""
    parts = PLACEHOLDER.split(text)  # literal, name, literal, …
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(regex + r"\Z", re.S)


def _patterns(messages):
    """[(regex, code)] for each message in every language of the site (a text was stored in the writer's)."""
    from django.conf import settings
    from django.utils import translation

    found = []
    for code, message in messages.items():
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                found.append((_pattern(translation.gettext(message)), code))
    return found


def _coded(text, patterns):
    """(code, params) when `text` is one of the messages; None for anything else."""
    for pattern, code in patterns:
        match = pattern.match(text or "")
        if match:
            params = match.groupdict()
            for key in ("old", "new"):  # a period's day counts were numbers
                if code == "period" and params.get(key, "").isdigit():
                    params[key] = int(params[key])
            return code, params
    return None


def texts_to_codes(apps, schema_editor):
    IsolationOrder = apps.get_model("followup", "IsolationOrder")
    IsolationEvent = apps.get_model("followup", "IsolationEvent")
    db = schema_editor.connection.alias
    reasons = _patterns(REASONS)
    for order in IsolationOrder.objects.using(db).exclude(reason="").only("pk", "reason").iterator():
        coded = _coded(order.reason, reasons)
        if coded:
            IsolationOrder.objects.using(db).filter(pk=order.pk).update(
                reason="", reason_code=coded[0], reason_params=coded[1]
            )
    for kind, messages in NOTES.items():
        patterns = _patterns(messages)
        events = IsolationEvent.objects.using(db).filter(kind=kind).exclude(note="").only("pk", "note")
        for event in events.iterator():
            coded = _coded(event.note, patterns)
            if coded:
                IsolationEvent.objects.using(db).filter(pk=event.pk).update(
                    note="", note_code=coded[0], note_params=coded[1]
                )


def codes_to_texts(apps, schema_editor):
    """Back to the Indonesian texts (the codes' columns go with this migration)."""
    IsolationOrder = apps.get_model("followup", "IsolationOrder")
    IsolationEvent = apps.get_model("followup", "IsolationEvent")
    db = schema_editor.connection.alias
    every = {code: text for messages in NOTES.values() for code, text in messages.items()}
    for order in IsolationOrder.objects.using(db).exclude(reason_code="").iterator():
        order.reason = every[order.reason_code] % order.reason_params
        order.save(update_fields=["reason"])
    for event in IsolationEvent.objects.using(db).exclude(note_code="").iterator():
        event.note = every[event.note_code] % event.note_params
        event.save(update_fields=["note"])


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0002_tables_renamed"),
    ]

    operations = [
        migrations.AddField(
            model_name="isolationevent",
            name="note_code",
            field=models.CharField(blank=True, db_default="", max_length=20, verbose_name="kode catatan"),
        ),
        migrations.AddField(
            model_name="isolationevent",
            name="note_params",
            field=models.JSONField(blank=True, db_default={}, default=dict, verbose_name="nilai catatan"),
        ),
        migrations.AddField(
            model_name="isolationorder",
            name="reason_code",
            field=models.CharField(blank=True, db_default="", max_length=20, verbose_name="kode dasar isolasi"),
        ),
        migrations.AddField(
            model_name="isolationorder",
            name="reason_params",
            field=models.JSONField(blank=True, db_default={}, default=dict, verbose_name="nilai dasar isolasi"),
        ),
        migrations.AlterField(
            model_name="isolationorder",
            name="reason",
            field=models.CharField(blank=True, db_default="", max_length=255, verbose_name="dasar isolasi"),
        ),
        migrations.RunPython(texts_to_codes, codes_to_texts),
    ]
