"""Every form of the sign-in pages carries a CSRF token, the same as the browser's cookie; without it (or with
another), the submit is refused: 403 problem for a client, the page again (with a fresh form) for a browser."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.signin.conftest import SYLVIE, challenges, csrf_of, last_message, sessions, sign_in

FORMS = {"/connexion": {"email": SYLVIE}, "/connexion/code": {"email": SYLVIE, "code": "123456"},
         "/connexion/lien": {"token": "x" * 43}, "/deconnexion": {}, "/deconnexion/partout": {}}


@pytest.mark.parametrize("path", sorted(FORMS))
def test_a_form_without_its_token_is_a_403_problem(client: TestClient, app: Any, path: str) -> None:
    sign_in(client, app)  # so that the sign-out forms reach their CSRF check
    client.get("/connexion")  # the browser has its CSRF cookie
    answer = client.post(path, data=FORMS[path])
    assert answer.status_code == 403 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "csrf_failed"


@pytest.mark.parametrize("path", sorted(FORMS))
def test_a_form_with_another_token_is_a_403_problem(client: TestClient, app: Any, path: str) -> None:
    sign_in(client, app)
    client.get("/connexion")
    answer = client.post(path, data={**FORMS[path], "csrf": "A" * 43})
    assert answer.status_code == 403 and answer.json()["code"] == "csrf_failed"


def test_a_token_without_its_cookie_is_refused(client: TestClient, app: Any) -> None:
    token = csrf_of(client.get("/connexion"))
    client.cookies.clear()
    answer = client.post("/connexion", data={"email": SYLVIE, "csrf": token})
    assert answer.status_code == 403 and challenges(app) == []


def test_a_submit_another_site_sent_is_refused(client: TestClient, app: Any) -> None:
    token = csrf_of(client.get("/connexion"))
    answer = client.post("/connexion", data={"email": SYLVIE, "csrf": token},
                         headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403 and challenges(app) == []


def test_a_browser_gets_the_form_again_with_a_fresh_token(client: TestClient, app: Any) -> None:
    answer = client.post("/connexion", data={"email": SYLVIE}, headers={"Accept": "text/html"})
    assert answer.status_code == 403 and answer.headers["content-type"].startswith("text/html")
    assert "<title>Formulaire expiré — Me connecter — savoirs</title>" in answer.text
    assert f'value="{SYLVIE}"' in answer.text
    retried = client.post("/connexion", data={"email": SYLVIE, "csrf": csrf_of(answer)})
    assert retried.status_code == 200 and last_message(app).to == SYLVIE


def test_the_csrf_cookie_is_httponly_lax_and_host_only(client: TestClient) -> None:
    page = client.get("/connexion")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("__Host-savoirs_csrf=")
    assert all(part in cookie.lower() for part in ("httponly", "secure", "samesite=lax", "path=/"))
    assert "domain" not in cookie.lower()


def test_the_json_api_accepts_json_only(client: TestClient, app: Any) -> None:
    """A page of another site can post a form or a typeless body without a preflight: refused."""
    for headers, body in (({"Content-Type": "application/x-www-form-urlencoded"}, b"email=sylvie%40example.fr"),
                          ({"Content-Type": "text/plain"}, b'{"email": "sylvie@example.fr"}'),
                          ({}, b'{"email": "sylvie@example.fr"}')):
        answer = client.post("/api/v1/signin/challenges", content=body, headers=headers)
        assert answer.status_code in (415, 422), (headers, answer.status_code)
    assert challenges(app) == [] and sessions(app) == []


def test_the_api_has_no_cors_for_other_sites(client: TestClient) -> None:
    answer = client.options("/api/v1/signin/code", headers={"Origin": "https://evil.example",
                                                            "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in answer.headers
