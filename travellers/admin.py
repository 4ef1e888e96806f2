from django.contrib import admin

from .models import Arrival, Person, TravelStop


class TravelStopInline(admin.TabularInline):
    model = TravelStop
    extra = 0
    autocomplete_fields = ["region"]


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
    inlines = [TravelStopInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
