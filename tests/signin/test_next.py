"""Where a person goes once signed in: a path of this service, never another site (no open redirect)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.signin.address import MAX_NEXT, local_path
from tests.signin.conftest import ask, last_message, type_code

ATTEMPTS = ["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
            "/\n/evil.example", "http:/evil.example", "javascript:alert(1)", "evil.example", "/ /x",
            "/connexion", "/deconnexion/partout", "/é", "/" + "a" * MAX_NEXT, ""]


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_a_foreign_or_unsafe_next_is_not_a_destination(attempt: str) -> None:
    assert local_path(attempt) is None


@pytest.mark.parametrize("path", ["/moi", "/comite/puchot?onglet=2", "/verify?lang=en", "/orgs/puchot/profile"])
def test_a_local_path_is_a_destination(path: str) -> None:
    assert local_path(path) == path


def test_signing_in_goes_to_the_local_next(client: TestClient, app: Any) -> None:
    ask(client, next="/comite/puchot?onglet=2")
    answer = type_code(client, last_message(app).code)
    assert answer.status_code == 303 and answer.headers["location"] == "/comite/puchot?onglet=2"


@pytest.mark.parametrize("attempt", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_a_foreign_next_ends_on_the_signed_in_page(client: TestClient, app: Any, attempt: str) -> None:
    ask(client, next=attempt)
    answer = type_code(client, last_message(app).code)
    assert answer.status_code == 303 and answer.headers["location"] == "/moi"


@pytest.mark.parametrize("attempt", ["https://evil.example/", "//evil.example"])
def test_the_api_refuses_a_foreign_next(client: TestClient, attempt: str) -> None:
    answer = client.post("/api/v1/signin/challenges", json={"email": "sylvie@example.fr", "next": attempt})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "next"


def test_the_form_does_not_carry_a_foreign_next(client: TestClient) -> None:
    page = client.get("/connexion", params={"next": "//evil.example"})
    assert "evil" not in page.text
