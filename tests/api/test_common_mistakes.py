"""The commonest mistakes of people who call the API by hand (facilitators with curl and the README, integrators
starting out): each answers its own status and code, names the field, and says what is wrong in French and in
English, never the generic "Valeur invalide." (issue 12)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu un sac."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'agis"}]}
SYLVIE = {"email": "sylvie@example.fr"}


@dataclass(frozen=True)
class World:
    client: TestClient
    token: str
    read_token: str
    badge: str  # a published achievement
    draft: str
    award: str  # an award already revoked

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        headers = {**bearer(self.token), **kwargs.pop("headers", {})}
        if body is None:
            return self.client.post(path, headers=headers, **kwargs)
        return self.client.post(path, json=body, headers=headers, **kwargs)

    def award_with(self, **fields: Any) -> Any:
        return self.post(f"/api/v1/achievements/{self.badge}/awards", {"recipient": SYLVIE, **fields})


@pytest.fixture
def world(client: TestClient, token: str) -> World:
    def created(body: dict[str, Any]) -> str:
        response = client.post("/api/v1/achievements", json=body, headers=bearer(token))
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    badge = created(BADGE)
    assert client.post(f"/api/v1/achievements/{badge}/publish", headers=bearer(token)).status_code == 200
    read = client.post("/api/v1/api-keys", json={"scopes": ["read"]}, headers=bearer(token))
    assert read.status_code == 201, read.text
    award = client.post(f"/api/v1/achievements/{badge}/awards", json={"recipient": SYLVIE}, headers=bearer(token))
    revoked = client.post(f"/api/v1/awards/{award.json()['id']}/revoke", json={"reason": "Erreur"},
                          headers=bearer(token))
    assert revoked.status_code == 200, revoked.text
    return World(client, token, read.json()["token"], badge, created({**BADGE, "name": "Brouillon"}),
                 award.json()["id"])


@dataclass(frozen=True)
class Mistake:
    what: str
    make: Callable[[World], Any]
    status: int
    code: str
    field: str | None  # the field named in ``errors``, or None when the answer has no field list
    english: str  # a part of the English message (of the field when there is one)
    french: str  # a part of the French message


MISTAKES = [
    Mistake("an email with a comma and a name after it",
            lambda w: w.award_with(recipient={"email": "ok4@example.fr,Virgule"}), 422, "invalid_input",
            "recipient.email", "not an email address", "n'est pas une adresse e-mail valide"),
    Mistake("a word instead of an email", lambda w: w.award_with(recipient={"email": "sylvie"}), 422,
            "invalid_input", "recipient.email", "not an email address", "prenom.nom@exemple.fr"),
    Mistake("a body that is not JSON",
            lambda w: w.post("/api/v1/achievements", content=b'{"name": "Couture",',
                             headers={"Content-Type": "application/json"}),
            422, "invalid_input", "", "not valid JSON", "n'est pas du JSON valide"),
    Mistake("JSON sent without its Content-Type",
            lambda w: w.post("/api/v1/achievements", content=b'{"name": "Couture"}'), 415, "unsupported_media_type",
            None, "Content-Type: application/json", "Content-Type: application/json"),
    Mistake("a required field left out",
            lambda w: w.post("/api/v1/achievements", {k: v for k, v in BADGE.items() if k != "criteria"}), 422,
            "invalid_input", "criteria", "Field required", "Ce champ est obligatoire."),
    Mistake("a misspelt field", lambda w: w.post("/api/v1/achievements", {**BADGE, "descripton": "x"}), 422,
            "invalid_input", "descripton", "misspelt", "mal écrit"),
    Mistake("tags as one text instead of a list", lambda w: w.post("/api/v1/achievements", {**BADGE, "tags": "a"}),
            422, "invalid_input", "tags", "valid list", "Une liste est attendue"),
    Mistake("a name over 200 characters", lambda w: w.post("/api/v1/achievements", {**BADGE, "name": "x" * 201}),
            422, "invalid_input", "name", "at most 200 characters", "200 caractères au plus"),
    Mistake("an empty name", lambda w: w.post("/api/v1/achievements", {**BADGE, "name": "  "}), 422,
            "invalid_input", "name", "cannot be empty", "ne peut pas être vide"),
    Mistake("a date without its time zone", lambda w: w.award_with(validFrom="2026-01-01T09:00:00"), 422,
            "invalid_input", "validFrom", "time zone", "fuseau horaire"),
    Mistake("a date with a year typed wrong", lambda w: w.award_with(validFrom="0226-01-01T09:00:00Z"), 422,
            "invalid_input", "validFrom", "years 1000 and 9999", "années 1000 et 9999"),
    Mistake("an end before the start",
            lambda w: w.award_with(validFrom="2026-06-01T00:00:00Z", validUntil="2026-01-01T00:00:00Z"), 422,
            "invalid_validity", None, "validUntil must be after validFrom", "La date de fin doit suivre"),
    Mistake("a web address without https://",
            lambda w: w.award_with(evidence=[{"url": "www.centre-social.fr/photos"}]), 422, "invalid_input",
            "evidence.0.url", "starting with https://", "commençant par https://"),
    Mistake("a web address with a space",
            lambda w: w.award_with(evidence=[{"url": "https://centre-social.fr/mes photos"}]), 422,
            "invalid_input", "evidence.0.url", "percent-encode", "%20"),
    Mistake("a level that does not exist", lambda w: w.award_with(level="J'explore"), 422, "unknown_level", None,
            "Levels of this badge: Je soutiens, J'agis", "Niveaux de ce badge : Je soutiens, J'agis"),
    Mistake("awarding a draft", lambda w: w.post(f"/api/v1/achievements/{w.draft}/awards", {"recipient": SYLVIE}),
            409, "achievement_not_published", None, "Only a published achievement", "publi"),
    Mistake("an achievement id that does not exist",
            lambda w: w.post("/api/v1/achievements/nope/awards", {"recipient": SYLVIE}), 404, "not_found", None,
            "No such achievement", "Badge introuvable"),
    Mistake("no API key", lambda w: w.client.get("/api/v1/org"), 401, "unauthorised", None,
            "Authorization: Bearer", "Authorization: Bearer"),
    Mistake("a read-only key used to issue",
            lambda w: w.client.post(f"/api/v1/achievements/{w.badge}/awards", json={"recipient": SYLVIE},
                                    headers=bearer(w.read_token)), 403, "missing_scope", None, "'issue' scope",
            "issue"),
    Mistake("suspending a revoked badge", lambda w: w.post(f"/api/v1/awards/{w.award}/suspend", {"reason": "x"}),
            409, "status_conflict", None, "A revoked credential cannot be suspended.", "Ce badge est révoqué"),
    Mistake("a CSV column that does not exist",
            lambda w: w.post(f"/api/v1/achievements/{w.badge}/awards:batch", content="email;couleur\na@b.fr;bleu\n",
                             headers={"Content-Type": "text/csv"}),
            422, "invalid_csv", None, "couleur", "couleur"),
]


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.what for m in MISTAKES])
def test_a_common_mistake_says_what_is_wrong_in_both_languages(world: World, mistake: Mistake) -> None:
    response = mistake.make(world)
    assert response.status_code == mistake.status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == mistake.code, body
    if mistake.field is None:
        english, french = body["message_en"], body["message_fr"]
    else:
        (error,) = [e for e in body["errors"] if e["field"] == mistake.field]
        english, french = error["message_en"], error["message_fr"]
        assert body["message_en"].startswith(f"{mistake.field}: " if mistake.field else english)
        assert body["message_fr"].startswith(f"{mistake.field} : " if mistake.field else french)
    assert mistake.english in english, english
    assert mistake.french in french, french
    assert "Valeur invalide" not in french and english != french
