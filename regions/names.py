"""Names as people write them: pg_trgm's word similarity (for names typed with a slip), and region
names resolved to codes ("Alang Laweh, Padang Selatan, Kota Padang" → 13.71.01.1002)."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Region, is_within

WORD_SIMILARITY = 0.6  # pg_trgm's default word_similarity_threshold
_WORD = re.compile(r"[^\W_]+")
CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4}(\.\d{2})?)?)?)?$")


def trigrams(text: str) -> list[str]:
    """pg_trgm's trigrams of `text` in order: per word, lower-cased, padded with two spaces before and one after."""
    grams = []
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams += [padded[i : i + 3] for i in range(len(padded) - 2)]
    return grams


def word_similarity(query: str, name: str, *, threshold: float = WORD_SIMILARITY) -> float:
    """pg_trgm's word_similarity(query, name): the best Jaccard similarity between the query's trigrams
    and those of a stretch of the name (so one wrong letter in a long name still scores high); 0.0 when
    it cannot reach `threshold`."""
    wanted = set(trigrams(query))
    grams = trigrams(name)
    shared = wanted.intersection(grams)
    # Jaccard over any stretch is at most the share of the query's trigrams found at all.
    if not wanted or len(shared) / len(wanted) < threshold:
        return 0.0
    best = 0.0
    for lower in range(len(grams)):
        if grams[lower] not in wanted:
            continue
        seen, count = set(), 0
        for gram in grams[lower:]:
            if gram not in seen:
                seen.add(gram)
                count += gram in wanted
                if gram in wanted:
                    best = max(best, count / (len(wanted) + len(seen) - count))
    return best


# ------------------------------------------------------------------------------
# Region names → codes
# ------------------------------------------------------------------------------
# Words people put before a name, and the kind they say ("Kab. Agam", "Kec. Padang Selatan").
KIND_WORDS = {
    "provinsi": "provinsi",
    "prov": "provinsi",
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "kota": "kota",
    "kecamatan": "kecamatan",
    "kec": "kecamatan",
    "nagari": "nagari",
    "desa": "desa",
    "kelurahan": "kelurahan",
    "kel": "kelurahan",
    "jorong": "jorong",
    "kampung": "kampung",
    "dusun": "dusun",
}


def name_key(text: str) -> tuple[str | None, str]:
    """(kind said, bare name) of a written region name: lower case, punctuation and spacing aside."""
    words = _WORD.findall(text.casefold())
    kind = None
    if len(words) > 1 and words[0] in KIND_WORDS:
        kind, words = KIND_WORDS[words[0]], words[1:]
    return kind, " ".join(words)


@dataclass
class Resolution:
    """What a written name came to: the region, or why not (unknown / ambiguous) with candidates."""

    region: Region | None = None
    error: str = ""
    candidates: list = field(default_factory=list)
    # The same reason with its message and values apart, for a report read later in another language.
    error_data: ValidationError | None = None


class RegionNames:
    """Current regions of some levels, indexed by bare name; build one per batch of lookups."""

    def __init__(self, levels, *, within=None):
        self.levels = set(levels)
        self.within = within
        rows = Region.objects.current().filter(level__lte=max(self.levels))
        self.by_code = {r.code: r for r in rows.only("code", "name", "kind", "level", "parent_id")}
        self.by_key = {}
        for region in self.by_code.values():
            self.by_key.setdefault(name_key(region.name)[1], []).append(region)

    def path(self, region) -> str:
        """'Alang Laweh, Padang Selatan, Kota Padang (13.71.01.1002)': how a candidate is shown."""
        parts, code = [], region.code
        while code:
            found = self.by_code.get(code)
            if found is not None and found.level > 1:
                parts.append(str(found))
            code = code.rpartition(".")[0]
        return f"{', '.join(parts)} ({region.code})"

    def _matches(self, text, levels=None, within=None):
        kind, key = name_key(text)
        found = [
            r
            for r in self.by_key.get(key, [])
            if (levels is None or r.level in levels)
            and (kind is None or r.kind == kind)
            and (within is None or is_within(r.code, within))
        ]
        return found

    def resolve(self, text: str) -> Resolution:
        """The region `text` names: "name" or "name, parent, grandparent…" (most specific first)."""
        parts = [part for part in text.split(",") if part.strip()]
        if not parts:
            return Resolution(error=_("Kosong."), error_data=ValidationError(_("Kosong.")))
        candidates = self._matches(parts[0], self.levels, self.within)
        for parent_text in parts[1:]:
            parents = {p.code for p in self._matches(parent_text)}
            candidates = [c for c in candidates if any(is_within(c.code, p) and c.code != p for p in parents)]
        if len(candidates) == 1:
            return Resolution(region=candidates[0])
        if candidates:
            shown = [self.path(c) for c in sorted(candidates, key=lambda r: r.code)[:5]]
            message = _("Nama %(name)s ada di beberapa wilayah; tambahkan induknya, mis. %(example)s: %(candidates)s")
            parent = self.by_code.get(candidates[0].code.rpartition(".")[0])
            params = {
                "name": text.strip(),
                "example": f"{parts[0].strip()}, {parent.name if parent else ''}",
                "candidates": "; ".join(shown),
            }
            return Resolution(
                error=message % params, candidates=shown, error_data=ValidationError(message, params=params)
            )
        similar = sorted(
            (
                (-word_similarity(name_key(parts[0])[1], key, threshold=0.4), region.code, region)
                for key, regions in self.by_key.items()
                for region in regions
                if region.level in self.levels and (self.within is None or is_within(region.code, self.within))
            ),
            key=lambda row: (row[0], row[1]),
        )
        shown = [self.path(region) for score, _code, region in similar[:3] if score < 0]
        unknown = ValidationError(_("Wilayah %(name)s tidak dikenal."), params={"name": text.strip()})
        error = unknown
        if shown:
            maybe = ValidationError(_("Mungkin: %(candidates)s"), params={"candidates": "; ".join(shown)})
            error = ValidationError("%(unknown)s %(maybe)s", params={"unknown": unknown, "maybe": maybe})
        return Resolution(error=_text(error), candidates=shown, error_data=error)


def _text(error: ValidationError) -> str:
    """A ValidationError whose values may be ValidationErrors, as one text."""
    params = {k: _text(v) if isinstance(v, ValidationError) else v for k, v in (error.params or {}).items()}
    return error.message % params if params else error.message
