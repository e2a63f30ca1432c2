"""Endorsements in Open Badges 2.0: each accepted endorsement is an OB 2.0 ``Endorsement`` with hosted verification
at ``/ob2/endorsements/{id}``, named (``endorsement``) by the BadgeClass, Issuer or hosted Assertion it endorses;
taken back, it answers 410 Gone and leaves them. A person's OB 2.0 Issuer names them only."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.endorsements.conftest import FATOU, MAIRIE_SAYS, accept_as, ask, token_of
from tests.signin.conftest import sign_in

BASE = "https://badges.example.org"
LD = {"Accept": "application/ld+json"}
FATOU_SAYS = "Le Puchot m'a appris à coudre, et à transmettre."


def _url(endorsement_id: str) -> str:
    return f"{BASE}/ob2/endorsements/{endorsement_id}"


def _get(client: TestClient, path: str, etag: str | None = None) -> Any:
    return client.get(path, headers={**LD, **({"If-None-Match": etag} if etag else {})})


def _endorse_badge(client: TestClient, key: dict[str, str], mairie: dict[str, str], badge: str) -> str:
    asked = ask(client, key, {"kind": "achievement", "id": badge}, {"organisation": "mairie"})
    assert accept_as(client, mairie, asked["id"]).status_code == 200
    return str(asked["id"])


def _by_fatou(client: TestClient, app: Any, key: dict[str, str]) -> dict[str, Any]:
    """Fatou, a resident, endorses the centre: the service hosts her as a person."""
    asked = ask(client, key, {"kind": "organisation"}, {"name": "Fatou Diallo", "email": FATOU})
    sign_in(client, app, FATOU)
    given = client.post(f"/api/v1/endorsement-links/{token_of(asked['link'])}/accept", json={"comment": FATOU_SAYS})
    assert given.status_code == 200, given.text
    return dict(given.json())


def test_the_endorsement_of_a_badge_is_an_ob2_endorsement_of_its_badge_class(
        client: TestClient, key: dict[str, str], mairie: dict[str, str], badge: str) -> None:
    endorsement_id = _endorse_badge(client, key, mairie, badge)
    served = _get(client, f"/ob2/endorsements/{endorsement_id}")
    assert served.status_code == 200 and served.headers["content-type"].startswith("application/ld+json")
    assert served.json() == {
        "@context": "https://w3id.org/openbadges/v2", "type": "Endorsement", "id": _url(endorsement_id),
        "claim": {"id": f"{BASE}/ob2/badges/{badge}", "endorsementComment": MAIRIE_SAYS},
        "issuer": f"{BASE}/ob2/issuers/mairie", "issuedOn": "2026-12-03T09:00:00Z",
        "verification": {"type": "hosted"}}


def test_the_endorsement_of_the_centre_claims_its_ob2_issuer(client: TestClient, key: dict[str, str],
                                                             mairie: dict[str, str]) -> None:
    asked = ask(client, key, {"kind": "organisation"}, {"organisation": "mairie"})
    accept_as(client, mairie, asked["id"], "Un partenaire fiable du quartier.")
    claim = _get(client, f"/ob2/endorsements/{asked['id']}").json()["claim"]
    assert claim == {"id": f"{BASE}/ob2/issuers/puchot", "endorsementComment": "Un partenaire fiable du quartier."}


def test_the_endorsement_of_an_award_claims_its_hosted_assertion_which_names_it(
        client: TestClient, key: dict[str, str], mairie: dict[str, str], award: str) -> None:
    before = _get(client, f"/ob2/assertions/{award}")
    assert "endorsement" not in before.json()
    asked = ask(client, key, {"kind": "award", "id": award}, {"organisation": "mairie"})
    client.post(f"/api/v1/endorsement-consents/{token_of(asked['link'])}", json={"consent": True})
    accept_as(client, mairie, asked["id"])
    assert _get(client, f"/ob2/endorsements/{asked['id']}").json()["claim"]["id"] == f"{BASE}/ob2/assertions/{award}"
    after = _get(client, f"/ob2/assertions/{award}", before.headers["etag"])
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert after.json()["endorsement"] == [_url(asked["id"])]


def test_the_badge_class_names_the_endorsement_under_a_new_etag(client: TestClient, key: dict[str, str],
                                                                mairie: dict[str, str], badge: str) -> None:
    before = _get(client, f"/ob2/badges/{badge}")
    assert before.status_code == 200 and "endorsement" not in before.json()
    endorsement_id = _endorse_badge(client, key, mairie, badge)
    after = _get(client, f"/ob2/badges/{badge}", before.headers["etag"])
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert after.json()["endorsement"] == [_url(endorsement_id)]
    assert after.headers["cache-control"] == "public, max-age=300"


def test_the_issuer_names_an_endorsement_of_the_centre_under_a_new_etag(client: TestClient, key: dict[str, str],
                                                                        mairie: dict[str, str]) -> None:
    before = _get(client, "/ob2/issuers/puchot")
    assert "endorsement" not in before.json()
    asked = ask(client, key, {"kind": "organisation"}, {"organisation": "mairie"})
    accept_as(client, mairie, asked["id"])
    after = _get(client, "/ob2/issuers/puchot", before.headers["etag"])
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert after.json()["endorsement"] == [_url(asked["id"])]


def test_revoked_it_answers_410_and_leaves_the_badge_class(client: TestClient, key: dict[str, str],
                                                           mairie: dict[str, str], badge: str) -> None:
    endorsement_id = _endorse_badge(client, key, mairie, badge)
    endorsed = _get(client, f"/ob2/badges/{badge}")
    assert client.post(f"/api/v1/endorsements/incoming/{endorsement_id}/revoke", headers=mairie).status_code == 200
    gone = _get(client, f"/ob2/endorsements/{endorsement_id}")
    assert gone.status_code == 410 and "etag" not in gone.headers
    assert gone.json() == {"@context": "https://w3id.org/openbadges/v2", "id": _url(endorsement_id), "revoked": True}
    after = _get(client, f"/ob2/badges/{badge}", endorsed.headers["etag"])
    assert after.status_code == 200 and "endorsement" not in after.json()


def test_revoked_it_leaves_the_issuer(client: TestClient, key: dict[str, str], mairie: dict[str, str]) -> None:
    asked = ask(client, key, {"kind": "organisation"}, {"organisation": "mairie"})
    accept_as(client, mairie, asked["id"])
    endorsed = _get(client, "/ob2/issuers/puchot")
    assert endorsed.json()["endorsement"] == [_url(asked["id"])]
    client.post(f"/api/v1/endorsements/incoming/{asked['id']}/revoke", headers=mairie)
    after = _get(client, "/ob2/issuers/puchot", endorsed.headers["etag"])
    assert after.status_code == 200 and "endorsement" not in after.json()


def test_an_endorsement_not_given_is_not_found(client: TestClient, key: dict[str, str], mairie: dict[str, str],
                                               badge: str) -> None:
    asked = ask(client, key, {"kind": "achievement", "id": badge}, {"organisation": "mairie"})
    assert _get(client, f"/ob2/endorsements/{asked['id']}").status_code == 404  # asked, not answered
    client.post(f"/api/v1/endorsements/incoming/{asked['id']}/decline", headers=mairie)
    assert _get(client, f"/ob2/endorsements/{asked['id']}").status_code == 404  # declined
    assert _get(client, "/ob2/endorsements/nothing-here").status_code == 404
    assert "endorsement" not in _get(client, f"/ob2/badges/{badge}").json()


def test_a_client_holding_the_endorsement_s_etag_gets_a_304(client: TestClient, key: dict[str, str],
                                                            mairie: dict[str, str], badge: str) -> None:
    path = f"/ob2/endorsements/{_endorse_badge(client, key, mairie, badge)}"
    first = _get(client, path)
    assert first.headers["cache-control"] == "public, no-cache" and "Accept" in first.headers["vary"]
    assert _get(client, path, first.headers["etag"]).status_code == 304


def test_a_person_s_ob2_issuer_names_her_without_her_address(client: TestClient, app: Any,
                                                             key: dict[str, str]) -> None:
    given = _by_fatou(client, app, key)
    [endorsement] = _get(client, "/orgs/puchot/profile").json()["endorsement"]
    slug = endorsement["issuer"]["id"].rsplit(":", 1)[1]
    served = _get(client, f"/ob2/issuers/{slug}")
    assert served.status_code == 200 and FATOU not in served.text
    assert served.json() == {"@context": "https://w3id.org/openbadges/v2", "type": "Issuer",
                             "id": f"{BASE}/ob2/issuers/{slug}", "name": "Fatou Diallo",
                             "url": f"{BASE}/orgs/{slug}/profile",
                             "revocationList": f"{BASE}/ob2/issuers/{slug}/revocations"}
    assert _get(client, f"/ob2/endorsements/{given['id']}").json()["issuer"] == f"{BASE}/ob2/issuers/{slug}"
