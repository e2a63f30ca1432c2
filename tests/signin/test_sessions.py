"""Sessions: what a route that needs a signed-in person sees (401 for a client, the sign-in page for a browser),
signing out, signing out everywhere, revocation by the administrator, expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.clock import FixedClock
from app.signin import service
from tests.conftest import BASE_URL, admin_headers
from tests.signin.conftest import SYLVIE, csrf_of, sessions, set_cookies, sign_in


def _second_device(app: Any) -> TestClient:
    return TestClient(app, base_url=BASE_URL)


def test_the_session_proves_the_address(client: TestClient, app: Any) -> None:
    sign_in(client, app)
    answer = client.get("/api/v1/signin/session")
    assert answer.status_code == 200
    assert answer.json()["email"] == SYLVIE and answer.json()["session_id"] == sessions(app)[0].id


def test_without_a_session_a_client_gets_a_401_problem(client: TestClient) -> None:
    answer = client.get("/api/v1/signin/session")
    assert answer.status_code == 401 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "signin_required"


def test_without_a_session_a_browser_goes_to_the_sign_in_page_and_comes_back(client: TestClient, app: Any) -> None:
    answer = client.get("/moi", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                        follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/connexion?next=/moi"
    page = client.get(answer.headers["location"])
    assert 'name="next" value="/moi"' in page.text


def test_a_forged_session_cookie_is_refused(client: TestClient) -> None:
    client.cookies.set("savoirs_session", "A" * 43, domain="badges.example.org")
    assert client.get("/api/v1/signin/session").status_code == 401


def test_the_session_is_read_by_the_service_function(client: TestClient, app: Any) -> None:
    sign_in(client, app)
    token = client.cookies.get("savoirs_session")
    found = service.signed_in(app.state.ctx, token)
    assert found is not None and found.email == SYLVIE
    assert service.signed_in(app.state.ctx, "not-a-session") is None


def test_signing_out_closes_the_session_and_clears_the_cookie(client: TestClient, app: Any) -> None:
    sign_in(client, app)
    token = client.cookies.get("savoirs_session")
    me = client.get("/moi")
    answer = client.post("/deconnexion", data={"csrf": csrf_of(me)})
    assert answer.status_code == 200 and "Déconnexion réussie" in answer.text
    assert 'savoirs_session=""' in set_cookies(answer)["savoirs_session"]
    assert service.signed_in(app.state.ctx, token) is None and sessions(app)[0].revoked_at is not None
    assert client.get("/api/v1/signin/session").status_code == 401


def test_a_revoked_session_cookie_is_refused(client: TestClient, app: Any) -> None:
    sign_in(client, app)
    token = client.cookies.get("savoirs_session")
    client.post("/api/v1/signin/signout")
    client.cookies.set("savoirs_session", token or "", domain="badges.example.org")  # kept by a careless client
    assert client.get("/api/v1/signin/session").status_code == 401


def test_signing_out_everywhere_closes_every_session_of_the_address(client: TestClient, app: Any) -> None:
    with _second_device(app) as phone, _second_device(app) as other:
        sign_in(client, app)
        sign_in(phone, app)
        sign_in(other, app, "camille@example.org")
        page = client.get("/deconnexion/partout")
        assert page.status_code == 200 and SYLVIE in page.text
        answer = client.post("/deconnexion/partout", data={"csrf": csrf_of(page)})
        assert answer.status_code == 200 and "Toutes vos connexions sont fermées (2)" in answer.text
        assert phone.get("/api/v1/signin/session").status_code == 401
        assert client.get("/api/v1/signin/session").status_code == 401
        assert other.get("/api/v1/signin/session").status_code == 200


def test_signing_out_everywhere_through_the_api(client: TestClient, app: Any) -> None:
    with _second_device(app) as phone:
        sign_in(client, app)
        sign_in(phone, app)
        answer = client.post("/api/v1/signin/signout-everywhere")
        assert answer.status_code == 200 and answer.json() == {"revoked": 2}
        assert phone.get("/api/v1/signin/session").status_code == 401


def test_the_administrator_revokes_every_session_of_an_address(client: TestClient, app: Any) -> None:
    sign_in(client, app)
    answer = client.post("/api/v1/signin/revocations", json={"email": "Sylvie@Example.fr"}, headers=admin_headers())
    assert answer.status_code == 200 and answer.json() == {"revoked": 1}
    assert client.get("/api/v1/signin/session").status_code == 401


def test_revocation_needs_the_admin_token(client: TestClient, app: Any) -> None:
    sign_in(client, app)
    answer = client.post("/api/v1/signin/revocations", json={"email": SYLVIE})
    assert answer.status_code == 401 and sessions(app)[0].revoked_at is None


def test_the_revocation_service_function(client: TestClient, app: Any) -> None:
    sign_in(client, app)
    assert service.revoke_sessions(app.state.ctx, SYLVIE, actor="staff:test") == 1
    assert service.revoke_sessions(app.state.ctx, SYLVIE, actor="staff:test") == 0


def test_a_session_expires(client: TestClient, app: Any, clock: FixedClock, settings: Any) -> None:
    sign_in(client, app)
    clock.at += timedelta(hours=settings.signin_session_hours, seconds=-1)
    assert client.get("/api/v1/signin/session").status_code == 200
    clock.at += timedelta(seconds=1)
    assert client.get("/api/v1/signin/session").status_code == 401


def test_a_get_of_the_sign_out_address_goes_to_the_signed_in_page(client: TestClient) -> None:
    answer = client.get("/deconnexion", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/moi"
