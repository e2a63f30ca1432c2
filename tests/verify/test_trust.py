"""The three-state verdict (``trust``) on badges of other issuers: *confirmed* when the issuer's own document
publishes the signing key, *unconfirmed* when the signature holds with a key the badge names or embeds but no
document of the issuer lists it (amber: a genuine third-party badge, or someone signing in another's name), and
*invalid* otherwise. A key that cannot be fetched is a fetch failure, worded as one, never a bad signature.

Issuer documents live on loopback sites (see conftest); unreachable servers are refused ports and a resolver that
finds no name.
"""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwcrypto import jwk, jws

from app.signing.data_integrity import create_proof
from app.signing.loader import make_loader
from app.signing.multikey import encode_public_key
from app.verify.fetch import FetchPolicy, SafeFetcher
from app.verify.report import Report
from app.verify.service import verify
from app.verify.verdict import Verdict, verdict
from tests.verify.conftest import Canary, Site

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
LOOPBACK = FetchPolicy(allow_loopback=True, timeout=3.0)
V2 = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
DID_V1 = "https://www.w3.org/ns/did/v1"
SUBJECT_ID = "did:example:camille"


def _credential(issuer_id: str, **extra: Any) -> dict[str, Any]:
    return {"@context": V2, "id": "urn:uuid:7c0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Repair café",
            "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Repair Café de la Croix-Rousse"},
            "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {"id": SUBJECT_ID, "type": ["AchievementSubject"],
                                  "achievement": {"id": "urn:uuid:8c0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                                                  "type": ["Achievement"], "name": "Réparer un grille-pain",
                                                  "description": "Réparer ensemble.",
                                                  "criteria": {"narrative": "Trois réparations."}}}, **extra}


def _multikey(key: Ed25519PrivateKey) -> str:
    return encode_public_key(key.public_key())


def _method(method_id: str, controller: str, key: Ed25519PrivateKey) -> dict[str, Any]:
    return {"id": method_id, "type": "Multikey", "controller": controller, "publicKeyMultibase": _multikey(key)}


def _signed(credential: dict[str, Any], key: Ed25519PrivateKey, method: str) -> dict[str, Any]:
    return create_proof(credential, private_key=key, verification_method=method, created=NOW, loader=make_loader())


def _ed25519_jwk(key: Ed25519PrivateKey) -> dict[str, Any]:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}


def _jwt(key: Ed25519PrivateKey, credential: dict[str, Any], header: dict[str, Any], **claims: Any) -> str:
    payload = {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"], **claims}
    token = jws.JWS(json.dumps(payload).encode())
    token.add_signature(jwk.JWK.from_pyca(key), alg="EdDSA", protected=json.dumps({"alg": "EdDSA", **header}))
    return str(token.serialize(compact=True))


def _verify(fetcher: SafeFetcher | None = None, **source: Any) -> Report:
    return verify(policy=fetcher.policy if fetcher else LOOPBACK, now=NOW, fetcher=fetcher, **source)


def _check(report: Report, check_id: str) -> dict[str, Any]:
    found = [c for c in report.as_dict()["checks"] if c["id"] == check_id]
    assert found, f"no {check_id!r} check in {report.checks}"
    return found[-1]


def _assert_unconfirmed(report: Report) -> None:
    out = report.as_dict()
    assert (out["trust"], out["verified"], verdict(report)) == ("unconfirmed", False, Verdict.UNCONFIRMED), \
        out["checks"]
    assert _check(report, "proof")["outcome"] == "passed"
    issuer = _check(report, "issuer")
    assert issuer["outcome"] == "failed"
    assert "could not be tied to the issuer" in issuer["message_en"]
    assert "n'a pas pu être rattachée à l'émetteur" in issuer["message_fr"]
    assert "does not hold" not in issuer["message_en"] and "n'est pas valide" not in issuer["message_fr"]


def _assert_fetch_failure(report: Report, url: str, reason_en: str, reason_fr: str) -> None:
    """Not valid, and the ``proof`` check says the key could not be obtained at ``url`` (not a bad signature)."""
    out = report.as_dict()
    assert (out["trust"], out["verified"], verdict(report)) == ("invalid", False, Verdict.INVALID), out["checks"]
    proof = _check(report, "proof")
    assert proof["outcome"] == "failed"
    assert proof["message_en"].startswith(f"Could not obtain the issuer's key at {url}: {reason_en}"), proof
    assert proof["message_fr"].startswith(f"Impossible d'obtenir la clé de l'émetteur à {url} : {reason_fr}"), proof
    assert "does not hold" not in proof["message_en"] and "n'est pas valide" not in proof["message_fr"]
    assert "issuer" not in {c["id"] for c in out["checks"]}


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _issuer_profile(site: Site, *methods: dict[str, Any]) -> str:
    """The issuer's own profile at /issuer, listing ``methods`` for assertions; its id."""
    issuer = site.url("/issuer")
    site.put("/issuer", {"@context": [DID_V1], "id": issuer, "verificationMethod": list(methods),
                         "assertionMethod": [m["id"] for m in methods]})
    return issuer


# --- unconfirmed: the signature holds, the issuer's document does not list the key ------------------------------

def test_vc_jwt_with_an_embedded_jwk_header_reads_unconfirmed(site: Site, key: Ed25519PrivateKey) -> None:
    issuer = _issuer_profile(site, _method("#other", site.url("/issuer"), Ed25519PrivateKey.generate()))
    report = _verify(text=_jwt(key, _credential(issuer), {"jwk": _ed25519_jwk(key)}))
    _assert_unconfirmed(report)
    assert issuer in report.fetched  # the issuer's own document was tried before concluding
    assert "does not list this key" in _check(report, "issuer")["message_en"]
    assert _check(report, "claims")["outcome"] == "passed" and _check(report, "validity")["outcome"] == "passed"
    assert report.format == "ob3-vc-jwt"


def test_unconfirmed_badge_looks_up_neither_its_status_nor_its_endorsements(site: Site,
                                                                            key: Ed25519PrivateKey) -> None:
    status = {"id": site.url("/status#1"), "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
              "statusListIndex": "1", "statusListCredential": site.url("/status")}
    endorsement = _signed(_credential("did:key:" + _multikey(key)), key, f"did:key:{_multikey(key)}#{_multikey(key)}")
    credential = _credential(site.url("/issuer"), credentialStatus=status, endorsement=[endorsement])
    report = _verify(text=_jwt(key, credential, {"jwk": _ed25519_jwk(key)}))
    _assert_unconfirmed(report)
    assert report.fetched == [site.url("/issuer")]  # the issuer's document only: nothing the badge points at
    assert (report.as_dict()["status"], _check(report, "status")["outcome"]) == ("not_checked", "skipped")
    assert "issuer is not confirmed" in _check(report, "status")["message_en"]
    assert report.endorsements == []


def test_kid_on_another_origin_that_the_issuer_does_not_list_reads_unconfirmed(site: Site, other_site: Site,
                                                                              key: Ed25519PrivateKey) -> None:
    kid = other_site.put("/jwk", _ed25519_jwk(key), content_type="application/jwk+json")
    report = _verify(text=_jwt(key, _credential(site.url("/issuer")), {"kid": kid}))
    _assert_unconfirmed(report)
    assert "could not be obtained at " + site.url("/issuer") in _check(report, "issuer")["message_en"]


def test_did_key_method_that_the_did_web_issuers_document_does_not_list_reads_unconfirmed(
        site: Site, key: Ed25519PrivateKey) -> None:
    site.put("/.well-known/did.json", {"@context": [DID_V1], "id": site.did, "verificationMethod": [],
                                       "assertionMethod": []}, content_type="application/did+json")
    credential = _signed(_credential(site.did), key, f"did:key:{_multikey(key)}#{_multikey(key)}")
    report = _verify(credential=credential)
    _assert_unconfirmed(report)
    assert "ne mentionne pas cette clé" in _check(report, "issuer")["message_fr"]


# --- the issuer's document is tried before concluding: then confirmed -------------------------------------------

def test_did_key_method_that_the_https_issuers_profile_lists_is_confirmed(site: Site, key: Ed25519PrivateKey) -> None:
    did = f"did:key:{_multikey(key)}"
    issuer = _issuer_profile(site, _method(f"{did}#{_multikey(key)}", did, key))
    report = _verify(credential=_signed(_credential(issuer), key, f"{did}#{_multikey(key)}"))
    assert (report.trust, report.verified, verdict(report)) == ("confirmed", True, Verdict.VALID), report.checks
    assert issuer in report.fetched


def test_jwk_header_that_the_issuers_profile_lists_is_confirmed(site: Site, key: Ed25519PrivateKey) -> None:
    issuer = _issuer_profile(site, _method("#key-1", site.url("/issuer"), key))
    report = _verify(text=_jwt(key, _credential(issuer), {"jwk": _ed25519_jwk(key)}))
    assert (report.trust, report.verified) == ("confirmed", True), report.checks


def test_method_of_another_did_that_the_issuers_did_document_lists_by_id_is_confirmed(
        site: Site, other_site: Site, key: Ed25519PrivateKey) -> None:
    site.put("/.well-known/did.json", {"@context": [DID_V1], "id": site.did,  # the key's own DID document
                                       "verificationMethod": [_method("#key-1", site.did, key)],
                                       "assertionMethod": ["#key-1"]}, content_type="application/did+json")
    other_site.put("/.well-known/did.json", {"@context": [DID_V1], "id": other_site.did,  # the issuer's
                                             "assertionMethod": [f"{site.did}#key-1"]},
                   content_type="application/did+json")
    report = _verify(credential=_signed(_credential(other_site.did), key, f"{site.did}#key-1"))
    assert (report.trust, report.verified) == ("confirmed", True), report.checks


# --- what still wins over "unconfirmed" -------------------------------------------------------------------------

def test_unconfirmed_and_expired_reads_expired(key: Ed25519PrivateKey) -> None:
    credential = _credential("urn:uuid:9c0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11", validUntil="2026-06-30T00:00:00Z")
    report = _verify(text=_jwt(key, credential, {"jwk": _ed25519_jwk(key)}))
    assert (report.trust, verdict(report)) == ("invalid", Verdict.EXPIRED), report.checks
    assert report.fetched == []  # a urn: issuer has no document to look at


def test_unconfirmed_badge_of_someone_else_reads_not_awarded_to_this_person(key: Ed25519PrivateKey) -> None:
    credential = _credential("urn:uuid:9c0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11")
    report = verify(policy=LOOPBACK, now=NOW, recipient="did:example:nathan",
                    text=_jwt(key, credential, {"jwk": _ed25519_jwk(key)}))
    assert (report.trust, verdict(report)) == ("invalid", Verdict.RECIPIENT), report.checks
    right = verify(policy=LOOPBACK, now=NOW, recipient=SUBJECT_ID,
                   text=_jwt(key, credential, {"jwk": _ed25519_jwk(key)}))
    assert (right.trust, verdict(right)) == ("unconfirmed", Verdict.UNCONFIRMED), right.checks


def test_unconfirmed_token_whose_claims_contradict_the_credential_is_not_valid(key: Ed25519PrivateKey) -> None:
    credential = _credential("urn:uuid:9c0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11")
    report = _verify(text=_jwt(key, credential, {"jwk": _ed25519_jwk(key)}, jti="urn:uuid:autre"))
    assert (report.trust, verdict(report)) == ("invalid", Verdict.INVALID), report.checks
    assert _check(report, "claims")["outcome"] == "failed"


def test_tampered_token_with_an_embedded_jwk_is_not_valid(key: Ed25519PrivateKey) -> None:
    header, payload, signature = _jwt(key, _credential("urn:uuid:9c0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11"),
                                      {"jwk": _ed25519_jwk(key)}).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "Repair cafX"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    report = _verify(text=f"{header}.{forged}.{signature}")
    assert (report.trust, verdict(report)) == ("invalid", Verdict.INVALID)
    assert _check(report, "proof")["message_fr"].startswith("La signature n'est pas valide")


# --- a key that cannot be fetched: a fetch failure, not a bad signature -----------------------------------------

def test_unreachable_key_server_is_a_fetch_failure(key: Ed25519PrivateKey) -> None:
    kid = "http://127.0.0.1:9/jwk"  # the discard port: nothing listens
    report = _verify(text=_jwt(key, _credential("https://127.0.0.1:9/issuer"), {"kid": kid}))
    _assert_fetch_failure(report, kid, "The server could not be reached.", "Le serveur est injoignable.")


def test_key_server_name_that_cannot_be_found_is_a_fetch_failure(key: Ed25519PrivateKey) -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise OSError("no such name")

    kid = "https://cles.association-inconnue.example/jwk"
    report = _verify(SafeFetcher(FetchPolicy(), resolver=resolver),
                     text=_jwt(key, _credential("https://association-inconnue.example/issuer"), {"kid": kid}))
    _assert_fetch_failure(report, kid, "The server name could not be found.", "Le nom du serveur est introuvable.")


def test_key_on_a_refused_address_is_a_fetch_failure(key: Ed25519PrivateKey) -> None:
    method = "did:web:10.0.0.7#key-1"  # a private address: never fetched
    report = _verify(SafeFetcher(FetchPolicy()),
                     credential=_signed(_credential("did:web:10.0.0.7"), key, method))
    _assert_fetch_failure(report, "https://10.0.0.7/.well-known/did.json", "The address points to a private",
                          "L'adresse mène à un réseau privé")
    assert report.fetched == []


def test_key_server_that_does_not_answer_in_time_is_a_fetch_failure(canary: Canary, key: Ed25519PrivateKey) -> None:
    kid = canary.url("/hang")
    fetcher = SafeFetcher(FetchPolicy(allow_loopback=True, timeout=0.5))
    report = _verify(fetcher, text=_jwt(key, _credential(canary.url("/issuer")), {"kid": kid}))
    _assert_fetch_failure(report, kid, "The server took too long to answer.",
                          "Le serveur a mis trop de temps à répondre.")
