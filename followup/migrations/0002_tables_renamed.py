"""The moved models' tables take the app's name (monitoring_check → followup_check, …), and their
content types move with them, so permissions, admin log entries and generic references stay."""

from django.db import migrations

MOVED = [
    "exemptioncategory",
    "flaggedregion",
    "arrivalconfirmation",
    "isolationorder",
    "isolationevent",
    "check",
    "violationreport",
    "violationreportevent",
    "digestsubscription",
]


def content_types_moved(apps, schema_editor, *, source="monitoring", target="followup"):
    """Point the models' content types (and so their permissions) at `target`.

    On a fresh database there are none yet: post_migrate makes them after the last migration.
    A model with a content type on both sides (a database once migrated without this step)
    keeps the target's, and the source's is left for remove_stale_contenttypes.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(ContentType.objects.using(db).filter(app_label=target, model__in=MOVED).values_list("model", flat=True))
    ContentType.objects.using(db).filter(app_label=source, model__in=set(MOVED) - taken).update(app_label=target)


def content_types_back(apps, schema_editor):
    content_types_moved(apps, schema_editor, source="followup", target="monitoring")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("followup", "0001_initial"),
        ("monitoring", "0008_followup_models_moved"),
    ]

    operations = [
        *[migrations.AlterModelTable(name=name, table=None) for name in MOVED],
        migrations.RunPython(content_types_moved, content_types_back),
    ]
