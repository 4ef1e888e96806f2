from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import jurisdiction_errors


class JurisdictionValidationMixin:
    """Checks that role, jurisdictions and checkpoint fit together (design.md, Access)."""

    def clean(self):
        cleaned = super().clean()
        if "role" in cleaned:
            errors = jurisdiction_errors(
                role=cleaned.get("role"),
                regions=list(cleaned.get("jurisdictions") or []),
                checkpoint=cleaned.get("checkpoint"),
                province_code=settings.SIPANTAU_PROVINCE,
            )
            for field, message in errors:
                self.add_error(field if field in self.fields else None, message)
        return cleaned


class UserAdminChangeForm(JurisdictionValidationMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class UserAdminCreationForm(JurisdictionValidationMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name", "email", "phone", "role", "checkpoint", "jurisdictions"]


class LoginForm(AuthenticationForm):
    """The login form, with plain words and the attributes phones need to fill it well."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false", "autocomplete": "username"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
