"""A small, strict ``Accept`` header negotiation (RFC 9110 §12.5.1)."""

from __future__ import annotations

__all__ = ["negotiate"]


def _parse(accept: str) -> list[tuple[str, float, int]]:
    ranges: list[tuple[str, float, int]] = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality, position))
    return ranges


def _specificity(media_range: str, offered: str) -> int:
    if media_range == offered:
        return 3
    kind, _, _ = offered.partition("/")
    if media_range == f"{kind}/*":
        return 2
    if media_range == "*/*":
        return 1
    return 0


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """Pick the offered media type the client prefers; the first offered wins ties. ``None`` = nothing acceptable."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = _parse(accept)
    best: tuple[float, int, int, int] | None = None
    choice: str | None = None
    for index, media in enumerate(offered):
        matches = [(quality, _specificity(r, media), -pos) for r, quality, pos in ranges if _specificity(r, media)]
        if not matches:
            continue
        quality, specificity, position = max(matches, key=lambda m: (m[1], m[0]))
        if quality <= 0:
            continue
        score = (quality, specificity, position, -index)
        if best is None or score > best:
            best, choice = score, media
    return choice
