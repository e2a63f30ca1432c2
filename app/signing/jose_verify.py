"""Strict parsing and verification of compact JWS tokens (OB 2.0 signed assertions, OB 3.0 VC-JWT).

This module is the only place where a foreign JWS is read. It is pure: no network, no file access, no framework.
It answers two questions, separately:

1. :func:`parse_compact` — is this a compact JWS we are willing to look at? (size, shape, strict base64url,
   a JSON-object header without duplicate keys, an allowlisted ``alg``, no ``crit``, no ``b64: false``,
   no ``zip``, no JWE, a sane ``kid``.)
2. :func:`verify_signature` — does the signature verify under *this* public key, chosen by the caller?
   The algorithm is bound to the key type (one family per key, :mod:`app.signing.jwa`), so a public key is never
   used as an HMAC secret and an RSA token is never checked with an EC key.

Keys are built from JWKs by :mod:`app.signing.jwk` (:func:`public_key_from_jwk` is re-exported here); segments are
decoded by :func:`app.signing.base64url.decode_strict` and JSON is read by :func:`app.strict_json.loads`.

Key-source rule (threat T4, scenario S2): the token never chooses where its key comes from. ``jku``, ``x5u``,
``x5c``, ``x5t`` and ``x5t#S256`` are kept in :attr:`CompactJws.header` but are otherwise IGNORED; callers must
never dereference them nor build a key from them. ``kid`` is an opaque string: compare it, never use it as a path,
a SQL fragment or a URL to fetch without the issuer-binding checks of T3. A ``jwk`` header (allowed by OB 3.0
§8.2) yields a key only once the caller has bound it to the issuer (did:key/did:jwk, or present in the issuer's
did:web document / JWKS).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from app import strict_json
from app.signing.base64url import decode_strict
from app.signing.errors import BadSignatureError, InvalidKeyError, MalformedTokenError, UnsupportedAlgorithmError
from app.signing.jwa import ALLOWED_ALGORITHMS, ECDSA, MIN_RSA_BITS, RSA_PKCS1, RSA_PSS, check_rsa_size
from app.signing.jwk import PRIVATE_JWK_MEMBERS, public_key_from_jwk
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

MAX_TOKEN_BYTES = 64 * 1024
MAX_KID_LENGTH = 2048

IGNORED_HEADER_PARAMETERS: frozenset[str] = frozenset({"jku", "x5u", "x5c", "x5t", "x5t#S256"})
"""Header parameters that are kept but never used to locate or build a key."""

_UNDERSTOOD_CRIT: frozenset[str] = frozenset()  # we implement no JWS extension
_WHITESPACE_SLACK = 256  # whitespace around a token tolerated on top of max_bytes before the first size check


# --------------------------------------------------------------------------------------------------- helpers


def _malformed(message_en: str, message_fr: str) -> MalformedTokenError:
    return MalformedTokenError(message_en, message_fr)


def _too_large(max_bytes: int) -> MalformedTokenError:
    return _malformed(f"The token is larger than {max_bytes} bytes.", f"Le jeton dépasse {max_bytes} octets.")


def _json_object(data: bytes, what_en: str, what_fr: str) -> dict[str, Any]:
    """UTF-8 JSON object, read by :func:`app.strict_json.loads` (duplicate keys, NaN/Infinity, non-finite numbers,
    lone surrogates and deep nesting refused)."""
    try:
        value = strict_json.loads(data)
    except strict_json.JSONRefused as exc:
        if isinstance(exc.__cause__, UnicodeError):  # not UTF-8, or an escaped lone surrogate
            raise _malformed(f"The {what_en} is not valid UTF-8 JSON.",
                             f"{what_fr} n'est pas du JSON UTF-8 valide.") from exc
        raise _malformed(f"The {what_en} is not valid JSON (or has duplicate keys).",
                         f"{what_fr} n'est pas du JSON valide (ou contient des clés en double).") from exc
    if not isinstance(value, dict):
        raise _malformed(f"The {what_en} must be a JSON object.", f"{what_fr} doit être un objet JSON.")
    return value


def _check_public_jwk(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _malformed("The 'jwk' header must be a JSON object.", "L'en-tête « jwk » doit être un objet JSON.")
    private = PRIVATE_JWK_MEMBERS.intersection(value)
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

    header = _json_object(decode_strict(header_b64, "The header", MalformedTokenError), "JOSE header",
                          "L'en-tête JOSE")
    _check_header(header)
    if not payload_b64:
        raise _malformed("Detached or empty payloads are not accepted.",
                         "Les contenus détachés ou vides ne sont pas acceptés.")
    payload = decode_strict(payload_b64, "The payload", MalformedTokenError)
    signature = decode_strict(signature_b64, "The signature", MalformedTokenError)
    if not signature:
        raise _malformed("The token has no signature.", "Le jeton n'a pas de signature.")
    return CompactJws(header=header, payload=payload, signing_input=header_b64 + b"." + payload_b64,
                      signature=signature)


# --------------------------------------------------------------------------------------------------- verifying


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
        if alg in RSA_PKCS1 or alg in RSA_PSS:
            if not isinstance(public_key, rsa.RSAPublicKey):
                raise _mismatch(alg, "an RSA public key", "une clé publique RSA")
            check_rsa_size(public_key)
            if len(signature) != (public_key.key_size + 7) // 8:
                raise _bad(alg)
            if alg in RSA_PKCS1:
                public_key.verify(signature, data, padding.PKCS1v15(), RSA_PKCS1[alg]())
            else:
                digest = RSA_PSS[alg]()
                pss = padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)  # RFC 7518 §3.5
                public_key.verify(signature, data, pss, digest)
        elif alg in ECDSA:
            curve, digest_type, size, curve_name = ECDSA[alg]
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
