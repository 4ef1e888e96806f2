"""Loading the shipped Kemendagri region data into `Region`, idempotently."""

import csv
import gzip
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .catalogue import regions_changed
from .models import Region
from .offline import forget as forget_offline_regions

DATA_DIR = Path(__file__).resolve().parent / "data"

# Sumatera Barat calls the desa of its kabupaten "nagari"; Mentawai (13.09) and the
# cities keep "desa". Kelurahan codes start with 1, desa codes with 2.
NAGARI_PROVINCE = "13"
NAGARI_EXCEPTIONS = {"13.09"}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    by_level: dict = field(default_factory=dict)


def _rows(name, province=None):
    path = DATA_DIR / name
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if province is None or row["code"].startswith(province + "."):
                yield row


def _village_kind(code, regency_kind):
    regency_code = code[:5]
    if code.split(".")[-1].startswith("1"):
        return Region.Kind.KELURAHAN
    if (
        code.startswith(NAGARI_PROVINCE + ".")
        and regency_kind == Region.Kind.KABUPATEN
        and regency_code not in NAGARI_EXCEPTIONS
    ):
        return Region.Kind.NAGARI
    return Region.Kind.DESA


def shipped_regions(province):
    """Yield (code, name, level, kind, parent_code) for every shipped region, outermost first."""
    for row in _rows("provinces.csv"):
        yield row["code"], row["name"], Region.Level.PROVINCE, Region.Kind.PROVINSI, None
    regency_kinds = {}
    for row in _rows("regencies.csv"):
        kind = Region.Kind.KOTA if row["name"].startswith("Kota ") else Region.Kind.KABUPATEN
        regency_kinds[row["code"]] = kind
        yield row["code"], row["name"], Region.Level.REGENCY, kind, row["province_code"]
    for row in _rows("districts.csv"):
        yield row["code"], row["name"], Region.Level.DISTRICT, Region.Kind.KECAMATAN, row["regency_code"]
    for row in _rows("villages.csv.gz", province=province):
        kind = _village_kind(row["code"], regency_kinds.get(row["code"][:5]))
        yield row["code"], row["name"], Region.Level.VILLAGE, kind, row["district_code"]


@transaction.atomic
def load_regions(*, province: str) -> LoadResult:
    """Create, update or retire regions so the table matches the shipped data.

    Regions that left the data are retired, never deleted: arrivals may point to them.
    Hamlets are the admins' own and are left alone. A second run changes nothing.
    """
    result = LoadResult()
    existing = {r.code: r for r in Region.objects.exclude(level=Region.Level.HAMLET)}
    seen = set()
    to_update = []
    ids = {code: r.pk for code, r in existing.items()}
    pending_level = None
    to_create = []

    def flush_creates():
        created = Region.objects.bulk_create(to_create, batch_size=2000)
        # SQLite and PostgreSQL both return primary keys from bulk_create.
        for region in created:
            ids[region.code] = region.pk
        result.created += len(created)
        to_create.clear()

    for code, name, level, kind, parent_code in shipped_regions(province):
        if level != pending_level:
            flush_creates()  # children need their parents' ids
            pending_level = level
        seen.add(code)
        result.by_level[level] = result.by_level.get(level, 0) + 1
        parent_id = ids.get(parent_code) if parent_code else None
        region = existing.get(code)
        if region is None:
            to_create.append(Region(code=code, name=name, level=level, kind=kind, parent_id=parent_id))
            continue
        wanted = {"name": name, "level": level, "kind": kind, "parent_id": parent_id, "retired": False}
        if any(getattr(region, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(region, k, v)
            to_update.append(region)
        else:
            result.unchanged += 1
    flush_creates()

    Region.objects.bulk_update(to_update, ["name", "level", "kind", "parent", "retired"], batch_size=2000)
    result.updated = len(to_update)
    gone = [r.pk for code, r in existing.items() if code not in seen and not r.retired]
    result.retired = Region.objects.filter(pk__in=gone).update(retired=True)
    transaction.on_commit(forget_offline_regions)
    regions_changed()
    return result
