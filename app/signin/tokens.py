"""The secrets of a sign-in, and how they are kept (pure: standard library and ``cryptography`` only).

* **Link token**: 256 random bits (``secrets.token_urlsafe(32)``), stored as its SHA-256. A token that long needs no
  key or salt: nobody can find it from its digest.
* **Code**: 6 random digits, stored as an HMAC-SHA256 keyed by a secret derived from the key-encryption key (HKDF,
  its own ``info``) over the challenge id and the code. A salted hash alone would not do: a million codes are tried in
  a moment, so a copy of the database would give every live code away; without the KEK (kept outside the database)
  the digests say nothing. The challenge id makes each digest unique (two challenges with the same code differ).
* **Address key**: an HMAC of the folded address under another derived key: what challenges are counted and
  superseded by, and the audit trail's pseudonym for a person, without storing the address of people who may not
  sign in.
* **Session token**: 256 random bits in the cookie, stored as its SHA-256.
* **CSRF token**: 256 random bits, in a cookie and in each form (double submit), compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["CODE_DIGITS", "SigninKeys", "clean_code", "new_code", "new_secret", "same_secret", "sha256_hex"]

CODE_DIGITS = 6
_CODE_SEPARATORS = str.maketrans("", "", " \t\u00a0\u202f-._")


def new_secret() -> str:
    """256 random bits, URL-safe (43 characters): link tokens, session tokens, CSRF tokens."""
    return secrets.token_urlsafe(32)


def sha256_hex(secret: str) -> str:
    """The SHA-256 of a random secret, as stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_secret(given: str | None, expected: str | None) -> bool:
    """Whether two secrets are equal (constant time; a missing one never matches)."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def new_code() -> str:
    """Six random digits (leading zeros kept)."""
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def clean_code(typed: str) -> str | None:
    """The six digits a person typed, however they typed them (``123 456``, ``123-456``, full-width digits), or
    None when it is not six digits."""
    folded = unicodedata.normalize("NFKC", typed).translate(_CODE_SEPARATORS)
    if len(folded) != CODE_DIGITS or not all("0" <= c <= "9" for c in folded):
        return None
    return folded


def _derive(kek: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"savoirs/signin/" + purpose).derive(kek)


@dataclass(frozen=True, slots=True)
class SigninKeys:
    """The keys of sign-in, derived from the key-encryption key (never stored)."""

    code_key: bytes
    address_key: bytes

    @classmethod
    def derive(cls, kek: bytes) -> SigninKeys:
        return cls(code_key=_derive(kek, b"code/v1"), address_key=_derive(kek, b"address/v1"))

    def code_digest(self, challenge_id: str, code: str) -> str:
        """What a challenge stores of its code."""
        return hmac.new(self.code_key, f"{challenge_id}:{code}".encode(), hashlib.sha256).hexdigest()

    def code_matches(self, challenge_id: str, code: str, stored: str | None) -> bool:
        """Whether ``code`` is the challenge's (the digest is computed even when nothing is stored: same time)."""
        digest = self.code_digest(challenge_id, code)
        return hmac.compare_digest(digest, stored or "0" * len(digest)) and stored is not None

    def address_digest(self, folded_address: str) -> str:
        """The pseudonym of an address (see :func:`app.signin.address.fold`)."""
        return hmac.new(self.address_key, folded_address.encode("utf-8"), hashlib.sha256).hexdigest()
