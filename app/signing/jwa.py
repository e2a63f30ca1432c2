"""The JOSE signature algorithms we accept (RFC 7518, "JWA") and the key each one needs.

One family per key type, so a public key is never used as an HMAC secret and an RSA token is never checked with an
EC key: RS*/PS* need RSA (2048–8192 bits), ES256 P-256, ES384 P-384, EdDSA Ed25519. ``none``, ``HS*`` and everything
else are refused. :mod:`app.signing.jose_verify` verifies with these tables; :mod:`app.signing.jwk` binds a JWK to
the algorithms its key type allows.
"""

from __future__ import annotations

from typing import NamedTuple

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from app.signing.errors import InvalidKeyError

__all__ = [
    "ALLOWED_ALGORITHMS",
    "ECDSA",
    "MAX_RSA_BITS",
    "MIN_RSA_BITS",
    "RSA_PKCS1",
    "RSA_PSS",
    "EcdsaParameters",
    "algorithms_for_key",
    "check_rsa_size",
]

ALLOWED_ALGORITHMS: frozenset[str] = frozenset({"RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"})
"""The only ``alg`` values accepted. ``none``, ``HS*`` and everything else are refused."""

MIN_RSA_BITS = 2048
MAX_RSA_BITS = 8192  # bounds the cost of one verification; 8192 is already far beyond any issuer key we expect


class EcdsaParameters(NamedTuple):
    """What an ES* algorithm needs: its curve, its hash, the size of R and S in bytes, and the JWK curve name."""

    curve: type[ec.EllipticCurve]
    digest: type[hashes.HashAlgorithm]
    size: int
    curve_name: str


RSA_PKCS1: dict[str, type[hashes.HashAlgorithm]] = {"RS256": hashes.SHA256, "RS384": hashes.SHA384,
                                                    "RS512": hashes.SHA512}
"""RSASSA-PKCS1-v1_5 algorithms and their hashes."""

RSA_PSS: dict[str, type[hashes.HashAlgorithm]] = {"PS256": hashes.SHA256}
"""RSASSA-PSS algorithms and their hashes (MGF1 with the same hash, salt as long as the digest: RFC 7518 §3.5)."""

ECDSA: dict[str, EcdsaParameters] = {
    "ES256": EcdsaParameters(ec.SECP256R1, hashes.SHA256, 32, "P-256"),
    "ES384": EcdsaParameters(ec.SECP384R1, hashes.SHA384, 48, "P-384"),
}
"""ECDSA algorithms; a signature is raw ``R‖S`` of exactly twice ``size`` bytes (RFC 7518 §3.4)."""


def check_rsa_size(key: rsa.RSAPublicKey) -> None:
    """Refuse an RSA key outside 2048–8192 bits.

    :raises InvalidKeyError: too short (forgeable) or too long (too costly to verify).
    """
    if key.key_size < MIN_RSA_BITS:
        raise InvalidKeyError(f"RSA keys shorter than {MIN_RSA_BITS} bits are refused ({key.key_size}).",
                              f"Les clés RSA de moins de {MIN_RSA_BITS} bits sont refusées ({key.key_size}).")
    if key.key_size > MAX_RSA_BITS:
        raise InvalidKeyError(f"RSA keys longer than {MAX_RSA_BITS} bits are refused.",
                              f"Les clés RSA de plus de {MAX_RSA_BITS} bits sont refusées.")


def algorithms_for_key(kty: str, crv: str | None) -> frozenset[str]:
    """The algorithms a key of JWK type ``kty`` (``RSA``, ``EC`` or ``OKP``) on curve ``crv`` may verify."""
    if kty == "RSA":
        return frozenset(RSA_PKCS1) | frozenset(RSA_PSS)
    if kty == "EC":
        return frozenset(alg for alg, spec in ECDSA.items() if spec.curve_name == crv)
    return frozenset({"EdDSA"})
