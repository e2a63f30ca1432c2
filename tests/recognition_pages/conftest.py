"""Residents' pages tests: the application on a clock the test moves, without its in-process job worker (messages
stay in the ``emails`` table as written), an organisation ``puchot`` with a published badge in three levels, and
helpers that act as a resident would: open a page, read its form (fields, labels, CSRF token), fill it, send it."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from PIL import Image
from sqlalchemy import select

from app.clock import FixedClock
from app.config import Settings
from app.main import create_app
from app.models import BadgeProposal, BadgeRequest, OutgoingEmail, RequestEvidence
from tests.conftest import bearer
from tests.uploads.samples import encode, exif_with_gps, picture

#: the request form's title (French typography: no-break spaces inside the quotes)
ASK_TITLE = "Demander le badge «\u00a0Couture\u00a0»"
START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
BADGE = {"name": "Couture", "description": "Coudre ensemble, à l'atelier du jeudi.",
         "criteria": {"narrative": "Avoir cousu au moins trois fois avec le groupe."},
         "levels": [{"name": "Je soutiens", "description": "J'aide les autres à l'atelier."},
                    {"name": "J'explore"}, {"name": "J'agis"}]}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[Any]:
    application = create_app(settings, clock=clock, jobs_in_process=False)
    yield application
    application.state.db.dispose()


@pytest.fixture
def key(make_org: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return bearer(make_org("puchot")["api_key"]["token"])


def publish(client: TestClient, key: dict[str, str], body: dict[str, Any]) -> str:
    created = client.post("/api/v1/achievements", json=body, headers=key)
    assert created.status_code == 201, created.text
    badge = str(created.json()["id"])
    assert client.post(f"/api/v1/achievements/{badge}/publish", headers=key).status_code == 200
    return badge


@pytest.fixture
def badge(client: TestClient, key: dict[str, str]) -> str:
    return publish(client, key, BADGE)


def phone_photo() -> bytes:
    """A JPEG as a phone takes it: with its make, its owner's name and the GPS position where it was taken."""
    return encode(picture(120, 90), "JPEG", exif=exif_with_gps())


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, format="GIF")
    return out.getvalue()


# ------------------------------------------------------------------------------------------------ reading a page


@dataclass
class Form:
    """What a page is made of, as a browser reads it: its elements (start tags with their attributes, in order), the
    labels' targets, the text areas' contents, the title."""

    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    textareas: dict[str, str] = field(default_factory=dict)
    title: str = ""

    def by_id(self, element_id: str) -> dict[str, str]:
        found = [attrs for _, attrs in self.elements if attrs.get("id") == element_id]
        assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]

    def fields(self) -> list[dict[str, str]]:
        """Every input a person fills in (hidden fields left out)."""
        return [dict(attrs, tag=tag) for tag, attrs in self.elements
                if tag in ("input", "textarea", "select") and attrs.get("type") != "hidden"]

    def value(self, name: str) -> str:
        return next((attrs.get("value", "") for tag, attrs in self.elements
                     if tag == "input" and attrs.get("name") == name), "")

    def checked(self, name: str) -> list[str]:
        return [attrs.get("value", "") for tag, attrs in self.elements
                if tag == "input" and attrs.get("name") == name and "checked" in attrs]

    def with_attribute(self, attribute: str) -> list[dict[str, str]]:
        return [dict(attrs, tag=tag) for tag, attrs in self.elements if attribute in attrs]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form = Form()
        self._label: str | None = None
        self._text: list[str] = []
        self._where: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.form.elements.append((tag, values))
        if tag in ("label", "textarea", "title"):
            self._where, self._text = tag, []
            self._label = values.get("for") if tag == "label" else values.get("id")

    def handle_endtag(self, tag: str) -> None:
        if tag != self._where:
            return
        text = "".join(self._text)
        if tag == "label" and self._label:
            self.form.labels[self._label] = _spaces(text)
        elif tag == "textarea" and self._label:
            self.form.textareas[self._label] = text.removeprefix("\n")
        elif tag == "title":
            self.form.title = _spaces(text)
        self._where = None

    def handle_data(self, data: str) -> None:
        if self._where:
            self._text.append(data)


def _spaces(text: str) -> str:
    """Runs of ASCII white space as one space (a no-break space is kept: it is part of what is written)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def read(page: Response) -> Form:
    reader = _Reader()
    reader.feed(page.text)
    return reader.form


def words(page: Response) -> str:
    """The page's text as a person reads it (entities decoded)."""
    return html.unescape(page.text)


def csrf_of(page: Response) -> str:
    return read(page).value("csrf")


# ------------------------------------------------------------------------------------------------ acting


def send(client: TestClient, path: str, fields: dict[str, str], *, page: Response | None = None,
         files: list[tuple[str, bytes, str]] | None = None, csrf: str | None = None) -> Response:
    """Open ``path`` (or use ``page``), fill ``fields``, attach ``files`` (name, bytes, type), press the button; the
    answer, redirects not followed."""
    token = csrf if csrf is not None else csrf_of(page if page is not None else client.get(path))
    parts = [("evidence", (name, data, media)) for name, data, media in files or []]
    return client.post(path, data={"csrf": token, **fields}, files=parts or None, follow_redirects=False)


#: a request that passes: a level, no contact, what was done
GOOD = {"level": "level-2", "contact": "none", "narrative": "J'ai animé l'atelier couture tout l'hiver."}


def ask(client: TestClient, badge: str, fields: dict[str, str] | None = None, **more: Any) -> Response:
    return send(client, f"/demander/puchot/{badge}", {**GOOD, **(fields or {})}, **more)


def token_of(sent: Response, prefix: str = "/suivi/") -> str:
    """The private link's token from the redirect after a request (or proposal) was sent."""
    assert sent.status_code == 303, sent.text
    location = sent.headers["location"]
    assert location.startswith(prefix) and location.split("?")[0].endswith("/envoyee"), location
    return location.removeprefix(prefix).split("/")[0]


def stored_requests(app: Any) -> list[BadgeRequest]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(BadgeRequest).order_by(BadgeRequest.created_at)))


def stored_proposals(app: Any) -> list[BadgeProposal]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(BadgeProposal).order_by(BadgeProposal.created_at)))


def evidence_of(app: Any, request_id: str) -> list[RequestEvidence]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(RequestEvidence).where(RequestEvidence.request_id == request_id)))


def mails_to(app: Any, address: str) -> list[OutgoingEmail]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(OutgoingEmail).where(OutgoingEmail.to_address == address)))
