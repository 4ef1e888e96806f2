from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Checkpoint


@admin.register(Checkpoint)
class CheckpointAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "regency", "borders", "active", "officer_count"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["regency", "borders"]
    prepopulated_fields = {"code": ["name"]}
    list_select_related = ["regency", "borders"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(officer_total=Count("officers"))

    @admin.display(description=_("petugas"), ordering="officer_total")
    def officer_count(self, obj):
        return obj.officer_total
