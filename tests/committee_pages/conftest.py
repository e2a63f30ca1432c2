"""Committee pages tests: the application without its in-process job worker (messages stay in the ``emails``
table, where :func:`tests.signin.conftest.sign_in` reads the code), an organisation ``puchot`` with a published
badge in three levels and three members of its committee, and helpers that act as a member would: open a page, read
its CSRF field, tick a choice, write a comment, press the button."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from PIL import Image

from app.config import Settings
from app.main import create_app
from app.signin.tokens import sha256_hex
from tests.conftest import BASE_URL, bearer
from tests.signin import conftest as signin
from tests.signin.conftest import csrf_of

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}
MEMBERS = {"Fatou": "fatou@exemple.fr", "Karim": "karim@exemple.fr", "Lise": "lise@exemple.fr"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_AUTOFOCUS = re.compile(r'<[a-z]+ [^>]*\bautofocus\b[^>]*>')


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    application = create_app(settings, jobs_in_process=False)
    yield application
    application.state.db.dispose()


@pytest.fixture
def key(make_org: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return bearer(make_org("puchot")["api_key"]["token"])


@pytest.fixture
def badge(client: TestClient, key: dict[str, str]) -> str:
    created = client.post("/api/v1/achievements", json=BADGE, headers=key).json()
    assert client.post(f"/api/v1/achievements/{created['id']}/publish", headers=key).status_code == 200
    return str(created["id"])


@pytest.fixture
def members(client: TestClient, key: dict[str, str]) -> dict[str, str]:
    """The members' ids by name."""
    ids = {}
    for name, email in MEMBERS.items():
        added = client.post("/api/v1/committee/members", json={"name": name, "email": email}, headers=key)
        assert added.status_code == 201, added.text
        ids[name] = added.json()["id"]
    return ids


@pytest.fixture
def other_client(app: Any) -> Iterator[TestClient]:
    """A second browser (another member signs in there)."""
    with TestClient(app, base_url=BASE_URL) as test_client:
        yield test_client


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


def ask(client: TestClient, badge: str, *, files: tuple[tuple[str, bytes, str], ...] = (), **fields: Any) -> str:
    """A resident's request (as the public API takes it); its id."""
    body = {"achievement_id": badge, "name": "Sylvie", "email": "sylvie@exemple.fr", "level": "J'explore",
            "narrative": "J'ai animé l'atelier couture tout l'hiver.", **fields}
    parts = [("evidence", (name, data, media)) for name, data, media in files]
    received = client.post("/api/v1/orgs/puchot/requests", data={"request": json.dumps(body)}, files=parts or None)
    assert received.status_code == 201, received.text
    return str(received.json()["id"])


def api_vote(client: TestClient, key: dict[str, str], request_id: str, member: str, choice: str,
             comment: str | None = None) -> Any:
    voted = client.post(f"/api/v1/requests/{request_id}/votes", headers=key,
                        json={"choice": choice, "member_id": member, **({"comment": comment} if comment else {})})
    assert voted.status_code == 200, voted.text
    return voted.json()


def vote(client: TestClient, path: str, choice: str, comment: str = "", *, page: Response | None = None,
         csrf: str | None = None, lang: str = "fr", headers: dict[str, str] | None = None) -> Response:
    """Open ``path`` (or use ``page``, opened before), tick ``choice``, write ``comment``, press the button."""
    token = csrf if csrf is not None else csrf_of(page if page is not None else client.get(path))
    return client.post(path, data={"choice": choice, "comment": comment, "csrf": token, "lang": lang},
                       headers=headers)


def votes_of(client: TestClient, key: dict[str, str], request_id: str) -> list[tuple[str, str, str | None]]:
    """The votes recorded, as the API shows them: (member, choice, comment)."""
    found = client.get(f"/api/v1/requests/{request_id}", headers=key).json()
    return [(v["member_name"], v["choice"], v["comment"]) for v in found["votes"]]


def title(page: Response) -> str:
    found = re.search(r"<title>(.*?)</title>", page.text, re.S)
    assert found, page.text
    return html.unescape(found.group(1).strip())


def focused(page: Response) -> list[str]:
    """The elements that take the focus when the page loads."""
    return _AUTOFOCUS.findall(page.text)


def sign_in(client: TestClient, app: Any, email: str) -> Response:
    """:func:`tests.signin.conftest.sign_in`, reading the code from the current sign-in message only: members also
    receive other messages (a new request to review, the receipt of a request they made themselves)."""
    assert signin.ask(client, email).status_code == 200
    live = {c.token_sha256 for c in signin.challenges(app) if c.superseded_at is None and c.used_at is None}
    [current] = [m for m in signin.messages(app, email) if m.purpose == "signin" and sha256_hex(m.token) in live]
    answer = signin.type_code(client, current.code, email)
    assert answer.status_code == 303, answer.text
    return answer
