"""OB 3.0 VC-JWT (Open Badges 3.0 §8.2): the credential itself is the JWT payload, plus ``iss``, ``jti``,
``sub``, ``nbf`` and ``exp`` claims; the JOSE header is exactly ``{"alg", "kid", "typ": "JWT"}``."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwcrypto import jwk, jws

from app.signing.errors import UnsupportedAlgorithmError

__all__ = ["JwtAlgorithm", "encode_vc_jwt", "numeric_date"]

JwtAlgorithm = Literal["RS256", "ES256", "EdDSA"]
_KEY_TYPES: dict[str, type] = {"RS256": rsa.RSAPrivateKey, "ES256": ec.EllipticCurvePrivateKey,
                               "EdDSA": ed25519.Ed25519PrivateKey}


def numeric_date(value: str) -> int:
    """RFC 7519 NumericDate of an XML Schema dateTime with a time zone."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("dateTime without a time zone")
    return int(moment.timestamp())


def encode_vc_jwt(credential: dict[str, Any], *, private_key: Any, kid: str, algorithm: JwtAlgorithm) -> str:
    """Sign ``credential`` as a compact VC-JWT.

    :raises UnsupportedAlgorithmError: the key does not fit the algorithm.
    """
    expected = _KEY_TYPES.get(algorithm)
    if expected is None or not isinstance(private_key, expected):
        raise UnsupportedAlgorithmError(f"{algorithm} needs a matching private key.",
                                        f"{algorithm} exige une clé privée adaptée.")
    issuer = credential["issuer"]
    claims: dict[str, Any] = {
        **credential,
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": numeric_date(credential["validFrom"]),
    }
    subject = credential.get("credentialSubject", {})
    if isinstance(subject, dict) and "id" in subject:
        claims["sub"] = subject["id"]
    if "validUntil" in credential:
        claims["exp"] = numeric_date(credential["validUntil"])
    token = jws.JWS(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    token.add_signature(jwk.JWK.from_pyca(private_key), alg=algorithm,
                        protected=json.dumps({"alg": algorithm, "kid": kid, "typ": "JWT"}))
    return str(token.serialize(compact=True))
