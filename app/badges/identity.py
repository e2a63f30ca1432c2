"""Recipient identity hashes (OB 2.0 and 3.0 ``IdentityObject``): ``sha256$hex(sha256(identity + salt))``.

Emails and phone numbers are normalised before hashing, so the hash a recipient can recompute from what they
type matches. A salted hash is pseudonymisation, not anonymity: it is still personal data.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
import unicodedata

__all__ = ["identity_hash", "matches", "new_salt", "normalise_email", "normalise_phone", "recipient_matches"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SALT_BYTES = 16


def normalise_email(value: str) -> str:
    """Trim, NFC-normalise and lower-case an email address.

    :raises ValueError: not email-shaped.
    """
    email = unicodedata.normalize("NFC", value.strip()).lower()
    if not _EMAIL.match(email) or len(email) > 320:
        raise ValueError("not an email address")
    return email


def normalise_phone(value: str, default_country_code: str = "33") -> str:
    """E.164 (``+33612345678``): spaces, dots, dashes and brackets removed; a French national number
    ``06 12 34 56 78`` gets ``+33``; ``0033…`` becomes ``+33…``.

    :raises ValueError: not a phone number.
    """
    digits = re.sub(r"[\s.\-()]", "", value.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = f"+{default_country_code}{digits[1:]}"
    if not re.fullmatch(r"\+[1-9][0-9]{6,14}", digits):
        raise ValueError("not a phone number")
    return digits


def new_salt() -> str:
    """A fresh random salt of 16 bytes, hex-encoded."""
    return secrets.token_hex(SALT_BYTES)


def identity_hash(identity: str, salt: str | None, alg: str = "sha256") -> str:
    """``<alg>$<hex digest of identity + salt>`` (UTF-8)."""
    if alg not in ("sha256", "md5"):
        raise ValueError("unsupported identity hash algorithm")
    digest = hashlib.new(alg, (identity + (salt or "")).encode("utf-8")).hexdigest()
    return f"{alg}${digest}"


def matches(stored_hash: str, candidate: str, salt: str | None) -> bool:
    """Does ``candidate`` (already normalised) hash to ``stored_hash``? Case-insensitive hex, sha256 or md5."""
    alg, _, digest = stored_hash.partition("$")
    alg = alg.lower()
    if alg not in ("sha256", "md5") or not digest:
        return False
    return hmac.compare_digest(identity_hash(candidate, salt, alg).split("$", 1)[1], digest.lower())


def recipient_matches(stored: str, candidate: str, salt: str | None, *, hashed: bool) -> bool:
    """Is ``candidate`` (as a person types it) the recipient published as ``stored``?

    Tried as given and, when it looks like an email, normalised the way issuers hash emails; compared by salted hash
    when ``hashed``, else as plain text.
    """
    value = candidate.strip()
    options = [value]
    if "@" in value:
        with contextlib.suppress(ValueError):  # not an email after all: compared as given only
            options.append(normalise_email(value))
    return any(matches(stored, option, salt) if hashed else stored == option for option in options)
