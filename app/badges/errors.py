"""Errors raised by the pure badge layer (documents, images, baking); mapped to 422 problems in ``app.errors``.

Kept free of any web or database import so ``app.badges`` stays pure::

    BadgeInputError        invalid_badge_input
    ├── ImageRejected      invalid_image
    └── BakingError        invalid_baked_badge
"""

from __future__ import annotations

from typing import Any

__all__ = ["BadgeInputError"]


class BadgeInputError(Exception):
    """Bad input to a badge operation. ``extra["reason"]``, when present, is a stable sub-code."""

    code: str = "invalid_badge_input"
    message_en: str = "This badge data cannot be used."
    message_fr: str = "Ces données de badge ne sont pas utilisables."

    def __init__(self, message_en: str | None = None, message_fr: str | None = None, *,
                 extra: dict[str, Any] | None = None) -> None:
        if message_en is not None:
            self.message_en = message_en
        if message_fr is not None:
            self.message_fr = message_fr
        self.extra = extra or {}
        super().__init__(f"{self.code}: {self.message_en}")
