from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TravellersConfig(AppConfig):
    name = "travellers"
    verbose_name = _("Pelaku perjalanan")
