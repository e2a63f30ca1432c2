"""What a person types, made safe: their email address (normalised) and where to go after signing in (a local
path of ours, or nothing: no open redirect)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import email_validator

from app.errors import InvalidInput

__all__ = ["DEFAULT_NEXT", "MAX_ADDRESS", "fold", "local_path", "normalise_address"]

MAX_ADDRESS = 254
MAX_NEXT = 2048
#: where a person lands after signing in when nobody said where
DEFAULT_NEXT = "/moi"
#: the sign-in pages themselves are never a destination (a loop)
_NOT_DESTINATIONS = ("/connexion", "/deconnexion")


def _not_an_address() -> InvalidInput:
    return InvalidInput("This is not an email address. Check it (for example: first.last@example.org): no space, "
                        "no comma, one address only.",
                        "Ce n'est pas une adresse e-mail. Vérifiez-la (par exemple : prenom.nom@exemple.fr) : sans "
                        "espace ni virgule, une seule adresse.", code="invalid_email")


def normalise_address(typed: str) -> str:
    """The address as mail servers read it: Unicode NFC, domain in lower case (email-validator, syntax only: no DNS
    lookup, so every address takes the same time).

    :raises InvalidInput: ``invalid_email``, in words.
    """
    value = unicodedata.normalize("NFC", typed.strip())
    if not value or len(value) > MAX_ADDRESS:
        raise _not_an_address()
    try:
        return email_validator.validate_email(value, check_deliverability=False).normalized
    except email_validator.EmailNotValidError:
        raise _not_an_address() from None


def fold(address: str) -> str:
    """One spelling per mailbox for counting and matching (``Sylvie@x.fr`` and ``sylvie@x.fr`` are the same
    person to every common provider): case-folded. The address itself keeps its case."""
    return address.casefold()


def local_path(value: str | None) -> str | None:
    """``value`` when it is a path on this service (``/comite/xyz?tab=2``), None otherwise.

    Refused: anything with a scheme or a host (``https://…``, ``//evil.example``), backslashes (``/\\evil``, which
    browsers read as ``//``), spaces and control characters (browsers drop tabs and line breaks, so ``/\\t/evil``
    would become ``//evil``), non-ASCII text, and the sign-in pages themselves.
    """
    if not value or len(value) > MAX_NEXT or not value.startswith("/") or value.startswith("//"):
        return None
    if any(not ("\x21" <= c <= "\x7e") or c == "\\" for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if any(parts.path == p or parts.path.startswith(p + "/") for p in _NOT_DESTINATIONS):
        return None
    return value
