import json

from django import forms
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from .models import Region
from .offline import kind_labels, offline_regions


class RegionPicker(forms.TextInput):
    """A region picker that works on a phone: cascading lists or type-to-search.

    Without JavaScript it degrades to a text box for the region code.
    """

    template_name = "regions/region_picker.html"

    class Media:
        js = ["js/region-picker.js"]

    def __init__(
        self, *, root="", min_level=Region.Level.PROVINCE, max_level=Region.Level.HAMLET, offline=False, attrs=None
    ):
        super().__init__(attrs)
        # With `offline`, the page names the whole region file (regions/offline.py) for the picker to keep.
        self.offline = offline
        self.root = root
        self.min_level = min_level
        self.max_level = max_level

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        path = []
        if value:
            region = Region.objects.filter(code=str(value)).first()
            if region is not None:
                path = [{"code": r.code, "name": str(r)} for r in region.path() if len(r.code) > len(self.root)]
        context["picker"] = {
            "root": self.root,
            "min_level": int(self.min_level),
            "max_level": int(self.max_level),
            "path": json.dumps(path),
            "children_url": reverse_lazy("regions:children"),
            "search_url": reverse_lazy("regions:search"),
            # The whole region list, kept on the phone: the pickers work without a signal.
            "offline_url": f"{reverse('regions:offline')}?v={offline_regions()[0]}" if self.offline else "",
            "kinds": json.dumps(kind_labels()),
            "level_labels": json.dumps({int(level): str(level.label) for level in Region.Level}),
            "texts": json.dumps(
                {
                    "search": str(_("Cari nama wilayah")),
                    "placeholder": str(_("Ketik nama nagari, desa, kecamatan…")),
                    "choose": str(_("— pilih —")),
                    "chosen": str(_("Terpilih:")),
                    "none": str(_("Tidak ada wilayah dengan nama itu.")),
                }
            ),
        }
        return context

    def format_value(self, value):
        if isinstance(value, Region):
            return value.code
        return super().format_value(value)


class RegionField(forms.ModelChoiceField):
    """A region chosen by its code, limited to current regions within `root` at the given levels."""

    default_error_messages = {
        "invalid_choice": _("Wilayah tidak dikenal atau tidak berlaku lagi. Pilih dari daftar."),
    }

    def __init__(self, *, root="", min_level=Region.Level.PROVINCE, max_level=Region.Level.HAMLET, **kwargs):
        queryset = Region.objects.current().filter(level__gte=min_level, level__lte=max_level)
        if root:
            queryset = queryset.within(root)
        kwargs.setdefault("widget", RegionPicker(root=root, min_level=min_level, max_level=max_level))
        super().__init__(queryset=queryset, to_field_name="code", **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Region):
            return value.code
        if isinstance(value, int):
            return Region.objects.filter(pk=value).values_list("code", flat=True).first()
        return value


class HamletUploadForm(forms.Form):
    """A filled hamlet template (regions/hamlets.py)."""

    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
