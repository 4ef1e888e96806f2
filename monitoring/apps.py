from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Pemantauan")

    def ready(self):
        from travellers.signals import arrivals_registered

        from . import receivers

        # Receivers run in the order they were connected: FollowupConfig.ready() ran first
        # (followup comes before monitoring in INSTALLED_APPS), so the arrival's isolation order
        # exists when the tally counts it (tests/test_signals.py pins the order).
        arrivals_registered.connect(receivers.tally_late_arrival, dispatch_uid="monitoring.tally_late_arrival")
