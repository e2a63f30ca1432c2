"""Key pairs for the three algorithms an organisation signs with, and their fingerprints.

- Ed25519: Data Integrity ``eddsa-rdfc-2022`` proofs (and EdDSA JWS).
- RSA-2048: OB 2.0 signed assertions and VC-JWT ``RS256`` (the OB 3.0 minimum).
- P-256: VC-JWT ``ES256``.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from app.signing.errors import InvalidKeyError

__all__ = [
    "KeyAlgorithm",
    "PrivateKey",
    "PublicKey",
    "fingerprint",
    "generate_private_key",
    "load_private_key_der",
    "load_public_key_pem",
    "private_key_der",
    "public_key_pem",
]

PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = ed25519.Ed25519PublicKey | rsa.RSAPublicKey | ec.EllipticCurvePublicKey


class KeyAlgorithm(StrEnum):
    ed25519 = "Ed25519"
    rsa2048 = "RSA-2048"
    p256 = "P-256"


def generate_private_key(algorithm: KeyAlgorithm) -> PrivateKey:
    """Generate a fresh private key with the operating system's CSPRNG."""
    if algorithm is KeyAlgorithm.ed25519:
        return ed25519.Ed25519PrivateKey.generate()
    if algorithm is KeyAlgorithm.rsa2048:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def private_key_der(key: PrivateKey) -> bytes:
    """PKCS#8 DER, unencrypted (it is sealed by :mod:`app.signing.sealing` before storage)."""
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private_key_der(der: bytes) -> PrivateKey:
    """Load a PKCS#8 DER private key of one of the accepted algorithms.

    :raises InvalidKeyError: for anything else.
    """
    try:
        key = serialization.load_der_private_key(der, password=None)
    except ValueError as exc:
        raise InvalidKeyError("The private key cannot be read.", "La clé privée est illisible.") from exc
    if not isinstance(key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise InvalidKeyError("Unsupported private key type.", "Type de clé privée non pris en charge.")
    return key


def public_key_pem(key: PublicKey) -> str:
    """SubjectPublicKeyInfo PEM text."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key_pem(pem: str) -> PublicKey:
    """Load a SubjectPublicKeyInfo PEM public key of one of the accepted algorithms.

    :raises InvalidKeyError: for anything else.
    """
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii"))
    except ValueError as exc:
        raise InvalidKeyError("The public key cannot be read.", "La clé publique est illisible.") from exc
    if not isinstance(key, ed25519.Ed25519PublicKey | rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise InvalidKeyError("Unsupported public key type.", "Type de clé publique non pris en charge.")
    return key


def fingerprint(key: PublicKey) -> str:
    """Hex SHA-256 of the DER SubjectPublicKeyInfo: unique per key, stable across encodings."""
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()
