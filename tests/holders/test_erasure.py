"""Erasure: a holder asks from their space, the organisation carries it out; or the organisation erases (or first
exports) one resident's data. Afterwards no table holds the person's address, name or evidence; status-list bits,
counts and the audit trail stay; the credential the person kept reads as they chose."""

from __future__ import annotations

import io
import json
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from app.models import Base
from tests.conftest import bearer
from tests.endorsements.conftest import verify
from tests.holders.conftest import give, press, signed_in_as

ADDRESS = "sylvie.martin@exemple.fr"
NAME = "Sylvie Martin"
WORDS = "J'ai appris la pâte feuilletée à douze voisines"
TESTIMONY = "Merci pour la tarte aux pommes de Sylvie"


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 90, 30)).save(out, format="JPEG")
    return out.getvalue()


def _accepted_request(client: TestClient, key: dict[str, str], badge: str) -> str:
    """Sylvie asks for the badge with a photo and a testimony, published with her name; two members accept."""
    members = [client.post("/api/v1/committee/members", json={"name": n, "email": f"{n.lower()}@exemple.fr"},
                           headers=key).json()["id"] for n in ("Fatou", "Karim")]
    body = {"achievement_id": badge, "name": NAME, "email": ADDRESS, "level": "J'agis", "narrative": WORDS,
            "publish_evidence": True, "publish_name": True, "text_evidence": TESTIMONY}
    received = client.post("/api/v1/orgs/puchot/requests", data={"request": json.dumps(body)},
                           files=[("evidence", ("tarte.jpg", _photo(), "image/jpeg"))])
    assert received.status_code == 201, received.text
    for member in members:
        voted = client.post(f"/api/v1/requests/{received.json()['id']}/votes", headers=key,
                            json={"choice": "accept", "member_id": member})
    assert voted.json()["state"] == "accepted", voted.text
    return str(voted.json()["award_id"])


def _every_row(app: Any) -> str:
    """Every value of every table, as text (bytes as Latin-1, so that an image's marker would show)."""
    seen: list[str] = []
    with app.state.db.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                for value in row:
                    seen.append(value.decode("latin-1") if isinstance(value, bytes) else
                                json.dumps(value, ensure_ascii=False, default=str))
    return "\n".join(seen)


def _ask_erasure(client: TestClient, credentials: str) -> Any:
    return press(client, "/mon-espace/effacer", "/mon-espace/effacer", credentials=credentials)


def test_after_erasure_no_table_holds_the_person(app: Any, client: TestClient, key: dict[str, str],
                                                 badge: str) -> None:
    award_id = _accepted_request(client, key, badge)
    signed_in_as(client, app, ADDRESS)
    assert award_id in client.get("/mon-espace").text
    kept = client.get(f"/mon-espace/badges/{award_id}/credential.json").json()
    before = _every_row(app)
    assert ADDRESS in before and NAME in before and TESTIMONY in before and WORDS in before
    asked = _ask_erasure(client, "revoke")
    assert asked.status_code == 303 and asked.headers["location"] == "/mon-espace/effacer?asked=1"
    assert "Votre demande est envoyée à 1 organisme(s)." in client.get(asked.headers["location"]).text
    [request] = client.get("/api/v1/erasure-requests", headers=key).json()
    assert request["state"] == "requested" and request["credentials"] == "revoke" and request["awards"] == 1
    done = client.post(f"/api/v1/erasure-requests/{request['id']}/carry-out", headers=key)
    assert done.status_code == 200, done.text
    assert done.json()["awards"] == 1 and done.json()["revoked"] == 1 and done.json()["requests"] == 1
    after = _every_row(app)
    for personal in (ADDRESS, NAME, "Sylvie", TESTIMONY, WORDS, "tarte.jpg"):
        assert personal not in after, personal
    report = verify(client, kept)  # the copy she kept now reads revoked
    assert report["verified"] is False and report["status"] == "revoked"
    award = client.get(f"/api/v1/awards/{award_id}", headers=key).json()
    assert award["status"] == "revoked" and award["display_name"] is None


def test_a_holder_may_keep_their_credentials_valid(app: Any, client: TestClient, key: dict[str, str],
                                                   badge: str) -> None:
    award = give(client, key, badge, recipient={"email": ADDRESS, "display_name": NAME, "publish_name": True})
    signed_in_as(client, app, ADDRESS)
    kept = client.get(f"/mon-espace/badges/{award['id']}/credential.json").json()
    _ask_erasure(client, "keep")
    [request] = client.get("/api/v1/erasure-requests", headers=key).json()
    assert client.post(f"/api/v1/erasure-requests/{request['id']}/carry-out", headers=key).json()["revoked"] == 0
    report = verify(client, kept)
    assert report["verified"] is True and report["status"] == "active"
    assert ADDRESS not in _every_row(app)
    again = client.post(f"/api/v1/erasure-requests/{request['id']}/carry-out", headers=key)
    assert again.status_code == 409 and again.json()["code"] == "erasure_done"


def test_the_space_is_empty_after_erasure(app: Any, client: TestClient, key: dict[str, str], badge: str) -> None:
    give(client, key, badge, recipient={"email": ADDRESS})
    signed_in_as(client, app, ADDRESS)
    _ask_erasure(client, "keep")
    [request] = client.get("/api/v1/erasure-requests", headers=key).json()
    client.post(f"/api/v1/erasure-requests/{request['id']}/carry-out", headers=key)
    signed_in_as(client, app, ADDRESS)  # her sign-ins were erased too
    assert "Aucun badge n&#39;a été donné à cette adresse e-mail." in client.get("/mon-espace").text


def test_an_empty_space_has_nothing_to_erase(app: Any, client: TestClient) -> None:
    signed_in_as(client, app, ADDRESS)
    answer = _ask_erasure(client, "keep")
    assert answer.status_code == 409 and "<title>Erreur : Rien à effacer" in answer.text


def test_the_organisation_exports_then_erases_one_resident(app: Any, client: TestClient, key: dict[str, str],
                                                           badge: str) -> None:
    award_id = _accepted_request(client, key, badge)
    exported = client.post("/api/v1/residents/export", headers=key, json={"email": ADDRESS})
    assert exported.status_code == 200, exported.text
    found = exported.json()
    assert [a["id"] for a in found["awards"]] == [award_id]
    assert found["requests"][0]["narrative"] == WORDS and found["requests"][0]["name"] == NAME
    assert [f["kind"] for f in found["requests"][0]["evidence"]] == ["image", "text"]
    erased = client.post("/api/v1/residents/erase", headers=key, json={"email": ADDRESS, "credentials": "keep"})
    assert erased.status_code == 200 and erased.json()["awards"] == 1, erased.text
    assert NAME not in _every_row(app)
    assert client.post("/api/v1/residents/export", headers=key, json={"email": ADDRESS}).json()["awards"] == []


def test_erasing_someone_else_s_award_is_refused_and_changes_nothing(
        client: TestClient, key: dict[str, str], badge: str, make_org: Any) -> None:
    theirs = bearer(make_org("mjc", name="MJC")["api_key"]["token"])
    award = give(client, key, badge, recipient={"email": ADDRESS, "display_name": NAME})
    answer = client.post("/api/v1/residents/erase", headers=theirs,
                         json={"award_ids": [award["id"]], "credentials": "revoke"})
    assert answer.status_code == 404
    assert client.get(f"/api/v1/awards/{award['id']}", headers=key).json()["display_name"] == NAME


def test_a_resident_to_erase_must_be_named(client: TestClient, key: dict[str, str]) -> None:
    answer = client.post("/api/v1/residents/erase", headers=key, json={"credentials": "keep"})
    assert answer.status_code == 422
