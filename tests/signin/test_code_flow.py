"""Signing in with the 6-digit code: the pages a person goes through, once, with at most 5 wrong codes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.clock import FixedClock
from tests.signin.conftest import (
    SYLVIE,
    ask,
    challenges,
    csrf_of,
    last_message,
    sessions,
    set_cookies,
    type_code,
    words,
)


def test_the_code_of_the_message_signs_in_and_goes_to_the_signed_in_page(client: TestClient, app: Any) -> None:
    page = ask(client)
    assert page.status_code == 200 and "Tapez le code reçu" in page.text
    answer = type_code(client, last_message(app).code, page=page)
    assert answer.status_code == 303 and answer.headers["location"] == "/moi"
    me = client.get("/moi")
    assert me.status_code == 200 and "Connexion réussie" in me.text and SYLVIE in me.text


def test_the_session_cookie_is_httponly_secure_lax_for_the_whole_site(client: TestClient, app: Any,
                                                                      settings: Any) -> None:
    ask(client)
    cookie = set_cookies(type_code(client, last_message(app).code))["savoirs_session"]
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert set(attributes) >= {"httponly", "secure", "samesite", "path", "max-age"}
    assert attributes["samesite"].lower() == "samesite=lax" and attributes["path"] == "Path=/"
    assert attributes["max-age"] == f"Max-Age={settings.signin_session_hours * 3600}"


def test_over_plain_http_the_session_cookie_is_not_secure(http_client: TestClient, app: Any) -> None:
    ask(http_client)
    cookie = set_cookies(type_code(http_client, last_message(app).code))["savoirs_session"]
    assert "httponly" in cookie.lower() and "secure" not in cookie.lower()


def test_spaces_and_dashes_in_the_typed_code_are_fine(client: TestClient, app: Any) -> None:
    ask(client)
    code = last_message(app).code
    assert type_code(client, f" {code[:3]}-{code[3:]} ").status_code == 303


def test_a_wrong_code_is_refused_and_counted(client: TestClient, app: Any) -> None:
    ask(client)
    wrong = "000000" if last_message(app).code != "000000" else "111111"
    answer = type_code(client, wrong)
    assert answer.status_code == 400 and "Ce code n'est pas le bon" in words(answer)
    assert challenges(app)[-1].attempts == 1 and sessions(app) == []


def test_five_wrong_codes_kill_the_challenge(client: TestClient, app: Any) -> None:
    ask(client)
    code = last_message(app).code
    wrong = "000000" if code != "000000" else "111111"
    statuses = [type_code(client, wrong).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    right = type_code(client, code)
    assert right.status_code == 429 and right.headers["retry-after"].isdigit()
    assert "Trop d'essais" in words(right) and sessions(app) == []


def test_a_code_that_is_not_six_digits_is_explained_and_not_counted(client: TestClient, app: Any) -> None:
    ask(client)
    answer = type_code(client, "12345")
    assert answer.status_code == 422 and "Le code a 6 chiffres" in answer.text
    assert challenges(app)[-1].attempts == 0


def test_a_code_works_once(client: TestClient, app: Any) -> None:
    ask(client)
    code = last_message(app).code
    assert type_code(client, code).status_code == 303
    again = type_code(client, code)
    assert again.status_code == 400 and len(sessions(app)) == 1


def test_a_code_expires(client: TestClient, app: Any, clock: FixedClock, settings: Any) -> None:
    ask(client)
    code = last_message(app).code
    clock.at += timedelta(minutes=settings.signin_link_minutes)
    assert type_code(client, code).status_code == 400 and sessions(app) == []


def test_a_code_still_works_just_before_it_expires(client: TestClient, app: Any, clock: FixedClock,
                                                   settings: Any) -> None:
    ask(client)
    code = last_message(app).code
    clock.at += timedelta(minutes=settings.signin_link_minutes, seconds=-1)
    assert type_code(client, code).status_code == 303


def test_a_newer_request_supersedes_the_older_code(client: TestClient, app: Any, clock: FixedClock) -> None:
    ask(client)
    first = last_message(app).code
    clock.at += timedelta(seconds=30)
    ask(client)
    second = last_message(app).code
    if first != second:
        assert type_code(client, first).status_code == 400
    assert type_code(client, second).status_code == 303
    assert [c.superseded_at is not None for c in challenges(app)] == [True, False]


def test_the_address_is_found_whatever_its_case(client: TestClient, app: Any) -> None:
    ask(client, "Sylvie@EXAMPLE.fr")
    message = last_message(app, "Sylvie@example.fr")
    assert type_code(client, message.code, "sylvie@example.FR").status_code == 303


def test_an_error_page_keeps_the_address_and_a_fresh_form(client: TestClient, app: Any) -> None:
    page = ask(client)
    answer = type_code(client, "000001" if last_message(app).code != "000001" else "000002", page=page)
    assert f'name="email" value="{SYLVIE}"' in answer.text and csrf_of(answer) == csrf_of(page)
