from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role, jurisdiction_errors
from regions.models import Region

from .models import ApiClient

SYSTEM_ROLES = [(Role.SYSTEM.value, Role.SYSTEM.label), (Role.SYSTEM_NIK.value, Role.SYSTEM_NIK.label)]


class ApiClientCreationForm(forms.ModelForm):
    """A new API client and its system account (no password: it reads with tokens only)."""

    username = forms.CharField(
        label=_("Nama akun sistem"), max_length=150, help_text=_("Mis. dinkes-padang-api; tidak dipakai untuk masuk.")
    )
    role = forms.ChoiceField(
        label=_("Peran"),
        choices=SYSTEM_ROLES,
        help_text=_("Hanya sistem yang memerlukan NIK utuh (mis. platform kesehatan nasional) diberi peran NIK utuh."),
    )
    region_codes = forms.CharField(
        label=_("Wilayah tugas (kode Kemendagri)"),
        max_length=500,
        help_text=_("Satu kode atau lebih, dipisah koma, mis. 13 (provinsi) atau 13.71, 13.06."),
    )

    class Meta:
        model = ApiClient
        fields = ["name", "operator"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama akun ini sudah dipakai."))
        return username

    def clean_region_codes(self):
        codes = [c.strip() for c in self.cleaned_data["region_codes"].split(",") if c.strip()]
        regions = list(Region.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {r.code for r in regions})
        if unknown:
            raise forms.ValidationError(_("Kode wilayah tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)})
        return regions

    def clean(self):
        cleaned = super().clean()
        if "role" in cleaned and "region_codes" in cleaned:
            for _field, message in jurisdiction_errors(
                role=cleaned["role"],
                regions=cleaned["region_codes"],
                checkpoint=None,
                province_code=settings.SIPANTAU_PROVINCE,
            ):
                self.add_error("region_codes", message)
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        user = User(username=self.cleaned_data["username"], role=self.cleaned_data["role"])
        user.set_unusable_password()
        user.save()
        user.jurisdictions.set(self.cleaned_data["region_codes"])
        self.instance.user = user
        return super().save(commit=commit)
