"""Each organisation chooses what its credentials' ``credentialStatus`` carries: the revocation entry alone (the
default, valid under the OB 3.0 JSON Schema of 2024) or revocation and suspension entries, so that independent
verifiers can see a suspension too."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.badges.bitstring import Bitstring
from app.signing.data_integrity import list_proofs, verify_proof
from app.signing.loader import make_loader
from app.signing.multikey import decode_public_key
from tests.conftest import BASE_URL, bearer

BADGE = {"name": "Radio", "description": "Animer une émission.", "criteria": {"narrative": "A animé."}}


def _award(client: TestClient, token: str, *, public: bool = False) -> dict[str, Any]:
    """An award of a new badge (``public``: its recipient agreed that its address serve its credential)."""
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    recipient = {"email": "a@b.fr", **({"public": True} if public else {})}
    award = client.post(f"/api/v1/achievements/{created['id']}/awards", json={"recipient": recipient},
                        headers=bearer(token))
    assert award.status_code == 201, award.text
    return award.json()  # type: ignore[no-any-return]


def _status(client: TestClient, award: dict[str, Any]) -> Any:
    return client.get(award["links"]["credential"].removeprefix(BASE_URL)).json()["credentialStatus"]


def _bit(client: TestClient, entry: dict[str, Any]) -> bool:
    status_list = client.get(entry["statusListCredential"].removeprefix(BASE_URL)).json()
    assert status_list["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
    return Bitstring.decode(status_list["credentialSubject"]["encodedList"]).get(int(entry["statusListIndex"]))


def test_by_default_a_credential_carries_the_revocation_entry_alone(client: TestClient, make_org: Any) -> None:
    created = make_org("puchot")
    assert created["organisation"]["status_model"] == "revocation_only"
    status = _status(client, _award(client, created["api_key"]["token"], public=True))
    assert isinstance(status, dict) and status["statusPurpose"] == "revocation"


@pytest.fixture
def both(client: TestClient, make_org: Any) -> str:
    return make_org("puchot", status_model="revocation_and_suspension")["api_key"]["token"]  # type: ignore


def test_with_suspension_a_credential_carries_both_entries_at_one_index_and_its_proof_holds(
        client: TestClient, both: str) -> None:
    award = _award(client, both, public=True)
    credential = client.get(award["links"]["credential"].removeprefix(BASE_URL)).json()
    (ref,) = list_proofs(credential)
    did_doc = client.get("/orgs/puchot/did.json").json()
    (method,) = [m for m in did_doc["verificationMethod"] if m["id"] == ref.verification_method]
    verify_proof(credential, ref.proof, public_key=decode_public_key(method["publicKeyMultibase"]),
                 loader=make_loader())
    revocation, suspension = credential["credentialStatus"]
    assert (revocation["statusPurpose"], suspension["statusPurpose"]) == ("revocation", "suspension")
    assert revocation["statusListIndex"] == suspension["statusListIndex"]
    assert revocation["statusListCredential"] != suspension["statusListCredential"]


def test_a_suspension_sets_the_bit_the_credential_points_to_and_lifting_it_clears_it(
        client: TestClient, both: str) -> None:
    award = _award(client, both, public=True)
    revocation, suspension = _status(client, award)
    assert client.post(f"/api/v1/awards/{award['id']}/suspend", headers=bearer(both)).status_code == 200
    assert (_bit(client, revocation), _bit(client, suspension)) == (False, True)
    assert client.post(f"/api/v1/awards/{award['id']}/unsuspend", headers=bearer(both)).status_code == 200
    assert (_bit(client, revocation), _bit(client, suspension)) == (False, False)


def test_changing_the_model_applies_to_credentials_issued_afterwards(client: TestClient, make_org: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    before = _award(client, token, public=True)
    changed = client.patch("/api/v1/org", json={"status_model": "revocation_and_suspension"}, headers=bearer(token))
    assert changed.status_code == 200 and changed.json()["status_model"] == "revocation_and_suspension"
    assert isinstance(_status(client, before), dict)
    assert [e["statusPurpose"] for e in _status(client, _award(client, token, public=True))] == [
        "revocation", "suspension"]


def test_an_unknown_status_model_is_refused(client: TestClient, make_org: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    response = client.patch("/api/v1/org", json={"status_model": "suspension_only"}, headers=bearer(token))
    assert response.status_code == 422
    assert client.get("/api/v1/org", headers=bearer(token)).json()["status_model"] == "revocation_only"


def test_suspending_under_revocation_only_tells_who_cannot_see_it(client: TestClient, make_org: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    award = _award(client, token)
    body = client.post(f"/api/v1/awards/{award['id']}/suspend", headers=bearer(token)).json()
    assert body["status"] == "suspended"
    assert [n["code"] for n in body["notices"]] == ["suspension_not_in_credential"]
    assert "ne voient pas la suspension" in body["notices"][0]["message_fr"]


def test_suspending_with_a_suspension_entry_needs_no_notice(client: TestClient, both: str) -> None:
    award = _award(client, both)
    body = client.post(f"/api/v1/awards/{award['id']}/suspend", headers=bearer(both)).json()
    assert body["status"] == "suspended" and body["notices"] == []
