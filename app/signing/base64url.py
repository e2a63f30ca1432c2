"""Strict base64url (RFC 7515 §2), the encoding of every JWS segment and JWK member we read.

Only the URL-safe alphabet, no padding, no whitespace, and canonical trailing bits: one value has one spelling, so
two readers of the same token never see different bytes.
"""

from __future__ import annotations

import base64
import binascii
import re

from app.signing.errors import SigningError

__all__ = ["decode_strict"]

_B64URL = re.compile(rb"[A-Za-z0-9_-]*")


def decode_strict(segment: bytes | str, what: str, error: type[SigningError]) -> bytes:
    """Decode strict unpadded base64url.

    :param what: names the value in the messages ("The header", "The JWK member 'n'"…).
    :param error: the class raised, so each caller reports its own kind of failure.
    :raises SigningError: of class ``error``, when ``segment`` is not canonical unpadded base64url.
    """
    raw = segment.encode("ascii", "replace") if isinstance(segment, str) else segment
    if not _B64URL.fullmatch(raw) or len(raw) % 4 == 1:
        raise error(f"{what} is not valid unpadded base64url.",
                    f"{what} n'est pas du base64url valide sans remplissage.")
    try:
        decoded = base64.b64decode(raw + b"=" * (-len(raw) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise error(f"{what} is not valid base64url.", f"{what} n'est pas du base64url valide.") from exc
    if base64.urlsafe_b64encode(decoded).rstrip(b"=") != raw:
        raise error(f"{what} is not canonical base64url.", f"{what} n'est pas du base64url canonique.")
    return decoded
