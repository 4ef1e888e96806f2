from django.db import migrations

from accounts.roles import sync_role_groups


class Migration(migrations.Migration):
    """Whoever visits (village and hamlet heads, Babinsa, Bhabinkamtibmas) records checks and raises reports."""

    dependencies = [
        ("accounts", "0005_audit_people_alert_district"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
