"""Errors raised by the pure badge layer (documents, images, baking): the caller's input, so 422.

Part of the one tree of :mod:`app.errors` (dependency-free, so ``app.badges`` stays pure)::

    BadgeInputError        invalid_badge_input
    ├── ImageRejected      invalid_image
    └── BakingError        invalid_baked_badge
"""

from __future__ import annotations

from app.errors import SavoirsError

__all__ = ["BadgeInputError"]


class BadgeInputError(SavoirsError):
    """Bad input to a badge operation. ``extra["reason"]``, when present, is a stable sub-code."""

    status = 422
    code: str = "invalid_badge_input"
    message_en: str = "This badge data cannot be used."
    message_fr: str = "Ces données de badge ne sont pas utilisables."
