"""Untrusted images (issuer logos, badge images, badges sent to the verifier): check PNG, sanitise SVG.

This is the entry point callers use; the work is done by one module per format:

* :mod:`app.badges.png` walks a PNG chunk by chunk (:func:`read_png_chunks`) and decompresses nothing (threat T8).
* :mod:`app.badges.svg` is the one hardened SVG parser (:func:`parse_svg`): UTF-8 only, no DTD, no network, no
  XInclude, caps on size, depth and element count (threat T7).
* :mod:`app.badges.svg_sanitise` keeps an allowlist of presentation elements and attributes (threat T17).

Here: tell PNG from SVG by content (:func:`sniff`) and check an upload (:func:`check_image`). Every name above is
re-exported, so ``from app.badges.images import …`` keeps working. :mod:`app.badges.baking` reuses both walkers, so
baking and the verifier see the same limits.
"""

from __future__ import annotations

import re
from typing import Literal

from app.badges.image_rejected import ImageRejected, reject
from app.badges.png import (
    MAX_CHUNK_BYTES,
    MAX_IMAGE_BYTES,
    MAX_PIXELS,
    MAX_PNG_CHUNKS,
    MAX_PNG_SIDE,
    PNG_SIGNATURE,
    PngChunk,
    TextChunk,
    check_png,
    is_badge_chunk,
    is_badge_keyword,
    parse_text_chunk,
    png_chunk,
    read_png_chunks,
)
from app.badges.svg import (
    MAX_SVG_BYTES,
    MAX_SVG_DEPTH,
    MAX_SVG_ELEMENTS,
    SVG_NS,
    parse_svg,
    remove_element,
)
from app.badges.svg_sanitise import sanitise_svg

__all__ = [
    "MAX_CHUNK_BYTES",
    "MAX_IMAGE_BYTES",
    "MAX_PIXELS",
    "MAX_PNG_CHUNKS",
    "MAX_PNG_SIDE",
    "MAX_SVG_BYTES",
    "MAX_SVG_DEPTH",
    "MAX_SVG_ELEMENTS",
    "PNG_SIGNATURE",
    "SVG_NS",
    "ImageRejected",
    "MediaType",
    "PngChunk",
    "TextChunk",
    "check_image",
    "check_png",
    "is_badge_chunk",
    "is_badge_keyword",
    "parse_svg",
    "parse_text_chunk",
    "png_chunk",
    "read_png_chunks",
    "remove_element",
    "sanitise_svg",
    "sniff",
]

MediaType = Literal["image/png", "image/svg+xml"]

_SVG_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]")


def sniff(data: bytes) -> MediaType:
    """Tell PNG from SVG by content (never by the declared type).

    :raises ImageRejected: neither.
    """
    if data.startswith(PNG_SIGNATURE):
        return "image/png"
    head = data[:8192].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<") and _SVG_START.search(head):
        return "image/svg+xml"
    raise reject("unsupported_type", "Only PNG and SVG images are accepted.",
                 "Seules les images PNG et SVG sont acceptées.")


def check_image(data: bytes, media_type: str) -> bytes:
    """Check an uploaded image and return the bytes to store: a PNG unchanged, an SVG sanitised.

    ``media_type`` is the declared type (parameters ignored); it must match the sniffed content.

    :raises ImageRejected: unsupported or mismatched type, or the checks of :func:`check_png`/:func:`sanitise_svg`.
    """
    declared = media_type.split(";", 1)[0].strip().lower()
    actual = sniff(data)
    if declared != actual:
        raise reject("type_mismatch", f"The file content is {actual}, not {declared or 'the declared type'}.",
                     f"Le contenu du fichier est {actual}, pas {declared or 'le type déclaré'}.")
    if actual == "image/png":
        check_png(data)
        return data
    return sanitise_svg(data)
