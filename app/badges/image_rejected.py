"""The one error for an untrusted image we refuse, shared by the PNG walker, the SVG parser and the sanitiser.

Each refusal carries a stable sub-code in ``extra["reason"]`` (``png_bad_crc``, ``svg_dtd``…) for clients and tests.
"""

from __future__ import annotations

from app.badges.errors import BadgeInputError

__all__ = ["ImageRejected", "reject", "too_large"]


class ImageRejected(BadgeInputError):
    """An uploaded or submitted image is malformed, too large, or hostile. HTTP 422, code ``invalid_image``.

    ``extra["reason"]`` is a stable sub-code (``png_bad_crc``, ``svg_dtd``…) for clients and tests.
    """

    code = "invalid_image"
    message_en = "This image is not a valid PNG or SVG file, or it is too large."
    message_fr = "Cette image n'est pas un fichier PNG ou SVG valide, ou elle est trop volumineuse."


def reject(reason: str, message_en: str, message_fr: str) -> ImageRejected:
    """An :class:`ImageRejected` with its sub-code ``reason`` and both messages (to be raised by the caller)."""
    return ImageRejected(message_en, message_fr, extra={"reason": reason})


def too_large(max_bytes: int) -> ImageRejected:
    """The refusal of a file over ``max_bytes`` (sub-code ``too_large``), before anything is parsed."""
    return reject("too_large", f"The image is larger than {max_bytes // 1024} KiB.",
                  f"L'image dépasse {max_bytes // 1024} Kio.")
