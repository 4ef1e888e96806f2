"""The follow-up's models moved to the followup app (followup 0001): removed from monitoring's
migration state only; their tables and rows stay, and followup 0002 renames the tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0007_isolation_closed_on"),
        ("followup", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # Those pointing at others first, so no model in the state points at a removed one.
                migrations.DeleteModel(name="ViolationReportEvent"),
                migrations.DeleteModel(name="ViolationReport"),
                migrations.DeleteModel(name="Check"),
                migrations.DeleteModel(name="IsolationEvent"),
                migrations.DeleteModel(name="IsolationOrder"),
                migrations.DeleteModel(name="ArrivalConfirmation"),
                migrations.DeleteModel(name="DigestSubscription"),
                migrations.DeleteModel(name="ExemptionCategory"),
                migrations.DeleteModel(name="FlaggedRegion"),
            ],
        ),
    ]
