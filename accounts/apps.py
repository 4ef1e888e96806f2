from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Akun dan akses")

    def ready(self):
        from . import checks, receivers  # noqa: F401  (start-up checks; audits logins and logouts)

        receivers.connect_access_receivers()
