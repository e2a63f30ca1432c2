"""Sign-in tests: the application on a clock the test moves, without its in-process job worker (messages stay in
the ``emails`` table, bodies intact, as the mail module stored them), and helpers that act as a person would: open
a page, read its CSRF field, submit it, read the message they received."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from app.clock import FixedClock
from app.config import Settings
from app.main import create_app
from app.models import AuditEvent, OutgoingEmail
from app.models.signin import SigninChallenge, SigninSession
from app.signin.tokens import sha256_hex
from tests.conftest import BASE_URL

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
SYLVIE = "sylvie@example.fr"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_CODE = re.compile(r"^ {4}(\d{3}) (\d{3})$", re.MULTILINE)
_LINK = re.compile(r"^(https?://\S+/connexion/lien\?\S+)$", re.MULTILINE)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[Any]:
    application = create_app(settings, clock=clock, jobs_in_process=False)
    yield application
    application.state.db.dispose()


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str | None
    language: str
    purpose: str

    @property
    def code(self) -> str:
        found = _CODE.search(self.text)
        assert found, self.text
        return found.group(1) + found.group(2)

    @property
    def link(self) -> str:
        found = _LINK.search(self.text)
        assert found, self.text
        return found.group(1)

    @property
    def token(self) -> str:
        return parse_qs(urlsplit(self.link).query)["token"][0]


def messages(app: Any, to: str | None = None) -> list[Message]:
    """The messages the service recorded (oldest first), to ``to`` only when given."""
    with app.state.db.sessions() as session:
        rows = session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.created_at, OutgoingEmail.id)).all()
        found = [Message(r.to_address, r.subject, r.text_body, r.html_body, r.language, r.purpose) for r in rows]
    return [m for m in found if to is None or m.to == to]


def last_message(app: Any, to: str = SYLVIE) -> Message:
    """The newest message to ``to``: the one whose challenge is neither used nor superseded by a newer request (the
    clock stands still in these tests, so times do not order the messages)."""
    found = [m for m in messages(app, to) if m.purpose == "signin"]  # other use cases write to people too
    assert found, f"no sign-in message to {to}"
    live = {c.token_sha256 for c in challenges(app) if c.superseded_at is None and c.used_at is None}
    current = [m for m in found if sha256_hex(m.token) in live]
    assert len(current) == 1, f"{len(current)} current messages to {to}"
    return current[0]


def challenges(app: Any) -> list[SigninChallenge]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(SigninChallenge).order_by(SigninChallenge.created_at)))


def sessions(app: Any) -> list[SigninSession]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(SigninSession).order_by(SigninSession.created_at)))


def audit_events(app: Any) -> list[AuditEvent]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action.like("signin.%"))
                                    .order_by(AuditEvent.id)))


def words(page: Response) -> str:
    """The page's text as a person reads it (entities such as ``&#39;`` decoded)."""
    return html.unescape(page.text)


def csrf_of(page: Response) -> str:
    found = _CSRF.search(page.text)
    assert found, page.text
    return found.group(1)


def ask(client: TestClient, email: str = SYLVIE, **fields: str) -> Response:
    """Open /connexion, type ``email``, press the button (the page's own CSRF token)."""
    query = {k: v for k, v in fields.items() if k in ("next", "audience", "lang")}
    form = csrf_of(client.get("/connexion", params=query))
    return client.post("/connexion", data={"email": email, "csrf": form, **fields})


def type_code(client: TestClient, code: str, email: str = SYLVIE, *, page: Response | None = None,
              lang: str = "fr") -> Response:
    """Type ``code`` on the code page (``page``, or a fresh one) and press the button, without following the
    redirect."""
    token = csrf_of(page if page is not None else client.get("/connexion/code"))
    return client.post("/connexion/code", data={"email": email, "code": code, "csrf": token, "lang": lang},
                       follow_redirects=False)


def press_link_button(client: TestClient, token: str) -> Response:
    """Open the link of the message and press its button, without following the redirect. A link no longer valid
    shows no button: then the button of a page opened while it was (a second tab, the back button) is pressed."""
    page = client.get("/connexion/lien", params={"token": token})
    form = csrf_of(page) if _CSRF.search(page.text) else csrf_of(client.get("/connexion"))
    return client.post("/connexion/lien", data={"token": token, "csrf": form}, follow_redirects=False)


def sign_in(client: TestClient, app: Any, email: str = SYLVIE) -> Response:
    """The whole code flow; the answer that signs in (303)."""
    assert ask(client, email).status_code == 200
    answer = type_code(client, last_message(app, email).code, email)
    assert answer.status_code == 303, answer.text
    return answer


def set_cookies(response: Response) -> dict[str, str]:
    """``Set-Cookie`` headers by cookie name."""
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


@pytest.fixture
def http_client(app: Any) -> Iterator[TestClient]:
    """The application reached over plain http (development)."""
    with TestClient(app, base_url=BASE_URL.replace("https://", "http://")) as test_client:
        yield test_client
