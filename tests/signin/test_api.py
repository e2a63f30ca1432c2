"""The JSON API for integrators: the same flows as the pages, documented in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.signin.conftest import SYLVIE, messages, sessions, set_cookies


def test_the_code_flow_through_the_api(client: TestClient, app: Any) -> None:
    asked = client.post("/api/v1/signin/challenges", json={"email": SYLVIE, "next": "/comite/puchot"})
    assert asked.status_code == 202 and asked.json()["expires_in_minutes"] == 15
    answer = client.post("/api/v1/signin/code", json={"email": SYLVIE, "code": messages(app)[-1].code})
    assert answer.status_code == 200 and "savoirs_session" in set_cookies(answer)
    body = answer.json()
    assert body["email"] == SYLVIE and body["session_id"] == sessions(app)[0].id and body["next"] == "/comite/puchot"
    assert client.get("/api/v1/signin/session").json()["session_id"] == body["session_id"]


def test_the_link_flow_through_the_api(client: TestClient, app: Any) -> None:
    client.post("/api/v1/signin/challenges", json={"email": SYLVIE, "lang": "en"})
    message = messages(app)[-1]
    assert message.language == "en" and message.subject == "Your link to sign in to savoirs"
    answer = client.post("/api/v1/signin/link", json={"token": message.token})
    assert answer.status_code == 200 and answer.json()["email"] == SYLVIE
    again = client.post("/api/v1/signin/link", json={"token": message.token})
    assert again.status_code == 400 and again.json()["code"] == "signin_link_refused"


def test_a_wrong_code_through_the_api_is_a_400_problem(client: TestClient, app: Any) -> None:
    client.post("/api/v1/signin/challenges", json={"email": SYLVIE})
    wrong = "000000" if messages(app)[-1].code != "000000" else "111111"
    answer = client.post("/api/v1/signin/code", json={"email": SYLVIE, "code": wrong})
    assert answer.status_code == 400 and answer.json()["code"] == "signin_code_refused"
    assert answer.json()["message_fr"].startswith("Ce code n'est pas le bon")


def test_an_unknown_audience_is_a_422(client: TestClient) -> None:
    answer = client.post("/api/v1/signin/challenges", json={"email": SYLVIE, "audience": "everybody"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "audience"


def test_an_invalid_address_is_a_422(client: TestClient) -> None:
    answer = client.post("/api/v1/signin/challenges", json={"email": "sylvie@"})
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_email"


def test_signing_out_through_the_api(client: TestClient, app: Any) -> None:
    client.post("/api/v1/signin/challenges", json={"email": SYLVIE})
    client.post("/api/v1/signin/code", json={"email": SYLVIE, "code": messages(app)[-1].code})
    answer = client.post("/api/v1/signin/signout")
    assert answer.status_code == 204 and 'savoirs_session=""' in set_cookies(answer)["savoirs_session"]
    assert sessions(app)[0].revoked_at is not None


def test_without_a_kek_signing_in_is_unavailable(settings_factory: Any) -> None:
    from app.main import create_app
    from tests.conftest import BASE_URL

    application = create_app(settings_factory(kek=None), jobs_in_process=False)
    try:
        with TestClient(application, base_url=BASE_URL) as bare:
            answer = bare.post("/api/v1/signin/challenges", json={"email": SYLVIE})
            assert answer.status_code == 503 and answer.json()["code"] == "signin_unavailable"
    finally:
        application.state.db.dispose()


def test_the_api_is_documented_with_examples_and_its_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = {p: item for p, item in spec["paths"].items() if p.startswith("/api/v1/signin")}
    assert set(paths) == {"/api/v1/signin/challenges", "/api/v1/signin/code", "/api/v1/signin/link",
                          "/api/v1/signin/session", "/api/v1/signin/signout", "/api/v1/signin/signout-everywhere",
                          "/api/v1/signin/revocations"}
    challenge = paths["/api/v1/signin/challenges"]["post"]
    assert {"202", "422", "429", "503"} <= set(challenge["responses"])
    assert "savoirs_session" in str(spec["components"]["securitySchemes"])
    assert not any(p.startswith("/connexion") or p in ("/moi", "/deconnexion") for p in spec["paths"])
