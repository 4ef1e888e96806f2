from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .forms import ApiClientCreationForm
from .models import ApiClient, ApiToken


class ApiTokenInline(admin.TabularInline):
    """The client's tokens, read-only here: new ones come from "Tambah token API" (shown once)."""

    model = ApiToken
    extra = 0
    can_delete = False
    fields = ["prefix", "label", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "role", "reach", "operator", "created_at"]
    search_fields = ["name", "user__username", "operator"]
    list_select_related = ["user"]
    inlines = [ApiTokenInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiClientCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "operator", "username", "role", "region_codes"]
        return ["name", "operator", "account", "role", "reach", "new_token"]

    def get_readonly_fields(self, request, obj=None):
        return ["account", "role", "reach", "new_token"] if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("akun sistem"))
    def account(self, obj):
        url = reverse("admin:accounts_user_change", args=[obj.user_id])
        return format_html(
            '<a href="{}">{}</a> — {}', url, obj.user.username, _("ubah wilayah tugas atau nonaktifkan di sini")
        )

    @admin.display(description=_("peran"))
    def role(self, obj):
        return obj.user.get_role_display()

    @admin.display(description=_("jangkauan"))
    def reach(self, obj):
        return obj.user.reach_display(detailed=False)

    @admin.display(description=_("token baru"))
    def new_token(self, obj):
        url = reverse("admin:exchange_apitoken_add") + f"?client={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Buat token untuk klien ini"))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made here and shown once; afterwards only their start, use and state are visible."""

    list_display = ["client", "label", "prefix", "created_at", "expires_at", "last_used_at", "state"]
    list_filter = ["client"]
    search_fields = ["client__name", "label", "prefix"]
    list_select_related = ["client"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["client", "label", "expires_at"]
        return ["client", "label", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "state"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["client", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "state"]

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the token's use stays on record

    @admin.display(description=_("status"))
    def state(self, obj):
        return {"active": _("Berlaku"), "revoked": _("Dicabut"), "expired": _("Kedaluwarsa")}[obj.status()]

    def save_model(self, request, obj, form, change):
        if not change:
            obj._issued = obj.issue()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """Show the new token once, on this answer only (never stored, never in a message cookie)."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "secret": obj._issued,
            "title": _("Token API dibuat"),
        }
        return TemplateResponse(request, "exchange/token_created.html", context)

    @admin.action(description=_("Cabut token terpilih"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("%(count)d token dicabut.") % {"count": count}, messages.SUCCESS)
