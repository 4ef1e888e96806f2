from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.audit import audit_record
from accounts.models import AuditEvent

from .models import Arrival, ArrivalChange, ImportBatch, Person, TravelStop
from .subject_access import person_data_json


@admin.action(description=_("Ekspor semua data orang ini (permintaan subjek data)"), permissions=["view"])
def export_subject_data(modeladmin, request, queryset):
    """A JSON file of everything stored about the selected people; each one audited."""
    people = list(queryset.order_by("pk"))
    for person in people:
        audit_record(
            request=request,
            action=AuditEvent.Action.EXPORT,
            obj=person,
            detail={"subject_request": True},
            people=[person.pk],
        )
    response = HttpResponse(person_data_json(people=people), content_type="application/json; charset=utf-8")
    filename = f"data-subjek_{timezone.localdate():%Y-%m-%d}_{len(people)}-orang.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class TravelStopInline(admin.TabularInline):
    model = TravelStop
    extra = 0
    autocomplete_fields = ["region"]


class ArrivalChangeInline(admin.TabularInline):
    """Corrections by the officer, read-only: the history is evidence, not a draft."""

    model = ArrivalChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "change_lines"]
    readonly_fields = fields

    @admin.display(description=_("perubahan"))
    def change_lines(self, change):
        lines = ((capfirst(i["label"]), i["old"], i["new"]) for i in change.lines())
        return format_html_join("", "<div>{}: {} → {}</div>", lines)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_id", "id_type", "sex", "nationality"]
    search_fields = ["=id_number", "name"]
    list_filter = ["id_type", "sex"]
    autocomplete_fields = ["home_region"]
    show_full_result_count = False
    actions = [export_subject_data]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Arrival)
class ArrivalAdmin(admin.ModelAdmin):
    list_display = ["arrived_at", "person", "checkpoint", "destination_code", "isolation_required"]
    list_filter = ["checkpoint", "isolation_required", "purpose", "transport"]
    search_fields = ["=person__id_number", "person__name", "=destination_code"]
    autocomplete_fields = ["person", "origin", "destination"]
    readonly_fields = ["entry_key", "destination_code", "officer", "created_at", "updated_at"]
    list_select_related = ["person", "checkpoint"]
    date_hierarchy = "arrived_at"
    inlines = [TravelStopInline, ArrivalChangeInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "officer", "checkpoint", "uploaded_at", "processed", "stored", "duplicates", "failed"]
    list_filter = ["checkpoint"]
    readonly_fields = ["officer", "checkpoint", "file_name", "uploaded_at", "processed", "stored", "duplicates"]
    readonly_fields += ["failed", "report"]
    exclude = ["rows"]  # personal data waiting to be processed; the report says what became of it

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if access.sees_everything(request.user) else qs.none()
