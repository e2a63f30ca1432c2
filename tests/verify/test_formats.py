"""Credentials from other issuers, in forms this service does not issue: VC Data Model 1.1 envelopes (Data
Integrity and a JWT ``vc`` claim) and OB 3.0 credentials carrying endorsements, signed with did:key issuers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwcrypto import jwk, jws

from app.signing.data_integrity import create_proof
from app.signing.loader import make_loader
from app.signing.multikey import encode_public_key
from app.verify.fetch import FetchPolicy
from app.verify.service import verify

NOW = datetime(2026, 12, 1, tzinfo=UTC)
V1 = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
      "https://w3id.org/security/data-integrity/v2"]
V2 = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ACHIEVEMENT = {"id": "urn:uuid:2b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11", "type": ["Achievement"],
               "name": "Jardin partagé", "description": "Cultiver ensemble.", "criteria": {"narrative": "Une saison."}}


def _did(key: Ed25519PrivateKey) -> str:
    return "did:key:" + encode_public_key(key.public_key())


def _method(key: Ed25519PrivateKey) -> str:
    did = _did(key)
    return f"{did}#{did.removeprefix('did:key:')}"


def _sign(document: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    return create_proof(document, private_key=key, verification_method=_method(key), created=NOW,
                        loader=make_loader())


def _v1_credential(key: Ed25519PrivateKey, **extra: Any) -> dict[str, Any]:
    return {"@context": V1, "id": "urn:uuid:1b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Jardin partagé",
            "issuer": {"id": _did(key), "type": "Profile", "name": "Association du quartier"},
            "issuanceDate": "2025-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:123", "type": "AchievementSubject",
                                  "achievement": {**ACHIEVEMENT, "type": "Achievement"}}, **extra}


def _report(**source: Any) -> dict[str, Any]:
    return verify(policy=FetchPolicy(), now=NOW, **source).as_dict()


def _outcome(report: dict[str, Any], check: str) -> str | None:
    return next((c["outcome"] for c in report["checks"] if c["id"] == check), None)


def test_vc_1_1_credential_with_a_data_integrity_proof_verifies() -> None:
    key = Ed25519PrivateKey.generate()
    report = _report(credential=_sign(_v1_credential(key), key))
    assert report["verified"] is True, report["checks"]
    assert report["format"] == "vc11-data-integrity" and report["issued"] == "2025-01-01T00:00:00Z"
    assert report["issuer"]["name"] == "Association du quartier"


def test_vc_1_1_expiration_date_is_honoured() -> None:
    key = Ed25519PrivateKey.generate()
    report = _report(credential=_sign(_v1_credential(key, expirationDate="2026-01-01T00:00:00Z"), key))
    assert report["verified"] is False and _outcome(report, "validity") == "failed"


def _v1_jwt(key: Ed25519PrivateKey, credential: dict[str, Any], **claims: Any) -> str:
    payload = {"vc": credential, "iss": credential["issuer"]["id"], "jti": credential["id"],
               "sub": credential["credentialSubject"]["id"], "nbf": 1735689600, **claims}
    token = jws.JWS(json.dumps(payload).encode())
    token.add_signature(jwk.JWK.from_pyca(key), alg="EdDSA",
                        protected=json.dumps({"alg": "EdDSA", "typ": "JWT", "kid": _method(key)}))
    return str(token.serialize(compact=True))


def test_vc_1_1_jwt_with_a_vc_claim_verifies() -> None:
    key = Ed25519PrivateKey.generate()
    report = _report(text=_v1_jwt(key, _v1_credential(key)))
    assert report["verified"] is True, report["checks"]
    assert report["format"] == "vc11-jwt" and _outcome(report, "claims") == "passed"


def test_jwt_whose_claims_contradict_the_credential_is_refused() -> None:
    key = Ed25519PrivateKey.generate()
    report = _report(text=_v1_jwt(key, _v1_credential(key), jti="urn:uuid:00000000-0000-4000-8000-000000000000"))
    assert report["verified"] is False and _outcome(report, "claims") == "failed"


def _endorsement(key: Ed25519PrivateKey, comment: str) -> dict[str, Any]:
    return _sign({"@context": V2, "id": "urn:uuid:3b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                  "type": ["VerifiableCredential", "EndorsementCredential"], "name": "Recommandation",
                  "issuer": {"id": _did(key), "type": ["Profile"], "name": "Mairie de quartier"},
                  "validFrom": "2025-06-01T00:00:00Z",
                  "credentialSubject": {"id": ACHIEVEMENT["id"], "type": ["EndorsementSubject"],
                                        "endorsementComment": comment}}, key)


def _v2_credential(key: Ed25519PrivateKey, endorsement: dict[str, Any]) -> dict[str, Any]:
    return _sign({"@context": V2, "id": "urn:uuid:1b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                  "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Jardin partagé",
                  "issuer": {"id": _did(key), "type": ["Profile"], "name": "Association du quartier"},
                  "validFrom": "2025-01-01T00:00:00Z",
                  "credentialSubject": {"id": "did:example:123", "type": ["AchievementSubject"],
                                        "achievement": ACHIEVEMENT},
                  "endorsement": [endorsement]}, key)


def test_endorsement_inside_the_credential_is_verified_and_shown() -> None:
    issuer, town_hall = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    report = _report(credential=_v2_credential(issuer, _endorsement(town_hall, "Un engagement précieux.")))
    assert report["verified"] is True, report["checks"]
    (endorsement,) = report["endorsements"]
    assert endorsement["verified"] is True and endorsement["comment"] == "Un engagement précieux."
    assert endorsement["issuer"]["name"] == "Mairie de quartier" and _outcome(report, "endorsement") == "passed"


def test_forged_endorsement_is_reported_without_failing_the_badge() -> None:
    issuer, town_hall = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    forged = _endorsement(town_hall, "Un engagement précieux.")
    forged["credentialSubject"]["endorsementComment"] = "Le meilleur jardinier de France."  # breaks its proof
    report = _report(credential=_v2_credential(issuer, forged))
    assert report["verified"] is True
    assert report["endorsements"][0]["verified"] is False
    assert any(w["id"] == "endorsement" for w in report["warnings"])
