"""The follow-up's panels on the monitoring pages (listed in settings.SIPANTAU_MONITORING_PANELS)."""

from django.template.loader import render_to_string
from django.utils import timezone

from . import dispatch
from .followup import followup_summary
from .models import ArrivalConfirmation, IsolationOrder


def overview_followup(*, request, area=None):
    """The overview's follow-up figures: the drilled-into area (or the user's whole reach), per sub-area."""
    context = {"followup": followup_summary(request.user, area=area), "area": area}
    return render_to_string("monitoring/includes/followup_panel_overview.html", context, request=request)


def arrival_followup(*, request, arrival):
    """The arrival's confirmation and the traveller's isolation orders within reach, in three queries."""
    user = request.user
    confirmation = ArrivalConfirmation.objects.filter(arrival=arrival).select_related("confirmed_by").first()
    orders = list(
        IsolationOrder.objects.visible_to(user)
        .filter(person_id=arrival.person_id)
        .select_related("arrival")
        .order_by("-start_date", "-id")[:10]
    )
    awaiting = confirmation is None and dispatch.inbox(user).filter(pk=arrival.pk).exists()
    district, regency = dispatch.cutoffs()
    if confirmation is not None or arrival.arrived_at < dispatch.window_start():
        escalation = dispatch.NONE
    elif arrival.arrived_at < regency:
        escalation = dispatch.REGENCY
    elif arrival.arrived_at < district:
        escalation = dispatch.DISTRICT
    else:
        escalation = dispatch.NONE
    context = {
        "arrival": arrival,
        "confirmation": confirmation,
        "awaiting": awaiting,
        "expired": confirmation is None and arrival.arrived_at < dispatch.window_start(),
        "escalation": escalation,
        "orders": orders,
        "today": timezone.localdate(),
    }
    return render_to_string("monitoring/includes/followup_panel_arrival.html", context, request=request)
