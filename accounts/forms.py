from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import SYSTEM_ROLES, jurisdiction_errors

# Choice fields the admin renders with its autocomplete widget, which crashes (500) while
# redisplaying a form whose submitted ids are not integers; such ids are dropped and reported.
ID_FIELDS = ("jurisdictions", "checkpoint")


def _is_id(value):
    return isinstance(value, str) and (value == "" or (value.isascii() and value.isdigit() and len(value) <= 18))


class JurisdictionValidationMixin:
    """Checks that role, jurisdictions and checkpoint fit together (design.md, Access)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.malformed_ids = []
        if self.is_bound and hasattr(self.data, "getlist"):
            data = self.data.copy()
            for name in ID_FIELDS:
                values = data.getlist(name)
                if name in self.fields and not all(_is_id(v) for v in values):
                    data.setlist(name, [v for v in values if _is_id(v)])
                    self.malformed_ids.append(name)
            self.data = data

    def clean(self):
        cleaned = super().clean()
        for name in self.malformed_ids:
            self.add_error(name, _("Pilihan tidak dikenal; pilih dari daftar."))
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

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.role in SYSTEM_ROLES:
            # Another system's account reads through the API with its token, even if given a password.
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login", params={"username": ""})


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app, or a recovery code, checked against `devices`."""

    token = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none", "autofocus": True}
        ),
    )

    def __init__(self, *args, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = devices
        self.device = None

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split()).replace("-", "").lower()
        for device in self.devices:
            # verify_token applies django-otp's throttling: repeated wrong codes slow down.
            if device.verify_token(token):
                self.device = device
                return token
        raise forms.ValidationError(_("Kode salah atau sudah kedaluwarsa. Periksa jam di ponsel, lalu coba lagi."))


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's password change, with the attributes password managers need."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": _("Kata sandi sekarang salah. Ketik lagi."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi sekarang")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["old_password"].widget.attrs.update({"autocomplete": "current-password", "autofocus": False})
