"""The status of an OB 3.0 credential from its W3C Bitstring Status List: revoked, suspended or active when the list
is the issuer's, signed, current and of the entry's purpose; otherwise the status is unknown and the badge is not
verified (fail closed). Lists live on a loopback ``site`` (see conftest); issuers are did:key.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.badges.bitstring import Bitstring
from app.signing.data_integrity import create_proof
from app.signing.loader import make_loader
from app.signing.multikey import encode_public_key
from app.verify.fetch import FetchPolicy
from app.verify.service import verify
from app.verify.verdict import Verdict, verdict
from tests.verify.conftest import Site

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
LOOPBACK = FetchPolicy(allow_loopback=True, timeout=3.0)
VC2 = "https://www.w3.org/ns/credentials/v2"
V2 = [VC2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
INDEX = 42


def _did(key: Ed25519PrivateKey) -> str:
    return "did:key:" + encode_public_key(key.public_key())


def _sign(document: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    did = _did(key)
    return create_proof(document, private_key=key, verification_method=f"{did}#{did.removeprefix('did:key:')}",
                        created=NOW, loader=make_loader())


def _entry(site: Site, purpose: str = "revocation", **extra: Any) -> dict[str, Any]:
    return {"id": site.url(f"/status/{purpose}#{INDEX}"), "type": "BitstringStatusListEntry",
            "statusPurpose": purpose, "statusListIndex": str(INDEX),
            "statusListCredential": site.url(f"/status/{purpose}"), **extra}


def _credential(key: Ed25519PrivateKey, *status: dict[str, Any]) -> dict[str, Any]:
    return _sign({"@context": V2, "id": "urn:uuid:1b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                  "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Jardin partagé",
                  "issuer": {"id": _did(key), "type": ["Profile"], "name": "Association du quartier"},
                  "validFrom": "2025-01-01T00:00:00Z",
                  "credentialSubject": {"id": "did:example:123", "type": ["AchievementSubject"],
                                        "achievement": {"id": "urn:uuid:2b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                                                        "type": ["Achievement"], "name": "Jardin partagé",
                                                        "description": "Cultiver ensemble.",
                                                        "criteria": {"narrative": "Une saison."}}},
                  "credentialStatus": list(status) if len(status) != 1 else status[0]}, key)


def _encoded(*set_bits: int) -> str:
    bits = Bitstring()
    for index in set_bits:
        bits.set(index, True)
    return bits.encode()


def _status_list(site: Site, key: Ed25519PrivateKey, purpose: str = "revocation", *, set_bits: tuple[int, ...] = (),
                 subject: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    url = site.url(f"/status/{purpose}")
    return _sign({"@context": [VC2], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                  "issuer": _did(key), "validFrom": "2025-01-01T00:00:00Z",
                  "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                                        "statusPurpose": purpose, "encodedList": _encoded(*set_bits),
                                        **(subject or {})}, **extra}, key)


def _publish(site: Site, document: dict[str, Any], purpose: str = "revocation") -> None:
    site.put(f"/status/{purpose}", document, content_type="application/vc+ld+json")


def _status(report: dict[str, Any]) -> dict[str, Any]:
    checks: list[dict[str, Any]] = [c for c in report["checks"] if c["id"] == "status"]
    (check,) = checks
    assert check["message_en"] and check["message_fr"]
    return check


def _unknown(report: dict[str, Any], en: str, fr: str) -> None:
    check = _status(report)
    assert report["status"] == "unknown" and check["outcome"] == "failed", report["checks"]
    assert report["verified"] is False
    assert en in check["message_en"] and fr in check["message_fr"], check


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_clear_bit_in_the_issuers_revocation_list_is_active(site: Site, key: Ed25519PrivateKey) -> None:
    _publish(site, _status_list(site, key, set_bits=(INDEX + 1,)))
    report = verify(credential=_credential(key, _entry(site)), policy=LOOPBACK, now=NOW)
    assert report.verified is True and report.as_dict()["status"] == "active"
    check = _status(report.as_dict())
    assert check["outcome"] == "passed" and "n'a pas été révoqué" in check["message_fr"]
    assert "suspendu" not in check["message_fr"].replace("suspension", "")  # only revocation was checked


def test_clear_bits_in_both_lists_say_neither_revoked_nor_suspended(site: Site, key: Ed25519PrivateKey) -> None:
    _publish(site, _status_list(site, key))
    _publish(site, _status_list(site, key, "suspension"), "suspension")
    report = verify(credential=_credential(key, _entry(site), _entry(site, "suspension")), policy=LOOPBACK, now=NOW)
    check = _status(report.as_dict())
    assert report.verified is True
    assert check["outcome"] == "passed" and "ni révoqué ni suspendu" in check["message_fr"]


def test_set_bit_in_the_issuers_revocation_list_is_revoked(site: Site, key: Ed25519PrivateKey) -> None:
    _publish(site, _status_list(site, key, set_bits=(INDEX,)))
    report = verify(credential=_credential(key, _entry(site)), policy=LOOPBACK, now=NOW)
    assert report.as_dict()["status"] == "revoked" and verdict(report) is Verdict.REVOKED
    check = _status(report.as_dict())
    assert check["outcome"] == "failed" and check["message_en"] == "The issuer has revoked this badge."


def test_set_bit_in_the_issuers_suspension_list_is_suspended(site: Site, key: Ed25519PrivateKey) -> None:
    _publish(site, _status_list(site, key), "revocation")
    _publish(site, _status_list(site, key, "suspension", set_bits=(INDEX,)), "suspension")
    report = verify(credential=_credential(key, _entry(site), _entry(site, "suspension")), policy=LOOPBACK, now=NOW)
    assert report.as_dict()["status"] == "suspended" and verdict(report) is Verdict.SUSPENDED
    check = _status(report.as_dict())
    assert check["outcome"] == "failed" and "suspendu ce badge" in check["message_fr"]
    assert check["message_en"] == "The issuer has suspended this badge for now."


def test_list_that_is_not_a_bitstring_status_list_leaves_the_status_unknown(site: Site,
                                                                            key: Ed25519PrivateKey) -> None:
    document = _status_list(site, key)
    document["type"] = ["VerifiableCredential"]
    _publish(site, document)
    report = verify(credential=_credential(key, _entry(site)), policy=LOOPBACK, now=NOW).as_dict()
    _unknown(report, "not a BitstringStatusListCredential", "n'est pas une BitstringStatusListCredential")


def test_list_whose_signature_does_not_hold_leaves_the_status_unknown(site: Site, key: Ed25519PrivateKey) -> None:
    document = _status_list(site, key)
    document["credentialSubject"]["encodedList"] = _encoded()[:-4] + "AAAA"  # not what the issuer signed
    _publish(site, document)
    report = verify(credential=_credential(key, _entry(site)), policy=LOOPBACK, now=NOW).as_dict()
    _unknown(report, "The status list could not be verified: The signature does not hold",
             "La liste de statuts n'a pas pu être vérifiée : La signature n'est pas valide")


def test_list_whose_key_cannot_be_fetched_says_so_and_not_that_its_signature_is_wrong(
        site: Site, other_site: Site, key: Ed25519PrivateKey) -> None:
    unsigned = {k: v for k, v in _status_list(site, key).items() if k != "proof"}
    method = f"{other_site.did}#key-1"  # other_site publishes no DID document: the key cannot be obtained
    _publish(site, create_proof(unsigned, private_key=key, verification_method=method, created=NOW,
                                loader=make_loader()))
    report = verify(credential=_credential(key, _entry(site)), policy=LOOPBACK, now=NOW).as_dict()
    where = other_site.url("/.well-known/did.json")
    _unknown(report, f"The status list could not be verified: Could not obtain the issuer's key at {where}: ",
             f"La liste de statuts n'a pas pu être vérifiée : Impossible d'obtenir la clé de l'émetteur à {where} : ")
    check = _status(report)
    assert "does not hold" not in check["message_en"] and "n'est pas valide" not in check["message_fr"], check


def test_list_issued_by_someone_else_leaves_the_status_unknown(site: Site, key: Ed25519PrivateKey) -> None:
    _publish(site, _status_list(site, Ed25519PrivateKey.generate()))  # well signed, by another issuer
    report = verify(credential=_credential(key, _entry(site)), policy=LOOPBACK, now=NOW).as_dict()
    _unknown(report, "not issued by the credential's issuer", "n'a pas été émise par l'émetteur du badge")


def test_expired_list_leaves_the_status_unknown(site: Site, key: Ed25519PrivateKey) -> None:
    _publish(site, _status_list(site, key, validUntil="2026-06-30T00:00:00Z"))
    report = verify(credential=_credential(key, _entry(site)), policy=LOOPBACK, now=NOW).as_dict()
    _unknown(report, "The status list has expired", "La liste de statuts a expiré")


def test_list_of_another_purpose_leaves_the_status_unknown(site: Site, key: Ed25519PrivateKey) -> None:
    _publish(site, _status_list(site, key, subject={"statusPurpose": "suspension"}))  # at the revocation address
    report = verify(credential=_credential(key, _entry(site)), policy=LOOPBACK, now=NOW).as_dict()
    _unknown(report, "purpose does not match the entry", "L'usage de la liste de statuts ne correspond pas")


@pytest.mark.parametrize(("entry", "subject"), [
    ({"statusListIndex": "quarante-deux"}, {}),
    ({"statusListIndex": "131072"}, {}),
    ({}, {"encodedList": "u" + "A" * 40}),
], ids=["index-not-a-number", "index-beyond-the-list", "list-not-gzip"])
def test_unreadable_list_or_index_leaves_the_status_unknown(site: Site, key: Ed25519PrivateKey,
                                                           entry: dict[str, Any], subject: dict[str, Any]) -> None:
    _publish(site, _status_list(site, key, subject=subject))
    report = verify(credential=_credential(key, _entry(site, **entry)), policy=LOOPBACK, now=NOW).as_dict()
    _unknown(report, "The status list cannot be read", "La liste de statuts est illisible")


def test_entry_naming_no_list_leaves_the_status_unknown(site: Site, key: Ed25519PrivateKey) -> None:
    entry = {k: v for k, v in _entry(site).items() if k != "statusListCredential"}
    report = verify(credential=_credential(key, entry), policy=LOOPBACK, now=NOW).as_dict()
    _unknown(report, "names no list URL", "ne donne pas l'URL de la liste")
    assert report["fetched"] == []


def test_unsupported_status_method_leaves_the_status_unknown(site: Site, key: Ed25519PrivateKey) -> None:
    entry = {"id": site.url("/status/1#42"), "type": "https://w3id.org/vc/status-list#StatusList2021Entry"}
    report = verify(credential=_credential(key, entry), policy=LOOPBACK, now=NOW).as_dict()
    _unknown(report, "Unsupported status method 'https://w3id.org/vc/status-list#StatusList2021Entry'",
             "Méthode de statut non prise en charge")
    assert report["fetched"] == []
