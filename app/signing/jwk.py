"""Public keys from JSON Web Keys (RFC 7517): RSA, EC P-256/P-384 and OKP Ed25519, public members only.

A JWK proves nothing by itself: callers build a key from one only after binding it to the issuer (did:key, did:jwk,
the issuer's did:web document or JWKS; threat T3). Private or symmetric material is refused outright, and a JWK is
bound to the algorithms its key type allows (:func:`app.signing.jwa.algorithms_for_key`).
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from app.signing.base64url import decode_strict
from app.signing.errors import InvalidKeyError
from app.signing.jwa import algorithms_for_key, check_rsa_size
from app.signing.keys import PublicKey

__all__ = ["PRIVATE_JWK_MEMBERS", "public_key_from_jwk"]

PRIVATE_JWK_MEMBERS: frozenset[str] = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
"""Members that carry private (RSA, EC, OKP) or symmetric (``oct``) key material: never accepted."""

_JWK_CURVES: dict[str, tuple[ec.EllipticCurve, int]] = {"P-256": (ec.SECP256R1(), 32), "P-384": (ec.SECP384R1(), 48)}
_KEY_CURVES: dict[str, tuple[str, ...]] = {"RSA": (), "EC": tuple(_JWK_CURVES), "OKP": ("Ed25519",)}
_MAX_MEMBER_LENGTH = 4096


def _unsupported_curve() -> InvalidKeyError:
    return InvalidKeyError("Unsupported curve (accepted: P-256, P-384, Ed25519).",
                           "Courbe non prise en charge (acceptées : P-256, P-384, Ed25519).")


def _member_bytes(jwk: dict[str, Any], member: str) -> bytes:
    value = jwk.get(member)
    if not isinstance(value, str) or not value:
        raise InvalidKeyError(f"The JWK member '{member}' is missing or not a string.",
                              f"Le membre « {member} » de la JWK est absent ou n'est pas une chaîne.")
    if len(value) > _MAX_MEMBER_LENGTH:
        raise InvalidKeyError(f"The JWK member '{member}' is too long.",
                              f"Le membre « {member} » de la JWK est trop long.")
    return decode_strict(value, f"The JWK member '{member}'", InvalidKeyError)


def _key_type(jwk: dict[str, Any]) -> str:
    """``kty``, once the JWK is known to be a public RSA, EC or OKP key."""
    if not isinstance(jwk, dict):
        raise InvalidKeyError("A JWK must be a JSON object.", "Une JWK doit être un objet JSON.")
    if PRIVATE_JWK_MEMBERS.intersection(jwk):
        raise InvalidKeyError("The JWK contains private or symmetric key material.",
                              "La JWK contient une clé privée ou symétrique.")
    kty = jwk.get("kty")
    if not isinstance(kty, str) or kty not in _KEY_CURVES:
        raise InvalidKeyError("Only RSA, EC and OKP (Ed25519) JWKs are accepted.",
                              "Seules les JWK RSA, EC et OKP (Ed25519) sont acceptées.")
    return kty


def _curve(jwk: dict[str, Any], kty: str) -> str | None:
    """``crv``: one of the curves of ``kty`` (required for EC and OKP), or ``None`` for RSA, which has none."""
    crv = jwk.get("crv")
    expected = _KEY_CURVES[kty]
    if ("crv" in jwk or expected) and not (isinstance(crv, str) and crv in expected):
        raise _unsupported_curve()
    return crv if isinstance(crv, str) else None


def _check_use_and_alg(jwk: dict[str, Any], family: frozenset[str], alg: str | None) -> None:
    """``use`` must be ``sig``; the JWK's ``alg`` and the token's must both fit the key type, and agree."""
    if "use" in jwk and jwk["use"] != "sig":
        raise InvalidKeyError("The JWK is not a signature key ('use' is not 'sig').",
                              "La JWK n'est pas une clé de signature (« use » n'est pas « sig »).")
    own_alg = jwk.get("alg")
    if "alg" in jwk and (not isinstance(own_alg, str) or own_alg not in family):
        raise InvalidKeyError("The JWK 'alg' member does not fit the key type.",
                              "Le membre « alg » de la JWK ne correspond pas au type de clé.")
    if alg is not None and (not isinstance(alg, str) or alg not in family or ("alg" in jwk and own_alg != alg)):
        raise InvalidKeyError(f"This JWK cannot verify {str(alg)[:32]} signatures.",
                              f"Cette JWK ne peut pas vérifier des signatures {str(alg)[:32]}.")


def _rsa_key(jwk: dict[str, Any]) -> rsa.RSAPublicKey:
    n_bytes, e_bytes = _member_bytes(jwk, "n"), _member_bytes(jwk, "e")
    if n_bytes[0] == 0 or e_bytes[0] == 0 or len(e_bytes) > 8:
        raise InvalidKeyError("The RSA JWK 'n' or 'e' is not minimally encoded or is out of range.",
                              "Les membres « n » ou « e » de la JWK RSA sont mal encodés ou hors limites.")
    key = rsa.RSAPublicNumbers(int.from_bytes(e_bytes, "big"), int.from_bytes(n_bytes, "big")).public_key()
    check_rsa_size(key)
    return key


def _ec_key(jwk: dict[str, Any], crv: str) -> ec.EllipticCurvePublicKey:
    curve, size = _JWK_CURVES[crv]
    x, y = _member_bytes(jwk, "x"), _member_bytes(jwk, "y")
    if len(x) != size or len(y) != size:
        raise InvalidKeyError(f"{crv} coordinates are exactly {size} bytes.",
                              f"Les coordonnées {crv} font exactement {size} octets.")
    return ec.EllipticCurvePublicKey.from_encoded_point(curve, b"\x04" + x + y)


def _ed25519_key(jwk: dict[str, Any]) -> ed25519.Ed25519PublicKey:
    x = _member_bytes(jwk, "x")
    if len(x) != 32:
        raise InvalidKeyError("An Ed25519 public key is exactly 32 bytes.",
                              "Une clé publique Ed25519 fait exactement 32 octets.")
    return ed25519.Ed25519PublicKey.from_public_bytes(x)


def _build_key(jwk: dict[str, Any], kty: str, crv: str | None) -> PublicKey:
    if kty == "RSA":
        return _rsa_key(jwk)
    if kty == "OKP":
        return _ed25519_key(jwk)
    if crv is None:  # an EC JWK always has a checked curve by now; refuse rather than assume
        raise _unsupported_curve()
    return _ec_key(jwk, crv)


def public_key_from_jwk(jwk: dict[str, Any], *, alg: str | None = None) -> PublicKey:
    """Build a public key from a JWK: RSA (2048–8192 bits), EC P-256/P-384 or OKP Ed25519, public members only.

    A JWK ``alg`` member, if present, must be allowed and fit the key type; ``use``, if present, must be ``sig``.

    :param alg: if given, the token algorithm the key will verify: it must fit the key (and equal the JWK's
        own ``alg`` member when there is one).
    :raises InvalidKeyError: private or symmetric material, unknown ``kty``/``crv``, bad encoding, point not on
        the curve, RSA key too short, or ``alg``/``use`` inconsistent with the key.
    """
    kty = _key_type(jwk)
    crv = _curve(jwk, kty)
    _check_use_and_alg(jwk, algorithms_for_key(kty, crv), alg)
    try:
        return _build_key(jwk, kty, crv)
    except ValueError as exc:
        raise InvalidKeyError("The JWK does not describe a valid public key.",
                              "La JWK ne décrit pas une clé publique valide.") from exc
