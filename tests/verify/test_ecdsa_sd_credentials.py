"""Selectively disclosed Open Badges (``ecdsa-sd-2023`` derived proofs, P-256) from other issuers verify: the
signature holds over what the holder revealed, and the issuer is confirmed when the key is its own did:key."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from app.signing.p256 import encode_public_key
from app.verify.fetch import FetchPolicy
from app.verify.service import verify
from tests.signing.sd_issuer import OPTIONS, derive, issue

NOW = datetime(2026, 12, 2, tzinfo=UTC)
OFFLINE = FetchPolicy()


def _credential(issuer: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Centre social des Lilas"},
        "validFrom": "2026-01-15T10:00:00Z",
        "name": "Atelier couture",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "https://example.com/achievements/couture", "type": ["Achievement"],
            "criteria": {"narrative": "A suivi les six séances de l'atelier."},
            "description": "Bases de la couture à la machine.", "name": "Couture"}},
    }


def _derived_from_a_did_key_issuer() -> dict[str, Any]:
    key = ec.generate_private_key(ec.SECP256R1())
    did = "did:key:" + encode_public_key(key.public_key())
    document = _credential(did)
    options = {**OPTIONS, "verificationMethod": f"{did}#{did.removeprefix('did:key:')}"}
    issued = issue(document, key, lambda quad: "22-rdf-syntax-ns#type>" in quad or did in quad, options)
    revealed = copy.deepcopy(document)
    del revealed["credentialSubject"]["achievement"]["description"]  # the holder hides it
    return derive(issued, revealed)


def test_a_selectively_disclosed_badge_from_a_did_key_issuer_is_valid_and_confirmed() -> None:
    report = verify(credential=_derived_from_a_did_key_issuer(), policy=OFFLINE, now=NOW)
    checks = {c["id"]: c for c in report.as_dict()["checks"]}
    assert (report.verified, report.as_dict()["trust"]) == (True, "confirmed"), report.as_dict()
    assert "ecdsa-sd-2023" in checks["proof"]["message_en"] and "ecdsa-sd-2023" in checks["proof"]["message_fr"]


def test_a_changed_disclosed_claim_breaks_the_selective_disclosure_proof() -> None:
    derived = _derived_from_a_did_key_issuer()
    derived["credentialSubject"]["achievement"]["name"] = "Couture avancée"
    report = verify(credential=derived, policy=OFFLINE, now=NOW)
    proof = next(c for c in report.as_dict()["checks"] if c["id"] == "proof")
    assert (report.verified, report.as_dict()["trust"], proof["outcome"]) == (False, "invalid", "failed")
    assert proof["message_fr"] and proof["message_en"]


def test_a_base_proof_handed_to_the_verifier_is_refused_with_a_reason() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    did = "did:key:" + encode_public_key(key.public_key())
    options = {**OPTIONS, "verificationMethod": f"{did}#{did.removeprefix('did:key:')}"}
    base = issue(_credential(did), key, lambda quad: "22-rdf-syntax-ns#type>" in quad, options).document
    report = verify(credential=base, policy=OFFLINE, now=NOW)
    proof = next(c for c in report.as_dict()["checks"] if c["id"] == "proof")
    assert (report.verified, proof["outcome"]) == (False, "failed")
    assert "base proof" in proof["message_en"].lower() or "preuve de base" in proof["message_fr"].lower(), proof
