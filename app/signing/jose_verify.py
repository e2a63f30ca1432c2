"""Strict parsing and verification of compact JWS tokens (OB 2.0 signed assertions, OB 3.0 VC-JWT).

This module is the only place where a foreign JWS is read. It is pure: no network, no file access, no framework.
It answers two questions, separately:

1. :func:`parse_compact` — is this a compact JWS we are willing to look at? (size, shape, strict base64url,
   a JSON-object header without duplicate keys, an allowlisted ``alg``, no ``crit``, no ``b64: false``,
   no ``zip``, no JWE, a sane ``kid``.)
2. :func:`verify_signature` — does the signature verify under *this* public key, chosen by the caller?
   The algorithm is bound to the key type (one family per key), so a public key is never used as an HMAC secret
   and an RSA token is never checked with an EC key.

Key-source rule (threat T4, scenario S2): the token never chooses where its key comes from. ``jku``, ``x5u``,
``x5c``, ``x5t`` and ``x5t#S256`` are kept in :attr:`CompactJws.header` but are otherwise IGNORED; callers must
never dereference them nor build a key from them. ``kid`` is an opaque string: compare it, never use it as a path,
a SQL fragment or a URL to fetch without the issuer-binding checks of T3. A ``jwk`` header (allowed by OB 3.0
§8.2) yields a key only once the caller has bound it to the issuer (did:key/did:jwk, or present in the issuer's
did:web document / JWKS).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from app.signing.errors import (
    BadSignatureError,
    InvalidKeyError,
    MalformedTokenError,
    SigningError,
    UnsupportedAlgorithmError,
)
from app.signing.keys import PublicKey

__all__ = [
    "ALLOWED_ALGORITHMS",
    "IGNORED_HEADER_PARAMETERS",
    "MAX_KID_LENGTH",
    "MAX_TOKEN_BYTES",
    "MIN_RSA_BITS",
    "CompactJws",
    "parse_compact",
    "public_key_from_jwk",
    "verify_signature",
]

ALLOWED_ALGORITHMS: frozenset[str] = frozenset({"RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"})
"""The only ``alg`` values accepted. ``none``, ``HS*`` and everything else are refused."""

MAX_TOKEN_BYTES = 64 * 1024
MAX_KID_LENGTH = 2048
MIN_RSA_BITS = 2048
MAX_RSA_BITS = 8192  # bounds the cost of one verification; 8192 is already far beyond any issuer key we expect

IGNORED_HEADER_PARAMETERS: frozenset[str] = frozenset({"jku", "x5u", "x5c", "x5t", "x5t#S256"})
"""Header parameters that are kept but never used to locate or build a key."""

_UNDERSTOOD_CRIT: frozenset[str] = frozenset()  # we implement no JWS extension
_PRIVATE_JWK_MEMBERS: frozenset[str] = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
_WHITESPACE_SLACK = 256  # whitespace around a token tolerated on top of max_bytes before the first size check
_B64URL = re.compile(rb"[A-Za-z0-9_-]*")

_RSA_PKCS1: dict[str, type[hashes.HashAlgorithm]] = {"RS256": hashes.SHA256, "RS384": hashes.SHA384,
                                                     "RS512": hashes.SHA512}
_RSA_PSS: dict[str, type[hashes.HashAlgorithm]] = {"PS256": hashes.SHA256}
_EC: dict[str, tuple[type[ec.EllipticCurve], type[hashes.HashAlgorithm], int, str]] = {
    "ES256": (ec.SECP256R1, hashes.SHA256, 32, "P-256"),
    "ES384": (ec.SECP384R1, hashes.SHA384, 48, "P-384"),
}
_JWK_CURVES: dict[str, tuple[ec.EllipticCurve, int]] = {"P-256": (ec.SECP256R1(), 32), "P-384": (ec.SECP384R1(), 48)}


# --------------------------------------------------------------------------------------------------- helpers


def _malformed(message_en: str, message_fr: str) -> MalformedTokenError:
    return MalformedTokenError(message_en, message_fr)


def _too_large(max_bytes: int) -> MalformedTokenError:
    return _malformed(f"The token is larger than {max_bytes} bytes.", f"Le jeton dépasse {max_bytes} octets.")


def _b64url_decode(segment: bytes | str, what: str, error: type[SigningError]) -> bytes:
    """Strict RFC 7515 §2 base64url: URL-safe alphabet, no padding, no whitespace, canonical trailing bits."""
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


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key[:64]!r}")
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json_object(data: bytes, what_en: str, what_fr: str) -> dict[str, Any]:
    """UTF-8 JSON object; duplicate keys, NaN/Infinity, non-finite numbers and lone surrogates refused."""
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=_refuse_duplicates, parse_constant=_refuse_constant)
        # Re-serialising rejects what Python's parser lets through but later stages would choke on
        # (1e999 → inf, "\ud800" → a lone surrogate).
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except UnicodeError as exc:
        raise _malformed(f"The {what_en} is not valid UTF-8 JSON.",
                         f"{what_fr} n'est pas du JSON UTF-8 valide.") from exc
    except (ValueError, RecursionError) as exc:
        raise _malformed(f"The {what_en} is not valid JSON (or has duplicate keys).",
                         f"{what_fr} n'est pas du JSON valide (ou contient des clés en double).") from exc
    if not isinstance(value, dict):
        raise _malformed(f"The {what_en} must be a JSON object.", f"{what_fr} doit être un objet JSON.")
    return value


def _check_public_jwk(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _malformed("The 'jwk' header must be a JSON object.", "L'en-tête « jwk » doit être un objet JSON.")
    private = _PRIVATE_JWK_MEMBERS.intersection(value)
    if private:
        raise _malformed("The 'jwk' header contains private or symmetric key material.",
                         "L'en-tête « jwk » contient une clé privée ou symétrique.")
    return value


def _check_header(header: dict[str, Any]) -> None:
    if "enc" in header:
        raise _malformed("Encrypted tokens (JWE) are not accepted.", "Les jetons chiffrés (JWE) ne sont pas acceptés.")
    if "zip" in header:
        raise _malformed("Compressed payloads ('zip') are not accepted.",
                         "Les contenus compressés (« zip ») ne sont pas acceptés.")
    if "alg" not in header:
        raise _malformed("The JOSE header has no 'alg'.", "L'en-tête JOSE n'a pas de paramètre « alg ».")
    alg = header["alg"]
    if not isinstance(alg, str) or alg not in ALLOWED_ALGORITHMS:
        shown = alg[:32] if isinstance(alg, str) else type(alg).__name__
        raise UnsupportedAlgorithmError(
            f"Algorithm {shown!r} is not accepted (allowed: {', '.join(sorted(ALLOWED_ALGORITHMS))}).",
            f"L'algorithme {shown!r} n'est pas accepté (autorisés : {', '.join(sorted(ALLOWED_ALGORITHMS))}).")
    if "b64" in header and header["b64"] is not True:
        raise _malformed("Unencoded payloads ('b64': false, RFC 7797) are not accepted.",
                         "Les contenus non encodés (« b64 » : false, RFC 7797) ne sont pas acceptés.")
    if "crit" in header:
        crit = header["crit"]
        if (not isinstance(crit, list) or not crit or not all(isinstance(n, str) for n in crit)
                or len(set(crit)) != len(crit)):
            raise _malformed("The 'crit' header is malformed.", "L'en-tête « crit » est mal formé.")
        unknown = [name for name in crit if name not in _UNDERSTOOD_CRIT]
        if unknown:
            raise _malformed(f"Unsupported critical header parameter(s): {', '.join(n[:32] for n in unknown[:5])}.",
                             f"Paramètre(s) d'en-tête critique(s) non pris en charge : "
                             f"{', '.join(n[:32] for n in unknown[:5])}.")
    if "kid" in header:
        kid = header["kid"]
        if not isinstance(kid, str):
            raise _malformed("The 'kid' header must be a string.", "L'en-tête « kid » doit être une chaîne.")
        if len(kid) > MAX_KID_LENGTH:
            raise _malformed(f"The 'kid' header is longer than {MAX_KID_LENGTH} characters.",
                             f"L'en-tête « kid » dépasse {MAX_KID_LENGTH} caractères.")
    for name in ("typ", "cty"):
        if name in header and not isinstance(header[name], str):
            raise _malformed(f"The '{name}' header must be a string.", f"L'en-tête « {name} » doit être une chaîne.")
    if "jwk" in header:
        _check_public_jwk(header["jwk"])


# --------------------------------------------------------------------------------------------------- parsing


@dataclass(frozen=True, slots=True)
class CompactJws:
    """A parsed, not yet verified, compact JWS.

    ``header`` is the protected header as sent (including ignored parameters such as ``jku``/``x5u``/``x5c``,
    which callers must never use to find a key). Nothing here is trustworthy before :func:`verify_signature`.
    """

    header: dict[str, Any]
    payload: bytes
    signing_input: bytes
    signature: bytes

    @property
    def alg(self) -> str:
        """The ``alg`` header (validated against :data:`ALLOWED_ALGORITHMS` by :func:`parse_compact`)."""
        alg = self.header.get("alg")
        if not isinstance(alg, str):
            raise _malformed("The JOSE header has no 'alg'.", "L'en-tête JOSE n'a pas de paramètre « alg ».")
        return alg

    @property
    def kid(self) -> str | None:
        """The ``kid`` header: an opaque string (never a path, a query fragment or a URL to fetch unchecked)."""
        kid = self.header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise _malformed("The 'kid' header must be a string.", "L'en-tête « kid » doit être une chaîne.")
        return kid

    @property
    def jwk(self) -> dict[str, Any] | None:
        """A copy of the ``jwk`` header (public members only), or ``None``.

        The key it describes proves nothing until the caller binds it to the issuer (T3).

        :raises MalformedTokenError: the member is not an object, or carries private/symmetric material (``d``…).
        """
        if "jwk" not in self.header:
            return None
        return dict(_check_public_jwk(self.header["jwk"]))

    def payload_json(self) -> dict[str, Any]:
        """The payload parsed as a UTF-8 JSON object.

        :raises MalformedTokenError: not UTF-8, not JSON, not an object, duplicate keys, NaN/Infinity.
        """
        return _json_object(self.payload, "payload", "Le contenu")


def parse_compact(token: str | bytes, *, max_bytes: int = MAX_TOKEN_BYTES) -> CompactJws:
    """Parse a compact JWS strictly, without verifying its signature.

    Surrounding whitespace is stripped; the size limit is enforced before any decoding.

    :param token: ``header.payload.signature`` (ASCII).
    :param max_bytes: the largest token accepted, whitespace excluded.
    :raises MalformedTokenError: too large, not three base64url segments, a JWE, bad header or refused parameter
        (``crit``, ``b64: false``, ``zip``, ``enc``, bad ``kid``, private ``jwk``), empty payload or signature.
    :raises UnsupportedAlgorithmError: ``alg`` missing from :data:`ALLOWED_ALGORITHMS` (``none``, ``HS256``…).
    """
    if not isinstance(token, str | bytes):
        raise _malformed("A token must be text.", "Un jeton doit être du texte.")
    if len(token) > max_bytes + _WHITESPACE_SLACK:
        raise _too_large(max_bytes)
    if isinstance(token, str):
        try:
            raw = token.strip().encode("ascii")
        except UnicodeEncodeError as exc:
            raise _malformed("A compact JWS is ASCII only.", "Un JWS compact ne contient que de l'ASCII.") from exc
    else:
        raw = token.strip()
    if len(raw) > max_bytes:
        raise _too_large(max_bytes)

    parts = raw.split(b".")
    if len(parts) == 5:
        raise _malformed("Encrypted tokens (JWE) are not accepted.", "Les jetons chiffrés (JWE) ne sont pas acceptés.")
    if len(parts) != 3:
        raise _malformed("A compact JWS has exactly three dot-separated parts.",
                         "Un JWS compact comporte exactement trois parties séparées par des points.")
    header_b64, payload_b64, signature_b64 = parts

    header = _json_object(_b64url_decode(header_b64, "The header", MalformedTokenError), "JOSE header",
                          "L'en-tête JOSE")
    _check_header(header)
    if not payload_b64:
        raise _malformed("Detached or empty payloads are not accepted.",
                         "Les contenus détachés ou vides ne sont pas acceptés.")
    payload = _b64url_decode(payload_b64, "The payload", MalformedTokenError)
    signature = _b64url_decode(signature_b64, "The signature", MalformedTokenError)
    if not signature:
        raise _malformed("The token has no signature.", "Le jeton n'a pas de signature.")
    return CompactJws(header=header, payload=payload, signing_input=header_b64 + b"." + payload_b64,
                      signature=signature)


# --------------------------------------------------------------------------------------------------- verifying


def _check_rsa_size(key: rsa.RSAPublicKey) -> None:
    if key.key_size < MIN_RSA_BITS:
        raise InvalidKeyError(f"RSA keys shorter than {MIN_RSA_BITS} bits are refused ({key.key_size}).",
                              f"Les clés RSA de moins de {MIN_RSA_BITS} bits sont refusées ({key.key_size}).")
    if key.key_size > MAX_RSA_BITS:
        raise InvalidKeyError(f"RSA keys longer than {MAX_RSA_BITS} bits are refused.",
                              f"Les clés RSA de plus de {MAX_RSA_BITS} bits sont refusées.")


def _mismatch(alg: str, needs_en: str, needs_fr: str) -> UnsupportedAlgorithmError:
    return UnsupportedAlgorithmError(f"{alg} needs {needs_en}; the key given is of another type.",
                                     f"{alg} exige {needs_fr} ; la clé fournie est d'un autre type.")


def _bad(alg: str) -> BadSignatureError:
    return BadSignatureError(f"The {alg} signature does not verify.", f"La signature {alg} n'est pas valide.")


def verify_signature(jws: CompactJws, public_key: PublicKey) -> None:
    """Verify ``jws`` under ``public_key``, the key the *caller* chose (never one named by the token).

    The algorithm is bound to the key type: RS*/PS* need RSA (2048–8192 bits), ES256 P-256, ES384 P-384,
    EdDSA Ed25519. ECDSA signatures are raw ``R‖S`` (RFC 7518 §3.4) of exact length; PS256 uses MGF1-SHA256
    with a 32-byte salt.

    :raises UnsupportedAlgorithmError: ``alg`` not allowed, or the key does not belong to the algorithm's family.
    :raises InvalidKeyError: not a public key object, or an RSA key outside 2048–8192 bits.
    :raises BadSignatureError: the signature does not verify.
    """
    alg = jws.alg
    if alg not in ALLOWED_ALGORITHMS:
        raise UnsupportedAlgorithmError(f"Algorithm {alg[:32]!r} is not accepted.",
                                        f"L'algorithme {alg[:32]!r} n'est pas accepté.")
    if not isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey):
        raise InvalidKeyError("Expected an RSA, EC or Ed25519 public key object.",
                              "Une clé publique RSA, EC ou Ed25519 est attendue.")
    data, signature = jws.signing_input, jws.signature
    try:
        if alg in _RSA_PKCS1 or alg in _RSA_PSS:
            if not isinstance(public_key, rsa.RSAPublicKey):
                raise _mismatch(alg, "an RSA public key", "une clé publique RSA")
            _check_rsa_size(public_key)
            if len(signature) != (public_key.key_size + 7) // 8:
                raise _bad(alg)
            if alg in _RSA_PKCS1:
                public_key.verify(signature, data, padding.PKCS1v15(), _RSA_PKCS1[alg]())
            else:
                digest = _RSA_PSS[alg]()
                pss = padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)  # RFC 7518 §3.5
                public_key.verify(signature, data, pss, digest)
        elif alg in _EC:
            curve, digest_type, size, curve_name = _EC[alg]
            if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(public_key.curve, curve):
                raise _mismatch(alg, f"a {curve_name} public key", f"une clé publique {curve_name}")
            if len(signature) != 2 * size:
                raise BadSignatureError(f"An {alg} signature is exactly {2 * size} bytes (R‖S).",
                                        f"Une signature {alg} fait exactement {2 * size} octets (R‖S).")
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(digest_type()))
        else:  # EdDSA
            if not isinstance(public_key, ed25519.Ed25519PublicKey):
                raise _mismatch(alg, "an Ed25519 public key", "une clé publique Ed25519")
            if len(signature) != 64:
                raise BadSignatureError("An Ed25519 signature is exactly 64 bytes.",
                                        "Une signature Ed25519 fait exactement 64 octets.")
            public_key.verify(signature, data)
    except (InvalidSignature, ValueError) as exc:
        raise _bad(alg) from exc


# --------------------------------------------------------------------------------------------------- JWK


def _jwk_bytes(jwk: dict[str, Any], member: str) -> bytes:
    value = jwk.get(member)
    if not isinstance(value, str) or not value:
        raise InvalidKeyError(f"The JWK member '{member}' is missing or not a string.",
                              f"Le membre « {member} » de la JWK est absent ou n'est pas une chaîne.")
    if len(value) > 4096:
        raise InvalidKeyError(f"The JWK member '{member}' is too long.",
                              f"Le membre « {member} » de la JWK est trop long.")
    return _b64url_decode(value, f"The JWK member '{member}'", InvalidKeyError)


def _jwk_family(kty: str, crv: Any) -> frozenset[str]:
    if kty == "RSA":
        return frozenset(_RSA_PKCS1) | frozenset(_RSA_PSS)
    if kty == "EC":
        return frozenset(alg for alg, spec in _EC.items() if spec[3] == crv)
    return frozenset({"EdDSA"})


def public_key_from_jwk(jwk: dict[str, Any], *, alg: str | None = None) -> PublicKey:
    """Build a public key from a JWK: RSA (2048–8192 bits), EC P-256/P-384 or OKP Ed25519, public members only.

    A JWK ``alg`` member, if present, must be allowed and fit the key type; ``use``, if present, must be ``sig``.

    :param alg: if given, the token algorithm the key will verify: it must fit the key (and equal the JWK's
        own ``alg`` member when there is one).
    :raises InvalidKeyError: private or symmetric material, unknown ``kty``/``crv``, bad encoding, point not on
        the curve, RSA key too short, or ``alg``/``use`` inconsistent with the key.
    """
    if not isinstance(jwk, dict):
        raise InvalidKeyError("A JWK must be a JSON object.", "Une JWK doit être un objet JSON.")
    if _PRIVATE_JWK_MEMBERS.intersection(jwk):
        raise InvalidKeyError("The JWK contains private or symmetric key material.",
                              "La JWK contient une clé privée ou symétrique.")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if not isinstance(kty, str) or kty not in ("RSA", "EC", "OKP"):
        raise InvalidKeyError("Only RSA, EC and OKP (Ed25519) JWKs are accepted.",
                              "Seules les JWK RSA, EC et OKP (Ed25519) sont acceptées.")
    expected_curves = {"RSA": (), "EC": tuple(_JWK_CURVES), "OKP": ("Ed25519",)}[kty]
    if ("crv" in jwk or expected_curves) and not (isinstance(crv, str) and crv in expected_curves):
        raise InvalidKeyError("Unsupported curve (accepted: P-256, P-384, Ed25519).",
                              "Courbe non prise en charge (acceptées : P-256, P-384, Ed25519).")
    if "use" in jwk and jwk["use"] != "sig":
        raise InvalidKeyError("The JWK is not a signature key ('use' is not 'sig').",
                              "La JWK n'est pas une clé de signature (« use » n'est pas « sig »).")
    family = _jwk_family(kty, crv)
    own_alg = jwk.get("alg")
    if "alg" in jwk and (not isinstance(own_alg, str) or own_alg not in family):
        raise InvalidKeyError("The JWK 'alg' member does not fit the key type.",
                              "Le membre « alg » de la JWK ne correspond pas au type de clé.")
    if alg is not None and (not isinstance(alg, str) or alg not in family or ("alg" in jwk and own_alg != alg)):
        raise InvalidKeyError(f"This JWK cannot verify {str(alg)[:32]} signatures.",
                              f"Cette JWK ne peut pas vérifier des signatures {str(alg)[:32]}.")

    key: PublicKey
    try:
        if kty == "RSA":
            n_bytes, e_bytes = _jwk_bytes(jwk, "n"), _jwk_bytes(jwk, "e")
            if n_bytes[0] == 0 or e_bytes[0] == 0 or len(e_bytes) > 8:
                raise InvalidKeyError("The RSA JWK 'n' or 'e' is not minimally encoded or is out of range.",
                                      "Les membres « n » ou « e » de la JWK RSA sont mal encodés ou hors limites.")
            key = rsa.RSAPublicNumbers(int.from_bytes(e_bytes, "big"), int.from_bytes(n_bytes, "big")).public_key()
            _check_rsa_size(key)
        elif kty == "EC":
            curve, size = _JWK_CURVES[crv]
            x, y = _jwk_bytes(jwk, "x"), _jwk_bytes(jwk, "y")
            if len(x) != size or len(y) != size:
                raise InvalidKeyError(f"{crv} coordinates are exactly {size} bytes.",
                                      f"Les coordonnées {crv} font exactement {size} octets.")
            key = ec.EllipticCurvePublicKey.from_encoded_point(curve, b"\x04" + x + y)
        else:
            x = _jwk_bytes(jwk, "x")
            if len(x) != 32:
                raise InvalidKeyError("An Ed25519 public key is exactly 32 bytes.",
                                      "Une clé publique Ed25519 fait exactement 32 octets.")
            key = ed25519.Ed25519PublicKey.from_public_bytes(x)
    except ValueError as exc:
        raise InvalidKeyError("The JWK does not describe a valid public key.",
                              "La JWK ne décrit pas une clé publique valide.") from exc
    return key
