"""P-256 (secp256r1) keys as Multikey, and ES256 signatures in the IEEE P1363 form (``r ‖ s``, 64 bytes).

- Multikey public key: ``0x80 0x24`` (varint of the ``p256-pub`` multicodec 0x1200) ‖ the 33-byte compressed point;
  as ``publicKeyMultibase``: ``z`` + base58btc (``zDn…``).
- Multikey secret key: ``0x86 0x26`` (varint of ``p256-priv`` 0x1306) ‖ the 32-byte scalar (``z42t…``).

Used by ``ecdsa-sd-2023`` (:mod:`app.signing.ecdsa_sd`), whose proofs carry the proof-scoped public key as Multikey
bytes and every signature as ``r ‖ s``.
"""

from __future__ import annotations

from typing import TypeGuard

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from app.signing.errors import InvalidKeyError

__all__ = [
    "MULTIKEY_PUBLIC_PREFIX",
    "MULTIKEY_PUBLIC_SIZE",
    "SIGNATURE_SIZE",
    "decode_public_key",
    "decode_secret_key",
    "encode_public_key",
    "is_p256_public_key",
    "multikey_bytes",
    "public_key_from_multikey_bytes",
    "sign_p1363",
    "verify_p1363",
]

MULTIKEY_PUBLIC_PREFIX = b"\x80\x24"
MULTIKEY_PUBLIC_SIZE = len(MULTIKEY_PUBLIC_PREFIX) + 33
_SECRET_PREFIX = b"\x86\x26"
SIGNATURE_SIZE = 64
_MAX_MULTIBASE = 200


def is_p256_public_key(key: object) -> TypeGuard[ec.EllipticCurvePublicKey]:
    """True for a ``cryptography`` P-256 public key."""
    return isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)


def public_key_from_multikey_bytes(raw: bytes, what: str = "The public key") -> ec.EllipticCurvePublicKey:
    """Read ``0x8024 ‖ compressed point``.

    :param what: names the key in the messages.
    :raises InvalidKeyError: not a P-256 Multikey, or not a point of the curve.
    """
    if not isinstance(raw, bytes) or len(raw) != MULTIKEY_PUBLIC_SIZE or not raw.startswith(MULTIKEY_PUBLIC_PREFIX):
        raise InvalidKeyError(f"{what} is not a P-256 Multikey (0x8024 followed by a 33-byte compressed point).",
                              f"{what} n'est pas une clé Multikey P-256 (0x8024 suivi d'un point compressé de "
                              "33 octets).")
    point = raw[len(MULTIKEY_PUBLIC_PREFIX):]
    if point[0] not in (2, 3):
        raise InvalidKeyError(f"{what} is not a compressed P-256 point.",
                              f"{what} n'est pas un point P-256 compressé.")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as exc:
        raise InvalidKeyError(f"{what} is not a point of the P-256 curve.",
                              f"{what} n'est pas un point de la courbe P-256.") from exc


def multikey_bytes(key: ec.EllipticCurvePublicKey) -> bytes:
    """``0x8024 ‖ compressed point`` of a P-256 public key.

    :raises InvalidKeyError: not a P-256 key.
    """
    if not is_p256_public_key(key):
        raise InvalidKeyError("A P-256 public key is needed.", "Une clé publique P-256 est nécessaire.")
    return MULTIKEY_PUBLIC_PREFIX + key.public_bytes(serialization.Encoding.X962,
                                                    serialization.PublicFormat.CompressedPoint)


def _base58(value: object, what: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z") or len(value) > _MAX_MULTIBASE:
        raise InvalidKeyError(f"{what} must be base58btc multibase ('z…').",
                              f"{what} doit être en multibase base58btc (« z… »).")
    try:
        return base58.b58decode(value[1:])
    except ValueError as exc:
        raise InvalidKeyError(f"{what} is not valid base58.", f"{what} n'est pas du base58 valide.") from exc


def encode_public_key(key: ec.EllipticCurvePublicKey) -> str:
    """``publicKeyMultibase``: ``z`` + base58btc(0x8024 ‖ compressed point)."""
    return "z" + base58.b58encode(multikey_bytes(key)).decode("ascii")


def decode_public_key(value: object) -> ec.EllipticCurvePublicKey:
    """Read a ``zDn…`` ``publicKeyMultibase``.

    :raises InvalidKeyError: not a base58btc P-256 Multikey.
    """
    return public_key_from_multikey_bytes(_base58(value, "publicKeyMultibase"), "publicKeyMultibase")


def decode_secret_key(value: object) -> ec.EllipticCurvePrivateKey:
    """Read a ``z42t…`` ``secretKeyMultibase`` (0x8626 ‖ 32-byte scalar).

    :raises InvalidKeyError: not a P-256 secret Multikey, or a scalar out of range.
    """
    raw = _base58(value, "secretKeyMultibase")
    if len(raw) != len(_SECRET_PREFIX) + 32 or not raw.startswith(_SECRET_PREFIX):
        raise InvalidKeyError("secretKeyMultibase is not a P-256 secret Multikey.",
                              "secretKeyMultibase n'est pas une clé secrète Multikey P-256.")
    try:
        return ec.derive_private_key(int.from_bytes(raw[len(_SECRET_PREFIX):], "big"), ec.SECP256R1())
    except ValueError as exc:
        raise InvalidKeyError("secretKeyMultibase is out of range for P-256.",
                              "secretKeyMultibase est hors de l'intervalle de P-256.") from exc


def sign_p1363(key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    """ES256 over ``data`` (SHA-256 inside), as ``r ‖ s`` (64 bytes)."""
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify_p1363(key: ec.EllipticCurvePublicKey, signature: bytes, data: bytes) -> bool:
    """Check an ES256 ``r ‖ s`` signature over ``data``; False when it does not match (never raises for that)."""
    if len(signature) != SIGNATURE_SIZE:
        return False
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        key.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True
