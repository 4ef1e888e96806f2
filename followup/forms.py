"""Forms of the follow-up pages: small, one purpose each, messages in Indonesian."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ArrivalConfirmation
from .services import MAX_ISOLATION_DAYS

SYMPTOMS = [
    ("demam", _("Demam")),
    ("batuk", _("Batuk")),
    ("sesak", _("Sesak napas")),
    ("tenggorokan", _("Sakit tenggorokan")),
    ("penciuman", _("Hilang penciuman / perasa")),
    ("lemas", _("Lemas / nyeri otot")),
]


class CleanTextMixin:
    """Refuse NUL bytes in any text field: they break PostgreSQL and mean a broken client."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("Teks berisi karakter yang tidak sah."))
        return cleaned


class ConfirmForm(CleanTextMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hasil kunjungan"), choices=ArrivalConfirmation.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Catatan"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila tidak ditemukan: apa kata keluarga/tetangga?"),
    )


class CheckForm(CleanTextMixin, forms.Form):
    at_home = forms.TypedChoiceField(
        label=_("Berada di rumah?"),
        choices=[("1", _("Ya, di rumah")), ("0", _("Tidak di rumah"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    temperature = forms.DecimalField(
        label=_("Suhu tubuh (°C)"),
        required=False,
        min_value=Decimal("34.0"),
        max_value=Decimal("43.0"),
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        error_messages={
            "min_value": _("Suhu harus antara 34,0 dan 43,0 °C."),
            "max_value": _("Suhu harus antara 34,0 dan 43,0 °C."),
            "invalid": _("Tulis suhu sebagai angka, misalnya 36.8."),
        },
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Gejala"), choices=SYMPTOMS, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)


class ReasonForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300)


class PeriodForm(ReasonForm):
    days = forms.IntegerField(
        label=_("Lama isolasi (hari)"),
        min_value=1,
        max_value=MAX_ISOLATION_DAYS,
        error_messages={
            "min_value": _("Lama isolasi paling sedikit 1 hari."),
            "max_value": _("Lama isolasi paling lama %(limit_value)s hari."),
        },
    )
    field_order = ["days", "reason"]


class ReportForm(CleanTextMixin, forms.Form):
    description = forms.CharField(
        label=_("Uraian pelanggaran"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa yang terjadi, kapan, dan siapa yang menyaksikan."),
    )


class AcknowledgeForm(CleanTextMixin, forms.Form):
    note = forms.CharField(label=_("Catatan (boleh kosong)"), max_length=2000, required=False)


class CloseReportForm(CleanTextMixin, forms.Form):
    action_taken = forms.CharField(
        label=_("Tindakan yang diambil"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DigestForm(forms.Form):
    active = forms.BooleanField(label=_("Kirimi saya ringkasan harian lewat e-mail"), required=False)
