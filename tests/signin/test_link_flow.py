"""Signing in with the link of the message: opening it (a person, or a mail scanner) shows one button and
consumes nothing; the button signs in, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.clock import FixedClock
from tests.signin.conftest import (
    SYLVIE,
    ask,
    challenges,
    last_message,
    press_link_button,
    sessions,
    set_cookies,
    type_code,
    words,
)


def test_opening_the_link_shows_one_button_and_consumes_nothing(client: TestClient, app: Any) -> None:
    ask(client)
    message = last_message(app)
    for _ in range(3):  # a mail scanner, a preview, the person
        opened = client.get(message.link)
        assert opened.status_code == 200 and opened.text.count("<button") == 1 and "Me connecter" in opened.text
        assert 'action="/connexion/lien"' in opened.text and 'method="post"' in opened.text
    assert challenges(app)[-1].used_at is None and sessions(app) == []


def test_the_button_signs_in_with_the_session_cookie(client: TestClient, app: Any) -> None:
    ask(client)
    answer = press_link_button(client, last_message(app).token)
    assert answer.status_code == 303 and answer.headers["location"] == "/moi"
    assert "savoirs_session" in set_cookies(answer)
    assert client.get("/api/v1/signin/session").json()["email"] == SYLVIE


def test_a_link_works_once(client: TestClient, app: Any) -> None:
    ask(client)
    token = last_message(app).token
    assert press_link_button(client, token).status_code == 303
    again = press_link_button(client, token)
    assert again.status_code == 400 and "Ce lien n'est plus valable" in words(again) and len(sessions(app)) == 1


def test_a_used_link_says_so_when_opened(client: TestClient, app: Any) -> None:
    ask(client)
    token = last_message(app).token
    press_link_button(client, token)
    opened = client.get("/connexion/lien", params={"token": token})
    assert opened.status_code == 400 and "<button" not in opened.text and "Demander un nouveau lien" in opened.text


def test_a_link_expires(client: TestClient, app: Any, clock: FixedClock, settings: Any) -> None:
    ask(client)
    token = last_message(app).token
    clock.at += timedelta(minutes=settings.signin_link_minutes, seconds=1)
    assert press_link_button(client, token).status_code == 400 and sessions(app) == []


def test_a_newer_request_supersedes_the_older_link(client: TestClient, app: Any) -> None:
    ask(client)
    first = last_message(app).token
    ask(client)
    second = last_message(app).token
    assert press_link_button(client, first).status_code == 400
    assert press_link_button(client, second).status_code == 303


def test_an_unknown_token_is_refused(client: TestClient, app: Any) -> None:
    assert press_link_button(client, "x" * 43).status_code == 400 and sessions(app) == []


def test_the_code_and_the_link_are_one_challenge(client: TestClient, app: Any) -> None:
    """Once signed in with the code, the link of the same message no longer works."""
    ask(client)
    message = last_message(app)
    assert type_code(client, message.code).status_code == 303
    assert press_link_button(client, message.token).status_code == 400


def test_after_five_wrong_codes_the_link_is_dead_too(client: TestClient, app: Any) -> None:
    ask(client)
    message = last_message(app)
    wrong = "000000" if message.code != "000000" else "111111"
    for _ in range(5):
        type_code(client, wrong)
    assert press_link_button(client, message.token).status_code == 400
