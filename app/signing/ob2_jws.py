"""Open Badges 2.0 signed assertions: a compact JWS, RS256, whose payload is the Assertion JSON itself.

The JOSE header is exactly ``{"alg": "RS256"}``, as the 1EdTech OB 2.0 validator and older backpacks expect
(no JWT claims, no ``typ``); the key is found through the assertion's ``verification.creator``.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto import jwk, jws

from app.signing.errors import InvalidKeyError

__all__ = ["sign_assertion"]

_HEADER = json.dumps({"alg": "RS256"})


def sign_assertion(assertion: dict[str, Any], *, private_key: rsa.RSAPrivateKey) -> str:
    """Sign an OB 2.0 Assertion as a compact JWS (RS256).

    :param assertion: the Assertion, with ``verification: {"type": "SignedBadge", "creator": <key URL>}``.
    :param private_key: the organisation's RSA key whose CryptographicKey the creator URL serves.
    :returns: ``header.payload.signature`` (base64url, no padding).
    :raises InvalidKeyError: the key is not an RSA private key.
    """
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise InvalidKeyError("OB 2.0 assertions are signed with RSA (RS256).",
                              "Les assertions OB 2.0 sont signées avec RSA (RS256).")
    payload = json.dumps(assertion, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    token = jws.JWS(payload)
    token.add_signature(jwk.JWK.from_pyca(private_key), alg="RS256", protected=_HEADER)
    return str(token.serialize(compact=True))
