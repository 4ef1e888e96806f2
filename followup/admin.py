from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    ArrivalConfirmation,
    Check,
    DigestSubscription,
    ExemptionCategory,
    FlaggedRegion,
    IsolationEvent,
    IsolationOrder,
    ViolationReport,
    ViolationReportEvent,
)


@admin.register(ExemptionCategory)
class ExemptionCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "purpose", "active"]
    list_filter = ["active"]


@admin.register(FlaggedRegion)
class FlaggedRegionAdmin(admin.ModelAdmin):
    list_display = ["region", "date_from", "date_to", "note"]
    autocomplete_fields = ["region"]
    date_hierarchy = "date_from"


@admin.register(ArrivalConfirmation)
class ArrivalConfirmationAdmin(admin.ModelAdmin):
    list_display = ["arrival", "outcome", "confirmed_by", "confirmed_at"]
    list_filter = ["outcome"]
    list_select_related = ["arrival__person", "confirmed_by"]
    raw_id_fields = ["arrival", "confirmed_by"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class IsolationEventInline(admin.TabularInline):
    model = IsolationEvent
    extra = 0
    fields = ["kind", "note_text", "by", "at"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("alasan / catatan"))
    def note_text(self, event):
        return event.get_note()

    def has_add_permission(self, request, obj=None):
        return False


class CheckInline(admin.TabularInline):
    model = Check
    extra = 0
    fields = ["day", "at_home", "temperature", "symptoms", "note", "checked_by", "checked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IsolationOrder)
class IsolationOrderAdmin(admin.ModelAdmin):
    """Changes of period or state belong on the order's page (with a reason kept); the admin reads."""

    list_display = ["person", "destination_code", "start_date", "end_date", "state"]
    list_filter = ["state"]
    search_fields = ["=person__id_number", "person__name", "=destination_code"]
    list_select_related = ["person"]
    raw_id_fields = ["person", "arrival"]
    exclude = ["reason", "reason_code", "reason_params"]  # shown in words as "grounds"
    readonly_fields = [
        "person",
        "arrival",
        "destination_code",
        "grounds",
        "start_date",
        "days",
        "end_date",
        "state",
        "created_at",
    ]
    date_hierarchy = "start_date"
    inlines = [IsolationEventInline, CheckInline]
    show_full_result_count = False

    # Orders are opened by the rule and changed on their page, where every change keeps a reason.
    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.display(description=_("dasar isolasi"))
    def grounds(self, order):
        return order.get_reason()


class ViolationReportEventInline(admin.TabularInline):
    model = ViolationReportEvent
    extra = 0
    readonly_fields = ["state", "note", "by", "at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ViolationReport)
class ViolationReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "destination_code", "recipient", "state", "raised_at"]
    list_filter = ["state", "recipient"]
    list_select_related = ["order__person"]
    readonly_fields = [
        "order",
        "failed_check",
        "destination_code",
        "recipient",
        "state",
        "description",
        "action_taken",
        "raised_by",
        "raised_at",
    ]
    inlines = [ViolationReportEventInline]
    show_full_result_count = False

    # Reports are raised and moved on their pages, where each step is kept with who and when.
    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "active", "last_sent_on"]
    list_filter = ["active"]
    raw_id_fields = ["user"]
