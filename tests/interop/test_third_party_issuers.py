"""OB 3.0 credentials signed by independent implementations, for issuers that are not this service, go through our
verifier (``app.verify.service.verify``, in-process).

``interop/sign-ob3.mjs`` signs each credential with a freshly generated Ed25519 key whose did:key is the issuer
(``issuer.id = did:key:z6Mk…``, ``verificationMethod = did:key:z6Mk…#z6Mk…``), fully offline (contexts from npm
packages, every fetch refused), with Digital Bazaar's libraries (``DataIntegrityProof`` ``eddsa-rdfc-2022`` and
``eddsa-2022``, ``Ed25519Signature2020``) and ``jose`` (OB 3.0 §8.2 VC-JWT, EdDSA). The signing library's own
verifier checks each result first (``self_check``), so a rejection here is ours, not a broken fixture. One Node
process signs every case. did:key is resolved locally by our verifier: nothing is fetched.

Without ``node`` or ``interop/node_modules`` the tests skip (fail with ``CI=true``); install with
``bash interop/setup.sh``.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import subprocess
from datetime import UTC, datetime
from typing import Any

import pytest

from app.verify.fetch import FetchPolicy
from app.verify.service import verify
from tests.interop.conftest import INTEROP

pytestmark = pytest.mark.interop

SCRIPT = INTEROP / "sign-ob3.mjs"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/"
ED25519_2020 = "https://w3id.org/security/suites/ed25519-2020/v1"
EMAIL = "camille.martin@example.org"
SALT = "c2VsLWRlLWd1ZXJhbmRl"
LEVEL = "J'agis"

# case id -> (suite, @context, expected report format)
CASES: dict[str, tuple[str, list[str], str]] = {
    "eddsa-rdfc-2022": ("eddsa-rdfc-2022", [VC_V2, OB + "context-3.0.3.json"], "ob3-data-integrity"),
    "eddsa-2022": ("eddsa-2022", [VC_V2, OB + "context-3.0.3.json"], "ob3-data-integrity"),
    "ed25519-2020-vc11-ob301": ("Ed25519Signature2020", [VC_V1, OB + "context-3.0.1.json", ED25519_2020],
                                "vc11-data-integrity"),
    "ed25519-2020-vc11-ob300": ("Ed25519Signature2020", [VC_V1, OB + "context.json", ED25519_2020],
                                "vc11-data-integrity"),
    "ed25519-2020-vc20-ob303": ("Ed25519Signature2020", [VC_V2, OB + "context-3.0.3.json", ED25519_2020],
                                "ob3-data-integrity"),
    "vc-jwt-eddsa": ("vc-jwt", [VC_V2, OB + "context-3.0.3.json"], "ob3-vc-jwt"),
}
LD_CASES = [case for case, (suite, _, _) in CASES.items() if suite != "vc-jwt"]


def _template(case: str) -> dict[str, Any]:
    """A realistic OB 3.0 OpenBadgeCredential: issuer Profile (its id is set by the signer), AchievementSubject with
    a hashed email identifier, an Achievement with criteria and a rubric of levels, and the level achieved."""
    _, contexts, _ = CASES[case]
    vc11 = VC_V1 in contexts
    serial = hashlib.sha256(case.encode()).hexdigest()
    uuid = f"urn:uuid:{serial[:8]}-{serial[8:12]}-4{serial[13:16]}-8{serial[17:20]}-{serial[20:32]}"
    levels = [{"id": f"urn:example:repair-cafe:levels:{n}", "type": ["RubricCriterionLevel"], "name": name}
              for n, name in enumerate(["Je soutiens", "J'explore", LEVEL], start=1)]
    credential: dict[str, Any] = {
        "@context": contexts,
        "id": uuid,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Réparer un vélo — J'agis",
        "issuer": {"type": ["Profile"], "name": "Repair Café de la Croix-Rousse",
                   "url": "https://repair-cafe-croix-rousse.example", "email": "contact@repair-cafe.example",
                   "description": "Association de quartier : on répare ensemble plutôt que de jeter."},
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": True, "salt": SALT,
                            "identityHash": "sha256$" + hashlib.sha256((EMAIL + SALT).encode()).hexdigest()}],
            "achievement": {
                "id": "urn:uuid:5f0c6e3a-7d2b-4c1e-9a8f-0b1c2d3e4f50",
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": "Réparer un vélo",
                "description": "Diagnostiquer et réparer une crevaison, régler freins et dérailleur.",
                "criteria": {"narrative": "A réparé trois vélos lors des permanences du samedi, sous le regard "
                                          "d'un bénévole."},
                "resultDescription": [{"id": "urn:example:repair-cafe:rubric", "type": ["ResultDescription"],
                                       "name": "Niveau d'engagement", "resultType": "RubricCriterionLevel",
                                       "allowedValue": [level["name"] for level in levels],
                                       "rubricCriterionLevel": levels}],
            },
            "result": [{"type": ["Result"], "resultDescription": "urn:example:repair-cafe:rubric",
                        "achievedLevel": levels[-1]["id"]}],
        },
    }
    if vc11:
        credential["issuanceDate"] = "2025-03-15T09:30:00Z"
        credential["expirationDate"] = "2035-03-15T09:30:00Z"
    else:
        credential["validFrom"] = "2025-03-15T09:30:00Z"
        credential["validUntil"] = "2035-03-15T09:30:00Z"
    return credential


@pytest.fixture(scope="module")
def signed(node: str) -> dict[str, dict[str, Any]]:
    """Every case signed by one Node process: case id -> {"suite", "did", "verificationMethod", "credential",
    "self_check"}."""
    jobs = [{"id": case, "suite": suite, "credential": _template(case)} for case, (suite, _, _) in CASES.items()]
    result = subprocess.run([node, str(SCRIPT), "-"], input=json.dumps(jobs), capture_output=True, text=True,
                            cwd=INTEROP, timeout=120, check=False)
    assert result.returncode == 0, f"sign-ob3.mjs failed:\n{result.stderr[-3000:]}"
    return {item["id"]: item for item in json.loads(result.stdout)}


def _report(credential: dict[str, Any] | str, **options: Any) -> dict[str, Any]:
    source = {"text": credential} if isinstance(credential, str) else {"credential": credential}
    return verify(policy=FetchPolicy(), now=datetime.now(UTC), fetcher=None, **source, **options).as_dict()


def _outcome(report: dict[str, Any], check: str) -> str | None:
    return next((c["outcome"] for c in reversed(report["checks"]) if c["id"] == check), None)


def _b64json(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _bumped(name: str) -> str:
    return name[:-1] + chr(ord(name[-1]) + 1)


def _tampered(credential: dict[str, Any] | str) -> dict[str, Any] | str:
    """The same credential with one character of the achievement's name changed, the proof/signature kept."""
    if isinstance(credential, dict):
        changed = copy.deepcopy(credential)
        achievement = changed["credentialSubject"]["achievement"]
        achievement["name"] = _bumped(achievement["name"])
        return changed
    header, payload, signature = credential.split(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    name = json.loads(raw)["credentialSubject"]["achievement"]["name"]
    needle = json.dumps(name, ensure_ascii=False).encode()  # as JSON.stringify wrote it
    assert raw.count(needle) == 1
    raw = raw.replace(needle, json.dumps(_bumped(name), ensure_ascii=False).encode())
    return ".".join([header, base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), signature])


def _diagnose(report: dict[str, Any]) -> str:
    return json.dumps({"checks": report["checks"], "warnings": report["warnings"]}, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("case", list(CASES))
def test_the_signing_library_accepts_its_own_credential(signed: dict[str, dict[str, Any]], case: str) -> None:
    item = signed[case]
    assert item["self_check"] == {"verified": True, "errors": []}, item["self_check"]
    did = item["did"]
    assert did.startswith("did:key:z6Mk")
    assert item["verificationMethod"] == f"{did}#{did.removeprefix('did:key:')}"
    if CASES[case][0] == "vc-jwt":
        header, payload, _ = item["credential"].split(".")
        assert _b64json(header) == {"alg": "EdDSA", "kid": item["verificationMethod"]}
        claims = _b64json(payload)
        assert claims["iss"] == claims["issuer"]["id"] == did and claims["jti"] == claims["id"]
        assert claims["nbf"] == 1742031000 and claims["exp"] == 2057563800 and "vc" not in claims
    else:
        proof = item["credential"]["proof"]
        assert proof["verificationMethod"] == item["verificationMethod"]
        assert proof["proofPurpose"] == "assertionMethod"
        assert (proof.get("cryptosuite") or proof["type"]) == CASES[case][0]
        assert item["credential"]["issuer"]["id"] == did


@pytest.mark.parametrize("case", list(CASES))
def test_third_party_credential_verifies(signed: dict[str, dict[str, Any]], case: str) -> None:
    item = signed[case]
    report = _report(item["credential"], recipient=EMAIL)
    assert report["verified"] is True, _diagnose(report)
    assert report["format"] == CASES[case][2]
    for check in ("format", "proof", "issuer", "validity", "recipient"):
        assert _outcome(report, check) == "passed", f"{check}: {_diagnose(report)}"
    if CASES[case][0] == "vc-jwt":
        assert _outcome(report, "claims") == "passed", _diagnose(report)
    assert report["issuer"]["id"] == item["did"] and report["issuer"]["name"] == "Repair Café de la Croix-Rousse"
    assert report["achievement"]["name"] == "Réparer un vélo" and report["achievement"]["level"] == LEVEL
    assert report["achievement"]["criteria"]["narrative"].startswith("A réparé trois vélos")
    assert report["fetched"] == []  # did:key is resolved locally: no network


@pytest.mark.parametrize("case", list(CASES))
def test_one_character_changed_in_the_achievement_name_is_rejected(signed: dict[str, dict[str, Any]],
                                                                     case: str) -> None:
    tampered = _tampered(signed[case]["credential"])
    report = _report(tampered)
    assert report["verified"] is False, _diagnose(report)
    assert _outcome(report, "proof") == "failed", _diagnose(report)
    assert report["achievement"]["name"] == "Réparer un vélp"
    assert report["fetched"] == []


@pytest.mark.parametrize("case", LD_CASES)
def test_proof_given_as_an_array_verifies(signed: dict[str, dict[str, Any]], case: str) -> None:
    """The OB 3.0 JSON Schema wants ``proof`` as an array; a signer's single proof object put in one is the same
    proof set."""
    credential = copy.deepcopy(signed[case]["credential"])
    credential["proof"] = [credential["proof"]]
    report = _report(credential)
    assert report["verified"] is True, _diagnose(report)
    assert _outcome(report, "proof") == "passed" and _outcome(report, "issuer") == "passed"
    tampered = _tampered(credential)
    assert isinstance(tampered, dict)
    assert _report(tampered)["verified"] is False
