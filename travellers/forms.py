"""The entry forms: one traveller, the trip a vehicle shares, the places visited before arriving.

The HTML form, the JSON API and the paper-backlog import all validate through these forms, so a
traveller is held to the same rules whichever door they come in by.
"""

import re
import unicodedata
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.forms import RegionField
from regions.models import Region, is_within

from .models import Arrival, Person, same_name
from .nik import nik_mismatches, nik_region_codes, normalise_country, normalise_passport, normalise_phone, parse_nik

MAX_GROUP = 12  # people entered in one submission (a minibus)
MAX_STOPS = 10  # places in the 14 days before arrival
HISTORY_DAYS = 14
# A queued offline entry or a paper backlog may be late; an entry from the future may not.
ARRIVED_AT_MAX_AGE = timedelta(days=31)
ARRIVED_AT_MAX_AHEAD = timedelta(minutes=10)

# C0/C1 control characters (NUL included), bidirectional overrides and zero-width marks:
# nothing a person means to type into a name or an address.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_PLATE = re.compile(r"^([A-Z]{1,3}) ?(\d{1,4}) ?([A-Z]{0,3})$")


def check_text(value: str) -> str:
    """`value` with spaces collapsed, or ValidationError for control characters or HTML."""
    value = unicodedata.normalize("NFC", value)
    if _CONTROL.search(value):
        raise ValidationError(_("Isian berisi karakter kendali yang tidak diizinkan."), code="control")
    if "<" in value or ">" in value:
        raise ValidationError(_("Isian tidak boleh berisi tanda < atau >."), code="html")
    return " ".join(value.split())


class TextField(forms.CharField):
    """One line of text a person typed: normalised, no control characters, no markup."""

    def to_python(self, value):
        value = super().to_python(value)
        return check_text(value) if value else value


class TemperatureField(forms.DecimalField):
    """Body temperature in °C; a comma is a decimal point in Indonesian (36,5)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 3)
        kwargs.setdefault("decimal_places", 1)
        kwargs.setdefault("min_value", Decimal("34.0"))
        kwargs.setdefault("max_value", Decimal("43.0"))
        # A text box: a number box refuses "36,5", the way Indonesians write it.
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {key: value for key, value in super().widget_attrs(widget).items() if key not in ("min", "max", "step")}


DATE_INPUTS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _province():
    return settings.SIPANTAU_PROVINCE


# The names (after any formset prefix) of the fields that take a region code.
REGION_FIELDS = {"origin", "home_region", "destination", "region"}


def regions_ahead(pairs) -> dict:
    """Every region an entry names, fetched in one query: code -> Region, or None when no region has it.

    `pairs` are (field name, value) as submitted; region fields give their code, an `id_number`
    the province and district codes parse_nik checks. An entry names the same regency three
    times (home, origin, a stop): one round trip instead of one per field.
    """
    codes = set()
    for name, value in pairs:
        if name in REGION_FIELDS and value not in (None, ""):
            codes.add(str(value))
        elif name == "id_number" and isinstance(value, str):
            codes.update(nik_region_codes(value))
    found = {region.code: region for region in Region.objects.filter(code__in=codes)} if codes else {}
    return {code: found.get(code) for code in codes}


def post_regions_ahead(data) -> dict | None:
    """regions_ahead of a posted form (formset prefixes stripped); None when nothing was posted."""
    if data is None:
        return None
    return regions_ahead((key.rsplit("-", 1)[-1], value) for key, values in data.lists() for value in values)


class EntryRegionField(RegionField):
    """A RegionField that takes the region from `known` (regions_ahead) when it is there, else asks the database."""

    def __init__(self, *, root="", min_level=Region.Level.PROVINCE, max_level=Region.Level.HAMLET, **kwargs):
        super().__init__(root=root, min_level=min_level, max_level=max_level, **kwargs)
        self.widget.offline = True  # the entry form works without a signal
        self.roots = [root] if root else []
        self.min_level, self.max_level = min_level, max_level
        self.known = None

    def to_python(self, value):
        if self.known is None or not isinstance(value, str) or value not in self.known:
            return super().to_python(value)
        region = self.known[value]
        # The same conditions as the field's queryset (current, levels, within its roots).
        if (
            region is None
            or region.retired
            or not self.min_level <= region.level <= self.max_level
            or not all(is_within(region.code, root) for root in self.roots)
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return region


class RebindMixin:
    """A form that validates one set of data after another (rebind) with the fields it built once.

    Building a form deep-copies every field (a region field's queryset with it): the paper import
    holds thousands of rows to one form each, so it builds the forms once and rebinds them."""

    def rebind(self, data):
        """This form bound to `data` instead, its errors and cleaned data to be found again."""
        self.data = data
        self._errors = None
        self.__dict__.pop("changed_data", None)  # a cached_property of the data
        return self


class RegionsAheadMixin:
    """A form whose region fields look in `regions` (from regions_ahead) before asking the database."""

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = regions
        for field in self.fields.values():
            if isinstance(field, EntryRegionField):
                field.known = regions

    def nik_known_codes(self, raw):
        """The region codes parse_nik needs for `raw`, when regions_ahead fetched them; else None (it asks)."""
        codes = nik_region_codes(raw)
        if self.regions is None or not codes or not all(code in self.regions for code in codes):
            return None
        return {code for code in codes if self.regions[code] is not None}


class TravellerForm(RebindMixin, RegionsAheadMixin, forms.Form):
    """One person in the vehicle: identity, contact, where they are going, their health at the post."""

    id_type = forms.ChoiceField(label=_("Jenis identitas"), choices=Person.IdType.choices, initial=Person.IdType.NIK)
    id_number = forms.CharField(
        label=_("NIK / nomor paspor"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "nik-input"}),
    )
    nationality = forms.CharField(
        label=_("Kewarganegaraan (paspor)"),
        max_length=40,
        required=False,
        help_text=_("Kode negara dua huruf, mis. MY, SG."),
    )
    name = TextField(label=_("Nama lengkap"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=[("", _("— dari NIK —")), *Person.Sex.choices],
        required=False,
    )
    birth_date = forms.DateField(label=_("Tanggal lahir"), required=False, input_formats=DATE_INPUTS, widget=DateInput)
    phone = forms.CharField(
        label=_("Nomor HP"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    home_address = TextField(label=_("Alamat asal"), max_length=255, required=False)
    home_region = EntryRegionField(
        label=_("Wilayah asal (domisili)"),
        min_level=Region.Level.REGENCY,
        max_level=Region.Level.VILLAGE,
        required=False,
    )
    same_destination = forms.BooleanField(label=_("Tujuan sama dengan orang pertama"), required=False)
    destination = EntryRegionField(
        label=_("Tujuan (nagari/desa/kelurahan)"),
        root=_province(),
        min_level=Region.Level.VILLAGE,
        max_level=Region.Level.HAMLET,
        required=False,
    )
    destination_address = TextField(label=_("Alamat tujuan"), max_length=255, required=False)
    purpose = forms.ChoiceField(label=_("Keperluan"), choices=Arrival.Purpose.choices)
    temperature = TemperatureField(label=_("Suhu tubuh (°C)"), required=False)
    symptoms = forms.MultipleChoiceField(
        label=_("Gejala"), choices=Arrival.Symptom.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    vehicle_role = forms.ChoiceField(
        label=_("Dalam kendaraan"), choices=[("", "—"), *Arrival.VehicleRole.choices], required=False
    )
    # Shown when the document is known under another name: the officer confirms the new one.
    confirm_identity_change = forms.BooleanField(
        label=_("Ya, namanya memang berubah: simpan nama baru (kedatangan sebelumnya tetap dengan nama lama)"),
        required=False,
    )

    def __init__(self, *args, first=True, check_identity=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.first = first
        # A correction of the officer's own entry changes its name on purpose (and is recorded).
        self.check_identity = check_identity
        self.identity_change = None
        self.warnings = []
        self.fields["destination"].queryset = self.fields["destination"].queryset.within(_province())
        # A new list: the field is a shallow copy of the class's, and append() would grow the
        # class's list with every form built in the process (each validation then slower).
        self.fields["destination"].roots = [*self.fields["destination"].roots, _province()]
        if first:
            del self.fields["same_destination"]

    def full_clean(self):
        self.identity_change = None  # what a validation finds, found again when the form is rebound
        self.warnings = []
        super().full_clean()

    def clean_nationality(self):
        value = self.cleaned_data["nationality"]
        return normalise_country(value) if value else ""

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        id_type = cleaned.get("id_type")
        raw = self.cleaned_data.get("id_number")
        if id_type == Person.IdType.NIK and raw is not None:
            try:
                info = parse_nik(raw, known_codes=self.nik_known_codes(raw))
            except ValidationError as error:
                self.add_error("id_number", error)
            else:
                cleaned["id_number"] = info.number
                cleaned["nationality"] = "ID"
                for field, message in nik_mismatches(
                    info, sex=cleaned.get("sex"), birth_date=cleaned.get("birth_date")
                ).items():
                    self.add_error(field, message)
                cleaned["sex"] = cleaned.get("sex") or info.sex
                cleaned["birth_date"] = cleaned.get("birth_date") or info.birth_date
                self.warnings.extend(info.warnings)
        elif id_type == Person.IdType.PASSPORT and raw is not None:
            try:
                cleaned["id_number"] = normalise_passport(raw)
            except ValidationError as error:
                self.add_error("id_number", error)
            if not cleaned.get("nationality") and "nationality" not in self.errors:
                self.add_error("nationality", _("Isi kewarganegaraan pemegang paspor."))
            if not cleaned.get("sex") and "sex" not in self.errors:
                self.add_error("sex", _("Pilih jenis kelamin."))
        self._check_identity_change(cleaned)
        if not cleaned.get("same_destination"):
            for field in ("destination", "destination_address"):
                if not cleaned.get(field) and field not in self.errors:
                    self.add_error(field, forms.Field.default_error_messages["required"])
        return cleaned

    def _check_identity_change(self, cleaned):
        """A known document typed with another name: ask the officer to confirm (arrival_register
        refuses it too, for the doors without this form)."""
        name, number = cleaned.get("name"), cleaned.get("id_number")
        if not self.check_identity or cleaned.get("confirm_identity_change"):
            return
        if not name or not number or self.has_error("id_number"):
            return
        known = Person.objects.filter(id_type=cleaned.get("id_type"), id_number=number).values_list("name", flat=True)
        stored = known.first()
        if stored is not None and not same_name(stored, name):
            self.identity_change = stored
            self.add_error(
                "name",
                ValidationError(
                    _("Nomor identitas ini tercatat atas nama %(name)s. Periksa kartu identitasnya."),
                    code="identity_change",
                    params={"name": stored},
                ),
            )
            self.add_error(
                "confirm_identity_change",
                ValidationError(
                    _("Bila namanya memang berubah (atau dulu salah ketik), centang konfirmasi perubahan nama."),
                    code="identity_change",
                ),
            )

    def person_fields(self):
        """The cleaned values arrival_register takes for this person."""
        data = self.cleaned_data
        keys = ["id_type", "id_number", "nationality", "name", "sex", "birth_date", "phone", "home_address"]
        keys.append("confirm_identity_change")
        fields = {key: data.get(key) for key in keys}
        fields["home_region"] = data.get("home_region")
        for key in ["destination", "destination_address", "purpose", "temperature", "symptoms", "vehicle_role"]:
            fields[key] = data.get(key)
        fields["symptoms"] = list(fields["symptoms"] or [])
        fields["nationality"] = fields["nationality"] or "ID"
        fields["vehicle_role"] = fields["vehicle_role"] or ""
        return fields


class TripForm(RebindMixin, RegionsAheadMixin, forms.Form):
    """What the people in one vehicle share: where they come from, how, and the entry key."""

    entry_key = forms.UUIDField(widget=forms.HiddenInput)
    origin = EntryRegionField(
        label=_("Daerah asal perjalanan (kabupaten/kota atau kecamatan)"),
        min_level=Region.Level.REGENCY,
        max_level=Region.Level.DISTRICT,
    )
    origin_place = TextField(label=_("Tempat asal (keterangan)"), max_length=120, required=False)
    transport = forms.ChoiceField(label=_("Moda transportasi"), choices=Arrival.Transport.choices)
    plate = forms.CharField(
        label=_("Nomor polisi kendaraan"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
        help_text=_("Mis. BA 1234 XY"),
    )
    arrived_at = forms.DateTimeField(label=_("Waktu tiba"), required=False)

    def clean_plate(self):
        value = unicodedata.normalize("NFKC", self.cleaned_data["plate"]).upper()
        value = "".join(value.split())
        if not value:
            return ""
        match = _PLATE.match(value)
        if not match:
            raise ValidationError(
                _("Nomor polisi ditulis huruf wilayah, angka, lalu huruf akhir, mis. BA 1234 XY."), code="plate"
            )
        return " ".join(part for part in match.groups() if part)

    def clean_arrived_at(self):
        value = self.cleaned_data["arrived_at"]
        if value is None:
            return None
        now = timezone.now()
        if value > now + ARRIVED_AT_MAX_AHEAD:
            raise ValidationError(_("Waktu tiba tidak boleh di masa depan."), code="future")
        if value < now - ARRIVED_AT_MAX_AGE:
            raise ValidationError(_("Waktu tiba lebih dari 31 hari yang lalu."), code="too_old")
        return value

    def trip_fields(self):
        """The cleaned values arrival_register takes for the shared part."""
        data = self.cleaned_data
        return {key: data.get(key) for key in ["origin", "origin_place", "transport", "plate", "arrived_at"]}


class TravelStopForm(RebindMixin, RegionsAheadMixin, forms.Form):
    """One place visited in the 14 days before arrival."""

    region = EntryRegionField(label=_("Wilayah"), min_level=Region.Level.REGENCY, max_level=Region.Level.VILLAGE)
    place = TextField(label=_("Tempat (keterangan)"), max_length=120, required=False)
    date_from = forms.DateField(label=_("Dari tanggal"), input_formats=DATE_INPUTS, widget=DateInput)
    date_to = forms.DateField(label=_("Sampai tanggal"), input_formats=DATE_INPUTS, widget=DateInput)

    def __init__(self, *args, arrived_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrived_on = arrived_on

    def clean(self):
        cleaned = super().clean()
        for message in travel_stop_errors(cleaned.get("date_from"), cleaned.get("date_to"), self.arrived_on):
            self.add_error(None, message)
        return cleaned


def travel_stop_errors(date_from, date_to, arrived_on) -> list[ValidationError]:
    """Why the dates of a travel stop do not fit the 14 days before `arrived_on` (empty when they do).

    Each keeps its message and values apart, so the paper import's report reads it in any language."""
    errors = []
    if date_from and date_to and date_from > date_to:
        errors.append(ValidationError(_("Tanggal mulai harus sebelum tanggal selesai."), code="stop_order"))
    if arrived_on and date_from and date_to:
        earliest = arrived_on - timedelta(days=HISTORY_DAYS)
        if date_from < earliest or date_to > arrived_on:
            errors.append(
                ValidationError(
                    _("Riwayat perjalanan hanya untuk 14 hari sebelum tiba (%(start)s sampai %(end)s)."),
                    code="stop_window",
                    params={"start": earliest.strftime("%d-%m-%Y"), "end": arrived_on.strftime("%d-%m-%Y")},
                )
            )
    return errors


class BaseTravellerFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["first"] = index == 0
        return kwargs

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            first=False,
            initial={"same_destination": True, "vehicle_role": Arrival.VehicleRole.PASSENGER},
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


class BaseTravelStopFormSet(forms.BaseFormSet):
    def __init__(self, *args, arrived_on=None, **kwargs):
        self.arrived_on = arrived_on
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "arrived_on": self.arrived_on}

    def stops(self):
        """The cleaned stops, without the removed and the blank rows."""
        return [
            {key: form.cleaned_data[key] for key in ["region", "place", "date_from", "date_to"]}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


TravellerFormSet = forms.formset_factory(
    TravellerForm,
    formset=BaseTravellerFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_GROUP,
    absolute_max=MAX_GROUP,
    validate_min=True,
    validate_max=True,
    can_delete=True,
)
TravelStopFormSet = forms.formset_factory(
    TravelStopForm,
    formset=BaseTravelStopFormSet,
    extra=0,
    max_num=MAX_STOPS,
    absolute_max=MAX_STOPS,
    validate_max=True,
    can_delete=True,
)


class CorrectionTripForm(TripForm):
    """The shared part of an entry as its officer corrects it (the key and the time stay)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["entry_key"], self.fields["arrived_at"]


def correction_initial(arrival) -> dict:
    """Initial values of the correction forms: the entry as stored."""
    person = arrival.person
    values = {
        field: getattr(person, field)
        for field in ["id_type", "id_number", "nationality", "name", "sex", "birth_date", "phone", "home_address"]
    }
    values["home_region"] = person.home_region
    for field in ["origin", "origin_place", "transport", "plate", "destination", "destination_address", "purpose"]:
        values[field] = getattr(arrival, field)
    values["temperature"] = arrival.temperature
    values["symptoms"] = list(arrival.symptoms)
    values["vehicle_role"] = arrival.vehicle_role
    return values


def single_traveller(
    data: dict, *, check_identity: bool = True, regions: dict | None = None, as_data: bool = False
) -> tuple[dict, dict, list]:
    """One traveller given as flat data (JSON, a spreadsheet row): (fields, errors, warnings).

    `fields` are arrival_register's keyword arguments (without officer and entry_key);
    `errors` maps a field to its messages (ValidationErrors keeping their code and values when
    `as_data`, for a report read later in another language); `travel_stops` is a list of dicts.
    `regions`: regions_ahead of the data, else fetched for this one.
    """
    if regions is None:
        stop_regions = [("region", raw.get("region")) for raw in (data.get("travel_stops") or [])[:MAX_STOPS]]
        regions = regions_ahead([*data.items(), *stop_regions])
    return SingleTravellerForms(check_identity=check_identity, regions=regions).validate(data, as_data=as_data)


class SingleTravellerForms:
    """single_traveller for one row after another (the paper import): the trip, traveller and travel
    stop forms built once and rebound to each row, so the rules and messages are the forms' own.

    `regions`: regions_ahead of every row to be validated."""

    def __init__(self, *, check_identity: bool = True, regions: dict):
        self.trip = TripForm({}, regions=regions)
        # single_traveller takes no entry key (arrival_register is given it): the trip form's is not asked.
        del self.trip.fields["entry_key"]
        self.traveller = TravellerForm({}, first=True, regions=regions, check_identity=check_identity)
        self.stop = TravelStopForm({}, regions=regions)

    def validate(self, data: dict, *, as_data: bool = False) -> tuple[dict, dict, list]:
        """single_traveller(data): (fields, errors, warnings)."""
        trip, traveller = self.trip.rebind(data), self.traveller.rebind(data)
        errors = {}
        for form in (trip, traveller):
            if not form.is_valid():
                found = form.errors.as_data() if as_data else form.errors
                errors.update({field: list(messages) for field, messages in found.items()})
        raw_stops = data.get("travel_stops") or []
        self.stop.arrived_on = timezone.localdate(trip.cleaned_data.get("arrived_at") or timezone.now())
        stops, stop_errors = [], []
        if len(raw_stops) > MAX_STOPS:
            stop_errors.append(ValidationError(_("Paling banyak %(n)d tempat."), params={"n": MAX_STOPS}))
            raw_stops = []
        for number, raw in enumerate(raw_stops, start=1):
            form = self.stop.rebind({k: "" if v is None else str(v) for k, v in raw.items()})
            if form.is_valid():
                stops.append({k: form.cleaned_data[k] for k in ["region", "place", "date_from", "date_to"]})
                continue
            for field, messages in form.errors.as_data().items():
                for message in messages:
                    if field != "__all__":
                        message = ValidationError(
                            "%(label)s: %(message)s", params={"label": form.fields[field].label, "message": message}
                        )
                    stop_errors.append(ValidationError(_("Baris %(n)d: %(e)s"), params={"n": number, "e": message}))
        if stop_errors:
            errors["travel_stops"] = stop_errors if as_data else [error_text(error) for error in stop_errors]
        if errors:
            return {}, errors, traveller.warnings
        fields = {**trip.trip_fields(), **traveller.person_fields(), "travel_stops": stops}
        return fields, {}, traveller.warnings


def error_text(error) -> str:
    """A ValidationError (whose values may be ValidationErrors themselves) as one text in the active language."""
    if not isinstance(error, ValidationError):
        return str(error)
    text = str(error.message)
    if not error.params:
        return text
    return text % {k: error_text(v) if isinstance(v, ValidationError) else v for k, v in error.params.items()}


class ImportForm(forms.Form):
    """A filled upload template."""

    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
