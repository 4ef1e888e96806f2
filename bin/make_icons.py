"""Draw the app icons (static/img/icon-192.png, icon-512.png, icon.svg): a white S on green.

Plain Python (zlib), no image library and nothing downloaded. Run: python bin/make_icons.py
"""

import struct
import zlib
from pathlib import Path

GREEN = (0x14, 0x53, 0x2D)
WHITE = (0xFF, 0xFF, 0xFF)
# A 5×7 letter S; the icon keeps it inside the central 60 % (maskable safe zone).
S = ["01111", "10000", "10000", "01110", "00001", "00001", "11110"]
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def pixel(x: int, y: int, size: int):
    cell = size * 0.6 / 7
    left = (size - 5 * cell) / 2
    top = (size - 7 * cell) / 2
    col, row = int((x - left) // cell), int((y - top) // cell)
    if 0 <= row < 7 and 0 <= col < 5 and x >= left and y >= top and S[row][col] == "1":
        return WHITE
    return GREEN


def png(size: int) -> bytes:
    rows = b"".join(b"\x00" + bytes(c for x in range(size) for c in pixel(x, y, size)) for y in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def svg() -> str:
    cell = 60 / 7
    left, top = (100 - 5 * cell) / 2, 20
    rects = "".join(
        f'<rect x="{left + c * cell:.2f}" y="{top + r * cell:.2f}" '
        f'width="{cell + 0.05:.2f}" height="{cell + 0.05:.2f}"/>'
        for r, line in enumerate(S)
        for c, bit in enumerate(line)
        if bit == "1"
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" rx="18" fill="#14532d"/><g fill="#fff">{rects}</g></svg>\n'
    )


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(png(size))
    (OUT / "icon.svg").write_text(svg())
