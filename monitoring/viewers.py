"""The "who viewed this person" panel: every opened page, look-up and export that showed them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditEvent, AuditEventPerson

from .filters import ArrivalFilterForm

SHOWN = [AuditEvent.Action.VIEW, AuditEvent.Action.EXPORT, AuditEvent.Action.SEARCH]

PAGES = {
    "travellers.arrival": gettext_lazy("Halaman kedatangan"),
    "followup.isolationorder": gettext_lazy("Halaman perintah isolasi"),
    "followup.violationreport": gettext_lazy("Halaman laporan pelanggaran"),
    # Events logged before the follow-up left monitoring keep the label they were written with.
    "monitoring.isolationorder": gettext_lazy("Halaman perintah isolasi"),
    "monitoring.violationreport": gettext_lazy("Halaman laporan pelanggaran"),
    "travellers.person": gettext_lazy("Pencarian NIK di posko"),
}


def who_viewed(person_id, arrival_ids=(), limit=50):
    """The newest events that showed `person_id`'s data, each with `what` to say on the panel.

    Events index the people they showed (accounts.AuditEventPerson); arrival pages opened before
    that index existed are found by their arrival's id.
    """
    # Two indexed reads in one UNION (an OR across the join would scan the whole log).
    indexed = AuditEvent.objects.filter(
        pk__in=AuditEventPerson.objects.filter(person_id=person_id).values("event_id"), action__in=SHOWN
    )
    legacy = AuditEvent.objects.filter(
        object_type="travellers.arrival", object_id__in=[str(pk) for pk in arrival_ids], action__in=SHOWN
    )
    events = list(indexed.order_by().union(legacy.order_by()).order_by("-at", "-id")[:limit])
    for event in events:
        event.what = describe(event)
    return events


def describe(event):
    """What the event showed, in words: the page, or the export's format, size and filters."""
    detail = event.detail or {}
    if event.action == AuditEvent.Action.EXPORT:
        if detail.get("subject_request"):
            return _("Ekspor data subjek (admin)")
        filters = detail.get("filters") or {}
        fields = ArrivalFilterForm.base_fields
        shown = "; ".join(
            f"{fields[key].label if key in fields else key}: {value}"
            for key, value in filters.items()
            if value not in ("", None, [])
        )
        text = _("Ekspor %(format)s, %(rows)s baris") % {
            "format": str(detail.get("format", "")).upper(),
            "rows": detail.get("rows", "?"),
        }
        return f"{text} — {shown}" if shown else f"{text} — {_('tanpa filter')}"
    if detail.get("page") == "report_letter":
        return _("Surat laporan ke Polsek")
    if detail.get("page") == "arrival_confirm":
        return _("Konfirmasi kedatangan")
    if detail.get("page") == "dispatch_inbox":
        return _("Daftar kotak masuk (alamat)")
    if detail.get("page") == "checks_due":
        return _("Daftar pemantauan hari ini (alamat)")
    return str(PAGES.get(event.object_type, event.object_type or "—"))
