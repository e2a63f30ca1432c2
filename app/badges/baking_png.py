"""Bake a badge into a PNG, and read it back: one uncompressed ``iTXt`` chunk right after ``IHDR``.

OB 2.0 §baking, OB 3.0 §5.3: keyword ``openbadges`` (2.0) or ``openbadgecredential`` (3.0), text = compact JWS or the
JSON document. Extraction takes the first badge chunk; a keyword seen twice or a compressed badge chunk is refused;
the legacy ``tEXt:openbadges`` (hosted URL) is read. Chunks are walked by :func:`app.badges.png.read_png_chunks`, with
the same caps; nothing is decompressed.
"""

from __future__ import annotations

from app.badges.baking_errors import baking_failure, empty_badge, nothing_to_bake
from app.badges.baking_payload import Version, check_payload
from app.badges.png import PNG_SIGNATURE, is_badge_chunk, parse_text_chunk, png_chunk, read_png_chunks

__all__ = ["OB2_KEYWORD", "OB3_KEYWORD", "PNG_KEYWORD_VERSIONS", "bake_png", "unbake_png"]

OB2_KEYWORD = "openbadges"
OB3_KEYWORD = "openbadgecredential"
PNG_KEYWORD_VERSIONS: dict[str, Version] = {OB2_KEYWORD: "ob2", OB3_KEYWORD: "ob3"}


def bake_png(png: bytes, keyword: str, text: str) -> bytes:
    """Return ``png`` with one uncompressed ``iTXt`` chunk ``keyword`` = ``text`` right after ``IHDR``.

    Every existing ``openbadge*`` text chunk (``iTXt``/``tEXt``) is removed first, so the badge appears once.
    ``keyword`` is ``openbadges`` (OB 2.0) or ``openbadgecredential`` (OB 3.0).

    :raises ValueError: another keyword.
    :raises ImageRejected: ``png`` (or the result) fails :func:`app.badges.png.read_png_chunks`.
    :raises BakingError: empty text, a NUL character, or more than 1 MiB.
    """
    if keyword not in PNG_KEYWORD_VERSIONS:
        raise ValueError(f"PNG badge keyword must be {OB2_KEYWORD!r} or {OB3_KEYWORD!r}, not {keyword!r}")
    if not text:
        raise nothing_to_bake()
    raw = check_payload(text, xml=False)
    chunks = read_png_chunks(png)
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text
    badge = png_chunk(b"iTXt", keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + raw)
    kept = [png[c.start : c.end] for c in chunks[1:] if not is_badge_chunk(c)]
    baked = b"".join([PNG_SIGNATURE, png[chunks[0].start : chunks[0].end], badge, *kept])
    read_png_chunks(baked)
    return baked


def unbake_png(png: bytes) -> tuple[str, str]:
    """Return ``(keyword, text)`` of the first badge chunk of a PNG.

    Reads ``iTXt`` ``openbadges``/``openbadgecredential`` and the legacy ``tEXt`` ``openbadges`` (a hosted URL).

    :raises ImageRejected: a malformed PNG, or a compressed badge chunk (never decompressed).
    :raises BakingError: no badge chunk, the same keyword twice, ``tEXt`` for a 3.0 credential, empty or > 1 MiB.
    """
    found: list[tuple[str, str]] = []
    for chunk in read_png_chunks(png):
        if chunk.type not in (b"iTXt", b"tEXt") or not is_badge_chunk(chunk):
            continue  # other metadata is none of our business, even when malformed
        parsed = parse_text_chunk(chunk)
        if parsed.keyword not in PNG_KEYWORD_VERSIONS:
            continue
        if parsed.kind == b"tEXt" and parsed.keyword != OB2_KEYWORD:
            raise baking_failure("png_text_chunk", "An Open Badges 3.0 credential must be baked in an iTXt chunk.",
                                 "Un Open Badge 3.0 doit être intégré dans un bloc iTXt.")
        found.append((parsed.keyword, parsed.text or ""))
    if not found:
        raise baking_failure("no_badge", "This PNG image carries no Open Badge.",
                             "Cette image PNG ne contient aucun Open Badge.")
    keywords = [keyword for keyword, _text in found]
    if len(set(keywords)) != len(keywords):
        raise baking_failure("several_badges", "This PNG image carries the same Open Badge chunk more than once.",
                             "Cette image PNG contient plusieurs fois le même bloc Open Badge.")
    keyword, text = found[0]
    if not text:
        raise empty_badge()
    check_payload(text, xml=False)
    return keyword, text
