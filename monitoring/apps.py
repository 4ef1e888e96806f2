from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Pemantauan")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
