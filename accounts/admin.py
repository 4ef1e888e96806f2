from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import UserAdminChangeForm, UserAdminCreationForm
from .models import AuditEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    list_display = ["username", "full_name", "role", "reach_short", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "checkpoint"]
    search_fields = ["username", "first_name", "last_name", "email", "jurisdictions__name"]
    autocomplete_fields = ["jurisdictions", "checkpoint"]
    readonly_fields = ["reach", "last_login", "date_joined"]
    list_select_related = ["checkpoint"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Identitas"), {"fields": ["first_name", "last_name", "email", "phone"]}),
        (
            _("Peran dan jangkauan"),
            {
                "fields": ["role", "checkpoint", "jurisdictions", "reach"],
                "description": _(
                    "Peran menentukan apa yang boleh dilakukan; wilayah tugas menentukan data mana yang "
                    "terlihat. Petugas posko diberi posko, bukan wilayah."
                ),
            },
        ),
        (_("Status"), {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Identitas"), {"fields": ["first_name", "last_name", "email", "phone"]}),
        (_("Peran dan jangkauan"), {"fields": ["role", "checkpoint", "jurisdictions"]}),
    ]

    actions = ["deactivate"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("jurisdictions")

    def get_deleted_objects(self, objs, request):
        """An account that wrote records (entries, checks, reports…) is protected: say to deactivate it."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            messages.warning(
                request,
                _(
                    "Akun yang pernah mencatat data (kedatangan, pemantauan, laporan, perubahan) tidak dapat "
                    "dihapus: catatan itu harus tetap menunjukkan siapa penulisnya. Nonaktifkan akun ini "
                    "(hapus centang “Aktif” atau pakai tindakan “Nonaktifkan akun terpilih”): "
                    "ia tidak bisa masuk lagi dan sesinya berakhir."
                ),
            )
            # An officer may have written thousands of entries: list a few, not every one.
            protected = [*protected[:10], "…"] if len(protected) > 10 else protected
        return deleted, counts, perms_needed, protected

    @admin.action(description=_("Nonaktifkan akun terpilih"), permissions=["change"])
    def deactivate(self, request, queryset):
        """Deactivate rather than delete: the account can no longer sign in, its records keep their author."""
        count = 0
        for user in queryset.filter(is_active=True):
            user.is_active = False
            user.save(update_fields=["is_active"])
            count += 1
        self.message_user(request, _("%(count)d akun dinonaktifkan.") % {"count": count}, messages.SUCCESS)

    @admin.display(description=_("nama"))
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("jangkauan"))
    def reach_short(self, obj):
        return obj.reach_display(detailed=False)

    @admin.display(description=_("jangkauan"))
    def reach(self, obj):
        return obj.reach_display() if obj.pk else "—"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is evidence, so nobody edits or deletes it here."""

    list_display = ["at", "username", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# django-otp's own admin pages show a device's secret (QR code, recovery codes) to any admin
# and answer 500 for an unknown device id. Here admins only see devices and delete them (a
# lost phone); the holder enrols again at their next login.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class DeviceAdmin(admin.ModelAdmin):
    """Second-factor devices: listed and deletable, never shown or edited."""

    list_display = ["user", "name", "confirmed", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(TOTPDevice, DeviceAdmin)
admin.site.register(StaticDevice, DeviceAdmin)
