"""Build the overview map's regency outlines from nusa-13's regencies.csv: simplified, projected SVG paths."""

import csv
import json
import math
from pathlib import Path

MAP_FILE = Path(__file__).parent / "data" / "sumbar-regencies.json"
WIDTH = 1000  # viewBox width; the height follows the province's shape
TOLERANCE = 0.8  # Douglas–Peucker tolerance in viewBox units (about 0.3 km at this scale)
SOURCE = (
    "nusa-13: resources/csv/13/regencies.csv of laravel-nusa by Creasi.co (MIT), commit "
    "187812a92f7d3e1200ac72608ea06766894a93e2; see LICENSE-nusa-MIT.txt"
)


def dotted(code: str) -> str:
    """Kemendagri code without dots (1371) → ours (13.71)."""
    return f"{code[:2]}.{code[2:]}"


def rings_of(coordinates) -> list:
    """Every ring of a boundary given as a ring, a list of rings, or a list of polygons' rings."""
    depth, probe = 0, coordinates
    while isinstance(probe, list) and probe:
        depth, probe = depth + 1, probe[0]
    if depth == 2:
        return [coordinates]
    if depth == 3:
        return list(coordinates)
    return [ring for polygon in coordinates for ring in polygon]


def _distance(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    return abs(dy * px - dx * py + bx * ay - by * ax) / math.hypot(dx, dy)


def simplify(points, tolerance):
    """Douglas–Peucker, iterative: the points that keep the line within `tolerance` of the original."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        far, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > far:
                far, index = d, i
        if index is not None and far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def read_regencies(path) -> list[dict]:
    """[{code, name, rings: [[(lat, lon), …], …]}] from a nusa regencies.csv (rings in [lat, lon] order)."""
    csv.field_size_limit(10_000_000)
    with open(path, newline="", encoding="utf-8") as f:
        return [
            {
                "code": dotted(row["code"]),
                "name": row["name"],
                "rings": [
                    [(float(lat), float(lon)) for lat, lon in ring] for ring in rings_of(json.loads(row["coordinates"]))
                ],
            }
            for row in csv.DictReader(f)
        ]


def build(regencies, *, width=WIDTH, tolerance=TOLERANCE) -> dict:
    """The map file's content: equirectangular (lon scaled by cos of the mid latitude), y down, integer units."""
    lats = [lat for r in regencies for ring in r["rings"] for lat, _ in ring]
    lons = [lon for r in regencies for ring in r["rings"] for _, lon in ring]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = width / ((max(lons) - min(lons)) * k)
    height = math.ceil((max(lats) - min(lats)) * scale)

    def project(lat, lon):
        return ((lon - min(lons)) * k * scale, (max(lats) - lat) * scale)

    regions = []
    for regency in sorted(regencies, key=lambda r: r["code"]):
        parts = []
        for ring in regency["rings"]:
            points = simplify([project(lat, lon) for lat, lon in ring], tolerance)
            path = _relative_path([(round(x), round(y)) for x, y in points])
            if path:
                parts.append(path)
        regions.append({"code": regency["code"], "name": regency["name"], "d": "".join(parts)})
    return {"source": SOURCE, "viewBox": f"0 0 {width} {height}", "regions": regions}


def _relative_path(points) -> str:
    """`M x y l dx dy … z` for a closed ring; '' when rounding leaves fewer than three distinct points."""
    unique = []
    for p in points:
        if not unique or p != unique[-1]:
            unique.append(p)
    if len(unique) > 1 and unique[0] == unique[-1]:
        unique.pop()
    if len(set(unique)) < 3:
        return ""
    out = [f"M{unique[0][0]} {unique[0][1]}l"]
    steps = []
    for (x0, y0), (x1, y1) in zip(unique, unique[1:], strict=False):
        steps.append(f"{x1 - x0} {y1 - y0}")
    # Negative numbers need no separator in SVG path syntax.
    return out[0] + " ".join(steps).replace(" -", "-") + "z"


def write(content, path=MAP_FILE) -> int:
    """Write the map file compactly (one region a line, for readable diffs); returns its size in bytes."""
    lines = [json.dumps(region, ensure_ascii=False, separators=(",", ":")) for region in content["regions"]]
    head = {k: v for k, v in content.items() if k != "regions"}
    opening = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    text = opening + ',"regions":[\n' + ",\n".join(lines) + "\n]}\n"
    Path(path).write_text(text, encoding="utf-8")
    return len(text.encode())
