"""Bulk awards: JSON rows, CSV body, CSV upload; per-row errors; idempotency; limits."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.models import Award
from app.signing.data_integrity import list_proofs, verify_proof
from app.signing.loader import make_loader
from app.signing.multikey import decode_public_key
from tests.conftest import bearer

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu un sac."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'agis"}]}


@pytest.fixture
def token(make_org: Any) -> str:
    return make_org("puchot")["api_key"]["token"]  # type: ignore[no-any-return]


@pytest.fixture
def achievement(client: TestClient, token: str) -> dict[str, Any]:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    return client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).json()  # type: ignore


def _count(app: Any) -> int:
    with app.state.db.sessions() as session:
        return session.scalar(select(func.count()).select_from(Award))  # type: ignore[no-any-return]


def _batch(client: TestClient, token: str, achievement: dict[str, Any], **kwargs: Any) -> Any:
    headers = {**bearer(token), **kwargs.pop("headers", {})}
    return client.post(f"/api/v1/achievements/{achievement['id']}/awards:batch", headers=headers, **kwargs)


def test_json_rows_each_succeed_or_report_their_own_error(client: TestClient, token: str,
                                                          achievement: dict[str, Any], app: Any) -> None:
    rows = [{"recipient": {"email": "sylvie@example.fr", "public": True}, "level": "J'agis"},  # read at its address
            {"recipient": {"email": "pas-un-email"}},
            {"recipient": {"phone": "06 12 34 56 78"}, "level": "Inconnu"},
            {}]
    response = _batch(client, token, achievement, json={"rows": rows})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total"], body["issued"], body["failed"]) == (4, 2, 2)
    assert [r["status"] for r in body["results"]] == ["issued", "error", "error", "issued"]
    assert body["results"][2]["code"] == "unknown_level" and body["results"][2]["message_fr"]
    assert body["results"][3]["claim_code"]
    assert _count(app) == 2
    credential = client.get(body["results"][0]["credential"].removeprefix("https://badges.example.org")).json()
    assert credential["credentialSubject"]["result"][0]["achievedLevel"].endswith("#level-2")
    (ref,) = list_proofs(credential)  # stored (by COPY on PostgreSQL) exactly as signed
    did_doc = client.get("/orgs/" + ref.verification_method.split("#")[0].split(":")[-1] + "/did.json").json()
    (method,) = [m for m in did_doc["verificationMethod"] if m["id"] == ref.verification_method]
    verify_proof(credential, ref.proof, public_key=decode_public_key(method["publicKeyMultibase"]),
                 loader=make_loader())


def test_csv_body_with_semicolons_bom_and_accents(client: TestClient, token: str, achievement: dict[str, Any],
                                                  app: Any) -> None:
    csv = ("\ufeffemail;display_name;nom public;Page publique;level;narrative;evidence_url\n"
           "helene@example.fr;Hélène;oui;oui;Je soutiens;A cousu « un sac »;https://p.example/sac.jpg\n"
           "nathan@example.fr;Nathan;;Oui;J'agis;;\n"
           "ines@example.fr;Inès;;;J'agis;;\n").encode()
    response = _batch(client, token, achievement, content=csv, headers={"Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    assert response.json()["issued"] == 3
    third = response.json()["results"][2]["credential"].removeprefix("https://badges.example.org")
    assert client.get(third).status_code == 404  # no « page publique: oui »: private
    first = client.get(response.json()["results"][0]["credential"].removeprefix("https://badges.example.org")).json()
    assert first["credentialSubject"]["narrative"] == "A cousu « un sac »"
    assert first["evidence"][0]["id"] == "https://p.example/sac.jpg"
    assert any(i.get("identityHash") == "Hélène" for i in first["credentialSubject"]["identifier"])
    second = client.get(response.json()["results"][1]["credential"].removeprefix("https://badges.example.org")).json()
    assert "Nathan" not in str(second)  # a name without « nom public: oui » stays out of the badge


def test_csv_file_upload(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    csv = b"email,level\na@example.fr,J'agis\nb@example.fr,\n"
    response = _batch(client, token, achievement, files={"file": ("atelier.csv", csv, "text/csv")})
    assert response.status_code == 200, response.text
    assert response.json()["issued"] == 2


def test_unknown_csv_column_is_422_and_stores_nothing(client: TestClient, token: str,
                                                      achievement: dict[str, Any], app: Any) -> None:
    response = _batch(client, token, achievement, content=b"couleur\nbleu\n", headers={"Content-Type": "text/csv"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_csv"
    assert "email" in response.json()["message_fr"]
    assert _count(app) == 0


def test_more_than_10000_rows_is_422(client: TestClient, token: str, achievement: dict[str, Any], app: Any) -> None:
    response = _batch(client, token, achievement, json={"rows": [{}] * 10_001})
    assert response.status_code == 422
    assert _count(app) == 0


def test_batch_is_idempotent(client: TestClient, token: str, achievement: dict[str, Any], app: Any) -> None:
    rows = {"rows": [{"recipient": {"email": "a@example.fr"}}, {"recipient": {"email": "b@example.fr"}}]}
    first = _batch(client, token, achievement, json=rows, headers={"Idempotency-Key": "atelier-12"})
    second = _batch(client, token, achievement, json=rows, headers={"Idempotency-Key": "atelier-12"})
    assert first.json() == second.json() and second.headers["idempotent-replayed"] == "true"
    assert _count(app) == 2


def test_unsupported_media_type_is_422(client: TestClient, token: str, achievement: dict[str, Any]) -> None:
    response = _batch(client, token, achievement, content=b"<xml/>", headers={"Content-Type": "application/xml"})
    assert response.status_code == 422 and response.json()["code"] == "unsupported_media_type"


def test_every_issued_row_gets_a_distinct_status_index(client: TestClient, token: str,
                                                       achievement: dict[str, Any]) -> None:
    body = _batch(client, token, achievement, json={"rows": [{"recipient": {"public": True}}] * 50}).json()
    indexes = {client.get(r["credential"].removeprefix("https://badges.example.org")).json()
               ["credentialStatus"]["statusListIndex"] for r in body["results"]}
    assert len(indexes) == 50


def test_a_row_sent_again_with_its_key_is_reported_already_issued(client: TestClient, token: str,
                                                                  achievement: dict[str, Any], app: Any) -> None:
    rows = {"rows": [{"recipient": {"email": "a@example.fr"}, "idempotency_key": "inscription-17"}]}
    first = _batch(client, token, achievement, json=rows).json()
    second = _batch(client, token, achievement, json=rows).json()
    assert (second["issued"], second["already_issued"], second["failed"]) == (0, 1, 0)
    assert second["results"][0]["status"] == "already_issued"
    assert second["results"][0]["award_id"] == first["results"][0]["award_id"]
    assert _count(app) == 1


def test_rows_with_a_key_are_issued_once_among_new_rows(client: TestClient, token: str, achievement: dict[str, Any],
                                                        app: Any) -> None:
    keyed = {"recipient": {"email": "a@example.fr"}, "idempotency_key": "k-1"}
    _batch(client, token, achievement, json={"rows": [keyed]})
    body = _batch(client, token, achievement, json={"rows": [{"recipient": {"email": "b@example.fr"}}, keyed]}).json()
    assert [r["status"] for r in body["results"]] == ["issued", "already_issued"]
    assert _count(app) == 2


def test_a_key_used_again_for_another_row_is_refused_on_that_row(client: TestClient, token: str,
                                                                 achievement: dict[str, Any], app: Any) -> None:
    for email in ("a@example.fr", "b@example.fr"):
        body = _batch(client, token, achievement,
                      json={"rows": [{"recipient": {"email": email}, "idempotency_key": "k"}]}).json()
    assert body["results"][0]["status"] == "error" and body["results"][0]["code"] == "idempotency_key_reused"
    assert _count(app) == 1


def test_two_rows_of_one_request_with_the_same_key_give_one_award(client: TestClient, token: str,
                                                                  achievement: dict[str, Any], app: Any) -> None:
    row = {"recipient": {"email": "a@example.fr"}, "idempotency_key": "k"}
    body = _batch(client, token, achievement, json={"rows": [row, row]}).json()
    assert [r["status"] for r in body["results"]] == ["issued", "already_issued"]
    assert body["results"][0]["award_id"] == body["results"][1]["award_id"]
    assert _count(app) == 1


@pytest.mark.parametrize("key", ["", "x" * 201, "tab\there", 17])
def test_an_unusable_row_key_is_refused_on_its_row(client: TestClient, token: str, achievement: dict[str, Any],
                                                   key: Any) -> None:
    body = _batch(client, token, achievement,
                  json={"rows": [{"recipient": {"email": "a@example.fr"}, "idempotency_key": key}]}).json()
    assert body["results"][0]["code"] == "invalid_idempotency_key" and body["results"][0]["message_fr"]


def test_a_csv_key_column_named_cle_keeps_rows_from_being_issued_twice(client: TestClient, token: str,
                                                                       achievement: dict[str, Any], app: Any) -> None:
    csv = b"cle;email\natelier-1;a@example.fr\n"
    for _ in range(2):
        response = _batch(client, token, achievement, content=csv, headers={"Content-Type": "text/csv"})
    assert response.json()["results"][0]["status"] == "already_issued"
    assert _count(app) == 1


def test_rows_without_a_key_are_issued_each_time_they_are_sent(client: TestClient, token: str,
                                                               achievement: dict[str, Any], app: Any) -> None:
    rows = {"rows": [{"recipient": {"email": "a@example.fr"}}]}
    for _ in range(2):
        assert _batch(client, token, achievement, json=rows).json()["issued"] == 1
    assert _count(app) == 2


def test_a_row_holding_an_integer_beyond_64_bits_is_refused_alone_not_a_500(
        client: TestClient, token: str, achievement: dict[str, Any], app: Any) -> None:
    """Found by schemathesis: the idempotency fingerprint (orjson) refused such a number and the batch was a 500."""
    rows = [{"recipient": {"email": "a@b.fr"}}, {"recipient": {"email": "c@d.fr"}, "narrative": 2 ** 70}]
    response = _batch(client, token, achievement, json={"rows": rows}, headers={"Idempotency-Key": "gros-nombre"})
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["issued", "error"]
    assert _count(app) == 1
