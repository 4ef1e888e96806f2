"""The nightly purge of practice records (manage.py purge_practice; accounts/practice.py has the mode).

Every practice record hangs from a practice arrival (its confirmation, its isolation order with the
order's checks, history and police reports), except the people, the audit events and the paper
uploads. The purge deletes practice arrivals entered before the cutoff (today's midnight, WIB)
with everything hanging from them, even a check recorded today on yesterday's practice traveller;
then practice people left without arrivals, and practice audit events and uploads from before the
cutoff. Today's practice stays, so a session that runs past midnight keeps what it entered that day.
Real rows are never touched: the deletes run in practice mode, where the managers see practice only.
"""

from collections import Counter

from django.db import transaction
from django.utils import timezone

from accounts import practice
from accounts.access import local_midnight
from accounts.audit import audit_record
from accounts.models import AuditEvent
from travellers.models import Arrival, ImportBatch, Person

from .models import IsolationOrder, ViolationReport


def purge_practice(*, day=None, everything=False) -> Counter:
    """Delete practice records made before `day` (today), or all of them; the rows deleted, per model."""
    cutoff = local_midnight(day or timezone.localdate())
    removed = Counter()

    with transaction.atomic(), practice.mode(True):
        arrivals = Arrival.objects.all() if everything else Arrival.objects.filter(created_at__lt=cutoff)
        orders = IsolationOrder.objects.filter(arrival__in=arrivals)
        # Reports first (they protect their order and check), then orders with their checks and history,
        # then arrivals with their confirmation, travel stops and corrections.
        removed.update(ViolationReport.objects.filter(order__in=orders).delete()[1])
        removed.update(orders.delete()[1])
        removed.update(arrivals.delete()[1])
        people = Person.objects.filter(arrivals__isnull=True)
        removed.update((people if everything else people.filter(created_at__lt=cutoff)).delete()[1])
        events = AuditEvent.objects.all() if everything else AuditEvent.objects.filter(at__lt=cutoff)
        removed.update(events.delete()[1])
        uploads = ImportBatch.objects.all() if everything else ImportBatch.objects.filter(uploaded_at__lt=cutoff)
        removed.update(uploads.delete()[1])
    removed = Counter({label: n for label, n in removed.items() if n})
    if removed:
        audit_record(
            request=None,
            action=AuditEvent.Action.PURGE,
            object_type="practice",
            detail={"practice": True, "before": None if everything else cutoff.date().isoformat(), **removed},
        )
    return removed
