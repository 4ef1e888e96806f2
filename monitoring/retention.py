"""Retention (UU 27/2022): personal data goes when its purpose has ended; aggregate counts stay.

An arrival's purpose ends at the end of its isolation order (the day it was closed, if closed
early), or on the day of arrival when no
order was opened. SIPANTAU_RETENTION_DAYS later, purge_expired deletes the arrival with its
stops, corrections, confirmation, isolation order, checks and police reports, then every
traveller left without arrivals, once its day is counted in ArrivalTally (tallies.py). The
audit log and the login logs are trimmed to their own periods (SECURITY.md).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import local_midnight
from accounts.audit import audit_record
from accounts.models import AuditEvent
from followup.models import IsolationOrder, ViolationReport
from travellers.models import Arrival, ImportBatch, Person, PersonChange

from .tallies import tally_days

BATCH = 500


@dataclass
class PurgeResult:
    arrivals: int = 0
    removed: Counter = field(default_factory=Counter)
    tallied: int = 0


def retention_cutoff(*, today: date | None = None) -> date:
    """Arrivals whose purpose ended before this day are expired."""
    today = today or timezone.localdate()
    return today - timedelta(days=settings.SIPANTAU_RETENTION_DAYS)


def expired_arrivals(*, today: date | None = None):
    """Arrivals whose isolation (or, without one, arrival day) ended more than the retention period ago."""
    cutoff = retention_cutoff(today=today)
    # An order closed early ended its purpose the day it closed, not at its planned end.
    ends = Coalesce("isolation_orders__closed_on", "isolation_orders__end_date")
    arrivals = Arrival.objects.annotate(purpose_end=Max(ends))
    return arrivals.filter(
        Q(purpose_end__isnull=True, arrived_at__lt=local_midnight(cutoff)) | Q(purpose_end__lt=cutoff)
    ).order_by("arrived_at", "id")


def _delete(queryset, removed: Counter):
    _total, per_model = queryset.delete()
    removed.update({label: n for label, n in per_model.items() if n})


def _purge_batch(arrival_ids, removed: Counter) -> int:
    # Their days are counted in ArrivalTally first (each day once, all its arrivals): the counts stay.
    days = Arrival.objects.filter(pk__in=arrival_ids).values_list("arrived_at", flat=True)
    tally_days({timezone.localdate(at) for at in days})
    person_ids = set(Arrival.objects.filter(pk__in=arrival_ids).values_list("person_id", flat=True))
    # Reports and orders protect what they point to: delete from the leaves up.
    _delete(ViolationReport.objects.filter(order__arrival_id__in=arrival_ids), removed)
    _delete(IsolationOrder.objects.filter(arrival_id__in=arrival_ids), removed)
    # A change of the person's details that came with an expired arrival goes with it (the old name).
    _delete(PersonChange.objects.filter(arrival_id__in=arrival_ids), removed)
    _delete(Arrival.objects.filter(pk__in=arrival_ids), removed)
    _delete(Person.objects.filter(pk__in=person_ids, arrivals__isnull=True), removed)
    return len(arrival_ids)


def log_retention_cutoffs(*, now=None) -> dict:
    """When audit events, login logs and paper-backlog uploads expire (SECURITY.md's table)."""
    now = now or timezone.now()
    return {
        "audit": now - timedelta(days=settings.SIPANTAU_AUDIT_RETENTION_DAYS),
        "login_log": now - timedelta(days=settings.SIPANTAU_LOGIN_LOG_RETENTION_DAYS),
        "login_attempt": now - settings.AXES_COOLOFF_TIME,
        "upload": now - timedelta(days=settings.SIPANTAU_RETENTION_DAYS),
    }


def expired_logs(*, now=None) -> dict:
    """The querysets of expired audit events, login logs, login attempts and upload batches."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoffs = log_retention_cutoffs(now=now)
    return {
        "accounts.AuditEvent": AuditEvent.objects.filter(at__lt=cutoffs["audit"]),
        "axes.AccessLog": AccessLog.objects.filter(attempt_time__lt=cutoffs["login_log"]),
        "axes.AccessFailureLog": AccessFailureLog.objects.filter(attempt_time__lt=cutoffs["login_log"]),
        "axes.AccessAttempt": AccessAttempt.objects.filter(attempt_time__lt=cutoffs["login_attempt"]),
        "travellers.ImportBatch": ImportBatch.objects.filter(uploaded_at__lt=cutoffs["upload"]),
    }


def retention_purge(*, today: date | None = None, now=None) -> PurgeResult:
    """Tally and delete expired arrivals and their people, trim the logs, audit the counts."""
    result = PurgeResult()
    while True:
        with transaction.atomic():
            ids = list(expired_arrivals(today=today).values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            result.tallied += _purge_batch(ids, result.removed)
            result.arrivals += len(ids)
    with transaction.atomic():
        for _label, queryset in expired_logs(now=now).items():
            _delete(queryset, result.removed)
        detail = {
            "arrivals": result.arrivals,
            "tallied": result.tallied,
            "removed": dict(sorted(result.removed.items())),
            "retention_days": settings.SIPANTAU_RETENTION_DAYS,
        }
        audit_record(request=None, action=AuditEvent.Action.PURGE, object_type="retention", detail=detail)
    return result
