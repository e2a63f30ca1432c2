"""Generated badge images for achievements that have none of their own (OB 2.0 requires a BadgeClass image).

A plain disc in one of a few high-contrast colours chosen from the achievement id, with the badge name in the SVG
(written by us, never from user markup: the name is escaped). The PNG is drawn pixel by pixel with the standard
library, so it needs no image library and never decodes untrusted data.
"""

from __future__ import annotations

import hashlib
import struct
import textwrap
import zlib
from functools import cache
from xml.sax.saxutils import escape

__all__ = ["default_png", "default_svg"]

# (background, text) pairs with a contrast ratio above 4.5:1
_PALETTE = [((0x1D, 0x4E, 0x89), "#ffffff"), ((0x8A, 0x1C, 0x4A), "#ffffff"), ((0x1E, 0x6B, 0x3A), "#ffffff"),
            ((0x6B, 0x3F, 0x00), "#ffffff"), ((0x4B, 0x2E, 0x83), "#ffffff")]
_SIZE = 256


def _index(seed: str) -> int:
    return hashlib.sha256(seed.encode("utf-8")).digest()[0] % len(_PALETTE)


def _colour(seed: str) -> tuple[tuple[int, int, int], str]:
    return _PALETTE[_index(seed)]


def default_svg(name: str, seed: str) -> bytes:
    """An SVG badge showing ``name`` (escaped, wrapped on up to three lines).

    :param name: the badge name.
    :param seed: a stable value (the achievement id) that picks the colour.
    :returns: UTF-8 SVG bytes.
    """
    (r, g, b), ink = _colour(seed)
    lines = textwrap.wrap(name, width=16)[:3] or [""]
    first_y = 128 - (len(lines) - 1) * 14
    spans = "".join(f'<tspan x="128" y="{first_y + 28 * i}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" role="img">'
        f"<title>{escape(name)}</title>"
        f'<circle cx="128" cy="128" r="124" fill="#{r:02x}{g:02x}{b:02x}"/>'
        f'<circle cx="128" cy="128" r="110" fill="none" stroke="{ink}" stroke-width="4"/>'
        f'<text font-family="sans-serif" font-size="22" font-weight="bold" fill="{ink}" text-anchor="middle" '
        f'dominant-baseline="middle">{spans}</text></svg>'
    ).encode()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def default_png(seed: str) -> bytes:
    """A 256×256 RGBA PNG: a coloured disc with a white ring on a transparent background.

    :param seed: a stable value (the achievement id) that picks the colour.
    :returns: PNG bytes.
    """
    return _png(_index(seed))


@cache
def _png(index: int) -> bytes:
    (r, g, b), _ = _PALETTE[index]
    fill, ring, clear = bytes((r, g, b, 255)), b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"
    centre = (_SIZE - 1) / 2
    rows = []
    for y in range(_SIZE):
        row = bytearray(b"\x00")  # filter type 0
        for x in range(_SIZE):
            distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            row += ring if 106 <= distance <= 110 else fill if distance <= 124 else clear
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", _SIZE, _SIZE, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + _chunk(b"IEND", b""))
