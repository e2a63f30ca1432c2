"""Multikey encodings of Ed25519 keys: ``publicKeyMultibase`` (``z6Mk…``) and ``secretKeyMultibase``; reading a P-256
``zDn…`` key is delegated to :mod:`app.signing.p256`."""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.signing import p256
from app.signing.errors import InvalidKeyError

__all__ = ["decode_any_public_key", "decode_public_key", "decode_secret_key", "encode_public_key",
           "encode_secret_key"]

_ED25519_PUB = b"\xed\x01"
_ED25519_PRIV = b"\x80\x26"


def _decode(value: str, prefix: bytes, size: int, what: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z") or len(value) > 200:
        raise InvalidKeyError(f"{what} must be base58btc multibase ('z…').",
                              f"{what} doit être en multibase base58btc (« z… »).")
    try:
        raw = base58.b58decode(value[1:])
    except ValueError as exc:
        raise InvalidKeyError(f"{what} is not valid base58.", f"{what} n'est pas du base58 valide.") from exc
    if not raw.startswith(prefix) or len(raw) != len(prefix) + size:
        raise InvalidKeyError(f"{what} is not an Ed25519 multikey.", f"{what} n'est pas une clé multikey Ed25519.")
    return raw[len(prefix):]


def encode_public_key(key: Ed25519PublicKey) -> str:
    """``z`` + base58btc(0xed01 ‖ 32-byte public key)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(_ED25519_PUB + raw).decode("ascii")


def decode_public_key(value: str) -> Ed25519PublicKey:
    """:raises InvalidKeyError: not a ``z6Mk…`` Ed25519 multikey."""
    return Ed25519PublicKey.from_public_bytes(_decode(value, _ED25519_PUB, 32, "publicKeyMultibase"))


def encode_secret_key(key: Ed25519PrivateKey) -> str:
    """``z`` + base58btc(0x8026 ‖ 32-byte seed)."""
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    return "z" + base58.b58encode(_ED25519_PRIV + raw).decode("ascii")


def decode_secret_key(value: str) -> Ed25519PrivateKey:
    """:raises InvalidKeyError: not a 0x8026 + 32-byte seed multikey."""
    return Ed25519PrivateKey.from_private_bytes(_decode(value, _ED25519_PRIV, 32, "secretKeyMultibase"))


def decode_any_public_key(value: str) -> Ed25519PublicKey | EllipticCurvePublicKey:
    """A ``publicKeyMultibase`` of either kind we verify with: Ed25519 (``z6Mk…``, Data Integrity eddsa) or P-256
    (``zDn…``, ``ecdsa-sd-2023``).

    :raises InvalidKeyError: neither.
    """
    if isinstance(value, str) and value.startswith("zDn"):
        return p256.decode_public_key(value)
    return decode_public_key(value)
