from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sipantau.stored_text import in_reader_language

from .models import Arrival, ArrivalChange, ImportBatch, Person, TravelStop


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
        lines = (
            (capfirst(i["label"]), in_reader_language(i["old"]), in_reader_language(i["new"])) for i in change.lines()
        )
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
        return qs if request.user.is_superuser else qs.none()
