"""Every current region in one compact file, so the pickers work on a phone without a signal.

The file holds the provinces, regencies and districts of Indonesia and the home province's
villages and hamlets (all the table holds), grouped by parent: `{"13.71": [["01", "Padang
Selatan"], …]}`, each child as its code's last part and its name, plus a kind letter where the
kind is not the one its level always has (a province, a kecamatan). Its URL carries a version (a hash
of its content), so a phone keeps it until the region data changes (load_regions, a hamlet
added in the admin) and then fetches the new one.
"""

import hashlib
import json

from django.core.cache import cache

from .models import Region

# One letter per kind keeps 9,000 rows small; the picker gets the labels from the page.
KIND_LETTERS = {
    Region.Kind.PROVINSI: "p",
    Region.Kind.KABUPATEN: "b",
    Region.Kind.KOTA: "t",
    Region.Kind.KECAMATAN: "c",
    Region.Kind.NAGARI: "n",
    Region.Kind.DESA: "d",
    Region.Kind.KELURAHAN: "l",
    Region.Kind.JORONG: "j",
    Region.Kind.KAMPUNG: "k",
    Region.Kind.DUSUN: "s",
}
CACHE_KEY = "regions:offline-data"
# Each process rebuilds at most this often: a refresh run elsewhere reaches phones within a minute.
CACHE_SECONDS = 60


def kind_labels() -> dict:
    """The label of each kind letter ("c" → "Kecamatan"), in the current language, for the picker."""
    return {letter: str(kind.label) for kind, letter in KIND_LETTERS.items()}


# Kinds the picker knows from the level alone.
LEVEL_KINDS = {Region.Level.PROVINCE: Region.Kind.PROVINSI, Region.Level.DISTRICT: Region.Kind.KECAMATAN}


def _build() -> tuple[str, bytes]:
    children = {}
    regions = Region.objects.current().order_by("code").values_list("code", "name", "kind", "level")
    for code, name, kind, level in regions:
        parent, _, suffix = code.rpartition(".")
        row = [suffix, Region(name=name).display_name]
        if LEVEL_KINDS.get(level) != kind:
            row.append(KIND_LETTERS.get(kind, ""))
        children.setdefault(parent, []).append(row)
    body = json.dumps(children, ensure_ascii=False, separators=(",", ":")).encode()
    version = hashlib.sha256(body).hexdigest()[:12]
    return version, b'{"version":"' + version.encode() + b'","children":' + body + b"}"


def offline_regions() -> tuple[str, bytes]:
    """(version, JSON body) of the offline region file, rebuilt at most once a minute per process."""
    data = cache.get(CACHE_KEY)
    if data is None:
        data = _build()
        cache.set(CACHE_KEY, data, CACHE_SECONDS)
    return data


def forget() -> None:
    """Drop this process's copy (after loading regions), so the next request rebuilds it."""
    cache.delete(CACHE_KEY)
