"""Verifier errors: a failed step (reported as a failed check) and unusable input (422 / exit code 2)."""

from __future__ import annotations

from app.badges.errors import BadgeInputError
from app.errors import SavoirsError

__all__ = ["StepFailed", "UnusableInput"]


class StepFailed(SavoirsError):
    """A verification step failed; the message says why, in both languages. The verifier turns it into a failed
    check of its report; it never reaches a client as an error."""

    status = 422
    code = "check_failed"

    def __init__(self, en: str, fr: str) -> None:
        super().__init__(en, fr)

    @property
    def en(self) -> str:
        return self.message_en

    @property
    def fr(self) -> str:
        return self.message_fr


class UnusableInput(BadgeInputError):
    """The input is not a badge in any format we read (nothing to verify)."""

    code = "unusable_input"
    message_en = ("This is not an Open Badge we can read: give a badge URL, its JSON, a JWS/JWT, or a baked PNG or "
                  "SVG image.")
    message_fr = ("Ce n'est pas un Open Badge lisible : donnez l'adresse du badge, son JSON, un JWS/JWT ou une image "
                  "PNG ou SVG contenant le badge.")
