"""Bad input gets a clear problem response (French and English), never a 500 or a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.models import Organisation
from tests.conftest import admin_headers

VALID = '{"slug": "puchot", "name": "P", "url": "https://p.example", "email": "a@p.example"}'


def _post_raw(client: TestClient, body: bytes | str, content_type: str = "application/json") -> Any:
    return client.post("/api/v1/orgs", content=body, headers={**admin_headers(), "Content-Type": content_type})


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["code"] and body["message_fr"] and body["message_en"]
    text = response.text
    assert "Traceback" not in text and "File \"" not in text and "SELECT" not in text
    return body  # type: ignore[no-any-return]


def test_unknown_route_is_a_404_problem(client: TestClient) -> None:
    _assert_problem(client.get("/nothing/here"), 404)


def test_wrong_method_is_a_405_problem(client: TestClient) -> None:
    _assert_problem(client.delete("/healthz"), 405)


@pytest.mark.parametrize("body", ["{", "[1, 2", "null", '"text"', "\xff\xfe", "NaN"])
def test_malformed_json_is_422(client: TestClient, body: str) -> None:
    _assert_problem(_post_raw(client, body.encode("latin-1")), 422)


def test_duplicate_keys_are_422(client: TestClient, app: Any) -> None:
    body = VALID[:-1] + ', "slug": "autre"}'
    _assert_problem(_post_raw(client, body), 422)
    with app.state.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_json_nested_ten_thousand_deep_is_422(client: TestClient) -> None:
    _assert_problem(_post_raw(client, "[" * 10_000 + "]" * 10_000), 422)


def test_body_declared_larger_than_the_limit_is_413(client: TestClient, settings: Any) -> None:
    body = b"x" * (settings.max_body_bytes + 1)
    _assert_problem(_post_raw(client, body), 413)


def test_100_mb_body_is_413(client: TestClient) -> None:
    _assert_problem(_post_raw(client, b" " * (100 * 1024 * 1024)), 413)


def test_chunked_body_over_the_limit_is_413(client: TestClient, settings: Any) -> None:
    chunk = b" " * 65536
    count = settings.max_body_bytes // len(chunk) + 2

    def stream() -> Any:
        for _ in range(count):
            yield chunk

    response = client.post("/api/v1/orgs", content=stream(),
                           headers={**admin_headers(), "Content-Type": "application/json"})
    _assert_problem(response, 413)


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "signing": "ok"}


def test_openapi_declares_the_bearer_scheme_and_tags(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            assert op.get("tags"), f"{method} {path} has no tag"
            assert op.get("summary"), f"{method} {path} has no summary"
    assert client.get("/docs").status_code == 200


def test_an_unreachable_database_is_not_ready_503_and_api_calls_are_503(tmp_path: Any) -> None:
    from app.config import Settings
    from app.main import create_app
    from tests.conftest import ADMIN_TOKEN, BASE_URL, TEST_KEK

    settings = Settings(environment="test", database_url="postgresql+psycopg://postgres@127.0.0.1:1/none",
                        public_base_url=BASE_URL, kek=TEST_KEK, admin_token=ADMIN_TOKEN, var_dir=tmp_path / "var")
    application = create_app(settings)
    with TestClient(application, base_url=BASE_URL) as down:
        ready = down.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["database"] == "unreachable"
        body = _assert_problem(down.get("/api/v1/orgs", headers=admin_headers()), 503)
        assert body["code"] == "service_unavailable"
    application.state.db.dispose()
