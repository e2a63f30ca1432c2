"""Throttling: requests for codes per address (in the database, for every address alike) and per client, wrong
codes per challenge and per client; each answers 429 with ``Retry-After``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.clock import FixedClock
from app.signin.service import REQUESTS_PER_ADDRESS
from tests.signin.conftest import SYLVIE, ask, messages, type_code, words


def _request(client: TestClient, email: str, audience: str = "anyone") -> Any:
    return client.post("/api/v1/signin/challenges", json={"email": email, "audience": audience})


def test_requests_for_one_address_are_limited(client: TestClient, app: Any) -> None:
    statuses = [_request(client, SYLVIE).status_code for _ in range(REQUESTS_PER_ADDRESS + 1)]
    assert statuses == [202] * REQUESTS_PER_ADDRESS + [429]
    refused = _request(client, SYLVIE)
    assert refused.json()["code"] == "signin_too_many_requests"
    assert 3500 <= int(refused.headers["retry-after"]) <= 3600
    assert len(messages(app)) == REQUESTS_PER_ADDRESS


def test_the_address_limit_is_the_same_for_an_address_that_gets_no_message(client: TestClient, app: Any) -> None:
    statuses = [_request(client, "personne@example.fr", "organisation").status_code
                for _ in range(REQUESTS_PER_ADDRESS + 1)]
    assert statuses == [202] * REQUESTS_PER_ADDRESS + [429] and messages(app) == []


def test_the_address_limit_ignores_the_case_of_the_address(client: TestClient) -> None:
    spellings = ["sylvie@example.fr", "Sylvie@example.fr", "SYLVIE@example.fr", "sylvie@EXAMPLE.FR",
                 "SyLvIe@example.fr", "sylviE@example.fr"]
    assert [_request(client, s).status_code for s in spellings] == [202] * 5 + [429]


def test_the_address_limit_slides_with_time(client: TestClient, clock: FixedClock) -> None:
    for _ in range(REQUESTS_PER_ADDRESS):
        _request(client, SYLVIE)
    clock.at += timedelta(hours=1)
    assert _request(client, SYLVIE).status_code == 202


def test_requests_from_one_client_are_limited(client: TestClient, clock: FixedClock) -> None:
    statuses = [_request(client, f"personne{n}@example.fr").status_code for n in range(31)]
    assert statuses == [202] * 30 + [429]
    refused = _request(client, "encore@example.fr")
    assert refused.json()["code"] == "signin_too_many_requests" and 0 < int(refused.headers["retry-after"]) <= 900
    clock.at += timedelta(minutes=15)
    assert _request(client, "encore@example.fr").status_code == 202


def test_the_page_says_too_many_requests_in_words(client: TestClient) -> None:
    for _ in range(REQUESTS_PER_ADDRESS):
        ask(client)
    page = ask(client)
    assert page.status_code == 429 and page.headers["retry-after"].isdigit()
    assert "<title>Trop de demandes — Me connecter — savoirs</title>" in page.text and 'role="alert"' in page.text


def test_wrong_codes_from_one_client_are_limited_over_every_address(client: TestClient, app: Any) -> None:
    statuses = [type_code(client, "123456", f"personne{n}@example.fr").status_code for n in range(30)]
    assert statuses == [400] * 30
    refused = type_code(client, "123456", SYLVIE)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "Trop d'essais" in words(refused)


def test_wrong_codes_through_the_api_are_limited_per_challenge(client: TestClient, app: Any) -> None:
    _request(client, SYLVIE)
    code = messages(app)[-1].code
    wrong = "000000" if code != "000000" else "111111"
    answers = [client.post("/api/v1/signin/code", json={"email": SYLVIE, "code": wrong}) for _ in range(5)]
    assert [a.status_code for a in answers] == [400] * 4 + [429]
    assert answers[-1].json()["code"] == "signin_too_many_attempts" and "retry-after" in answers[-1].headers
    assert client.post("/api/v1/signin/code", json={"email": SYLVIE, "code": code}).status_code == 429
