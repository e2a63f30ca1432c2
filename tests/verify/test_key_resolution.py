"""Finding the key behind an OB 3.0 proof or VC-JWT, and whether it is the issuer's: did:key, did:web DID documents
(the method must be listed for assertionMethod), https controller and key documents, the 1EdTech
``<issuer id>#z6Mk…`` form (which counts only if the issuer's own document publishes the key), ``kid`` URLs and
``jwk`` headers. Refused keys fail the ``proof`` check (``trust`` invalid); keys not shown to be the issuer's fail the
``issuer`` check while the signature holds (``trust`` unconfirmed).

DID documents and key documents live on a loopback ``site`` (see conftest).
"""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwcrypto import jwk, jws

from app.signing.data_integrity import create_proof
from app.signing.loader import make_loader
from app.signing.multikey import encode_public_key
from app.verify.fetch import FetchPolicy, SafeFetcher
from app.verify.keys import KeyNotFound, resolve_verification_method
from app.verify.service import verify
from tests.verify.conftest import Site

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
LOOPBACK = FetchPolicy(allow_loopback=True, timeout=3.0)
V2 = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
DID_V1 = "https://www.w3.org/ns/did/v1"
P256_DID_KEY = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"  # a P-256 did:key (W3C did:key examples)


# --- reading a report -------------------------------------------------------------------------------------------

def _report(**source: Any) -> dict[str, Any]:
    return verify(policy=LOOPBACK, now=NOW, **source).as_dict()


def _check(report: dict[str, Any], check_id: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [c for c in report["checks"] if c["id"] == check_id]
    assert found, f"no {check_id!r} check in {report['checks']}"
    return found[-1]


def _failed(report: dict[str, Any], check_id: str, en: str, fr: str) -> None:
    check = _check(report, check_id)
    assert check["outcome"] == "failed", report["checks"]
    assert report["verified"] is False
    assert en in check["message_en"], check
    assert fr in check["message_fr"], check
    if check_id == "proof":
        assert report["trust"] == "invalid"


def _passed(report: dict[str, Any], *check_ids: str) -> None:
    for check_id in check_ids:
        assert _check(report, check_id)["outcome"] == "passed", report["checks"]


def _not_the_issuers(report: dict[str, Any]) -> None:
    _passed(report, "proof")
    _failed(report, "issuer", "not shown to belong to the issuer", "Rien ne montre que la clé de signature")
    assert report["status"] == "not_checked" and report["trust"] == "unconfirmed", report["checks"]


# --- credentials, keys and documents ----------------------------------------------------------------------------

def _credential(issuer_id: str) -> dict[str, Any]:
    return {"@context": V2, "id": "urn:uuid:1b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Jardin partagé",
            "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Association du quartier"},
            "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:123", "type": ["AchievementSubject"],
                                  "achievement": {"id": "urn:uuid:2b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                                                  "type": ["Achievement"], "name": "Jardin partagé",
                                                  "description": "Cultiver ensemble.",
                                                  "criteria": {"narrative": "Une saison."}}}}


def _signed(issuer_id: str, key: Ed25519PrivateKey, method: str) -> dict[str, Any]:
    return create_proof(_credential(issuer_id), private_key=key, verification_method=method, created=NOW,
                        loader=make_loader())


def _multikey(key: Ed25519PrivateKey) -> str:
    return encode_public_key(key.public_key())


def _method(method_id: str, controller: str, key: Ed25519PrivateKey, **extra: Any) -> dict[str, Any]:
    return {"id": method_id, "type": "Multikey", "controller": controller, "publicKeyMultibase": _multikey(key),
            **extra}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _ed25519_jwk(key: Ed25519PrivateKey) -> dict[str, Any]:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64(raw)}


def _publish_did(site: Site, methods: list[dict[str, Any]], **purposes: Any) -> None:
    site.put("/.well-known/did.json", {"@context": [DID_V1], "id": site.did, "verificationMethod": methods,
                                       **purposes}, content_type="application/did+json")


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


# --- did:web ----------------------------------------------------------------------------------------------------

def test_did_web_key_listed_for_assertion_verifies(site: Site, key: Ed25519PrivateKey) -> None:
    _publish_did(site, [_method(f"{site.did}#key-1", site.did, key)], assertionMethod=["#key-1"])
    report = _report(credential=_signed(site.did, key, f"{site.did}#key-1"))
    assert report["verified"] is True, report["checks"]
    _passed(report, "proof", "issuer")
    assert site.url("/.well-known/did.json") in report["fetched"]


def test_did_web_key_listed_only_for_authentication_is_refused(site: Site, key: Ed25519PrivateKey) -> None:
    _publish_did(site, [_method(f"{site.did}#key-1", site.did, key)], authentication=["#key-1"])
    report = _report(credential=_signed(site.did, key, f"{site.did}#key-1"))
    _failed(report, "proof", "not listed for assertionMethod", "pas déclarée pour assertionMethod")


def test_did_web_method_embedded_under_assertion_method_verifies(site: Site, key: Ed25519PrivateKey) -> None:
    site.put("/.well-known/did.json", {"@context": [DID_V1], "id": site.did,
                                       "assertionMethod": [_method("#key-1", site.did, key)]})
    report = _report(credential=_signed(site.did, key, f"{site.did}#key-1"))
    assert report["verified"] is True, report["checks"]


def test_did_document_describing_another_did_is_refused(site: Site, key: Ed25519PrivateKey) -> None:
    site.put("/.well-known/did.json", {"@context": [DID_V1], "id": "did:web:ailleurs.example",
                                       "verificationMethod": [_method(f"{site.did}#key-1", site.did, key)],
                                       "assertionMethod": [f"{site.did}#key-1"]})
    report = _report(credential=_signed(site.did, key, f"{site.did}#key-1"))
    _failed(report, "proof", "describes another DID", "décrit un autre DID")


def test_did_document_without_the_named_key_is_refused(site: Site, key: Ed25519PrivateKey) -> None:
    _publish_did(site, [{"type": "Multikey"}, _method("#key-1", site.did, key)], assertionMethod=["#key-1"])
    report = _report(credential=_signed(site.did, key, f"{site.did}#key-2"))
    _failed(report, "proof", "does not contain this key", "ne contient pas cette clé")


def test_malformed_did_web_is_refused_without_fetching(site: Site, key: Ed25519PrivateKey) -> None:
    method = f"did:web:intrus@127.0.0.1%3A{site.port}#key-1"
    report = _report(credential=_signed(site.did, key, method))
    _failed(report, "proof", "The did:web identifier is malformed", "L'identifiant did:web est mal formé")
    assert report["fetched"] == []


def test_did_document_that_is_not_json_is_refused(site: Site, key: Ed25519PrivateKey) -> None:
    site.put("/.well-known/did.json", b"<html>Bienvenue</html>", content_type="application/json")
    report = _report(credential=_signed(site.did, key, f"{site.did}#key-1"))
    _failed(report, "proof", "DID document is not readable JSON", "n'est pas du JSON lisible")


def test_did_document_that_cannot_be_fetched_is_refused(site: Site, key: Ed25519PrivateKey) -> None:
    report = _report(credential=_signed(site.did, key, f"{site.did}#key-1"))  # nothing published: 404
    _failed(report, "proof", "DID document could not be fetched", "n'a pas pu être récupéré")
    where = site.url("/.well-known/did.json")  # a fetch failure, worded as one: not a bad signature
    _failed(report, "proof", f"Could not obtain the issuer's key at {where}: The server answered with an error.",
            f"Impossible d'obtenir la clé de l'émetteur à {where} : Le serveur a répondu par une erreur.")


def test_key_published_as_a_jwk_verifies(site: Site, key: Ed25519PrivateKey) -> None:
    method = {"id": "#key-1", "type": "JsonWebKey", "controller": site.did, "publicKeyJwk": _ed25519_jwk(key)}
    _publish_did(site, [method], assertionMethod=["#key-1"])
    report = _report(credential=_signed(site.did, key, f"{site.did}#key-1"))
    assert report["verified"] is True, report["checks"]


@pytest.mark.parametrize(("published", "en", "fr"), [
    ({"publicKeyMultibase": "z6MkN0tBase58!!"}, "published key is not usable", "La clé publiée est inutilisable"),
    ({"publicKeyMultibase": "u7QEAAAAA"}, "published key is not usable", "La clé publiée est inutilisable"),
    ({"publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "court"}}, "published key is not usable",
     "La clé publiée est inutilisable"),
    ({"publicKeyBase58": "8fS5gq1zbz4tSpFGJDGUPoBYVS3nJm7Gt5yW3T7yNDVd"}, "carries no key we can read",
     "ne contient pas de clé lisible"),
], ids=["multibase-not-base58", "multibase-not-base58btc", "jwk-too-short", "legacy-base58-only"])
def test_unreadable_published_key_is_refused(site: Site, key: Ed25519PrivateKey, published: dict[str, Any],
                                             en: str, fr: str) -> None:
    _publish_did(site, [{"id": "#key-1", "type": "Multikey", "controller": site.did, **published}],
                 assertionMethod=["#key-1"])
    _failed(_report(credential=_signed(site.did, key, f"{site.did}#key-1")), "proof", en, fr)


def test_non_ed25519_key_cannot_check_a_data_integrity_proof(site: Site, key: Ed25519PrivateKey) -> None:
    p256 = jwk.JWK.from_pyca(ec.generate_private_key(ec.SECP256R1()).public_key()).export_public(as_dict=True)
    _publish_did(site, [{"id": "#key-1", "type": "JsonWebKey", "controller": site.did, "publicKeyJwk": p256}],
                 assertionMethod=["#key-1"])
    report = _report(credential=_signed(site.did, key, f"{site.did}#key-1"))
    _failed(report, "proof", "needs an Ed25519 key", "exige une clé Ed25519")


# --- did:key ----------------------------------------------------------------------------------------------------

def test_did_key_method_naming_another_key_is_refused(key: Ed25519PrivateKey) -> None:
    did = "did:key:" + _multikey(key)
    other = _multikey(Ed25519PrivateKey.generate())
    report = _report(credential=_signed(did, key, f"{did}#{other}"))
    _failed(report, "proof", "must name its own key", "doit nommer sa propre clé")


def test_did_key_of_another_key_type_than_the_proof_needs_is_refused(key: Ed25519PrivateKey) -> None:
    method = f"{P256_DID_KEY}#{P256_DID_KEY.removeprefix('did:key:')}"  # P-256: for ecdsa-sd-2023, not eddsa
    report = _report(credential=_signed(P256_DID_KEY, key, method))
    _failed(report, "proof", "cannot be used for this proof", "ne convient pas à cette preuve")


# --- https: the 1EdTech form, controller documents and key documents --------------------------------------------

def test_issuer_fragment_key_published_by_the_issuer_verifies(site: Site, key: Ed25519PrivateKey) -> None:
    issuer = site.url("/issuer")
    site.put("/issuer", {"@context": [DID_V1], "id": issuer,
                         "verificationMethod": [_method(f"{issuer}#{_multikey(key)}", issuer, key)]})
    report = _report(credential=_signed(issuer, key, f"{issuer}#{_multikey(key)}"))
    assert report["verified"] is True, report["checks"]
    _passed(report, "issuer")


def test_issuer_fragment_key_the_issuer_does_not_publish_is_not_the_issuers(site: Site,
                                                                            key: Ed25519PrivateKey) -> None:
    issuer = site.url("/issuer")
    someone = Ed25519PrivateKey.generate()
    site.put("/issuer", {"@context": [DID_V1], "id": issuer,
                         "verificationMethod": [{"id": "#old", "publicKeyMultibase": "zBroken"},
                                                _method("#key-1", issuer, someone)]})
    _not_the_issuers(_report(credential=_signed(issuer, key, f"{issuer}#{_multikey(key)}")))


def test_issuer_fragment_key_with_an_unreachable_issuer_is_not_the_issuers(site: Site,
                                                                           key: Ed25519PrivateKey) -> None:
    issuer = site.url("/issuer")  # nothing published there
    _not_the_issuers(_report(credential=_signed(issuer, key, f"{issuer}#{_multikey(key)}")))


def test_issuer_fragment_that_is_not_a_key_is_refused(site: Site, key: Ed25519PrivateKey) -> None:
    issuer = site.url("/issuer")
    report = _report(credential=_signed(issuer, key, f"{issuer}#z6MkPasUneCle"))
    _failed(report, "proof", "publicKeyMultibase", "publicKeyMultibase")
    assert report["fetched"] == []


def _issuer_profile_listing(site: Site, key: Ed25519PrivateKey) -> str:
    """The issuer's own profile, publishing ``key``: what a controller document names as controller."""
    issuer = site.url("/issuer")
    site.put("/issuer", {"@context": [DID_V1], "id": issuer, "verificationMethod": [_method("#k", issuer, key)]})
    return issuer


def test_key_in_a_controller_document_of_the_issuer_verifies(site: Site, key: Ed25519PrivateKey) -> None:
    issuer = _issuer_profile_listing(site, key)
    site.put("/keys", {"@context": [DID_V1], "id": site.url("/keys"),
                       "verificationMethod": [_method("#key-1", issuer, key)]}, content_type="application/json")
    report = _report(credential=_signed(issuer, key, site.url("/keys#key-1")))
    assert report["verified"] is True, report["checks"]


def test_controller_document_without_the_named_key_is_refused(site: Site, key: Ed25519PrivateKey) -> None:
    issuer = _issuer_profile_listing(site, key)
    site.put("/keys", {"@context": [DID_V1], "id": site.url("/keys"),
                       "verificationMethod": [_method("#key-1", issuer, key)]})
    report = _report(credential=_signed(issuer, key, site.url("/keys#key-2")))
    _failed(report, "proof", "controller document does not contain this key", "ne contient pas cette clé")


def test_key_document_of_the_issuer_verifies(site: Site, key: Ed25519PrivateKey) -> None:
    issuer = _issuer_profile_listing(site, key)
    site.put("/key-1", _method(site.url("/key-1"), issuer, key))
    report = _report(credential=_signed(issuer, key, site.url("/key-1")))
    assert report["verified"] is True, report["checks"]


def test_key_document_naming_no_controller_is_refused(site: Site, key: Ed25519PrivateKey) -> None:
    issuer = _issuer_profile_listing(site, key)
    site.put("/key-1", {"id": site.url("/key-1"), "type": "Multikey", "publicKeyMultibase": _multikey(key)})
    report = _report(credential=_signed(issuer, key, site.url("/key-1")))
    _failed(report, "proof", "names no controller", "ne nomme pas de contrôleur")


@pytest.mark.parametrize("document", ["controller-document", "key-document"])
def test_key_published_elsewhere_claiming_the_issuer_as_controller_is_not_the_issuers(
        site: Site, other_site: Site, key: Ed25519PrivateKey, document: str) -> None:
    issuer = other_site.url("/issuer")  # the real issuer: its profile publishes another key
    other_site.put("/issuer", {"@context": [DID_V1], "id": issuer,
                               "verificationMethod": [_method("#k", issuer, Ed25519PrivateKey.generate())]})
    if document == "controller-document":
        site.put("/keys", {"@context": [DID_V1], "id": site.url("/keys"),
                           "verificationMethod": [_method("#key-1", issuer, key)]})
        method = site.url("/keys#key-1")
    else:
        method = site.put("/key-1", _method(site.url("/key-1"), issuer, key))
    report = _report(credential=_signed(issuer, key, method))
    assert report["issuer"]["id"] == issuer
    _not_the_issuers(report)


def test_did_web_key_claiming_another_did_as_controller_is_not_that_dids(site: Site, other_site: Site,
                                                                         key: Ed25519PrivateKey) -> None:
    _publish_did(other_site, [_method("#key-1", other_site.did, Ed25519PrivateKey.generate())],
                 assertionMethod=["#key-1"])
    _publish_did(site, [_method("#key-1", other_site.did, key)], assertionMethod=["#key-1"])
    report = _report(credential=_signed(other_site.did, key, f"{site.did}#key-1"))
    _not_the_issuers(report)


def test_did_web_key_of_another_did_listed_by_the_issuers_own_did_document_is_the_issuers(
        site: Site, other_site: Site, key: Ed25519PrivateKey) -> None:
    _publish_did(other_site, [], assertionMethod=[f"{site.did}#key-1"])  # the issuer names the method as its own
    _publish_did(site, [_method("#key-1", other_site.did, key)], assertionMethod=["#key-1"])
    report = _report(credential=_signed(other_site.did, key, f"{site.did}#key-1"))
    assert report["verified"] is True, report["checks"]
    _passed(report, "proof", "issuer")


def test_key_published_elsewhere_and_listed_by_id_in_the_issuers_profile_is_the_issuers(
        site: Site, other_site: Site, key: Ed25519PrivateKey) -> None:
    issuer = other_site.put("/issuer", {"@context": [DID_V1], "id": other_site.url("/issuer"),
                                        "assertionMethod": [site.url("/keys#key-1")]})
    site.put("/keys", {"@context": [DID_V1], "id": site.url("/keys"),
                       "verificationMethod": [_method("#key-1", issuer, key)]})
    report = _report(credential=_signed(issuer, key, site.url("/keys#key-1")))
    assert report["verified"] is True, report["checks"]


def test_key_in_a_did_document_of_the_issuer_for_authentication_only_is_not_the_issuers(
        site: Site, key: Ed25519PrivateKey) -> None:
    _publish_did(site, [_method("#key-1", site.did, key)], authentication=["#key-1"])
    _not_the_issuers(_report(text=_jwt(key, site.did, {"jwk": _ed25519_jwk(key)})))


def test_issuer_document_describing_another_issuer_does_not_vouch_for_a_key(site: Site, other_site: Site,
                                                                           key: Ed25519PrivateKey) -> None:
    issuer = site.url("/issuer")  # serves a document about someone else, listing the key
    site.put("/issuer", {"@context": [DID_V1], "id": other_site.url("/issuer"),
                         "verificationMethod": [_method(f"{issuer}#{_multikey(key)}", issuer, key)]})
    _not_the_issuers(_report(credential=_signed(issuer, key, f"{issuer}#{_multikey(key)}")))


@pytest.mark.parametrize(("method", "en", "fr"), [
    ("urn:example:cle-1", "not supported (did:key, did:web, https)", "pas pris en charge (did:key, did:web, https)"),
    ("https://cles.example/" + "k" * 2100, "not a usable identifier", "pas un identifiant utilisable"),
], ids=["urn", "too-long"])
def test_unusable_verification_method_is_refused_without_fetching(key: Ed25519PrivateKey, method: str, en: str,
                                                                  fr: str) -> None:
    report = _report(credential=_signed("did:key:" + _multikey(key), key, method))
    _failed(report, "proof", en, fr)
    assert report["fetched"] == []


# --- VC-JWT: kid URLs and jwk headers ---------------------------------------------------------------------------

def _jwt(key: Ed25519PrivateKey, issuer_id: str, header: dict[str, Any]) -> str:
    credential = _credential(issuer_id)
    payload = {**credential, "iss": issuer_id, "jti": credential["id"]}
    token = jws.JWS(json.dumps(payload).encode())
    token.add_signature(jwk.JWK.from_pyca(key), alg="EdDSA", protected=json.dumps({"alg": "EdDSA", **header}))
    return str(token.serialize(compact=True))


def test_jwk_header_with_the_did_key_issuers_own_key_verifies(key: Ed25519PrivateKey) -> None:
    report = _report(text=_jwt(key, "did:key:" + _multikey(key), {"jwk": _ed25519_jwk(key)}))
    assert report["verified"] is True, report["checks"]
    assert report["format"] == "ob3-vc-jwt"


def test_jwk_header_of_another_key_than_the_did_key_issuers_is_not_the_issuers(key: Ed25519PrivateKey) -> None:
    issuer = "did:key:" + _multikey(Ed25519PrivateKey.generate())
    _not_the_issuers(_report(text=_jwt(key, issuer, {"jwk": _ed25519_jwk(key)})))


def test_jwk_header_with_an_issuer_that_publishes_no_document_is_not_the_issuers(key: Ed25519PrivateKey) -> None:
    _not_the_issuers(_report(text=_jwt(key, "urn:uuid:3b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                                       {"jwk": _ed25519_jwk(key)})))


def test_jwk_header_published_by_the_issuer_among_unusable_keys_verifies(site: Site, key: Ed25519PrivateKey) -> None:
    issuer = site.url("/issuer")
    site.put("/issuer", {"@context": [DID_V1], "id": issuer,
                         "verificationMethod": [{"id": "#old", "type": "Multikey"},
                                                _method("#key-1", issuer, key)]})
    report = _report(text=_jwt(key, issuer, {"jwk": _ed25519_jwk(key)}))
    assert report["verified"] is True, report["checks"]


def test_unusable_jwk_header_is_refused(key: Ed25519PrivateKey) -> None:
    report = _report(text=_jwt(key, "did:key:" + _multikey(key), {"jwk": {"kty": "OKP", "crv": "Ed25519",
                                                                          "x": "court"}}))
    _failed(report, "proof", "The signing key cannot be used", "La clé de signature est inutilisable")


def test_token_naming_no_key_is_refused(key: Ed25519PrivateKey) -> None:
    report = _report(text=_jwt(key, "did:key:" + _multikey(key), {}))
    _failed(report, "proof", "names no key (kid or jwk)", "ne désigne aucune clé (kid ou jwk)")


def test_kid_serving_a_key_set_is_refused(site: Site, key: Ed25519PrivateKey) -> None:
    kid = site.put("/jwks", {"keys": [_ed25519_jwk(key)]}, content_type="application/jwk-set+json")
    report = _report(text=_jwt(key, site.url("/issuer"), {"kid": kid}))
    _failed(report, "proof", "exactly one public JWK, not a key set", "exactement une clé JWK publique")


def test_kid_serving_a_key_of_another_algorithm_is_refused(site: Site, key: Ed25519PrivateKey) -> None:
    p256 = jwk.JWK.from_pyca(ec.generate_private_key(ec.SECP256R1()).public_key()).export_public(as_dict=True)
    kid = site.put("/jwk", p256, content_type="application/jwk+json")
    report = _report(text=_jwt(key, site.url("/issuer"), {"kid": kid}))
    _failed(report, "proof", "The signing key cannot be used", "La clé de signature est inutilisable")


def test_kid_on_the_issuers_own_origin_verifies(site: Site, key: Ed25519PrivateKey) -> None:
    kid = site.put("/jwk", _ed25519_jwk(key), content_type="application/jwk+json")
    report = _report(text=_jwt(key, site.url("/issuer"), {"kid": kid}))
    assert report["verified"] is True, report["checks"]


def test_kid_on_another_origin_than_the_issuers_is_not_the_issuers(site: Site, other_site: Site,
                                                                   key: Ed25519PrivateKey) -> None:
    kid = other_site.put("/jwk", _ed25519_jwk(key), content_type="application/jwk+json")
    _not_the_issuers(_report(text=_jwt(key, site.url("/issuer"), {"kid": kid})))


@pytest.mark.parametrize("method", ["https://[::1/keys#k", "https://[badges.example/keys#z6Mk", "http://[]"])
def test_a_malformed_https_method_is_an_unresolvable_key_not_a_crash(method: str) -> None:
    """Found by fuzzing (fuzz/targets.py, verify_intake): urldefrag raised ValueError, an undeclared exception."""
    with SafeFetcher(FetchPolicy()) as fetcher, pytest.raises(KeyNotFound):
        resolve_verification_method(method, fetcher)
