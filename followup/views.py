"""Follow-up pages: the village team's inbox, isolation orders and checks, police reports."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.audit import audit_record
from accounts.models import AuditEvent
from accounts.roles import Role

from . import dispatch, services
from .forms import (
    AcknowledgeForm,
    CheckForm,
    CloseReportForm,
    ConfirmForm,
    DigestForm,
    PeriodForm,
    ReasonForm,
    ReportForm,
)
from .models import ArrivalConfirmation, Check, DigestSubscription, IsolationOrder, ViolationReport
from .summary import followup_summary

view_required = permission_required("accounts.view_arrivals", raise_exception=True)


def may_manage_orders(user):
    """Who may change an order's period, close or reopen it: the wali nagari and those above."""
    return user.has_perm("accounts.manage_isolation")


def _audit_list(request, page, person_ids):
    """A work list with names and home addresses (for the visit) is a read of each person on it."""
    if person_ids:
        audit_record(
            request=request,
            action=AuditEvent.Action.VIEW,
            object_type="list",
            object_id=page,
            detail={"page": page, "rows": len(person_ids)},
            people=person_ids,
        )


def _next_or(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


# ------------------------------------------------------------------------------
# Dispatch
# ------------------------------------------------------------------------------
@view_required
def dispatch_inbox(request):
    """Arrivals waiting for someone to confirm the traveller is at the address."""
    arrivals = dispatch.inbox(request.user)
    user = request.user
    escalated_only = not access.sees_everything(user) and user.role not in dispatch.VILLAGE_TEAM
    shown = list(arrivals[:200])
    _audit_list(request, "dispatch_inbox", [a.person_id for a in shown])
    context = {
        "arrivals": shown,
        "total": arrivals.count(),
        "escalated_only": escalated_only,
        "hours": settings.SIPANTAU_CONFIRM_WITHIN_HOURS
        if user.role == Role.DISTRICT
        else settings.SIPANTAU_ESCALATE_REGENCY_AFTER_HOURS,
        "list_url": reverse("monitoring:arrival_list"),
    }
    return render(request, "followup/arrival_inbox.html", context)


@view_required
def arrival_confirm(request, pk):
    """Confirm one arrival of the inbox: found at the address, or not found with a note."""
    arrival = get_object_or_404(dispatch.inbox(request.user), pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.arrival_confirm(arrival=arrival, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Konfirmasi untuk %(name)s tersimpan.") % {"name": arrival.person.name})
                return redirect("followup:dispatch_inbox")
        status = 400
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        obj=arrival,
        detail={"page": "arrival_confirm"},
        people=[arrival.person_id],
    )
    return render(request, "followup/arrivalconfirmation_form.html", {"arrival": arrival, "form": form}, status=status)


# ------------------------------------------------------------------------------
# Isolation orders and checks
# ------------------------------------------------------------------------------
# The isolation list's ?status=: an order's Status, or the running ones not checked today / overdue.
DUE, OVERDUE = "belum-dipantau", "terlambat"
LIST_FILTERS = [
    IsolationOrder.Status.ACTIVE,
    DUE,
    OVERDUE,
    IsolationOrder.Status.COMPLETED,
    IsolationOrder.Status.CLOSED,
]


@view_required
def isolation_list(request):
    """Isolation orders in the user's area, filtered by state."""
    shown = request.GET.get("status", IsolationOrder.Status.ACTIVE)
    if shown not in LIST_FILTERS:
        shown = IsolationOrder.Status.ACTIVE
    today = timezone.localdate()
    orders = IsolationOrder.objects.visible_to(request.user).with_status(today)
    if shown == DUE:
        orders = orders.due(today)
    elif shown == OVERDUE:
        orders = orders.overdue(today)
    elif shown == IsolationOrder.Status.ACTIVE:
        orders = orders.running(today)
    else:
        orders = orders.filter(status=shown)
    orders = orders.with_check_state(today).select_related("person", "arrival__destination").order_by("end_date", "id")
    return render(
        request,
        "followup/isolationorder_list.html",
        {"orders": orders[:200], "total": orders.count(), "shown": shown, "statuses": IsolationOrder.Status},
    )


@permission_required("accounts.record_checks", raise_exception=True)
def checks_due(request):
    """Today's visits: running orders in the area with no check yet today, overdue ones first."""
    today = timezone.localdate()
    orders = (
        IsolationOrder.objects.visible_to(request.user)
        .due(today)
        .with_check_state(today)
        .select_related("person", "arrival__destination")
        .order_by("last_check_day", "start_date", "id")
    )
    rows = list(orders[:200])
    _audit_list(request, "checks_due", [order.person_id for order in rows])
    return render(request, "followup/isolationorder_due.html", {"orders": rows, "today": today, "form": CheckForm()})


def _detail_context(request, order, **forms):
    # The page shows the traveller's name, phone and address: every rendering is audited.
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        obj=order,
        detail={"page": "isolation_detail"},
        people=[order.person_id],
    )
    checks = order.checks.select_related("checked_by", "report").order_by("checked_at", "id")
    events = order.events.select_related("by")
    timeline = sorted(
        [("event", e.at, e) for e in events] + [("check", c.checked_at, c) for c in checks], key=lambda row: row[1]
    )
    user = request.user
    context = {
        "order": order,
        "timeline": timeline,
        "can_check": user.has_perm("accounts.record_checks") and order.status_on() == IsolationOrder.Status.ACTIVE,
        "can_manage": may_manage_orders(user),
        "can_report": user.has_perm("accounts.raise_reports"),
        "check_form": CheckForm(),
        "period_form": PeriodForm(initial={"days": order.days}),
        "close_form": ReasonForm(prefix="close"),
        "reopen_form": ReasonForm(prefix="reopen"),
        "reports": order.reports.all(),
        "confirmation": ArrivalConfirmation.objects.filter(arrival_id=order.arrival_id)
        .select_related("confirmed_by")
        .first(),
    }
    context.update(forms)
    return context


def _visible_order(request, pk):
    return get_object_or_404(
        IsolationOrder.objects.visible_to(request.user).with_status().select_related("person", "arrival__destination"),
        pk=pk,
    )


@view_required
def isolation_detail(request, pk):
    """One order: its dates, state, every check and change in time order, and what may be done."""
    order = _visible_order(request, pk)
    return render(request, "followup/isolationorder_detail.html", _detail_context(request, order))


@require_POST
@permission_required("accounts.record_checks", raise_exception=True)
def check_create(request, pk):
    """Record today's visit (one tap: at home or not; details optional)."""
    order = _visible_order(request, pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            check = services.isolation_check_record(order=order, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if check.at_home:
                messages.success(request, _("%(name)s: di rumah, tercatat.") % {"name": order.person.name})
            else:
                messages.warning(
                    request, _("%(name)s tidak di rumah, tercatat. Laporkan bila perlu.") % {"name": order.person.name}
                )
                return redirect(order)
            return redirect(_next_or(request, order.get_absolute_url()))
    context = _detail_context(request, order, check_form=form)
    return render(request, "followup/isolationorder_detail.html", context, status=400)


def _order_change(request, pk, form_class, prefix, context_name, action):
    if not may_manage_orders(request.user):
        raise PermissionDenied
    order = _visible_order(request, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            action(order, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Perubahan isolasi tersimpan."))
            return redirect(order)
    order.refresh_from_db()
    return render(
        request,
        "followup/isolationorder_detail.html",
        _detail_context(request, order, **{context_name: form}),
        status=400,
    )


@require_POST
@view_required
def isolation_period(request, pk):
    """Change how many days the order runs, with a reason."""
    return _order_change(
        request,
        pk,
        PeriodForm,
        None,
        "period_form",
        lambda order, data: services.isolation_period_change(order=order, user=request.user, **data),
    )


@require_POST
@view_required
def isolation_close(request, pk):
    """Close the order early, with a reason."""
    return _order_change(
        request,
        pk,
        ReasonForm,
        "close",
        "close_form",
        lambda order, data: services.isolation_close(order=order, user=request.user, **data),
    )


@require_POST
@view_required
def isolation_reopen(request, pk):
    """Reopen an order closed by mistake, with a reason."""
    return _order_change(
        request,
        pk,
        ReasonForm,
        "reopen",
        "reopen_form",
        lambda order, data: services.isolation_reopen(order=order, user=request.user, **data),
    )


# ------------------------------------------------------------------------------
# Non-compliance reports
# ------------------------------------------------------------------------------
@permission_required("accounts.raise_reports", raise_exception=True)
def report_create(request, check_pk):
    """Raise a report to the police from a failed check."""
    check = get_object_or_404(
        Check.objects.visible_to(request.user).select_related("order__person"), pk=check_pk, at_home=False
    )
    if ViolationReport.objects.filter(failed_check=check).exists():
        return redirect(check.report)
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.violation_report_raise(failed_check=check, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Laporan %(number)s terkirim.") % {"number": report.number})
                return redirect(report)
        status = 400
    recipient = services.report_recipient(destination_code=check.order.destination_code)
    context = {"check": check, "order": check.order, "form": form, "recipient": ViolationReport.Recipient(recipient)}
    return render(request, "followup/violationreport_form.html", context, status=status)


@view_required
def report_list(request):
    """Reports in the area; the ones waiting on this user first."""
    reports = ViolationReport.objects.visible_to(request.user).select_related("order__person")
    mine = set(ViolationReport.objects.handled_by(request.user).open().values_list("pk", flat=True))
    shown = request.GET.get("status", "terbuka")
    if shown == "terbuka":
        reports = reports.open()
    rows = list(reports[:200])
    for report in rows:
        report.waiting_on_me = report.pk in mine
    return render(request, "followup/violationreport_list.html", {"reports": rows, "shown": shown})


def _visible_report(request, pk):
    return get_object_or_404(
        ViolationReport.objects.visible_to(request.user).select_related(
            "order__person", "order__arrival__destination", "failed_check__checked_by", "raised_by"
        ),
        pk=pk,
    )


def _report_context(request, report, **forms):
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        obj=report,
        detail={"page": "report_detail"},
        people=[report.order.person_id],
    )
    can_handle = ViolationReport.objects.handled_by(request.user).filter(pk=report.pk).exists()
    context = {
        "report": report,
        "events": report.events.select_related("by"),
        "can_handle": can_handle,
        "ack_form": AcknowledgeForm(),
        "close_form": CloseReportForm(),
    }
    context.update(forms)
    return context


@view_required
def report_detail(request, pk):
    """One report, its history, and the police's actions."""
    report = _visible_report(request, pk)
    return render(request, "followup/violationreport_detail.html", _report_context(request, report))


def _report_change(request, pk, form_class, context_name, action):
    report = _visible_report(request, pk)
    if not ViolationReport.objects.handled_by(request.user).filter(pk=report.pk).exists():
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(report, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Laporan diperbarui."))
            return redirect(report)
    context = _report_context(request, report, **{context_name: form})
    return render(request, "followup/violationreport_detail.html", context, status=400)


@require_POST
@view_required
def report_acknowledge(request, pk):
    """The police take the report in hand."""
    return _report_change(
        request,
        pk,
        AcknowledgeForm,
        "ack_form",
        lambda report, data: services.violation_report_acknowledge(report=report, user=request.user, **data),
    )


@require_POST
@view_required
def report_close(request, pk):
    """The police record the action taken and close the report."""
    return _report_change(
        request,
        pk,
        CloseReportForm,
        "close_form",
        lambda report, data: services.violation_report_close(report=report, user=request.user, **data),
    )


@view_required
def report_letter(request, pk):
    """The report as a letter to the Polsek, styled for printing; shows the full NIK, so audited."""
    report = _visible_report(request, pk)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        obj=report,
        detail={"page": "report_letter"},
        people=[report.order.person_id],
    )
    return render(
        request,
        "followup/violationreport_letter.html",
        {"report": report, "events": report.events.select_related("by")},
    )


# ------------------------------------------------------------------------------
# Summary and digest
# ------------------------------------------------------------------------------
@view_required
def followup_overview(request):
    """The follow-up figures of the user's area, per sub-area."""
    return render(request, "followup/followup_overview.html", {"followup": followup_summary(request.user)})


@view_required
def digest_settings(request):
    """Opt in or out of the daily digest e-mail."""
    subscription = DigestSubscription.objects.filter(user=request.user).first()
    initial = {"active": bool(subscription and subscription.active)}
    form = DigestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        DigestSubscription.objects.update_or_create(user=request.user, defaults={"active": form.cleaned_data["active"]})
        messages.success(request, _("Pilihan ringkasan harian tersimpan."))
        return redirect("followup:digest_settings")
    return render(request, "followup/digestsubscription_form.html", {"form": form})
