from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Tindak lanjut")

    def ready(self):
        from travellers.signals import (
            arrival_corrected,
            arrival_registering,
            arrivals_registered,
            arrivals_registering,
        )

        from . import (
            checks,  # noqa: F401  (registers the deploy checks)
            receivers,
        )

        # Connected first (followup comes before monitoring in INSTALLED_APPS): the late tally
        # that monitoring connects counts the arrivals this receiver has just given an order.
        arrival_registering.connect(receivers.decide_isolation, dispatch_uid="followup.decide_isolation")
        arrivals_registering.connect(receivers.decide_isolations, dispatch_uid="followup.decide_isolations")
        arrivals_registered.connect(receivers.open_follow_up, dispatch_uid="followup.open_follow_up")
        arrival_corrected.connect(receivers.correct_follow_up, dispatch_uid="followup.correct_follow_up")
