"""The centre asks a person (a resident, a volunteer) to endorse it: she opens the private link without an
account, proves her address by the sign-in module, and gives her endorsement; the service hosts her endorser
profile (a key and a did:web of her own, her name only) and signs with it. She alone can take it back."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.models import Organisation
from tests.conftest import admin_headers
from tests.endorsements.conftest import FATOU, ask, document, outcome, token_of, verify
from tests.signin.conftest import sign_in

FATOU_SAYS = "Le Puchot m'a appris à coudre, et à transmettre."


def _asked(client: TestClient, key: dict[str, str]) -> tuple[dict[str, Any], str]:
    asked = ask(client, key, {"kind": "organisation"}, {"name": "Fatou Diallo", "email": FATOU})
    return asked, token_of(asked["link"])


def _give(client: TestClient, token: str, comment: str = FATOU_SAYS) -> Any:
    return client.post(f"/api/v1/endorsement-links/{token}/accept", json={"comment": comment})


def test_the_link_shows_what_she_vouches_for_and_with_which_address(client: TestClient, key: dict[str, str]) -> None:
    asked, token = _asked(client, key)
    assert (asked["state"], asked["endorser_kind"], asked["endorser_name"]) == ("requested", "person", "Fatou Diallo")
    seen = client.get(f"/api/v1/endorsement-links/{token}").json()
    assert (seen["asked_by"], seen["about"]["kind"], seen["about"]["name"]) == ("Centre social du Puchot",
                                                                              "organisation", "Centre social du Puchot")
    assert seen["needs_sign_in_as"] == "f…@exemple.fr"  # her address is not shown in full to whoever has the link


def test_without_signing_in_nothing_is_signed(client: TestClient, key: dict[str, str]) -> None:
    _, token = _asked(client, key)
    refused = _give(client, token)
    assert refused.status_code == 401
    assert client.get(f"/api/v1/endorsement-links/{token}").json()["state"] == "requested"


def test_signed_in_with_another_address_she_is_refused(client: TestClient, app: Any, key: dict[str, str]) -> None:
    _, token = _asked(client, key)
    sign_in(client, app, "quelqu.un@exemple.fr")
    refused = _give(client, token)
    assert refused.status_code == 403 and refused.json()["code"] == "wrong_endorser"


def test_her_endorsement_is_signed_by_a_key_of_her_own_and_names_her_only(client: TestClient, app: Any,
                                                                          key: dict[str, str]) -> None:
    _, token = _asked(client, key)
    sign_in(client, app, FATOU)
    given = _give(client, token)
    assert given.status_code == 200, given.text
    credential = document(client, given.json()["url"])
    issuer = credential["issuer"]
    assert issuer["id"].startswith("did:web:badges.example.org:orgs:personne-")
    assert issuer == {"id": issuer["id"], "type": ["Profile"], "name": "Fatou Diallo"}  # no address published
    assert credential["credentialSubject"]["id"] == "did:web:badges.example.org:orgs:puchot"
    slug = issuer["id"].rsplit(":", 1)[1]
    did = client.get(f"/orgs/{slug}/did.json").json()
    assert [m["type"] for m in did["verificationMethod"]] == ["Multikey"]
    report = verify(client, credential)
    assert report["verified"] is True and outcome(report, "schema") == "passed", report
    assert FATOU not in client.get(f"/orgs/{slug}/profile").text


def test_the_person_is_not_an_issuing_organisation(client: TestClient, app: Any, key: dict[str, str]) -> None:
    _, token = _asked(client, key)
    sign_in(client, app, FATOU)
    _give(client, token)
    listed = client.get("/api/v1/orgs", headers=admin_headers()).json()
    assert [o["slug"] for o in listed] == ["puchot"]
    with app.state.db.sessions() as session:
        person = session.scalar(select(Organisation).where(Organisation.kind == "person"))
    assert person is not None and person.email == FATOU


def test_a_second_endorsement_by_her_is_signed_by_the_same_profile(client: TestClient, app: Any,
                                                                   key: dict[str, str], badge: str) -> None:
    _, first = _asked(client, key)
    second = token_of(ask(client, key, {"kind": "achievement", "id": badge},
                          {"name": "Fatou D.", "email": FATOU.upper()})["link"])
    sign_in(client, app, FATOU)
    issuers = {document(client, _give(client, token).json()["url"])["issuer"]["id"] for token in (first, second)}
    assert len(issuers) == 1


def test_she_takes_it_back_and_it_leaves_the_centre_s_profile(client: TestClient, app: Any,
                                                              key: dict[str, str]) -> None:
    _, token = _asked(client, key)
    sign_in(client, app, FATOU)
    credential = document(client, _give(client, token).json()["url"])
    assert len(client.get("/orgs/puchot/profile").json()["endorsement"]) == 1
    taken_back = client.post(f"/api/v1/endorsement-links/{token}/revoke", json={})
    assert taken_back.status_code == 200 and taken_back.json()["state"] == "revoked"
    assert "endorsement" not in client.get("/orgs/puchot/profile").json()
    assert verify(client, credential)["verified"] is False


def test_she_declines_with_the_link_alone(client: TestClient, key: dict[str, str]) -> None:
    asked, token = _asked(client, key)
    declined = client.post(f"/api/v1/endorsement-links/{token}/decline", json={})
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    assert client.get(f"/api/v1/endorsements/{asked['id']}", headers=key).json()["state"] == "declined"


def test_a_form_from_another_site_cannot_act_on_her_link(client: TestClient, app: Any, key: dict[str, str]) -> None:
    _, token = _asked(client, key)
    sign_in(client, app, FATOU)
    forged = client.post(f"/api/v1/endorsement-links/{token}/accept", data={"comment": "Piégée !"})
    assert forged.status_code == 415
    assert client.get(f"/api/v1/endorsement-links/{token}").json()["state"] == "requested"


def test_an_unknown_link_says_so(client: TestClient) -> None:
    missing = client.get("/api/v1/endorsement-links/" + "x" * 43)
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_link"
