"""Regions as lists and filters name them, read once per process instead of once per request.

A page of 50 arrivals names a few hundred regions and its filters list dozens more; the table
changes a few times a year (load_regions, a hamlet added, an admin's edit). Each process keeps
what it read, with the language-dependent labels worked out once per language. A change made
anywhere raises a version in the shared cache (the rate limits' Redis or database cache);
every process looks at that version at most every RECHECK_SECONDS and reads again when it moved,
and the process that made the change reads again at once.
"""

import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from .models import Region, kind_label

RECHECK_SECONDS = 5
logger = logging.getLogger(__name__)


class ProcessCatalogue:
    """Data read by `load()` and kept in this process until `changed()` is called here or anywhere."""

    def __init__(self, name, load):
        self.key = f"catalogue-version:{name}"
        self.load = load
        self._lock = threading.Lock()
        self._data = None
        self._version = None
        self._checked = 0.0

    def get(self):
        now = time.monotonic()
        if self._data is not None and now - self._checked < RECHECK_SECONDS:
            return self._data
        version = self._shared_version()
        with self._lock:
            self._checked = now
            if self._data is None or version != self._version:
                self._data, self._version = self.load(), version
            return self._data

    def changed(self, **_signal):
        """Forget this process's copy now, and every other process's within RECHECK_SECONDS of the
        change being committed."""
        with self._lock:
            self._data = None
        transaction.on_commit(self._announce)

    def _announce(self):
        try:
            self._shared().set(self.key, time.time_ns(), None)
        except Exception:  # the shared cache down or not made yet (createcachetable): keep the write
            logger.warning("could not announce a change of %s to other processes", self.key, exc_info=True)

    def _shared_version(self):
        try:
            return self._shared().get(self.key, 0)
        except Exception:  # the shared cache down: keep what this process has, look again later
            logger.warning("could not read the version of %s", self.key, exc_info=True)
            return self._version

    def _shared(self):
        from django.conf import settings

        return caches[settings.SIPANTAU_RATE_LIMIT_CACHE]


@dataclass
class RegionTable:
    """Every region by id and by code: (id, code, name, level, kind, parent code)."""

    by_id: dict
    by_code: dict
    children: dict  # parent code -> codes, in code order
    provinces: list  # codes of the provinces, in code order
    _labels: dict = field(default_factory=dict)

    def labels(self) -> dict:
        """id -> label ("Kota Padang", "Kecamatan Padang Barat") in the active language."""
        language = translation.get_language()
        found = self._labels.get(language)
        if found is None:
            found = {pk: _label(row) for pk, row in self.by_id.items()}
            self._labels[language] = found
        return found

    def label(self, code) -> str:
        row = self.by_code.get(code)
        return self.labels()[row[0]] if row else code


def _label(row) -> str:
    _pk, _code, name, _level, kind, _parent = row
    return f"{kind_label(kind)} {Region(name=name).display_name}"


def _load_regions() -> RegionTable:
    by_id, by_code, children = {}, {}, {}
    values = Region.objects.order_by("code").values_list("id", "code", "name", "level", "kind", "parent__code")
    for row in values:
        by_id[row[0]] = row
        by_code[row[1]] = row
        if row[5]:
            children.setdefault(row[5], []).append(row[1])
    provinces = [code for code, row in by_code.items() if row[3] == Region.Level.PROVINCE]
    return RegionTable(by_id, by_code, children, provinces)


regions = ProcessCatalogue("regions", _load_regions)


def region_table() -> RegionTable:
    return regions.get()


def regions_changed() -> None:
    """Call after changing regions without model signals (bulk writes: load_regions); inside the
    transaction that changes them, the other processes hear of it once it commits."""
    regions.changed()


post_save.connect(regions.changed, sender=Region, dispatch_uid="regions-catalogue-save")
post_delete.connect(regions.changed, sender=Region, dispatch_uid="regions-catalogue-delete")
