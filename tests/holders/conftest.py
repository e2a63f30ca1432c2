"""Holder tests: the application on a clock the test moves, without its in-process job worker (sign-in messages
stay in the ``emails`` table); a centre (``puchot``) with a published badge in three levels; helpers that act as a
holder would: type a printed code, sign in with an address, press a page's buttons."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.endorsements.conftest import app as app
from tests.endorsements.conftest import clock as clock
from tests.endorsements.conftest import key as key
from tests.endorsements.conftest import publish_badge
from tests.signin.conftest import csrf_of, sign_in

BADGE = {"name": "Cuisine du monde", "description": "Cuisiner ensemble des plats de chez soi.",
         "criteria": {"narrative": "Avoir préparé un plat pour un repas partagé du centre."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}
SYLVIE = "sylvie@exemple.fr"
_FIELD = re.compile(r'<p id="{}">(.*?)</p>', re.S)


@pytest.fixture
def badge(client: TestClient, key: dict[str, str]) -> str:
    return publish_badge(client, key, BADGE)


def give(client: TestClient, key: dict[str, str], badge: str, **body: Any) -> dict[str, Any]:
    """The centre awards the badge (``body``: recipient, level…): the award as the API answers."""
    given = client.post(f"/api/v1/achievements/{badge}/awards", headers=key, json=body)
    assert given.status_code == 201, given.text
    return dict(given.json())


@pytest.fixture
def printed(client: TestClient, key: dict[str, str], badge: str) -> dict[str, Any]:
    """An award to a resident without an email address: the API answers its claim code, printed on paper."""
    return give(client, key, badge, level="J'agis", recipient={"display_name": "Malik Benali"})


def type_claim_code(client: TestClient, code: str, *, lang: str = "fr") -> Response:
    """Open /recuperer, type ``code``, press the button (not following the redirect)."""
    token = csrf_of(client.get("/recuperer"))
    return client.post("/recuperer", data={"code": code, "csrf": token, "lang": lang}, follow_redirects=False)


def press(client: TestClient, page_path: str, target: str, **fields: str) -> Response:
    """On the page at ``page_path``, send the form that posts to ``target`` (its CSRF token), not following the
    redirect."""
    token = csrf_of(client.get(page_path))
    return client.post(target, data={"csrf": token, "lang": "fr", **fields}, follow_redirects=False)


def paragraph(page: Response, element_id: str) -> str:
    found = re.search(_FIELD.pattern.format(element_id), page.text, re.S)
    assert found, page.text
    return re.sub(r"\s+", " ", found.group(1)).strip()


def signed_in_as(client: TestClient, app: Any, email: str = SYLVIE) -> None:
    sign_in(client, app, email)


def public_document(client: TestClient, award_id: str) -> Response:
    return client.get(f"/credentials/{award_id}", headers={"Accept": "application/ld+json"})
