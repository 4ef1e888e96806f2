"""Dispatch: arrivals waiting for their village team's confirmation, and where they escalate to.

Escalation is computed from the arrival time, never written: an arrival unconfirmed for
SIPANTAU_CONFIRM_WITHIN_HOURS shows to the camat, after SIPANTAU_ESCALATE_REGENCY_AFTER_HOURS
to the regency task force. Nothing has to run on a clock for that to be true.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Case, CharField, Value, When
from django.utils import timezone

from accounts import access
from accounts.roles import Role
from travellers.models import Arrival

VILLAGE_TEAM = {Role.VILLAGE, Role.HAMLET, Role.BABINSA, Role.POLICE}

NONE, DISTRICT, REGENCY = "", "district", "regency"


def cutoffs(now=None):
    """(district, regency) cut-offs: arrivals before them are escalated that far."""
    now = now or timezone.now()
    return (
        now - timedelta(hours=settings.SIPANTAU_CONFIRM_WITHIN_HOURS),
        now - timedelta(hours=settings.SIPANTAU_ESCALATE_REGENCY_AFTER_HOURS),
    )


def window_start(now=None):
    """Arrivals older than one isolation period no longer wait for a confirmation."""
    return (now or timezone.now()) - timedelta(days=settings.SIPANTAU_ISOLATION_DAYS)


def unconfirmed(queryset, now=None):
    """Arrivals of `queryset` within the dispatch window that nobody has confirmed yet."""
    return queryset.filter(confirmation__isnull=True, arrived_at__gte=window_start(now))


def with_escalation(queryset, now=None):
    """Annotate `escalation` ('' / 'district' / 'regency') from the arrival time."""
    district, regency = cutoffs(now)
    return queryset.annotate(
        escalation=Case(
            When(arrived_at__lt=regency, then=Value(REGENCY)),
            When(arrived_at__lt=district, then=Value(DISTRICT)),
            default=Value(NONE),
            output_field=CharField(),
        )
    )


def inbox(user, now=None):
    """Unconfirmed arrivals waiting on `user`: all for the village team, escalated ones above it."""
    arrivals = unconfirmed(Arrival.objects.visible_to(user), now)
    district, regency = cutoffs(now)
    if access.sees_everything(user) or user.role in VILLAGE_TEAM:
        pass
    elif user.role == Role.DISTRICT:
        arrivals = arrivals.filter(arrived_at__lt=district)
    elif user.role in (Role.REGENCY, Role.PROVINCE):
        arrivals = arrivals.filter(arrived_at__lt=regency)
    else:
        arrivals = arrivals.none()
    return with_escalation(arrivals, now).select_related("person", "destination").order_by("arrived_at", "id")
