"""Endorsements wherever OB 3.0 allows them (the credential, its achievement, its issuer's profile): each verified in a
report of its own, said to be about what it endorses, and bound to the object that carries it (an endorsement copied
from another badge does not count). A broken endorsement is shown as such and never makes a valid badge invalid.
Issuers are did:key; status lists live on a loopback ``site`` (see conftest).
"""

from __future__ import annotations

import datetime
import html
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwcrypto import jwk, jws

from app.badges.bitstring import Bitstring
from app.pages.render import render
from app.pages.view import result_view
from app.signing.data_integrity import create_proof
from app.signing.loader import make_loader
from app.signing.multikey import encode_public_key
from app.verify.fetch import FetchPolicy
from app.verify.report import Report
from app.verify.service import verify
from tests.verify.conftest import Site

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
VC2 = "https://www.w3.org/ns/credentials/v2"
V2 = [VC2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
CREDENTIAL_ID = "urn:uuid:1b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11"
ACHIEVEMENT_ID = "urn:uuid:2b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11"
OTHER_ACHIEVEMENT_ID = "urn:uuid:9b0a0a4e-9999-4b6e-9a3c-2f4c8f3c1a99"  # another badge's
INDEX = 7


def _did(key: Ed25519PrivateKey) -> str:
    return "did:key:" + encode_public_key(key.public_key())


def _method(key: Ed25519PrivateKey) -> str:
    return f"{_did(key)}#{_did(key).removeprefix('did:key:')}"


def _sign(document: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    return create_proof(document, private_key=key, verification_method=_method(key), created=NOW,
                        loader=make_loader())


def _jwt(key: Ed25519PrivateKey, credential: dict[str, Any]) -> str:
    """A VC-JWT (OB 3.0 §8.2: the credential is the payload) signed by ``key``."""
    payload = {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"],
               "sub": credential["credentialSubject"]["id"]}
    token = jws.JWS(json.dumps(payload).encode())
    token.add_signature(jwk.JWK.from_pyca(key), alg="EdDSA",
                        protected=json.dumps({"alg": "EdDSA", "typ": "JWT", "kid": _method(key)}))
    return str(token.serialize(compact=True))


def _unsigned_endorsement(key: Ed25519PrivateKey, about: str, comment: str = "Un engagement précieux.",
                          number: int = 0, **extra: Any) -> dict[str, Any]:
    return {"@context": V2, "id": f"urn:uuid:3b0a0a4e-1111-4b6e-9a3c-{number:012d}",
            "type": ["VerifiableCredential", "EndorsementCredential"], "name": "Recommandation",
            "issuer": {"id": _did(key), "type": ["Profile"], "name": "Mairie de quartier"},
            "validFrom": "2025-06-01T00:00:00Z",
            "credentialSubject": {"id": about, "type": ["EndorsementSubject"], "endorsementComment": comment},
            **extra}


def _endorsement(key: Ed25519PrivateKey, about: str, comment: str = "Un engagement précieux.", number: int = 0,
                 **extra: Any) -> dict[str, Any]:
    """An EndorsementCredential by ``key`` whose subject is the object with the id ``about``."""
    return _sign(_unsigned_endorsement(key, about, comment, number, **extra), key)


def _unsigned_badge(key: Ed25519PrivateKey, *, endorsement: list[Any] | None = None,
                    achievement: dict[str, Any] | None = None, issuer: dict[str, Any] | None = None) -> dict[str, Any]:
    document = {"@context": V2, "id": CREDENTIAL_ID, "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "name": "Jardin partagé",
                "issuer": {"id": _did(key), "type": ["Profile"], "name": "Association du quartier", **(issuer or {})},
                "validFrom": "2025-01-01T00:00:00Z",
                "credentialSubject": {"id": "did:example:123", "type": ["AchievementSubject"],
                                      "achievement": {"id": ACHIEVEMENT_ID, "type": ["Achievement"],
                                                      "name": "Jardin partagé", "description": "Cultiver ensemble.",
                                                      "criteria": {"narrative": "Une saison."},
                                                      **(achievement or {})}}}
    if endorsement is not None:
        document["endorsement"] = endorsement
    return document


def _badge(key: Ed25519PrivateKey, **places: Any) -> dict[str, Any]:
    """A signed OpenBadgeCredential by ``key``; ``endorsement``, ``achievement`` and ``issuer`` add members."""
    return _sign(_unsigned_badge(key, **places), key)


def _report(policy: FetchPolicy | None = None, **source: Any) -> Report:
    return verify(policy=policy or FetchPolicy(), now=NOW, **source)


def _check(checks: list[dict[str, Any]], check_id: str) -> dict[str, Any]:
    found = [c for c in checks if c["id"] == check_id]
    assert found, f"no {check_id!r} in {checks}"
    return found[-1]


def _valid_with_one_broken(report: dict[str, Any]) -> dict[str, Any]:
    """The badge stays verified, its one endorsement is not, and the endorsement check is a warning."""
    assert report["verified"] is True and report["trust"] == "confirmed", report["checks"]
    (endorsement,) = report["endorsements"]
    assert endorsement["verified"] is False, endorsement["checks"]
    assert _check(report["warnings"], "endorsement")["message_en"] == "0 of 1 endorsement(s) verified."
    assert not any(c["id"] == "endorsement" for c in report["checks"])
    return dict(endorsement)


@pytest.fixture
def issuer() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def town_hall() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


# --- where endorsements are found, and what they are about ------------------------------------------------------

def test_endorsement_of_the_achievement_is_verified_and_said_to_be_about_it(issuer: Ed25519PrivateKey,
                                                                           town_hall: Ed25519PrivateKey) -> None:
    credential = _badge(issuer, achievement={"endorsement": [_endorsement(town_hall, ACHIEVEMENT_ID)]})
    report = _report(credential=credential).as_dict()
    assert report["verified"] is True, report["checks"]
    (endorsement,) = report["endorsements"]
    assert endorsement["verified"] is True and endorsement["about"] == "achievement"
    assert endorsement["comment"] == "Un engagement précieux."
    assert endorsement["issuer"]["name"] == "Mairie de quartier"
    bound = _check(endorsement["checks"], "endorsement")
    assert bound["outcome"] == "passed" and ACHIEVEMENT_ID in bound["message_en"]
    assert _check(report["checks"], "endorsement")["outcome"] == "passed"


def test_endorsement_of_the_issuer_profile_is_verified_and_said_to_be_about_it(issuer: Ed25519PrivateKey,
                                                                              town_hall: Ed25519PrivateKey) -> None:
    credential = _badge(issuer, issuer={"endorsement": [_endorsement(town_hall, _did(issuer), "Un centre sérieux.")]})
    report = _report(credential=credential).as_dict()
    assert report["verified"] is True, report["checks"]
    (endorsement,) = report["endorsements"]
    assert endorsement["verified"] is True and endorsement["about"] == "issuer"
    assert endorsement["comment"] == "Un centre sérieux."


def test_endorsement_of_the_credential_itself_is_about_the_credential(issuer: Ed25519PrivateKey,
                                                                      town_hall: Ed25519PrivateKey) -> None:
    report = _report(credential=_badge(issuer, endorsement=[_endorsement(town_hall, CREDENTIAL_ID)])).as_dict()
    (endorsement,) = report["endorsements"]
    assert endorsement["verified"] is True and endorsement["about"] == "credential"


def test_endorsements_at_the_three_places_are_all_verified_in_order(issuer: Ed25519PrivateKey,
                                                                    town_hall: Ed25519PrivateKey) -> None:
    credential = _badge(issuer, endorsement=[_endorsement(town_hall, CREDENTIAL_ID, number=1)],
                        achievement={"endorsement": [_endorsement(town_hall, ACHIEVEMENT_ID, number=2)]},
                        issuer={"endorsement": [_endorsement(town_hall, _did(issuer), number=3)]})
    report = _report(credential=credential).as_dict()
    assert [(e["about"], e["verified"]) for e in report["endorsements"]] == [
        ("credential", True), ("achievement", True), ("issuer", True)]
    check = _check(report["checks"], "endorsement")
    assert check["outcome"] == "passed" and check["message_en"] == "3 of 3 endorsement(s) verified."
    assert check["message_fr"] == "3 recommandation(s) vérifiée(s) sur 3."


def test_credential_with_achievement_and_profile_endorsements_follows_the_ob3_schema(
        issuer: Ed25519PrivateKey, town_hall: Ed25519PrivateKey) -> None:
    credential = _badge(issuer, achievement={"endorsement": [_endorsement(town_hall, ACHIEVEMENT_ID)]},
                        issuer={"endorsement": [_endorsement(town_hall, _did(issuer))]})
    report = _report(credential=credential).as_dict()
    assert _check(report["checks"], "schema")["outcome"] == "passed", report["warnings"]
    for endorsement in report["endorsements"]:
        assert _check(endorsement["checks"], "schema")["outcome"] == "passed", endorsement["checks"]


def test_endorsement_given_as_a_jwt_on_the_achievement_is_bound_by_its_signed_payload(
        issuer: Ed25519PrivateKey, town_hall: Ed25519PrivateKey) -> None:
    good = _jwt(town_hall, _unsigned_endorsement(town_hall, ACHIEVEMENT_ID, "Signé en JWT.", number=1))
    copied = _jwt(town_hall, _unsigned_endorsement(town_hall, OTHER_ACHIEVEMENT_ID, number=2))
    badge = _unsigned_badge(issuer, achievement={"endorsementJwt": [good, copied]})
    report = _report(text=_jwt(issuer, badge)).as_dict()  # no JSON-LD term for endorsementJwt: a VC-JWT only
    assert report["verified"] is True, report["checks"]
    first, second = report["endorsements"]
    assert (first["verified"], first["about"], first["comment"]) == (True, "achievement", "Signé en JWT.")
    assert second["verified"] is False and second["about"] == "achievement"
    assert OTHER_ACHIEVEMENT_ID in _check(second["checks"], "endorsement")["message_en"]


# --- broken endorsements: each reported on its own, the badge stays valid ----------------------------------------

def test_endorsement_copied_from_another_badge_is_flagged_and_the_badge_stays_verified(
        issuer: Ed25519PrivateKey, town_hall: Ed25519PrivateKey) -> None:
    copied = _endorsement(town_hall, OTHER_ACHIEVEMENT_ID)  # genuine, signed, but about another achievement
    report = _report(credential=_badge(issuer, achievement={"endorsement": [copied]})).as_dict()
    endorsement = _valid_with_one_broken(report)
    assert endorsement["about"] == "achievement"
    assert _check(endorsement["checks"], "proof")["outcome"] == "passed"  # its signature holds: only its subject
    bound = _check(endorsement["checks"], "endorsement")
    assert bound["outcome"] == "failed"
    assert bound["message_en"] == (f"This endorsement is about another object ({OTHER_ACHIEVEMENT_ID}), not this one "
                                   f"({ACHIEVEMENT_ID}).")
    assert bound["message_fr"] == (f"Cette recommandation porte sur un autre objet ({OTHER_ACHIEVEMENT_ID}), pas sur "
                                   f"celui-ci ({ACHIEVEMENT_ID}).")


def test_issuer_endorsement_about_another_organisation_is_flagged(issuer: Ed25519PrivateKey,
                                                                 town_hall: Ed25519PrivateKey) -> None:
    other = _did(Ed25519PrivateKey.generate())
    report = _report(credential=_badge(issuer, issuer={"endorsement": [_endorsement(town_hall, other)]})).as_dict()
    endorsement = _valid_with_one_broken(report)
    assert endorsement["about"] == "issuer" and other in _check(endorsement["checks"], "endorsement")["message_en"]


def test_achievement_endorsement_cannot_be_about_the_issuer(issuer: Ed25519PrivateKey,
                                                            town_hall: Ed25519PrivateKey) -> None:
    # only an endorsement of the credential itself may be about the credential's achievement or issuer (OB 3.0)
    moved = _endorsement(town_hall, _did(issuer))
    _valid_with_one_broken(_report(credential=_badge(issuer, achievement={"endorsement": [moved]})).as_dict())


def test_credential_endorsement_about_another_credential_is_flagged(issuer: Ed25519PrivateKey,
                                                                   town_hall: Ed25519PrivateKey) -> None:
    other = "urn:uuid:7b0a0a4e-7777-4b6e-9a3c-2f4c8f3c1a77"
    endorsement = _valid_with_one_broken(
        _report(credential=_badge(issuer, endorsement=[_endorsement(town_hall, other)])).as_dict())
    assert endorsement["about"] == "credential"
    assert f"({other}), not this one ({CREDENTIAL_ID})" in _check(endorsement["checks"], "endorsement")["message_en"]


def test_endorsement_without_a_subject_id_is_flagged(issuer: Ed25519PrivateKey, town_hall: Ed25519PrivateKey) -> None:
    unsigned = _unsigned_endorsement(town_hall, ACHIEVEMENT_ID)
    del unsigned["credentialSubject"]["id"]
    report = _report(credential=_badge(issuer, achievement={"endorsement": [_sign(unsigned, town_hall)]})).as_dict()
    bound = _check(_valid_with_one_broken(report)["checks"], "endorsement")
    assert bound["outcome"] == "failed" and "does not say what it is about" in bound["message_en"]


def test_credential_that_is_not_an_endorsement_is_flagged(issuer: Ed25519PrivateKey,
                                                          town_hall: Ed25519PrivateKey) -> None:
    unsigned = _unsigned_endorsement(town_hall, ACHIEVEMENT_ID)
    unsigned["type"] = ["VerifiableCredential"]
    report = _report(credential=_badge(issuer, achievement={"endorsement": [_sign(unsigned, town_hall)]})).as_dict()
    bound = _check(_valid_with_one_broken(report)["checks"], "endorsement")
    assert "not an endorsement" in bound["message_en"] and "pas une recommandation" in bound["message_fr"]


def test_tampered_endorsement_is_flagged(issuer: Ed25519PrivateKey, town_hall: Ed25519PrivateKey) -> None:
    tampered = _endorsement(town_hall, ACHIEVEMENT_ID)
    tampered["credentialSubject"]["endorsementComment"] = "Le meilleur jardinier de France."  # after signing
    endorsement = _valid_with_one_broken(
        _report(credential=_badge(issuer, achievement={"endorsement": [tampered]})).as_dict())
    assert _check(endorsement["checks"], "proof")["outcome"] == "failed"
    assert not any(c["id"] == "endorsement" for c in endorsement["checks"])  # an unsigned subject is not judged


def test_expired_endorsement_is_flagged(issuer: Ed25519PrivateKey, town_hall: Ed25519PrivateKey) -> None:
    expired = _endorsement(town_hall, ACHIEVEMENT_ID, validUntil="2026-01-01T00:00:00Z")
    endorsement = _valid_with_one_broken(
        _report(credential=_badge(issuer, achievement={"endorsement": [expired]})).as_dict())
    assert _check(endorsement["checks"], "validity")["outcome"] == "failed"


def _revocation_list(site: Site, key: Ed25519PrivateKey, *set_bits: int) -> dict[str, Any]:
    bits = Bitstring()
    for index in set_bits:
        bits.set(index, True)
    url = site.url("/status/revocation")
    return _sign({"@context": [VC2], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                  "issuer": _did(key), "validFrom": "2025-01-01T00:00:00Z",
                  "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                                        "statusPurpose": "revocation", "encodedList": bits.encode()}}, key)


def _status_entry(site: Site) -> dict[str, Any]:
    return {"id": site.url(f"/status/revocation#{INDEX}"), "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(INDEX),
            "statusListCredential": site.url("/status/revocation")}


@pytest.mark.parametrize(("set_bits", "verified"), [((INDEX,), False), ((INDEX + 1,), True)])
def test_endorsement_revoked_by_its_endorser_is_flagged(site: Site, issuer: Ed25519PrivateKey,
                                                        town_hall: Ed25519PrivateKey, set_bits: tuple[int, ...],
                                                        verified: bool) -> None:
    site.put("/status/revocation", _revocation_list(site, town_hall, *set_bits),
             content_type="application/vc+ld+json")
    endorsement = _endorsement(town_hall, ACHIEVEMENT_ID, credentialStatus=_status_entry(site))
    report = _report(FetchPolicy(allow_loopback=True, timeout=3.0),
                     credential=_badge(issuer, achievement={"endorsement": [endorsement]})).as_dict()
    if verified:
        assert report["verified"] is True and report["endorsements"][0]["verified"] is True, report["endorsements"]
        return
    shown = _valid_with_one_broken(report)
    status = _check(shown["checks"], "status")
    assert status["outcome"] == "failed" and "revoked" in status["message_en"]
    assert site.url("/status/revocation") in report["fetched"]


def test_more_than_twenty_endorsements_in_all_are_capped(issuer: Ed25519PrivateKey,
                                                         town_hall: Ed25519PrivateKey) -> None:
    on_credential = [_endorsement(town_hall, CREDENTIAL_ID, number=n) for n in range(10)]
    on_achievement = [_endorsement(town_hall, ACHIEVEMENT_ID, number=n) for n in range(10, 20)]
    on_issuer = [_endorsement(town_hall, _did(issuer), number=n) for n in range(20, 25)]
    credential = _badge(issuer, endorsement=on_credential, achievement={"endorsement": on_achievement},
                        issuer={"endorsement": on_issuer})
    report = _report(credential=credential).as_dict()
    assert report["verified"] is True, report["checks"]
    assert len(report["endorsements"]) == 20 and all(e["verified"] for e in report["endorsements"])
    assert {e["about"] for e in report["endorsements"]} == {"credential", "achievement"}  # the issuer's come last
    check = _check(report["warnings"], "endorsement")
    assert check["message_en"] == "20 of 20 endorsement(s) verified. 5 more not checked (at most 20)."
    assert check["message_fr"] == "20 recommandation(s) vérifiée(s) sur 20. 5 autre(s) non vérifiée(s) (au plus 20)."


def test_endorsements_of_an_endorsement_are_not_followed(issuer: Ed25519PrivateKey,
                                                         town_hall: Ed25519PrivateKey) -> None:
    nested = _endorsement(Ed25519PrivateKey.generate(), "urn:uuid:0b0a0a4e-0000-4b6e-9a3c-2f4c8f3c1a00")
    endorsement = _endorsement(town_hall, ACHIEVEMENT_ID, endorsement=[nested])  # would fail if it were followed
    report = _report(credential=_badge(issuer, achievement={"endorsement": [endorsement]})).as_dict()
    (shown,) = report["endorsements"]
    assert shown["verified"] is True, shown["checks"]
    assert [c["outcome"] for c in shown["checks"] if c["id"] == "endorsement"] == ["passed"]  # its subject only


def test_endorsement_credential_verified_on_its_own_is_not_bound_to_anything(town_hall: Ed25519PrivateKey) -> None:
    report = _report(credential=_endorsement(town_hall, OTHER_ACHIEVEMENT_ID)).as_dict()
    assert report["verified"] is True, report["checks"]
    assert report["endorsements"] == [] and not any(c["id"] == "endorsement" for c in report["checks"])


# --- the verification page -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "words"), [
    ("fr", ["Porte sur\u00a0: le badge lui-même, pour toutes les personnes qui l'obtiennent",
            "Porte sur\u00a0: l'organisme qui délivre le badge", "Recommandation vérifiée",
            "Recommandation NON vérifiée",
            f"Pourquoi\u00a0: Cette recommandation porte sur un autre objet ({OTHER_ACHIEVEMENT_ID}), pas sur "
            f"celui-ci ({ACHIEVEMENT_ID}).", "Recommandé par\u00a0: Mairie de quartier",
            "«\u00a0Un centre sérieux.\u00a0»"]),
    ("en", ["About: the badge itself, for everyone who earns it", "About: the organisation that issues the badge",
            "Endorsement verified", "Endorsement NOT verified",
            f"Why: This endorsement is about another object ({OTHER_ACHIEVEMENT_ID}), not this one ({ACHIEVEMENT_ID}).",
            "Endorsed by: Mairie de quartier"]),
])
def test_page_shows_each_endorsements_verdict_subject_and_reason(issuer: Ed25519PrivateKey,
                                                                 town_hall: Ed25519PrivateKey, lang: str,
                                                                 words: list[str]) -> None:
    copied = _endorsement(town_hall, OTHER_ACHIEVEMENT_ID, number=1)
    profile = _endorsement(town_hall, _did(issuer), "Un centre sérieux.", number=2)
    report = _report(credential=_badge(issuer, achievement={"endorsement": [copied]},
                                       issuer={"endorsement": [profile]}))
    view = result_view(report, "fr" if lang == "fr" else "en", NOW)
    assert view.valid is True and [e.verified for e in view.endorsements] == [False, True]
    assert view.endorsements[1].reason is None
    page = html.unescape(render("verify.html", "fr" if lang == "fr" else "en", result=view).body.decode())
    for text in words:
        assert text in page, text
    assert page.count('class="reason"') == 1
