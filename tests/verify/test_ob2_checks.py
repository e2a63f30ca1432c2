"""Open Badges 2.0 from other issuers: hosted assertions (the issuer's own copy, within its verification scope) and
signed ones (a JWS whose CryptographicKey the issuer lists), with their linked documents missing, of the wrong
type or unreachable, dates out of range, and revocation by 410 Gone, a ``revoked`` copy or a RevocationList. A
signature that holds with a key the issuer does not declare is ``unconfirmed``; a signing key that cannot be fetched
is a fetch failure (``invalid``), never a bad signature.

Every document lives on a loopback ``site`` (see conftest); each test reads the report as the API returns it.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from app.badges.identity import identity_hash
from app.signing.keys import public_key_pem
from app.signing.ob2_jws import sign_assertion
from app.verify.fetch import FetchPolicy
from app.verify.service import verify
from tests.verify.conftest import Site

OB2 = "https://w3id.org/openbadges/v2"
NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
LOOPBACK = FetchPolicy(allow_loopback=True, timeout=3.0)
SALT = "sel-de-guerande"


# --- reading a report -------------------------------------------------------------------------------------------

def _report(**source: Any) -> dict[str, Any]:
    return verify(policy=LOOPBACK, now=NOW, **source).as_dict()


def _check(report: dict[str, Any], check_id: str, kind: str = "checks") -> dict[str, Any]:
    """The last check (or, with ``kind="warnings"``, warning) about ``check_id``."""
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


def _passed(report: dict[str, Any], *check_ids: str) -> None:
    for check_id in check_ids:
        assert _check(report, check_id)["outcome"] == "passed", report["checks"]


# --- the issuer's documents -------------------------------------------------------------------------------------

def _issuer(site: Site, **extra: Any) -> dict[str, Any]:
    return {"@context": OB2, "type": "Issuer", "id": site.url("/issuer"), "name": "Centre social du Puchot",
            "url": "https://puchot.example", "email": "contact@puchot.example", **extra}


def _badge(site: Site, **extra: Any) -> dict[str, Any]:
    return {"@context": OB2, "type": "BadgeClass", "id": site.url("/badge"), "name": "Jardin partagé",
            "description": "Cultiver ensemble.", "image": site.url("/badge.png"),
            "criteria": {"narrative": "Une saison au jardin."}, "issuer": site.url("/issuer"), **extra}


def _assertion(site: Site, path: str = "/a", **extra: Any) -> dict[str, Any]:
    """An assertion at ``path``; a member given as None is left out."""
    document = {"@context": OB2, "type": "Assertion", "id": site.url(path),
            "recipient": {"type": "email", "hashed": True, "salt": SALT,
                          "identity": identity_hash("sylvie@example.fr", SALT)},
            "badge": site.url("/badge"), "verification": {"type": "HostedBadge"},
            "issuedOn": "2026-01-01T00:00:00Z", **extra}
    return {k: v for k, v in document.items() if v is not None}


def _hosted(site: Site, *, issuer: dict[str, Any] | None = None, badge: dict[str, Any] | None = None,
            **assertion: Any) -> str:
    """Publish issuer, badge class and a hosted assertion at /a; the assertion's URL."""
    site.put("/issuer", issuer if issuer is not None else _issuer(site))
    site.put("/badge", badge if badge is not None else _badge(site))
    return site.put("/a", _assertion(site, **assertion))


# --- hosted assertions ------------------------------------------------------------------------------------------

def test_hosted_assertion_served_by_its_issuer_verifies(site: Site) -> None:
    report = _report(url=_hosted(site))
    assert report["verified"] is True, report["checks"]
    assert report["format"] == "ob2-hosted" and report["status"] == "active"
    _passed(report, "format", "proof", "issuer", "status", "validity")
    assert report["issuer"]["name"] == "Centre social du Puchot"
    assert report["achievement"]["name"] == "Jardin partagé"


def test_badge_class_that_cannot_be_fetched_fails_the_proof(site: Site) -> None:
    site.put("/issuer", _issuer(site))
    url = site.put("/a", _assertion(site))  # /badge answers 404
    _failed(_report(url=url), "proof", "badge class could not be fetched", "n'a pas pu être récupéré")


def test_badge_class_of_another_type_fails_the_proof(site: Site) -> None:
    url = _hosted(site, badge=_badge(site, type="Issuer"))
    _failed(_report(url=url), "proof", "not of type BadgeClass", "n'est pas de type BadgeClass")


def test_badge_class_naming_no_issuer_fails_the_proof(site: Site) -> None:
    badge = {k: v for k, v in _badge(site).items() if k != "issuer"}
    _failed(_report(url=_hosted(site, badge=badge)), "proof", "issuer profile has no URL", "n'a pas d'adresse")


def test_issuer_document_of_another_type_fails_the_proof(site: Site) -> None:
    url = _hosted(site, issuer=_issuer(site, type="BadgeClass"))
    _failed(_report(url=url), "proof", "not of type Issuer", "n'est pas de type Issuer")


def test_issuer_typed_profile_is_an_issuer(site: Site) -> None:
    report = _report(url=_hosted(site, issuer=_issuer(site, type="Profile")))
    assert report["verified"] is True, report["checks"]


@pytest.mark.parametrize(("content_type", "body", "en", "fr"), [
    ("text/html", b"<html>Accueil</html>", "could not be fetched", "n'a pas pu être récupéré"),
    ("application/json", b"{\"name\": ", "is not readable JSON", "n'est pas du JSON lisible"),
    ("application/json", b"[\"Issuer\"]", "is not a JSON object", "n'est pas un objet JSON"),
], ids=["html-page", "broken-json", "json-array"])
def test_unreadable_issuer_profile_fails_the_proof(site: Site, content_type: str, body: bytes, en: str,
                                                  fr: str) -> None:
    url = _hosted(site)
    site.put("/issuer", body, content_type=content_type)
    _failed(_report(url=url), "proof", en, fr)


def test_document_that_is_not_an_assertion_fails_the_format(site: Site) -> None:
    url = site.put("/a", _badge(site, id=site.url("/a")))
    _failed(_report(url=url), "format", "not an Open Badges 2.0 Assertion", "n'est pas une assertion")


def test_assertion_fetched_from_another_address_is_checked_at_its_id(site: Site) -> None:
    _hosted(site)
    copy = site.put("/copie", _assertion(site))  # its id is /a
    report = _report(url=copy)
    assert report["verified"] is True, report["checks"]
    warning = _check(report, "format", "warnings")
    _said(warning, "fetched from another address", "obtenu à une autre adresse")
    assert site.url("/a") in report["fetched"]


def test_assertion_whose_id_serves_a_document_with_another_id_fails_the_format(site: Site) -> None:
    _hosted(site)
    site.put("/a", _assertion(site, path="/b"))
    copy = site.put("/copie", _assertion(site))  # says it lives at /a, but /a says it is /b
    _failed(_report(url=copy), "format", "not the address it is served at", "n'est pas l'adresse")


def test_assertion_given_as_json_is_judged_by_the_issuer_copy_at_its_id(site: Site) -> None:
    _hosted(site, narrative="Trois ateliers animés.")
    forged = _assertion(site, narrative="Meilleur jardinier de France.")
    report = _report(credential=forged)
    assert report["verified"] is True, report["checks"]
    assert report["achievement"]["narrative"] == "Trois ateliers animés."


def test_assertion_given_as_json_whose_id_answers_410_is_revoked(site: Site) -> None:
    site.put("/a", {"revoked": True, "revocationReason": "Attribué par erreur"}, status=410)
    report = _report(credential=_assertion(site))
    assert report["status"] == "revoked"
    _failed(report, "status", "revoked this badge: Attribué par erreur", "a révoqué ce badge : Attribué par erreur")


def test_hosted_copy_marked_revoked_is_revoked(site: Site) -> None:
    url = site.put("/a", {"@context": OB2, "type": "Assertion", "id": site.url("/a"), "revoked": True})
    report = _report(url=url)
    assert report["status"] == "revoked" and report["format"] == "ob2-hosted"
    _failed(report, "status", "The issuer has revoked this badge.", "L'émetteur a révoqué ce badge.")


def test_signed_assertion_given_as_json_is_refused(site: Site) -> None:
    document = _assertion(site, verification={"type": "SignedBadge", "creator": site.url("/key")})
    report = _report(credential=document)
    _failed(report, "format", "only be checked from its JWS", "se vérifie à partir de son JWS")
    assert report["fetched"] == []


def test_hosted_assertion_given_as_json_without_a_url_id_is_refused(site: Site) -> None:
    report = _report(credential=_assertion(site, id="urn:uuid:9d1c7a56-1111-4b6e-9a3c-2f4c8f3c1a11"))
    _failed(report, "format", "needs its URL as id", "doit avoir son adresse comme identifiant")


@pytest.mark.parametrize(("dates", "en", "fr"), [
    ({"issuedOn": None}, "issuedOn is missing", "issuedOn manque"),
    ({"issuedOn": "hier soir"}, "issuedOn is missing or has no time zone", "n'a pas de fuseau horaire"),
    ({"issuedOn": "2026-01-01T00:00:00"}, "issuedOn is missing or has no time zone", "n'a pas de fuseau horaire"),
    ({"issuedOn": "2027-06-01T00:00:00Z"}, "dated in the future", "daté dans le futur"),
    ({"expires": "fin 2026"}, "expires is not a date", "expires n'est pas une date"),
    ({"expires": "2026-06-30T00:00:00Z"}, "expired on 2026-06-30", "a expiré le 30/06/2026"),
], ids=["no-issued-on", "issued-on-not-a-date", "issued-on-without-zone", "issued-in-the-future",
        "expires-not-a-date", "expired"])
def test_dates_out_of_range_fail_the_validity_check(site: Site, dates: dict[str, Any], en: str, fr: str) -> None:
    report = _report(url=_hosted(site, **dates))
    _passed(report, "proof")
    _failed(report, "validity", en, fr)


def test_recipient_is_found_behind_the_salted_hash(site: Site) -> None:
    report = _report(url=_hosted(site), recipient="  Sylvie@Example.fr ")
    assert report["verified"] is True
    _said(_check(report, "recipient"), "awarded to this person", "décerné à cette personne")
    _passed(report, "recipient")


def test_someone_else_is_not_the_recipient(site: Site) -> None:
    report = _report(url=_hosted(site), recipient="nathan@example.fr")
    _failed(report, "recipient", "was not awarded to this person", "n'a pas été décerné à cette personne")


def test_verification_policy_prefix_narrows_the_issuer_scope(site: Site) -> None:
    issuer = _issuer(site, verification={"type": "VerificationObject", "startsWith": site.url("/badges/")})
    report = _report(url=_hosted(site, issuer=issuer))  # /a is on the issuer's origin, not under its prefix
    _failed(report, "proof", "not hosted within the issuer's verification scope", "n'est pas hébergée chez")


def test_assertion_under_the_verification_prefix_is_in_scope(site: Site, other_site: Site) -> None:
    issuer = other_site.put("/issuer", _issuer(other_site, verification={"type": "VerificationObject",
                                                                          "startsWith": [site.url("/")]}))
    report = _report(url=_hosted(site, badge=_badge(site, issuer=issuer)))  # the issuer's profile: another origin
    assert report["verified"] is True, report["checks"]


def test_allowed_origins_admit_an_assertion_hosted_elsewhere(site: Site, other_site: Site) -> None:
    issuer = other_site.put("/issuer", _issuer(other_site, verification={"allowedOrigins": [f"127.0.0.1:{site.port}"]}))
    report = _report(url=_hosted(site, badge=_badge(site, issuer=issuer)))
    assert report["verified"] is True, report["checks"]


def test_allowed_origins_not_listing_the_host_put_it_out_of_scope(site: Site) -> None:
    issuer = _issuer(site, verification={"allowedOrigins": "badges.puchot.example"})
    report = _report(url=_hosted(site, issuer=issuer))
    _failed(report, "proof", "not hosted within the issuer's verification scope", "n'est pas hébergée chez")


def test_criteria_given_as_a_url_is_shown_as_the_criteria_page(site: Site) -> None:
    report = _report(url=_hosted(site, badge=_badge(site, criteria=site.url("/criteres"))))
    assert report["achievement"]["criteria"] == {"narrative": None, "url": site.url("/criteres")}


def test_issuer_name_given_as_a_json_ld_value_is_shown(site: Site) -> None:
    issuer = _issuer(site, name={"@value": "Mairie de Darnétal", "@language": "fr"})
    report = _report(url=_hosted(site, issuer=issuer))
    assert report["issuer"]["name"] == "Mairie de Darnétal"


# --- signed assertions (JWS) ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def intruder_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_document(site: Site, key: rsa.RSAPrivateKey, **extra: Any) -> dict[str, Any]:
    return {"@context": OB2, "type": "CryptographicKey", "id": site.url("/key"), "owner": site.url("/issuer"),
            "publicKeyPem": public_key_pem(key.public_key()), **extra}


def _signed_assertion(site: Site, **extra: Any) -> dict[str, Any]:
    signed = {"id": "urn:uuid:5f1c7a56-2222-4b6e-9a3c-2f4c8f3c1a11",
              "verification": {"type": "SignedBadge", "creator": site.url("/key")}}
    return _assertion(site, **{**signed, **extra})


@pytest.fixture
def signed(site: Site, rsa_key: rsa.RSAPrivateKey) -> Iterator[Site]:
    """The issuer's site for signed badges: its profile lists /key, which serves the CryptographicKey."""
    site.put("/issuer", _issuer(site, publicKey=site.url("/key")))
    site.put("/badge", _badge(site))
    site.put("/key", _key_document(site, rsa_key))
    yield site


def _jws(header: dict[str, Any], payload: dict[str, Any]) -> str:
    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{b64(header)}.{b64(payload)}.{base64.urlsafe_b64encode(b'signature').rstrip(b'=').decode()}"


def test_signed_assertion_with_a_key_its_issuer_lists_verifies(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    assert report["verified"] is True, report["checks"]
    assert report["format"] == "ob2-signed" and report["status"] == "active" and report["trust"] == "confirmed"
    _passed(report, "format", "proof", "issuer", "validity")
    status = _check(report, "status")
    assert status["outcome"] == "skipped"
    _said(status, "publishes no revocation list", "ne publie pas de liste de révocation")


def test_issuer_listing_its_key_as_an_embedded_object_is_accepted(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    signed.put("/issuer", _issuer(signed, publicKey=[{"id": signed.url("/key"), "type": "CryptographicKey"}]))
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    assert report["verified"] is True, report["checks"]


def test_key_document_without_a_pem_fails_the_proof(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    key_document = _key_document(signed, rsa_key)
    del key_document["publicKeyPem"]
    signed.put("/key", key_document)
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    _failed(report, "proof", "not a CryptographicKey with publicKeyPem", "pas une CryptographicKey avec publicKeyPem")


def test_key_document_describing_another_key_fails_the_proof(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    signed.put("/key", _key_document(signed, rsa_key, id=signed.url("/autre-cle")))
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    _failed(report, "proof", "not a CryptographicKey with publicKeyPem", "pas une CryptographicKey avec publicKeyPem")


def test_key_document_with_an_unreadable_pem_fails_the_proof(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    signed.put("/key", _key_document(signed, rsa_key, publicKeyPem="-----BEGIN PUBLIC KEY-----\nxyz"))
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    _failed(report, "proof", "The signature does not hold: The public key cannot be read",
            "La signature n'est pas valide : La clé publique est illisible")


def test_signed_assertion_naming_no_key_fails_the_proof(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    assertion = _signed_assertion(signed, verification={"type": "SignedBadge"})
    report = _report(text=sign_assertion(assertion, private_key=rsa_key))
    _failed(report, "proof", "signing key has no URL", "La clé de signature n'a pas d'adresse")


def test_key_document_that_cannot_be_fetched_fails_the_proof(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    del signed.pages["/key"]
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    _failed(report, "proof", "signing key could not be fetched", "La clé de signature n'a pas pu être récupéré")
    assert signed.url("/badge") not in report["fetched"]  # nothing beyond the key before the signature holds
    key = signed.url("/key")  # a fetch failure, worded as one (not a bad signature)
    _said(_check(report, "proof"), f"Could not obtain the issuer's key at {key}: The server answered with an error.",
          f"Impossible d'obtenir la clé de l'émetteur à {key} : Le serveur a répondu par une erreur.")
    assert "n'est pas valide" not in _check(report, "proof")["message_fr"] and report["trust"] == "invalid"


def test_signature_by_another_key_fails_the_proof(signed: Site, intruder_key: rsa.RSAPrivateKey) -> None:
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=intruder_key))
    _failed(report, "proof", "The signature does not hold", "La signature n'est pas valide")
    assert signed.url("/badge") not in report["fetched"] and report["trust"] == "invalid"


def test_key_the_issuer_does_not_list_fails_the_issuer_check(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    signed.put("/issuer", _issuer(signed, publicKey=[signed.url("/cle-2025")], revocationList=signed.url("/r")))
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    _passed(report, "proof", "validity")
    _failed(report, "issuer", "not one the issuer lists as its own", "pas l'une de celles que l'émetteur déclare")
    _said(_check(report, "issuer"), "The signature itself holds", "La signature elle-même est valide")
    assert (report["trust"], report["status"], _check(report, "status")["outcome"]) == (
        "unconfirmed", "not_checked", "skipped")
    assert signed.url("/r") not in report["fetched"]  # the revocation list is not looked up
    assert report["issuer"]["name"] == "Centre social du Puchot"


def test_signed_assertion_whose_issuer_profile_cannot_be_fetched_is_unconfirmed(signed: Site,
                                                                                rsa_key: rsa.RSAPrivateKey) -> None:
    del signed.pages["/issuer"]
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    _passed(report, "proof")
    _failed(report, "issuer", "could not be tied to the issuer: The issuer profile could not be fetched",
            "n'a pas pu être rattachée à l'émetteur : Le profil de l'émetteur n'a pas pu être récupéré")
    assert report["trust"] == "unconfirmed"


def test_key_owned_by_someone_else_fails_the_issuer_check(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    signed.put("/key", _key_document(signed, rsa_key, owner="https://ailleurs.example/issuer"))
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    _passed(report, "proof")
    _failed(report, "issuer", "not one the issuer lists as its own", "pas l'une de celles que l'émetteur déclare")
    assert report["trust"] == "unconfirmed"


def test_badge_class_that_cannot_be_fetched_fails_the_issuer_check(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    del signed.pages["/badge"]
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    _passed(report, "proof")
    _failed(report, "issuer", "badge class could not be fetched", "La classe de badge n'a pas pu être récupéré")
    assert report["trust"] == "invalid"  # nothing tells which badge or issuer this is


def test_jws_not_carrying_an_assertion_fails_the_format(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    report = _report(text=sign_assertion(_badge(signed), private_key=rsa_key))
    _failed(report, "format", "does not carry an Open Badges 2.0 Assertion", "ne contient pas d'assertion")
    assert report["fetched"] == []


def test_jws_with_a_refused_algorithm_fails_the_proof(signed: Site) -> None:
    report = _report(text=_jws({"alg": "HS256"}, _signed_assertion(signed)))
    assert report["format"] == "ob2-signed"
    _failed(report, "proof", "The signed badge is refused", "Le badge signé est refusé")
    assert report["fetched"] == []


@pytest.mark.parametrize("where", ["embedded-in-the-badge", "served-at-another-address"])
def test_copy_of_another_issuer_profile_does_not_vouch_for_a_signing_key(
        signed: Site, other_site: Site, rsa_key: rsa.RSAPrivateKey, where: str) -> None:
    other_site.put("/issuer", _issuer(other_site, name="Mairie de Rouen"))  # the real profile lists no key
    impostor = _issuer(other_site, name="Mairie de Rouen", publicKey=signed.url("/key"))
    signed.put("/key", _key_document(signed, rsa_key, owner=other_site.url("/issuer")))
    if where == "embedded-in-the-badge":
        signed.put("/badge", _badge(signed, issuer=impostor))
    else:
        signed.put("/badge", _badge(signed, issuer=signed.put("/copie-du-profil", impostor)))
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    _passed(report, "proof")
    _failed(report, "issuer", "not one the issuer lists as its own", "pas l'une de celles que l'émetteur déclare")


@pytest.mark.parametrize("where", ["embedded-in-the-badge", "served-at-another-address"])
def test_copy_of_another_issuer_profile_does_not_widen_its_verification_scope(site: Site, other_site: Site,
                                                                             where: str) -> None:
    other_site.put("/issuer", _issuer(other_site, name="Mairie de Rouen"))  # the real profile: its own origin only
    impostor = _issuer(other_site, name="Mairie de Rouen", verification={"allowedOrigins": f"127.0.0.1:{site.port}"})
    issuer = impostor if where == "embedded-in-the-badge" else site.put("/copie-du-profil", impostor)
    url = _hosted(site, issuer=_issuer(site), badge=_badge(site, issuer=issuer))
    _failed(_report(url=url), "proof", "not hosted within the issuer's verification scope", "n'est pas hébergée chez")


def test_embedded_issuer_profile_is_read_from_its_id(site: Site, other_site: Site) -> None:
    issuer = other_site.put("/issuer", _issuer(other_site, verification={"allowedOrigins": f"127.0.0.1:{site.port}"}))
    stale = _issuer(other_site, name="Ancien nom")  # the copy in the badge: neither the scope nor the name is current
    report = _report(url=_hosted(site, issuer=_issuer(site), badge=_badge(site, issuer=stale)))
    assert report["verified"] is True, report["checks"]
    assert report["issuer"]["name"] == "Centre social du Puchot" and issuer in report["fetched"]


def test_embedded_issuer_profile_without_a_url_id_does_not_widen_the_scope(site: Site) -> None:
    embedded = _issuer(site, id="urn:uuid:6f1c7a56-2222-4b6e-9a3c-2f4c8f3c1a11",
                       verification={"startsWith": site.url("/")})
    url = _hosted(site, badge=_badge(site, issuer=embedded))
    _failed(_report(url=url), "proof", "not hosted within the issuer's verification scope", "n'est pas hébergée chez")


def test_embedded_issuer_profile_whose_id_cannot_be_fetched_fails_the_proof(site: Site) -> None:
    embedded = _issuer(site, id=site.url("/disparu"))  # nothing is served there
    report = _report(url=_hosted(site, badge=_badge(site, issuer=embedded)))
    _failed(report, "proof", "verification scope cannot be checked: The issuer profile could not be fetched",
            "ne peut pas être contrôlé : Le profil de l'émetteur n'a pas pu être récupéré")
    assert report["issuer"]["name"] == "Centre social du Puchot"  # shown as the badge gives it


def test_copy_pointing_at_an_issuer_profile_with_yet_another_id_is_refused(signed: Site, other_site: Site,
                                                                          rsa_key: rsa.RSAPrivateKey) -> None:
    other_site.put("/issuer", _issuer(signed, publicKey=signed.url("/key")))  # served at other_site, id on signed
    signed.put("/badge", _badge(signed, issuer=signed.put("/copie", _issuer(other_site))))
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    _passed(report, "proof")
    _failed(report, "issuer", "id is not the address it is served at", "n'est pas l'adresse où il est publié")
    _said(_check(report, "issuer", "warnings"), "given at another address than its id",
          "donné à une autre adresse que son identifiant")


# --- RevocationList ---------------------------------------------------------------------------------------------

def _with_revocation_list(site: Site, entries: Any, **extra: Any) -> None:
    site.put("/issuer", _issuer(site, publicKey=site.url("/key"), revocationList=site.url("/revocations")))
    site.put("/revocations", {"@context": OB2, "type": "RevocationList", "id": site.url("/revocations"),
                              "issuer": site.url("/issuer"), "revokedAssertions": entries, **extra})


def test_assertion_listed_by_id_in_the_revocation_list_is_revoked(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    assertion = _signed_assertion(signed)
    _with_revocation_list(signed, ["urn:uuid:00000000-0000-4000-8000-000000000000", assertion["id"]])
    report = _report(text=sign_assertion(assertion, private_key=rsa_key))
    assert report["status"] == "revoked"
    _passed(report, "proof", "issuer")
    _failed(report, "status", "The issuer has revoked this badge.", "L'émetteur a révoqué ce badge.")


def test_revocation_entry_with_a_reason_reports_the_reason(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    assertion = _signed_assertion(signed)
    _with_revocation_list(signed, [{"id": assertion["id"], "revocationReason": "Atelier non suivi"}])
    report = _report(text=sign_assertion(assertion, private_key=rsa_key))
    assert report["status"] == "revoked"
    _failed(report, "status", "revoked this badge: Atelier non suivi", "a révoqué ce badge : Atelier non suivi")


def test_single_compacted_revocation_entry_by_uid_is_read(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    assertion = _signed_assertion(signed)
    _with_revocation_list(signed, {"uid": assertion["id"], "revocationReason": "Doublon"})
    report = _report(text=sign_assertion(assertion, private_key=rsa_key))
    assert report["status"] == "revoked"
    _failed(report, "status", "revoked this badge: Doublon", "a révoqué ce badge : Doublon")


def test_assertion_absent_from_the_revocation_list_is_active(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    _with_revocation_list(signed, ["urn:uuid:00000000-0000-4000-8000-000000000000",
                                   {"id": "urn:uuid:00000000-0000-4000-8000-000000000001"}])
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    assert report["verified"] is True and report["status"] == "active"
    _said(_check(report, "status"), "not in the issuer's revocation list", "pas dans la liste de révocation")


def test_revocation_list_that_cannot_be_fetched_leaves_the_status_unknown(signed: Site,
                                                                         rsa_key: rsa.RSAPrivateKey) -> None:
    _with_revocation_list(signed, [])
    del signed.pages["/revocations"]
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    assert report["status"] == "unknown"
    _failed(report, "status", "revocation list could not be fetched", "La liste de révocation n'a pas pu être")


def test_revocation_list_of_another_type_leaves_the_status_unknown(signed: Site, rsa_key: rsa.RSAPrivateKey) -> None:
    _with_revocation_list(signed, [], type="BadgeClass")
    report = _report(text=sign_assertion(_signed_assertion(signed), private_key=rsa_key))
    assert report["status"] == "unknown"
    _failed(report, "status", "not of type RevocationList", "n'est pas de type RevocationList")
