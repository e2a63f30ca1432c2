"""Every EndorsementCredential savoirs issues (by an organisation, by a person) validates against the OB 3.0
EndorsementCredential JSON Schema of the 1EdTech vectors (tests/vectors, a copy of ../shared/vectors), with the
reference validator; so do the credentials that carry them against the AchievementCredential schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient

from tests.endorsements.conftest import FATOU, accept_as, ask, document, token_of
from tests.signin.conftest import sign_in

SCHEMAS = Path(__file__).resolve().parents[1] / "vectors" / "ob3-json-schemas-2024-04-03"


def _validator(name: str) -> Any:
    schema = json.loads((SCHEMAS / f"ob_v3p0_{name}_schema.jsonld-variant.json").read_text("utf-8"))
    return jsonschema.Draft201909Validator(schema)


def _errors(name: str, document_: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(name).iter_errors(document_)]


@pytest.fixture
def endorsements(client: TestClient, app: Any, key: dict[str, str], mairie: dict[str, str], badge: str,
                 award: str) -> dict[str, dict[str, Any]]:
    by_town_hall = ask(client, key, {"kind": "achievement", "id": badge}, {"organisation": "mairie"})
    town_hall = document(client, accept_as(client, mairie, by_town_hall["id"]).json()["url"])
    by_fatou = ask(client, key, {"kind": "organisation"}, {"name": "Fatou Diallo", "email": FATOU})
    sign_in(client, app, FATOU)
    person = document(client, client.post(f"/api/v1/endorsement-links/{token_of(by_fatou['link'])}/accept",
                                           json={"comment": "Merci au Puchot."}).json()["url"])
    about_award = ask(client, key, {"kind": "award", "id": award}, {"organisation": "mairie"})
    client.post(f"/api/v1/endorsement-consents/{token_of(about_award['link'])}", json={"consent": True})
    accept_as(client, mairie, about_award["id"])
    return {"town hall": town_hall, "person": person, "award": document(client, f"/credentials/{award}")}


def test_each_endorsement_follows_the_endorsement_credential_schema(endorsements: dict[str, Any]) -> None:
    for name in ("town hall", "person"):
        assert _errors("endorsementcredential", endorsements[name]) == [], name


def test_an_endorsed_award_follows_the_achievement_credential_schema(endorsements: dict[str, Any]) -> None:
    award = endorsements["award"]
    assert award["endorsement"] and _errors("achievementcredential", award) == []
    for carried in award["endorsement"]:
        assert _errors("endorsementcredential", carried) == []


def test_the_schema_check_can_fail(endorsements: dict[str, Any]) -> None:
    broken = {**endorsements["town hall"], "credentialSubject": {"id": "x", "type": ["AchievementSubject"]}}
    assert _errors("endorsementcredential", broken) != []
