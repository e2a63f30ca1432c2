"""Nobody learns who may sign in: every valid address gets the same answer; the audience decides, after the
answer, whether a message goes (``anyone``: every address; ``organisation``: an organisation's contact address)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.signin.conftest import ask, challenges, messages, type_code, words

CONTACT = "contact@centre-social-puchot.example"  # make_org's contact address
STRANGER = "personne@example.fr"


def _without(text: str, *words: str) -> str:
    for word in words:
        text = text.replace(word, "ADDRESS")
    return text


def test_the_page_answers_alike_for_a_known_and_an_unknown_address(
        client: TestClient, app: Any, make_org: Callable[..., dict[str, Any]]) -> None:
    make_org("puchot")
    known = ask(client, CONTACT, audience="organisation")
    unknown = ask(client, STRANGER, audience="organisation")
    assert known.status_code == unknown.status_code == 200
    assert _without(known.text, CONTACT) == _without(unknown.text, STRANGER)
    assert set(known.headers) == set(unknown.headers)


def test_only_the_admitted_address_gets_a_message(
        client: TestClient, app: Any, make_org: Callable[..., dict[str, Any]]) -> None:
    make_org("puchot")
    ask(client, CONTACT, audience="organisation")
    ask(client, STRANGER, audience="organisation")
    assert [m.to for m in messages(app)] == [CONTACT]
    assert messages(app)[0].purpose == "signin"


def test_the_api_answers_alike_for_a_known_and_an_unknown_address(
        client: TestClient, app: Any, make_org: Callable[..., dict[str, Any]]) -> None:
    make_org("puchot")
    answers = [client.post("/api/v1/signin/challenges", json={"email": email, "audience": "organisation"})
               for email in (CONTACT, STRANGER)]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json() == answers[1].json()
    assert [m.to for m in messages(app)] == [CONTACT]


def test_an_unknown_address_is_stored_only_as_a_keyed_hash(client: TestClient, app: Any) -> None:
    ask(client, STRANGER, audience="organisation")
    (challenge,) = challenges(app)
    assert challenge.email is None and len(challenge.email_key) == 64 and "personne" not in challenge.email_key


def test_a_code_for_an_address_that_got_no_message_answers_like_a_wrong_code(client: TestClient, app: Any) -> None:
    ask(client, STRANGER, audience="organisation")
    for email in (STRANGER, "nobody-asked@example.fr"):
        answer = type_code(client, "123456", email)
        assert answer.status_code == 400 and "Ce code n'est pas le bon" in words(answer)


def test_with_the_anyone_audience_every_valid_address_gets_a_message(client: TestClient, app: Any) -> None:
    for email in (STRANGER, "camille@example.org"):
        assert ask(client, email).status_code == 200
    assert sorted(m.to for m in messages(app)) == ["camille@example.org", STRANGER]


def test_an_address_that_is_not_one_is_said_so(client: TestClient, app: Any) -> None:
    answer = ask(client, "sylvie at example.fr")
    assert answer.status_code == 422 and "Ce n'est pas une adresse e-mail" in words(answer)
    assert 'aria-invalid="true"' in answer.text and challenges(app) == [] and messages(app) == []
