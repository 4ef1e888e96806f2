from axes.models import AccessAttemptExpiration
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
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


@admin.register(StaticDevice, TOTPDevice)
class DeviceAdmin(admin.ModelAdmin):
    """Second-factor devices: listed and deletable, never shown or edited."""

    list_display = ["user", "name", "confirmed", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    # Shown through these methods, not the fields: the fields' help texts are django-otp's English.
    fields = ["holder", "device_name", "is_confirmed", "last_used"]
    readonly_fields = fields

    @admin.display(description=_("pengguna"))
    def holder(self, obj):
        return obj.user

    @admin.display(description=_("nama"))
    def device_name(self, obj):
        return obj.name

    @admin.display(description=_("terkonfirmasi"), boolean=True)
    def is_confirmed(self, obj):
        return obj.confirmed

    @admin.display(description=_("terakhir dipakai"))
    def last_used(self, obj):
        return obj.last_used_at

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# ------------------------------------------------------------------------------
# Indonesian names for what the admin shows of third-party apps
# ------------------------------------------------------------------------------
# django-otp names nothing (its names are bare English strings) and django-axes leaves a few
# English. Only _meta's and the fields' display names are set: migrations read the options as
# declared (ModelState takes Meta.original_attrs and each field's own _verbose_name), so those
# apps' migrations stay as shipped.
THIRD_PARTY_APPS = {
    "axes": _("Upaya masuk (django-axes)"),
    "otp_totp": _("Dua langkah: aplikasi autentikator"),
    "otp_static": _("Dua langkah: kode pemulihan"),
}
THIRD_PARTY_MODELS = {
    TOTPDevice: _("perangkat autentikator (TOTP)"),
    StaticDevice: _("set kode pemulihan"),
    StaticToken: _("kode pemulihan"),
    AccessAttemptExpiration: _("masa berlaku upaya akses"),
}
THIRD_PARTY_FIELDS = {
    "user": _("pengguna"),
    "name": _("nama"),
    "confirmed": _("terkonfirmasi"),
    "created_at": _("dibuat"),
    "last_used_at": _("terakhir dipakai"),
    "throttling_failure_timestamp": _("waktu gagal terakhir"),
    "throttling_failure_count": _("jumlah gagal"),
    "device": _("perangkat"),
    "token": _("kode"),
    "user_agent": _("peramban (user agent)"),
    "path_info": _("alamat halaman"),
    "session_hash": _("hash kunci sesi (sha256)"),
    "access_attempt": _("upaya akses"),
    "expires_at": _("berlaku sampai"),
}
for _label, _name in THIRD_PARTY_APPS.items():
    _config = apps.get_app_config(_label)
    _config.verbose_name = _name
    for _model in _config.get_models():
        if _model in THIRD_PARTY_MODELS:
            _model._meta.verbose_name = _model._meta.verbose_name_plural = THIRD_PARTY_MODELS[_model]
        for _field in _model._meta.get_fields():
            if _field.name in THIRD_PARTY_FIELDS and not _field.auto_created:
                _field.verbose_name = THIRD_PARTY_FIELDS[_field.name]

# Django stores its default permissions' names in English ("Can add …"): shown in the reader's
# language instead, from the action and the model's (translated) name.
PERMISSION_ACTIONS = {
    "add": _("Dapat menambah %(model)s"),
    "change": _("Dapat mengubah %(model)s"),
    "delete": _("Dapat menghapus %(model)s"),
    "view": _("Dapat melihat %(model)s"),
}


def permission_label(permission):
    """A permission as the admin lists it: app | model | what it allows, in the reader's language."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action, _sep, model_name = permission.codename.partition("_")
    name = permission.name
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        name = PERMISSION_ACTIONS[action] % {"model": model._meta.verbose_name}
    return f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name} | {name}"


class PermissionLabels:
    """Admin mixin: permission pickers label each permission with permission_label()."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionLabels, DjangoGroupAdmin):
    pass
