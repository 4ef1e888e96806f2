from django.db import migrations


def forwards(apps, schema_editor):
    # Fuzzy name search uses pg_trgm on PostgreSQL; SQLite has a portable fallback.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_name_trgm ON travellers_person USING gin (upper(name) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("travellers", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
