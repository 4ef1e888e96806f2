from django.contrib import admin

from .models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level", "retired"]
    list_filter = ["level", "kind", "retired"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # Shipped regions come from Kemendagri data; only hamlets are the admins' own.
        if obj is not None and obj.level != Region.Level.HAMLET:
            return ["code", "name", "level", "kind", "parent"]
        return []
