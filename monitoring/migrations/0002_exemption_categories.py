from django.db import migrations

# The 2020 exemptions; admins change or add to them in the admin.
CATEGORIES = [
    ("logistics", "Pengemudi angkutan barang / logistik"),
    ("health", "Tenaga kesehatan"),
    ("official", "Tugas dinas"),
]


def seed(apps, schema_editor):
    ExemptionCategory = apps.get_model("monitoring", "ExemptionCategory")
    for purpose, name in CATEGORIES:
        ExemptionCategory.objects.get_or_create(purpose=purpose, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
