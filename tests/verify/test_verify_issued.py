"""Credentials issued by this service verify in every format through the public API; revoked, suspended,
expired and tampered ones are reported so. The verifier fetches keys and lists from a live served instance."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import LiveService, live_service

BADGE = {"name": "Cuisine du monde", "description": "Partager une recette avec le quartier.",
         "criteria": {"narrative": "A animé un atelier cuisine."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    with live_service(tmp_path_factory.mktemp("verify-live")) as service:
        yield service


@pytest.fixture(scope="module")
def key(live: LiveService) -> str:
    return live.org("puchot")


@pytest.fixture(scope="module")
def achievement(live: LiveService, key: str) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {key}"}
    created = live.http.post("/api/v1/achievements", json=BADGE, headers=auth).json()
    return live.http.post(f"/api/v1/achievements/{created['id']}/publish", headers=auth).json()  # type: ignore


def _award(live: LiveService, key: str, achievement: dict[str, Any], **body: Any) -> dict[str, Any]:
    """An award of ``body``, issued public (its recipient agreed): its address serves what is verified."""
    body["recipient"] = {**body.get("recipient", {"email": "Sylvie@Example.fr"}), "public": True}
    response = live.http.post(f"/api/v1/achievements/{achievement['id']}/awards", json=body,
                              headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def award(live: LiveService, key: str, achievement: dict[str, Any]) -> dict[str, Any]:
    return _award(live, key, achievement, level="J'agis")


def _get(live: LiveService, url: str, **params: str) -> Any:
    response = live.http.get(url, params=params)
    assert response.status_code == 200, response.text
    return response


def _verify(live: LiveService, **kwargs: Any) -> dict[str, Any]:
    response = live.http.post("/api/v1/verify", **kwargs)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _outcomes(report: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["outcome"] for c in report["checks"]}


def _assert_valid(report: dict[str, Any]) -> None:
    assert report["verified"] is True, json.dumps(report["checks"], ensure_ascii=False, indent=1)
    assert report["status"] == "active" and report["trust"] == "confirmed"  # our own key, in our own documents


def test_data_integrity_credential_verifies_with_its_details(live: LiveService, award: dict[str, Any]) -> None:
    credential = _get(live, award["links"]["credential"]).json()
    report = _verify(live, json={"credential": credential})
    _assert_valid(report)
    assert report["format"] == "ob3-data-integrity"
    assert report["issuer"]["name"] == "Centre social du Puchot" and report["issuer"]["id"].startswith("did:web:")
    assert report["achievement"]["name"] == "Cuisine du monde" and report["achievement"]["level"] == "J'agis"
    assert report["recipient"][0]["hashed"] is True
    assert any(u.endswith("/did.json") for u in report["fetched"])
    assert any("/status/" in u for u in report["fetched"])
    assert {"proof", "issuer", "validity", "status"} <= {k for k, v in _outcomes(report).items() if v == "passed"}


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_vc_jwt_verifies(live: LiveService, award: dict[str, Any], alg: str) -> None:
    token = _get(live, award["links"]["credential"], format="jwt", alg=alg).text
    report = _verify(live, content=token, headers={"Content-Type": "text/plain"})
    _assert_valid(report)
    assert report["format"] == "ob3-vc-jwt" and _outcomes(report)["claims"] == "passed"


def test_credential_url_verifies(live: LiveService, award: dict[str, Any]) -> None:
    response = live.http.get("/api/v1/verify", params={"url": award["links"]["credential"]})
    assert response.status_code == 200
    _assert_valid(response.json())


@pytest.mark.parametrize("link", ["baked_png", "baked_svg", "ob2_baked_png", "ob2_baked_svg"])
def test_baked_badges_verify_from_an_upload(live: LiveService, award: dict[str, Any], link: str) -> None:
    image = _get(live, award["links"][link]).content
    extension = link.rsplit("_", 1)[1]
    report = _verify(live, files={"file": (f"badge.{extension}", image, f"image/{extension}")})
    _assert_valid(report)
    assert report["format"].endswith(f"+baked-{extension}")


def test_ob2_hosted_assertion_url_verifies(live: LiveService, award: dict[str, Any]) -> None:
    report = _verify(live, json={"url": award["links"]["ob2_assertion"]})
    _assert_valid(report)
    assert report["format"] == "ob2-hosted" and report["achievement"]["name"] == "Cuisine du monde"


def test_ob2_signed_assertion_verifies(live: LiveService, award: dict[str, Any]) -> None:
    token = _get(live, award["links"]["ob2_signed"]).text
    report = _verify(live, json={"jwt": token})
    _assert_valid(report)
    assert report["format"] == "ob2-signed"


def test_ob2_signed_baked_badge_verifies(live: LiveService, award: dict[str, Any]) -> None:
    image = _get(live, award["links"]["ob2_baked_png"], signed="true").content
    report = _verify(live, content=image, headers={"Content-Type": "image/png"})
    _assert_valid(report)
    assert report["format"] == "ob2-signed+baked-png"


def test_recipient_check_by_email(live: LiveService, award: dict[str, Any]) -> None:
    credential = _get(live, award["links"]["credential"]).json()
    right = _verify(live, json={"credential": credential, "recipient": "sylvie@example.fr"})
    wrong = _verify(live, json={"credential": credential, "recipient": "nathan@example.fr"})
    assert _outcomes(right)["recipient"] == "passed" and right["verified"] is True
    assert _outcomes(wrong)["recipient"] == "failed" and wrong["verified"] is False


def _flip(text: str) -> str:
    return text[:-1] + ("X" if text[-1] != "X" else "Y")


def test_tampered_credential_fails_the_proof(live: LiveService, award: dict[str, Any]) -> None:
    credential = _get(live, award["links"]["credential"]).json()
    credential["credentialSubject"]["achievement"]["name"] = _flip(credential["credentialSubject"]["achievement"]
                                                                   ["name"])
    report = _verify(live, json={"credential": credential})
    assert report["verified"] is False and _outcomes(report)["proof"] == "failed" and report["trust"] == "invalid"
    assert not any("/status/" in u for u in report["fetched"])  # nothing beyond the key before the signature holds


def test_tampered_jwt_fails_the_proof(live: LiveService, award: dict[str, Any]) -> None:
    header, payload, signature = _get(live, award["links"]["credential"], format="jwt").text.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = _flip(claims["name"])
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    report = _verify(live, json={"jwt": f"{header}.{forged}.{signature}"})
    assert report["verified"] is False and _outcomes(report)["proof"] == "failed"


def test_unsigned_credential_is_not_verified(live: LiveService, award: dict[str, Any]) -> None:
    credential = _get(live, award["links"]["credential"]).json()
    credential.pop("proof")
    report = _verify(live, json={"credential": credential})
    assert report["verified"] is False and _outcomes(report)["proof"] == "failed"


@pytest.fixture(scope="module")
def revoked(live: LiveService, key: str, achievement: dict[str, Any]) -> dict[str, Any]:
    award = _award(live, key, achievement)
    response = live.http.post(f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Attribué par erreur"},
                              headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    return award


@pytest.mark.parametrize("form", ["json", "jwt", "ob2_hosted", "ob2_signed"])
def test_revoked_badge_is_reported_revoked_in_every_form(live: LiveService, revoked: dict[str, Any],
                                                         form: str) -> None:
    links = revoked["links"]
    if form == "json":
        report = _verify(live, json={"credential": _get(live, links["credential"]).json()})
    elif form == "jwt":
        report = _verify(live, json={"jwt": _get(live, links["credential"], format="jwt").text})
    elif form == "ob2_hosted":
        report = _verify(live, json={"url": links["ob2_assertion"]})
    else:
        report = _verify(live, json={"jwt": _get(live, links["ob2_signed"]).text})
    assert report["verified"] is False and report["status"] == "revoked" and report["trust"] == "invalid"
    assert _outcomes(report)["status"] == "failed"


def test_suspended_badge_reads_as_revoked_in_its_ob2_form(live: LiveService, key: str,
                                                          achievement: dict[str, Any]) -> None:
    """OB 3.0 credentials carry one status entry (the OB 3.0 schema allows a single object): revocation. A
    suspension shows in OB 2.0 (hosted 410, RevocationList) until it is lifted."""
    award = _award(live, key, achievement)
    live.http.post(f"/api/v1/awards/{award['id']}/suspend", json={},
                   headers={"Authorization": f"Bearer {key}"}).raise_for_status()
    for report in (_verify(live, json={"url": award["links"]["ob2_assertion"]}),
                   _verify(live, json={"jwt": _get(live, award["links"]["ob2_signed"]).text})):
        assert report["verified"] is False and report["status"] == "revoked"
    live.http.post(f"/api/v1/awards/{award['id']}/unsuspend", json={},
                   headers={"Authorization": f"Bearer {key}"}).raise_for_status()
    _assert_valid(_verify(live, json={"url": award["links"]["ob2_assertion"]}))


def test_expired_badge_is_not_verified(live: LiveService, key: str, achievement: dict[str, Any]) -> None:
    award = _award(live, key, achievement, validFrom="2020-01-01T00:00:00Z", validUntil="2021-01-01T00:00:00Z")
    report = _verify(live, json={"credential": _get(live, award["links"]["credential"]).json()})
    assert report["verified"] is False and _outcomes(report)["validity"] == "failed"
    assert "2021" in next(c["message_en"] for c in report["checks"] if c["id"] == "validity")


def test_credential_issued_before_a_key_rotation_still_verifies(live: LiveService, achievement: dict[str, Any],
                                                                 key: str) -> None:
    award = _award(live, key, achievement)
    credential = _get(live, award["links"]["credential"]).json()
    live.http.post("/api/v1/keys/rotate", headers={"Authorization": f"Bearer {key}"}).raise_for_status()
    _assert_valid(_verify(live, json={"credential": credential}))


def test_garbage_is_a_422_problem_in_both_languages(live: LiveService) -> None:
    response = live.http.post("/api/v1/verify", content="bonjour", headers={"Content-Type": "text/plain"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "unusable_input" and problem["message_fr"] and problem["message_en"]


def test_two_inputs_at_once_are_refused(live: LiveService, award: dict[str, Any]) -> None:
    response = live.http.post("/api/v1/verify", json={"url": award["links"]["credential"], "jwt": "a.b.c"})
    assert response.status_code == 422


def test_verify_page_of_the_cli_exit_codes(live: LiveService, award: dict[str, Any], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from app.cli import main

    monkeypatch.setenv("ALLOW_LOOPBACK_FETCH", "true")
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    good = tmp_path / "badge.png"
    good.write_bytes(_get(live, award["links"]["baked_png"]).content)
    garbage = tmp_path / "note.txt"
    garbage.write_text("bonjour", encoding="utf-8")
    credential = _get(live, award["links"]["credential"]).json()
    credential["name"] = _flip(credential["name"])
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(credential), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["verify", str(good)]).exit_code == 0
    assert runner.invoke(main, ["verify", award["links"]["credential"]]).exit_code == 0
    assert runner.invoke(main, ["verify", str(tampered)]).exit_code == 1
    assert runner.invoke(main, ["verify", str(garbage)]).exit_code == 2
    result = runner.invoke(main, ["verify", str(good), "--json"])
    assert json.loads(result.stdout)["verified"] is True


def test_token_signed_by_an_attacker_jwk_with_the_real_issuer_is_not_the_issuer(live: LiveService,
                                                                                award: dict[str, Any]) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa
    from jwcrypto import jwk as jwklib
    from jwcrypto import jws as jwslib

    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    credential = _get(live, award["links"]["credential"]).json()
    claims = {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"]}
    token = jwslib.JWS(json.dumps(claims).encode())
    key = jwklib.JWK.from_pyca(attacker)
    token.add_signature(key, alg="RS256", protected=json.dumps(
        {"alg": "RS256", "jwk": key.export_public(as_dict=True)}))
    report = _verify(live, json={"jwt": token.serialize(compact=True)})
    assert _outcomes(report)["proof"] == "passed" and _outcomes(report)["issuer"] == "failed"
    assert report["verified"] is False and report["status"] == "not_checked"
    assert report["trust"] == "unconfirmed"  # our DID document does not list the attacker's key: amber, not green
    issuer = next(c for c in report["checks"] if c["id"] == "issuer")
    assert "does not list this key" in issuer["message_en"] and "ne mentionne pas cette clé" in issuer["message_fr"]
