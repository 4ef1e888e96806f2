from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def code_within(field: str, codes) -> Q:
    """Q matching rows whose region code in `field` lies within any of `codes`.

    Containment is a code prefix: X is within Y iff X == Y or X starts with Y + ".".
    No codes gives a Q that matches nothing, so an empty jurisdiction sees nothing.
    """
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})
    return q


def code_within_columns(field: str, codes, columns: dict[int, str]) -> Q:
    """code_within, each code matched by equality on the column that stores the code of its level
    (`columns`: level → field, e.g. {Region.Level.REGENCY: "regency_code"}) where there is one.

    Such a column is the first CODE_WIDTH[level] characters of the code in `field`: Kemendagri codes
    are fixed-width (13 · 13.71 · 13.71.01 · 13.71.01.1001 · 13.71.01.1001.01), so a row lies
    within a code of that level iff the column equals it. An index on (column, time) then gives
    the newest rows of an area in order, where the prefix needs a scan of the area's whole history.
    A code of another width, or of a level without a column, is matched by its prefix.
    """
    by_column, prefixed = {}, []
    for code in codes:
        level = code_level(code)
        if level in columns and len(code) == CODE_WIDTH.get(level):
            by_column.setdefault(columns[level], []).append(code)
        else:
            prefixed.append(code)
    q = code_within(field, prefixed)
    for column, same_level in by_column.items():
        q |= Q(**{column: same_level[0]}) if len(same_level) == 1 else Q(**{f"{column}__in": same_level})
    return q


def code_level(code: str) -> int:
    """The level (Region.Level) of a region from its code alone: "13" → 1 (province) … "13.71.01.2001.01" → 5."""
    return code.count(".") + 1


# Characters of a code at each level (Region.Level): 13 · 13.71 · 13.71.01 · 13.71.01.1001 · 13.71.01.1001.01.
CODE_WIDTH = {1: 2, 2: 5, 3: 8, 4: 13, 5: 16}


def code_at_level(code: str, level: int) -> str:
    """The code of the region at `level` that `code` lies within: ("13.71.01.1001", 2) → "13.71"."""
    return ".".join(code.split(".")[:level])


def is_within(code: str, container: str) -> bool:
    """Whether region `code` lies within region `container` (or is it)."""
    return code == container or code.startswith(container + ".")


class RegionQuerySet(models.QuerySet):
    def current(self):
        """Regions still in force: what pickers offer."""
        return self.filter(retired=False)

    def within(self, *codes):
        """Regions lying within any of the regions with `codes` (themselves included)."""
        return self.filter(code_within("code", codes))

    def home(self):
        """The home province and everything in it."""
        from django.conf import settings

        return self.within(settings.SIPANTAU_PROVINCE)


class Region(models.Model):
    """A Kemendagri administrative area, from province down to an admin-added hamlet."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Provinsi")
        REGENCY = 2, _("Kabupaten/Kota")
        DISTRICT = 3, _("Kecamatan")
        VILLAGE = 4, _("Nagari/Desa/Kelurahan")
        HAMLET = 5, _("Jorong/Kampung/Dusun")

    class Kind(models.TextChoices):
        # Part of a place's official name ("Kota Padang"): a context of their own, kept as names in English.
        PROVINSI = "provinsi", pgettext_lazy("region kind", "Provinsi")
        KABUPATEN = "kabupaten", pgettext_lazy("region kind", "Kabupaten")
        KOTA = "kota", pgettext_lazy("region kind", "Kota")
        KECAMATAN = "kecamatan", pgettext_lazy("region kind", "Kecamatan")
        NAGARI = "nagari", pgettext_lazy("region kind", "Nagari")
        DESA = "desa", pgettext_lazy("region kind", "Desa")
        KELURAHAN = "kelurahan", pgettext_lazy("region kind", "Kelurahan")
        JORONG = "jorong", pgettext_lazy("region kind", "Jorong")
        KAMPUNG = "kampung", pgettext_lazy("region kind", "Kampung")
        DUSUN = "dusun", pgettext_lazy("region kind", "Dusun")

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    retired = models.BooleanField(
        _("tidak berlaku lagi"),
        default=False,
        help_text=_("Wilayah yang sudah dihapus atau dimekarkan; tidak ditawarkan lagi."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "name"], name="region_level_name"),
            # Prefix searches (LIKE '13.71.%') use this on PostgreSQL whatever the collation.
            models.Index(fields=["code"], name="region_code_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{kind_label(self.kind)} {self.display_name}"

    def save(self, *args, **kwargs):
        if self.level == Region.Level.HAMLET and not self.kind and self.parent is not None:
            self.kind = HAMLET_KIND.get(self.parent.kind, Region.Kind.DUSUN)
        super().save(*args, **kwargs)

    def clean(self):
        if self.level == Region.Level.HAMLET:
            if self.parent is None or self.parent.level != Region.Level.VILLAGE:
                raise ValidationError(
                    {"parent": _("Jorong/kampung/dusun harus berada di bawah sebuah nagari/desa/kelurahan.")}
                )
            suffix = self.code.removeprefix(self.parent.code + ".")
            if suffix == self.code or not (suffix.isascii() and suffix.isdigit() and len(suffix) == 2):
                raise ValidationError(
                    {
                        "code": _(
                            "Kode jorong/kampung/dusun harus berbentuk <kode desa>.<dua angka>, misalnya %(example)s."
                        )
                        % {"example": f"{self.parent.code}.01"}
                    }
                )
        elif self.parent is not None and not is_within(self.code, self.parent.code):
            raise ValidationError({"code": _("Kode wilayah harus diawali kode induknya.")})

    @property
    def display_name(self):
        """The name without a leading "Kabupaten"/"Kota" the data already carries."""
        for prefix in ("Kabupaten ", "Kota "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name

    @property
    def ancestor_codes(self):
        """Codes of this region's ancestors, outermost first (from the code alone)."""
        return [code_at_level(self.code, level) for level in range(1, code_level(self.code))]

    def path(self):
        """This region and its ancestors, outermost first, in one query."""
        by_code = {r.code: r for r in Region.objects.filter(code__in=self.ancestor_codes)}
        return [by_code[c] for c in self.ancestor_codes if c in by_code] + [self]

    def path_display(self):
        """ "Kelurahan Alang Laweh, Kec. Padang Selatan, Kota Padang" — for people."""
        path = [r for r in self.path() if r.level > Region.Level.PROVINCE] or [self]
        return ", ".join(str(r) for r in reversed(path))


_KIND_LABELS: dict[tuple[str | None, str], str] = {}


def kind_label(kind: str) -> str:
    """ "Kota", "Nagari", … in the active language; translated once per process and language, since a
    page of 50 rows names a few hundred regions."""
    key = (translation.get_language(), kind)
    if key not in _KIND_LABELS:
        _KIND_LABELS[key] = str(Region.Kind(kind).label) if kind in Region.Kind.values else kind
    return _KIND_LABELS[key]


# What a hamlet is called follows what its village is called.
HAMLET_KIND = {
    Region.Kind.NAGARI: Region.Kind.JORONG,
    Region.Kind.DESA: Region.Kind.DUSUN,
    Region.Kind.KELURAHAN: Region.Kind.KAMPUNG,
}
