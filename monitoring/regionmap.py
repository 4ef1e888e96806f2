"""The overview's map: the regencies shaded by the page's own figures, others drawn as outlines."""

import json
import math
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from followup.summary import active_by_area
from regions.models import Region

from .mapdata import MAP_FILE

STEPS = 5  # shades above zero: map-1 … map-5 in monitoring.css (ColorBrewer Blues, one hue)
# What the map shades (the overview's `peta` parameter), the first by default.
MEASURES = {"kedatangan": _("Kedatangan"), "isolasi": _("Sedang isolasi")}
REGENCY_CODE_LENGTH = 5  # "13.71"


@lru_cache(maxsize=1)
def outlines() -> dict:
    """The committed map file (monitoring/data/sumbar-regencies.json), read once per process."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


@dataclass
class Shape:
    code: str
    d: str
    region: Region | None = None  # None: outside what the page counts (an outline, no number, no link)
    count: int | None = None
    step: int | None = None
    url: str = ""
    current: bool = False  # the regency the page looks at, among its neighbours


def shows_map(view) -> bool:
    """Whether an overview of `view` (the drilled-into area, or the user's own areas) carries the map."""
    codes = {r["code"] for r in outlines()["regions"]}
    return bool(view) and all(
        r.level <= Region.Level.REGENCY and any(code == r.code or code.startswith(r.code + ".") for code in codes)
        for r in view
    )


def step(n: int, top: int) -> int:
    """The shade of `n` on a linear scale of STEPS classes up to `top`; 0 only for none."""
    return 0 if n <= 0 or top <= 0 else min(STEPS, math.ceil(STEPS * n / top))


def legend(top: int) -> list[tuple[int, int, int]]:
    """[(step, lowest, highest)] of the classes that can hold a whole number, 0 first."""
    rows = [(0, 0, 0)]
    for k in range(1, STEPS + 1):
        low, high = math.floor((k - 1) * top / STEPS) + 1, math.floor(k * top / STEPS)
        if low <= high:
            rows.append((k, low, high))
    return rows


def regency_arrivals(by_sub_area, view) -> dict:
    """{regency: arrivals} from the overview's own breakdown (`by_sub_area`), for the regencies of `view`.

    A province's sub-areas are its regencies; a regency's are its kecamatan, summed (with the
    arrivals bound for the regency itself). No query: the map shows the numbers the page shows.
    """
    counts = {}
    for area in view:
        if area.level == Region.Level.PROVINCE:
            counts.update({r: n for r, n in by_sub_area if r is not None and r.level == Region.Level.REGENCY})
        else:
            counts[area] = sum(n for r, n in by_sub_area if _within(r, area, alone=len(view) == 1))
    return counts


def _within(region, area, *, alone):
    """Whether a breakdown row counts for `area`: a region inside it, or (when it is the only area) the rest."""
    if region is None:  # bound for the area itself, or for a code none of its sub-areas holds
        return alone
    return region == area or region.code.startswith(area.code + ".")


def overview_map(*, view, by_sub_area, followup, since, today, measure) -> dict:
    """The map's shapes, legend and table for the overview, from the page's own figures: the arrivals
    breakdown and the follow-up figures' orders in force (no query of its own)."""
    arrivals = regency_arrivals(by_sub_area, view)
    regencies = {r.code: r for r in arrivals}
    isolating = active_by_area(followup, length=REGENCY_CODE_LENGTH)
    rows = [(r, arrivals[r], isolating.get(r.code, 0)) for r in sorted(arrivals, key=lambda r: r.code)]
    figure = {r.code: (n if measure == "kedatangan" else k) for r, n, k in rows}
    top = max(figure.values(), default=0)
    current = {r.code for r in view if r.level == Region.Level.REGENCY}
    shapes = []
    list_url = reverse("monitoring:arrival_list")
    for outline in outlines()["regions"]:
        shape = Shape(code=outline["code"], d=outline["d"], current=outline["code"] in current)
        region = regencies.get(outline["code"])
        if region is not None:
            shape.region, shape.count = region, figure[region.code]
            shape.step = step(shape.count, top)
            shape.url = _list_url(list_url, region, measure=measure, since=since, today=today)
        shapes.append(shape)
    rows.sort(key=lambda row: (-(row[1] if measure == "kedatangan" else row[2]), row[0].code))
    return {
        "viewbox": outlines()["viewBox"],
        "shapes": shapes,
        "legend": legend(top),
        "rows": [
            {
                "region": r,
                "arrivals": n,
                "isolating": k,
                "step": step(figure[r.code], top),
                "current": r.code in current,
            }
            for r, n, k in rows
        ],
        "measure": measure,
        "measures": MEASURES.items(),
        "outlined": any(s.region is None for s in shapes),
        # Drawn once more, unfilled, over the others: its border stays whole on top of its neighbours'.
        "current": [s for s in shapes if s.current],
    }


def _list_url(list_url, region, *, measure, since, today):
    """Where tapping a regency leads: the arrival list for it, over the window or with a running isolation."""
    if measure == "isolasi":
        # An order runs at most as long as its arrival is recent; a year back covers any extension.
        params = {"dari": today - timedelta(days=365), "sampai": today, "tujuan": region.code, "isolasi": "aktif"}
    else:
        params = {"dari": since, "sampai": today, "tujuan": region.code}
    return f"{list_url}?{urlencode(params)}"
