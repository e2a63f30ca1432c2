"""The Open Badges 3.0 API under test: the application served over real HTTP (uvicorn on a loopback port, its
``PUBLIC_BASE_URL``), on SQLite and PostgreSQL, on a clock the test moves. The backpack is requests-oauthlib (an
OAuth 2.0 client library independent of the server's Authlib) speaking HTTP to it; the holder's browser is a
TestClient on the same application (its cookies: the sign-in session)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from fastapi.testclient import TestClient
from requests_oauthlib import OAuth2Session

from app.clock import FixedClock
from app.config import Settings
from app.main import create_app
from app.oauth import scopes
from tests.conftest import bearer
from tests.endorsements.conftest import publish_badge
from tests.live_server import free_port, serve
from tests.signin.conftest import csrf_of, sign_in

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
SYLVIE = "sylvie@exemple.fr"
BADGE = {"name": "Cuisine du monde", "description": "Cuisiner ensemble des plats de chez soi.",
         "criteria": {"narrative": "Avoir préparé un plat pour un repas partagé du centre."}}
ALL_SCOPES = " ".join(scopes.ALL)
API = "/ims/ob/v3p0"
#: as the live service's client: a loaded 2-core machine answers slowly, never wrongly
HTTP_TIMEOUT = 30


@pytest.fixture(autouse=True)
def loopback_token_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """oauthlib refuses a token endpoint over plain http unless told: the server here is on loopback."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def base(port: int) -> str:
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def settings(settings_factory: Callable[..., Settings], base: str) -> Settings:
    return settings_factory(public_base_url=base, allow_loopback_fetch=True, oauth_registration_limit=50)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app(settings: Settings, clock: FixedClock, port: int) -> Iterator[Any]:
    """The application, served on ``port`` for the backpack (the holder's TestClient reaches it in-process)."""
    application = create_app(settings, clock=clock, jobs_in_process=False)
    with serve(application, port, lifespan="off"):
        yield application
    application.state.db.dispose()


@pytest.fixture
def client(app: Any, base: str) -> Iterator[TestClient]:
    with TestClient(app, base_url=base) as test_client:
        yield test_client


@pytest.fixture
def key(make_org: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return bearer(make_org("puchot")["api_key"]["token"])


@pytest.fixture
def badge(client: TestClient, key: dict[str, str]) -> str:
    return publish_badge(client, key, BADGE)


def give(client: TestClient, key: dict[str, str], badge: str, email: str = SYLVIE, *, public: bool = False
         ) -> dict[str, Any]:
    """The centre gives the badge to ``email`` (``public``: with the person's consent to its public page)."""
    given = client.post(f"/api/v1/achievements/{badge}/awards", headers=key,
                        json={"recipient": {"email": email, "public": public}, "notify": False})
    assert given.status_code == 201, given.text
    return dict(given.json())


def metadata(**changes: Any) -> dict[str, Any]:
    """The registration of a well-behaved backpack."""
    body = {"client_name": "Sac à dos du Puchot", "client_uri": "https://sac.example",
            "logo_uri": "https://sac.example/logo.png", "tos_uri": "https://sac.example/conditions",
            "policy_uri": "https://sac.example/confidentialite", "software_id": "sac-a-dos",
            "software_version": "2.1", "redirect_uris": ["https://sac.example/retour"], "scope": ALL_SCOPES}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@dataclass
class Backpack:
    """A registered backpack: its registration, and an OAuth 2.0 session of requests-oauthlib."""

    base: str
    client_id: str
    client_secret: str
    redirect_uri: str

    def session(self, scope: str = ALL_SCOPES, **more: Any) -> OAuth2Session:
        return OAuth2Session(self.client_id, redirect_uri=self.redirect_uri, scope=scope.split(), pkce="S256",
                             **more)

    @property
    def token_url(self) -> str:
        return f"{self.base}{API}/token"

    def fetch_token(self, oauth: OAuth2Session, redirected_to: str, **more: Any) -> dict[str, Any]:
        return dict(oauth.fetch_token(self.token_url, authorization_response=redirected_to,
                                      client_secret=self.client_secret, **more))


def register(base: str, **changes: Any) -> requests.Response:
    return requests.post(f"{base}{API}/register", json=metadata(**changes), timeout=HTTP_TIMEOUT)


@pytest.fixture
def backpack(app: Any, base: str) -> Backpack:
    answer = register(base)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return Backpack(base, body["client_id"], body["client_secret"], body["redirect_uris"][0])


@pytest.fixture
def holder(client: TestClient, app: Any) -> TestClient:
    """Sylvie's browser, signed in to her space."""
    sign_in(client, app, SYLVIE)
    return client


def consent(browser: TestClient, authorization_url: str, decision: str = "allow") -> str:
    """Open the consent page at ``authorization_url`` and press a button; where the browser is sent back."""
    parts = urlsplit(authorization_url)
    page = browser.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200, page.text
    fields = dict(re_fields(page.text))
    fields.update({"csrf": csrf_of(page), "decision": decision})
    answer = browser.post(parts.path, data=fields, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    return str(answer.headers["location"])


def re_fields(page: str) -> list[tuple[str, str]]:
    return [(name, html.unescape(value)) for name, value in
            re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', page)]


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def connect(backpack: Backpack, browser: TestClient, scope: str = ALL_SCOPES) -> tuple[OAuth2Session, dict[str, Any]]:
    """The whole flow: the backpack sends the holder to consent, she allows, it fetches a token."""
    oauth = backpack.session(scope)
    url, _ = oauth.authorization_url(f"{backpack.base}{API}/authorize")
    back = consent(browser, url)
    return oauth, backpack.fetch_token(oauth, back)
