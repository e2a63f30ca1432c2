"""OB 3.0 credentials from other issuers (did:key, no network): what is not a badge, validity dates, the recipient,
a subject of an unusual shape, endorsements given as JWTs, and the JWT claims of a VC-JWT that must agree with the
credential they carry (OB 3.0 §8.2)."""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwcrypto import jwk, jws

from app.badges.identity import identity_hash
from app.signing.data_integrity import create_proof
from app.signing.loader import make_loader
from app.signing.multikey import encode_public_key
from app.verify.fetch import FetchPolicy
from app.verify.service import verify
from app.verify.verdict import Verdict, verdict

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
STRICT = FetchPolicy()
V2 = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ACHIEVEMENT = {"id": "urn:uuid:2b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11", "type": ["Achievement"],
               "name": "Jardin partagé", "description": "Cultiver ensemble.", "criteria": {"narrative": "Une saison."}}
SALT = "sel-de-camargue"


def _report(**source: Any) -> dict[str, Any]:
    return verify(policy=STRICT, now=NOW, **source).as_dict()


def _check(report: dict[str, Any], check_id: str, kind: str = "checks") -> dict[str, Any]:
    found: list[dict[str, Any]] = [c for c in report[kind] if c["id"] == check_id]
    assert found, f"no {check_id!r} in {report[kind]}"
    return found[-1]


def _said(check: dict[str, Any], en: str, fr: str) -> None:
    assert en in check["message_en"], check
    assert fr in check["message_fr"], check


def _failed(report: dict[str, Any], check_id: str, en: str, fr: str) -> None:
    check = _check(report, check_id)
    assert check["outcome"] == "failed", report["checks"]
    assert report["verified"] is False
    _said(check, en, fr)


def _did(key: Ed25519PrivateKey) -> str:
    return "did:key:" + encode_public_key(key.public_key())


def _method(key: Ed25519PrivateKey) -> str:
    return f"{_did(key)}#{_did(key).removeprefix('did:key:')}"


def _credential(key: Ed25519PrivateKey, **extra: Any) -> dict[str, Any]:
    """An OpenBadgeCredential from a did:key issuer; a member given as None is left out."""
    document = {"@context": V2, "id": "urn:uuid:1b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Jardin partagé",
                "issuer": {"id": _did(key), "type": ["Profile"], "name": "Association du quartier"},
                "validFrom": "2025-01-01T00:00:00Z",
                "credentialSubject": {"id": "did:example:123", "type": ["AchievementSubject"],
                                      "achievement": ACHIEVEMENT}, **extra}
    return {k: v for k, v in document.items() if v is not None}


def _sign(document: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    return create_proof(document, private_key=key, verification_method=_method(key), created=NOW,
                        loader=make_loader())


def _timestamp(moment: str) -> int:
    return int(datetime.datetime.fromisoformat(moment.replace("Z", "+00:00")).timestamp())


def _jwt(key: Ed25519PrivateKey, credential: dict[str, Any], **claims: Any) -> str:
    payload = {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"],
               "sub": credential["credentialSubject"]["id"], "nbf": _timestamp(credential["validFrom"]), **claims}
    token = jws.JWS(json.dumps({k: v for k, v in payload.items() if v is not None}).encode())
    token.add_signature(jwk.JWK.from_pyca(key), alg="EdDSA",
                        protected=json.dumps({"alg": "EdDSA", "typ": "JWT", "kid": _method(key)}))
    return str(token.serialize(compact=True))


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


# --- what is a badge --------------------------------------------------------------------------------------------

def test_verifiable_credential_that_is_not_a_badge_is_checked_with_a_warning(key: Ed25519PrivateKey) -> None:
    report = _report(credential=_sign(_credential(key, type=["VerifiableCredential"]), key))
    assert report["verified"] is True, report["checks"]
    warning = _check(report, "format", "warnings")
    _said(warning, "not an Open Badge: only its signature, dates and status are checked",
          "pas un Open Badge : seules sa signature, ses dates et son statut sont vérifiés")
    assert not any(c["id"] == "schema" for c in report["checks"] + report["warnings"])


def test_badge_not_typed_verifiable_credential_is_not_checked_further(key: Ed25519PrivateKey) -> None:
    report = _report(credential=_sign(_credential(key), key) | {"type": ["OpenBadgeCredential"]})
    _failed(report, "format", "Not a Verifiable Credential", "Ce n'est pas une attestation vérifiable")
    assert [c["id"] for c in report["checks"]] == ["format"]


# --- dates ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("dates", "en", "fr"), [
    ({"validFrom": None}, "validFrom is missing or has no time zone", "validFrom manque"),
    ({"validUntil": "2027-01-01T00:00:00"}, "validUntil is not a date with a time zone",
     "validUntil n'est pas une date avec fuseau horaire"),
    ({"validUntil": "2026-06-30T12:00:00Z"}, "The badge expired on 2026-06-30", "Le badge a expiré le 30/06/2026"),
], ids=["no-valid-from", "valid-until-without-zone", "expired"])
def test_dates_out_of_range_fail_the_validity_check(key: Ed25519PrivateKey, dates: dict[str, Any], en: str,
                                                    fr: str) -> None:
    report = _report(credential=_sign(_credential(key, **dates), key))
    assert _check(report, "proof")["outcome"] == "passed"
    _failed(report, "validity", en, fr)


def test_badge_valid_from_a_later_date_is_not_valid_yet(key: Ed25519PrivateKey) -> None:
    report = verify(credential=_sign(_credential(key, validFrom="2027-09-01T00:00:00Z"), key), policy=STRICT,
                    now=NOW)
    _failed(report.as_dict(), "validity", "not valid yet", "pas encore valide")
    assert verdict(report) is Verdict.NOT_YET


def test_vc_1_1_badge_without_issuance_date_fails_the_validity_check(key: Ed25519PrivateKey) -> None:
    document = _credential(key, validFrom=None)
    document["@context"] = ["https://www.w3.org/2018/credentials/v1",
                            "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
                            "https://w3id.org/security/data-integrity/v2"]
    report = _report(credential=_sign(document, key))
    assert report["format"] == "vc11-data-integrity"
    _failed(report, "validity", "issuanceDate is missing", "issuanceDate manque")


# --- recipient and subject --------------------------------------------------------------------------------------

def test_recipient_named_by_the_subject_id_is_recognised(key: Ed25519PrivateKey) -> None:
    report = _report(credential=_sign(_credential(key), key), recipient=" did:example:123 ")
    assert report["verified"] is True
    check = _check(report, "recipient")
    assert check["outcome"] == "passed"
    _said(check, "awarded to this identifier", "décerné à cet identifiant")


def _hashed_subject() -> dict[str, Any]:
    return {"type": ["AchievementSubject"], "achievement": ACHIEVEMENT,
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                            "salt": SALT, "identityHash": identity_hash("sylvie@example.fr", SALT)}]}


def test_recipient_is_found_behind_the_identity_hash(key: Ed25519PrivateKey) -> None:
    report = _report(credential=_sign(_credential(key, credentialSubject=_hashed_subject()), key),
                     recipient="Sylvie@Example.fr")
    assert report["verified"] is True, report["checks"]
    _said(_check(report, "recipient"), "awarded to this person", "décerné à cette personne")
    assert report["recipient"] == [{"identityType": "emailAddress", "hashed": True,
                                    "identityHash": identity_hash("sylvie@example.fr", SALT)}]


def test_someone_else_is_not_the_recipient(key: Ed25519PrivateKey) -> None:
    report = _report(credential=_sign(_credential(key, credentialSubject=_hashed_subject()), key),
                     recipient="nathan@example.fr")
    _failed(report, "recipient", "not awarded to this person", "n'a pas été décerné à cette personne")


def test_subject_given_as_a_bare_identifier_shows_no_achievement(key: Ed25519PrivateKey) -> None:
    report = _report(credential=_sign(_credential(key, type=["VerifiableCredential"],
                                                  credentialSubject="did:example:123"), key))
    assert _check(report, "proof")["outcome"] == "passed"
    assert report["achievement"] == {} and report["recipient"] == []
    assert report["issuer"]["name"] == "Association du quartier"


def test_expired_badge_with_a_bare_identifier_subject_reads_as_expired(key: Ed25519PrivateKey) -> None:
    document = _credential(key, type=["VerifiableCredential"], credentialSubject="did:example:123",
                           validUntil="2026-06-30T12:00:00Z")
    report = verify(credential=_sign(document, key), policy=STRICT, now=NOW)
    _failed(report.as_dict(), "validity", "The badge expired on 2026-06-30", "Le badge a expiré le 30/06/2026")
    assert report.as_dict()["expires"] == "2026-06-30T12:00:00Z"
    assert verdict(report) is Verdict.EXPIRED


# --- endorsements -----------------------------------------------------------------------------------------------

def test_endorsement_given_as_a_jwt_inside_a_vc_jwt_is_verified_and_shown(key: Ed25519PrivateKey) -> None:
    town_hall = Ed25519PrivateKey.generate()
    endorsement = {"@context": V2, "id": "urn:uuid:3b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                   "type": ["VerifiableCredential", "EndorsementCredential"], "name": "Recommandation",
                   "issuer": {"id": _did(town_hall), "type": ["Profile"], "name": "Mairie de quartier"},
                   "validFrom": "2025-06-01T00:00:00Z",
                   "credentialSubject": {"id": ACHIEVEMENT["id"], "type": ["EndorsementSubject"],
                                         "endorsementComment": "Un engagement précieux."}}
    token = _jwt(town_hall, endorsement)
    report = _report(text=_jwt(key, _credential(key, endorsementJwt=[token])))  # no JSON-LD term for it: JWT only
    assert report["verified"] is True, report["checks"]
    (shown,) = report["endorsements"]
    assert shown["verified"] is True and shown["issuer"]["name"] == "Mairie de quartier"
    _said(_check(report, "endorsement"), "1 of 1 endorsement(s) verified", "1 recommandation(s) vérifiée(s) sur 1")


# --- VC-JWT claims ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("claims", "named"), [
    ({"iss": "did:web:ailleurs.example"}, "iss"),
    ({"sub": "did:example:456"}, "sub"),
    ({"nbf": _timestamp("2025-02-01T00:00:00Z")}, "nbf"),
    ({"nbf": "2025-01-01"}, "nbf"),
    ({"exp": _timestamp("2031-01-01T00:00:00Z")}, "exp"),
], ids=["iss", "sub", "nbf-other-date", "nbf-not-a-number", "exp-other-date"])
def test_jwt_claims_contradicting_the_credential_fail_the_claims_check(key: Ed25519PrivateKey,
                                                                       claims: dict[str, Any], named: str) -> None:
    credential = _credential(key, validUntil="2030-01-01T00:00:00Z")
    report = _report(text=_jwt(key, credential, **claims))
    assert _check(report, "proof")["outcome"] == "passed"
    _failed(report, "claims", f"contradict the credential: {named}.", f"contredisent l'attestation : {named}.")


def test_jwt_not_valid_before_a_later_date_fails_the_claims_check(key: Ed25519PrivateKey) -> None:
    report = _report(text=_jwt(key, _credential(key, validFrom="2027-01-01T00:00:00Z")))
    _failed(report, "claims", "not valid yet (nbf)", "pas encore valide (nbf)")


def test_expired_jwt_fails_the_claims_check(key: Ed25519PrivateKey) -> None:
    credential = _credential(key, validUntil="2026-01-01T00:00:00Z")
    report = _report(text=_jwt(key, credential, exp=_timestamp("2026-01-01T00:00:00Z")))
    _failed(report, "claims", "The token has expired (exp)", "Le jeton a expiré (exp)")


def test_jwt_with_a_refused_algorithm_is_refused(key: Ed25519PrivateKey) -> None:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    credential = _credential(key)
    token = ".".join([b64(json.dumps({"alg": "HS256", "kid": _method(key)}).encode()),
                      b64(json.dumps({**credential, "iss": _did(key)}).encode()), b64(b"mac")])
    report = _report(text=token)
    assert report["format"] == "ob3-vc-jwt"
    _failed(report, "proof", "The token is refused", "Le jeton est refusé")


def test_jwt_not_carrying_a_verifiable_credential_fails_the_format(key: Ed25519PrivateKey) -> None:
    report = _report(text=_jwt(key, _credential(key, type=["OpenBadgeCredential"])))
    _failed(report, "format", "Not a Verifiable Credential", "Ce n'est pas une attestation vérifiable")


def test_jwt_whose_credential_names_no_issuer_is_refused(key: Ed25519PrivateKey) -> None:
    credential = _credential(key)
    token = _jwt(key, {**credential, "issuer": {"id": None}}, iss=_did(key))
    report = _report(text=token)
    _failed(report, "issuer", "The credential names no issuer", "L'attestation ne nomme pas d'émetteur")
    assert not any(c["id"] == "proof" for c in report["checks"])
