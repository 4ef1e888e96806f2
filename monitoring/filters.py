"""The arrival list's filters: kept in the URL, shared by the list, its exports and the overview's links."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Upper
from django.forms.renderers import Jinja2
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts import access
from checkpoints.catalogue import checkpoint_choices
from checkpoints.models import Checkpoint
from followup.summary import ISOLATION_STATES, filter_isolation_state
from regions.catalogue import region_table
from regions.models import Region, code_within
from regions.names import WORD_SIMILARITY, word_similarity
from travellers.models import Person

MAX_DAYS = 366
NAME_MATCHES = 2000  # people a fuzzy name search looks at, most similar first
NIK_RE = re.compile(r"^\d+$")
# A passport or other document number: letters and digits with at least one digit, no spaces.
DOCUMENT_RE = re.compile(r"^(?=.*\d)[A-Z0-9]{5,20}$")


def reach_regions(user):
    """Regions within `user`'s jurisdictions (all of them for admins): what area filters may name."""
    return access.regions_visible_to(user)


def _within_any(code, tops):
    return any(code == top or code.startswith(top + ".") for top in tops)


def top_regions(user):
    """The regions an overview starts from: the user's jurisdictions, or the home province for admins."""
    return list(Region.objects.filter(code__in=access.top_codes(user)))


def name_search_q(text: str, candidates=None) -> Q:
    """Arrivals whose traveller's name is like `text` (a letter or two wrong): pg_trgm's word similarity
    on PostgreSQL, elsewhere the same measure computed in Python; over the travellers of `candidates`,
    the arrivals already scoped and filtered (all people without them), so that the most similar
    names kept are those within the user's reach, and no similarity is worked out beyond it."""
    text = " ".join(text.split())
    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramWordSimilar
        from django.contrib.postgres.search import TrigramWordSimilarity

        # People first, then their arrivals: in one joined query the planner walks the arrivals'
        # time index testing every traveller's name (4 s at 1M arrivals, docs/benchmarks.md).
        # The people are those of the arrivals in reach: an area's arrivals by its column's index
        # (a kecamatan's few thousand) or, for a wide reach, the GIN index on upper(name)
        # (travellers 0002), as the planner judges. The NAME_MATCHES most similar are kept.
        people = Person.objects.all()
        if candidates is not None:
            people = people.filter(pk__in=candidates.order_by().values("person_id"))
        people = (
            people.filter(Q(TrigramWordSimilar(Upper("name"), text.upper())) | Q(name__icontains=text))
            .annotate(similarity=TrigramWordSimilarity(text.upper(), Upper("name")))
            .order_by("-similarity", "id")
            .values_list("id", flat=True)[:NAME_MATCHES]
        )
        return Q(person_id__in=list(people))
    if candidates is None:
        candidates = Person.objects.values_list("id", "name")
    else:
        candidates = candidates.order_by().values_list("person_id", "person__name").distinct()
    lowered = text.lower()
    scored = []
    for person_id, name in candidates.iterator(chunk_size=5000):
        similarity = word_similarity(text, name)
        if similarity >= WORD_SIMILARITY or lowered in name.lower():
            scored.append((-similarity, person_id))
    return Q(person_id__in=[person_id for _score, person_id in sorted(scored)[:NAME_MATCHES]])


class QuickSelect(forms.Select):
    """A drop-down drawn in Python rather than by a template per option: the arrival list's filters
    hold some seventy options on the page every official opens, and their templates cost more than
    its fifty rows. Same markup as Django's Select (attributes, the chosen option marked)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        selected = mark_safe(" selected")
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((key, selected if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class ArrivalFilterForm(forms.Form):
    """The arrival list's filters as the user sets them: fields, choices within reach, validation.
    `filters()` hands the valid ones over as an ArrivalFilter."""

    default_renderer = Jinja2()  # the widgets drawn by Jinja2 (settings.TEMPLATES)

    q = forms.CharField(
        label=_("Cari NIK atau nama"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("NIK 16 angka dicari persis; nama boleh salah ketik sedikit."),
    )
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    posko = forms.ModelChoiceField(
        label=_("Posko"),
        queryset=Checkpoint.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Semua posko"),
        widget=QuickSelect,
        error_messages={"invalid_choice": _("Posko tidak dikenal.")},
    )
    asal = forms.ModelChoiceField(
        label=_("Provinsi asal"),
        queryset=Region.objects.filter(level=Region.Level.PROVINCE),
        to_field_name="code",
        required=False,
        empty_label=_("Semua provinsi"),
        widget=QuickSelect,
        error_messages={"invalid_choice": _("Provinsi asal tidak dikenal.")},
    )
    tujuan = forms.CharField(label=_("Wilayah tujuan"), required=False, max_length=20)
    isolasi = forms.ChoiceField(
        label=_("Status isolasi"),
        required=False,
        choices=[("", _("Semua")), *ISOLATION_STATES.items()],
        widget=QuickSelect,
        error_messages={"invalid_choice": _("Status isolasi tidak dikenal.")},
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        # The drop-downs' options come from the per-process catalogues: no query while rendering.
        table = region_table()
        self.fields["posko"].widget.choices = [("", self.fields["posko"].empty_label), *checkpoint_choices()]
        self.fields["asal"].widget.choices = [
            ("", self.fields["asal"].empty_label),
            *((code, table.label(code)) for code in table.provinces),
        ]
        self.fields["tujuan"].widget = QuickSelect(choices=self._destination_choices(data, table))

    def _destination_choices(self, data, table):
        """The user's areas and the next level down, plus the chosen one's path and children (a
        chosen code outside the user's reach lists nothing of it: clean_tujuan refuses it)."""
        tops = [code for code in access.top_codes(self.user) if code in table.by_code]
        chosen = (data or {}).get("tujuan", "")[:20]
        codes = set(tops)
        parents = list(tops)
        if chosen in table.by_code and any(chosen == top or chosen.startswith(top + ".") for top in tops):
            parents.append(chosen)
            codes.update(code for code in Region(code=chosen).ancestor_codes if _within_any(code, tops))
            codes.add(chosen)
        for parent in parents:
            codes.update(table.children.get(parent, ()))
        depth = min((table.by_code[code][3] for code in tops), default=1)
        choices = [("", _("Seluruh wilayah Anda"))]
        for code in sorted(codes):
            choices.append((code, "\u2003" * max(table.by_code[code][3] - depth, 0) + table.label(code)))
        return choices

    def clean_q(self):
        text = self.cleaned_data["q"].strip()
        compact = text.replace(" ", "").upper()
        if NIK_RE.match(compact) and len(compact) != 16:
            raise forms.ValidationError(
                _("NIK terdiri dari 16 angka; yang dimasukkan %(n)s angka."), params={"n": len(compact)}
            )
        return text

    def clean_tujuan(self):
        code = self.cleaned_data["tujuan"].strip()
        if not code:
            return None
        region = reach_regions(self.user).filter(code=code).first()
        if region is None:
            # Same answer for an unknown code and one outside the user's area.
            raise forms.ValidationError(_("Wilayah tujuan tidak dikenal di wilayah Anda."))
        return region

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("dari"), cleaned.get("sampai")
        if start and end:
            if end < start:
                self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("sampai", _("Rentang tanggal paling lama satu tahun."))
        return cleaned

    def filters(self) -> "ArrivalFilter":
        """The validated filters, as what narrows the list (call after is_valid())."""
        data = self.cleaned_data
        start, end = data.get("dari"), data.get("sampai")
        if not start and not end and not data.get("q"):
            start = end = timezone.localdate()  # nothing at all narrows the list: today
        return ArrivalFilter(
            user=self.user,
            text=data.get("q") or "",
            start=start,
            end=end,
            checkpoint=data.get("posko"),
            origin=data.get("asal"),
            destination=data.get("tujuan"),
            isolation=data.get("isolasi") or "",
        )


@dataclass(frozen=True)
class ArrivalFilter:
    """The arrival list's filters once validated: what narrows the list, and how links, file names
    and the audit log name it. `apply()` narrows an already scoped queryset, never widens it."""

    user: object
    text: str = ""
    start: date | None = None
    end: date | None = None
    checkpoint: Checkpoint | None = None
    origin: Region | None = None
    destination: Region | None = None
    isolation: str = ""

    @property
    def date_range(self):
        """(first day, last day) applied: the chosen ones, or today when nothing at all narrows the list."""
        return self.start, self.end

    def apply(self, arrivals):
        """Narrow `arrivals` (already visible_to the user) by these filters."""
        if self.start:
            arrivals = arrivals.filter(arrived_at__gte=access.local_midnight(self.start))
        if self.end:
            arrivals = arrivals.filter(arrived_at__lt=access.local_midnight(self.end + timedelta(1)))
        if self.checkpoint:
            arrivals = arrivals.filter(checkpoint=self.checkpoint)
        if self.origin:
            arrivals = arrivals.filter(code_within("origin__code", [self.origin.code]))
        if self.destination:
            arrivals = arrivals.bound_for(self.destination)
        if self.isolation:
            arrivals = filter_isolation_state(arrivals, self.user, self.isolation)
        if self.text:
            compact = self.text.replace(" ", "").upper()
            if NIK_RE.match(compact) or DOCUMENT_RE.match(compact):
                # Naming every document type lets the (id_type, id_number) unique index serve the lookup;
                # id_number alone meant a parallel seq scan of all people (80 ms at 1M, docs/benchmarks.md).
                arrivals = arrivals.filter(person__id_type__in=Person.IdType.values, person__id_number=compact)
            else:
                arrivals = arrivals.filter(name_search_q(self.text, candidates=arrivals))
        return arrivals

    def querydict(self):
        """The applied filters as URL parameters (dates made explicit), for links and exports."""
        params = {
            "q": self.text,
            "dari": self.start.isoformat() if self.start else "",
            "sampai": self.end.isoformat() if self.end else "",
            "posko": self.checkpoint.code if self.checkpoint else "",
            "asal": self.origin.code if self.origin else "",
            "tujuan": self.destination.code if self.destination else "",
            "isolasi": self.isolation,
        }
        return {k: v for k, v in params.items() if v}

    def urlencode(self, **extra):
        return urlencode({**self.querydict(), **extra})

    def slug(self):
        """The filters in a file name: dates, area, post, origin, isolation, whether searched (never the search)."""
        params = self.querydict()
        parts = [params.get("tujuan", "wilayah-anda")]
        if "dari" in params or "sampai" in params:
            parts.append(f"{params.get('dari', 'awal')}_sd_{params.get('sampai', 'kini')}")
        for key in ("posko", "asal", "isolasi"):
            if key in params:
                parts.append(f"{key}-{params[key]}")
        if "q" in params:
            parts.append("pencarian")
        return re.sub(r"[^A-Za-z0-9._-]+", "-", "_".join(parts))

    def describe(self):
        """The filters for the audit log (the search text included: the log is where lookups are answered for)."""
        return self.querydict()
