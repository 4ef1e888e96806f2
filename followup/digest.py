"""The daily digest e-mail: yesterday's arrivals, today's due checks and escalations in a user's area."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from travellers.models import Arrival, today_bounds

from . import dispatch
from .models import DigestSubscription, IsolationOrder


def digest_figures(user, now=None) -> dict:
    """The digest's numbers for `user`, all through visible_to."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start, _end = today_bounds(now)
    district_cutoff, regency_cutoff = dispatch.cutoffs(now)
    orders = IsolationOrder.objects.visible_to(user)
    unconfirmed = dispatch.unconfirmed(Arrival.objects.visible_to(user), now)
    return {
        "day": today,
        "yesterday": today - timedelta(days=1),
        "arrivals_yesterday": Arrival.objects.visible_to(user)
        .filter(arrived_at__gte=start - timedelta(days=1), arrived_at__lt=start)
        .count(),
        "due": orders.due(today).count(),
        "overdue": orders.overdue(today).count(),
        "unconfirmed": unconfirmed.count(),
        "escalated": unconfirmed.filter(arrived_at__lt=district_cutoff).count(),
        "escalated_regency": unconfirmed.filter(arrived_at__lt=regency_cutoff).count(),
    }


def digest_send_all(now=None) -> int:
    """Send today's digest to every active subscriber with an e-mail address, once a day; return how many."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    subscriptions = (
        DigestSubscription.objects.filter(active=True, user__is_active=True)
        .exclude(user__email="")
        .exclude(last_sent_on=today)
        .select_related("user")
    )
    sent = 0
    for subscription in subscriptions:
        user = subscription.user
        context = {"user": user, "site_url": settings.SIPANTAU_SITE_URL} | digest_figures(user, now)
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("followup/email/digest_subject.txt", context).strip()
            body = render_to_string("followup/email/digest.txt", context)
        EmailMessage(subject, body, to=[user.email]).send()
        # Marked per user, so a crash halfway resends only to those not served yet.
        DigestSubscription.objects.filter(pk=subscription.pk).update(last_sent_on=today)
        sent += 1
    return sent
