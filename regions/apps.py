from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Wilayah")

    def ready(self):
        from . import catalogue  # noqa: F401 -- connects the signals that refresh it
