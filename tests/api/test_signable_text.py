"""Every text that goes into a signed document is checked once, at every way in: a control character, NUL or a lone
surrogate is a 422 naming the field, and nothing is stored — never a credential that fails to verify, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.models import Achievement, Award, Group, Organisation
from app.signing.data_integrity import list_proofs, verify_proof
from app.signing.loader import make_loader
from app.signing.multikey import decode_public_key
from tests.conftest import BASE_URL, admin_headers, bearer

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu un sac."},
         "levels": [{"name": "J'agis"}]}
REFUSED = ["a\u0001b", "nul\u0000", "bell\u0007", "del\u007f", "form\u000cfeed"]


def _count(app: Any, model: type) -> int:
    with app.state.db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))  # type: ignore[no-any-return]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in _strings(item)]


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid_input" and body["message_fr"]
    assert any(e["field"].endswith(field) and "control character" in e["message_en"] for e in body["errors"])


@pytest.fixture
def published(client: TestClient, token: str) -> dict[str, Any]:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    return client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).json()  # type: ignore


@pytest.mark.parametrize("text", REFUSED)
def test_organisation_name_with_a_control_character_is_refused(client: TestClient, app: Any, text: str) -> None:
    body = {"slug": "puchot", "name": text, "url": "https://p.example", "email": "a@p.example"}
    _refused(client.post("/api/v1/orgs", json=body, headers=admin_headers()), "name")
    assert _count(app, Organisation) == 0


def test_organisation_description_change_with_a_control_character_is_refused(
        client: TestClient, token: str, app: Any) -> None:
    _refused(client.patch("/api/v1/org", json={"description": "x\u0002"}, headers=bearer(token)), "description")
    assert client.get("/api/v1/org", headers=bearer(token)).json()["description"] is None


@pytest.mark.parametrize("field", ["name", "description"])
def test_achievement_text_with_a_control_character_is_refused(client: TestClient, token: str, app: Any,
                                                              field: str) -> None:
    _refused(client.post("/api/v1/achievements", json={**BADGE, field: "x\u0003"}, headers=bearer(token)), field)
    assert _count(app, Achievement) == 0


def test_level_name_with_a_control_character_is_refused(client: TestClient, token: str, app: Any) -> None:
    body = {**BADGE, "levels": [{"name": "J'agis\u0004"}]}
    _refused(client.post("/api/v1/achievements", json=body, headers=bearer(token)), "name")
    assert _count(app, Achievement) == 0


def test_achievement_patch_with_a_control_character_is_refused(client: TestClient, token: str,
                                                              published: dict[str, Any], app: Any) -> None:
    response = client.patch(f"/api/v1/achievements/{published['id']}", json={"tags": ["ok", "x\u0005"]},
                            headers=bearer(token))
    _refused(response, "tags")
    assert _count(app, Achievement) == 1


@pytest.mark.parametrize("text", REFUSED)
def test_award_narrative_with_a_control_character_is_refused_even_after_a_first_award(
        client: TestClient, token: str, published: dict[str, Any], app: Any, text: str) -> None:
    url = f"/api/v1/achievements/{published['id']}/awards"
    assert client.post(url, json={"recipient": {"email": "a@b.fr"}}, headers=bearer(token)).status_code == 201
    _refused(client.post(url, json={"recipient": {"email": "c@d.fr"}, "narrative": text}, headers=bearer(token)),
             "narrative")
    assert _count(app, Award) == 1


def test_evidence_and_display_name_with_control_characters_are_refused(
        client: TestClient, token: str, published: dict[str, Any], app: Any) -> None:
    url = f"/api/v1/achievements/{published['id']}/awards"
    _refused(client.post(url, json={"recipient": {"email": "a@b.fr", "display_name": "Syl\u0006vie"}},
                         headers=bearer(token)), "display_name")
    _refused(client.post(url, json={"recipient": {"email": "a@b.fr"}, "evidence": [{"name": "Photo\u000e"}]},
                         headers=bearer(token)), "name")
    assert _count(app, Award) == 0


def test_batch_row_with_a_control_character_is_refused_alone(client: TestClient, token: str,
                                                             published: dict[str, Any], app: Any) -> None:
    rows = [{"recipient": {"email": "a@b.fr"}}, {"recipient": {"email": "c@d.fr"}, "narrative": "x\u0001"}]
    response = client.post(f"/api/v1/achievements/{published['id']}/awards:batch", json={"rows": rows},
                           headers=bearer(token))
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["issued", "error"]
    assert _count(app, Award) == 1


def test_group_member_name_with_a_control_character_is_refused(client: TestClient, token: str, app: Any) -> None:
    body = {"name": "Atelier radio", "members": [{"email": "a@b.fr", "display_name": "Zoé\u0010"}]}
    _refused(client.post("/api/v1/groups", json=body, headers=bearer(token)), "display_name")
    assert _count(app, Group) == 0


def test_tabs_and_line_breaks_are_accepted_and_the_credential_verifies(
        client: TestClient, token: str, published: dict[str, Any]) -> None:
    url = f"/api/v1/achievements/{published['id']}/awards"
    response = client.post(url, json={"recipient": {"email": "a@b.fr", "public": True},
                                      "narrative": "Ligne 1\n\tLigne 2\r\nfin"}, headers=bearer(token))
    assert response.status_code == 201
    credential = client.get(response.json()["links"]["credential"].removeprefix(BASE_URL)).json()
    assert "Ligne 1\n\tLigne 2\r\nfin" in _strings(credential)
    (ref,) = list_proofs(credential)
    did_doc = client.get("/orgs/puchot/did.json").json()
    (method,) = [m for m in did_doc["verificationMethod"] if m["id"] == ref.verification_method]
    verify_proof(credential, ref.proof, public_key=decode_public_key(method["publicKeyMultibase"]),
                 loader=make_loader())
