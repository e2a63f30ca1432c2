"""The error of baking and unbaking (:class:`BakingError`, HTTP 422) and the failures it reports, each with a reason.

``extra["reason"]`` is a stable sub-code (``no_badge``, ``several_badges``, ``payload_too_large``…) that callers and
the verifier report as is.
"""

from __future__ import annotations

from app.badges.errors import BadgeInputError

__all__ = ["BakingError", "baking_failure", "empty_badge", "nothing_to_bake"]


class BakingError(BadgeInputError):
    """An image carries no badge, several, or a malformed one; or a payload cannot be baked. HTTP 422."""

    code = "invalid_baked_badge"
    message_en = "This image does not carry exactly one readable Open Badge."
    message_fr = "Cette image ne contient pas exactement un Open Badge lisible."


def baking_failure(reason: str, message_en: str, message_fr: str) -> BakingError:
    """A :class:`BakingError` with ``reason`` as ``extra["reason"]`` and its own bilingual message."""
    return BakingError(message_en, message_fr, extra={"reason": reason})


def nothing_to_bake() -> BakingError:
    """The payload to bake is empty (or only whitespace, in an SVG)."""
    return baking_failure("empty_payload", "There is nothing to bake.", "Il n'y a rien à intégrer.")


def empty_badge() -> BakingError:
    """The image carries a badge chunk or element, but with nothing in it."""
    return baking_failure("empty_badge", "The Open Badge in this image is empty.",
                          "L'Open Badge de cette image est vide.")
