"""Headers on every answer (issue 12): security headers on HTML (the API docs included), HSTS over https, CORS open
for the public documents and the verification API (never with credentials), closed for the authenticated API; the
API docs (Swagger UI and ReDoc) are served from our own files, with no CDN."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.headers import DOCS_ASSETS
from tests.conftest import bearer

ORIGIN = {"Origin": "https://passeport.example"}


def _preflight(client: TestClient, path: str, method: str = "POST") -> Any:
    return client.options(path, headers={**ORIGIN, "Access-Control-Request-Method": method,
                                         "Access-Control-Request-Headers": "content-type"})


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_docs_carry_a_content_security_policy_and_refuse_framing(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_docs_load_nothing_from_another_origin(client: TestClient, path: str) -> None:
    html = client.get(path).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith(DOCS_ASSETS) or s.startswith("/") for s in sources), sources
    for source in sources:
        if source.endswith((".js", ".css")):
            asset = client.get(source)
            assert asset.status_code == 200 and len(asset.content) > 10_000, source


def test_json_answers_are_never_sniffed(client: TestClient, token: str) -> None:
    assert client.get("/api/v1/org", headers=bearer(token)).headers["x-content-type-options"] == "nosniff"
    assert client.get("/api/v1/nothing-here").headers["x-content-type-options"] == "nosniff"


def test_hsts_is_sent_over_https_only(app: Any) -> None:
    with TestClient(app, base_url="https://badges.example.org") as secure:
        assert secure.get("/healthz").headers["strict-transport-security"] == "max-age=31536000"
    with TestClient(app) as plain:
        assert "strict-transport-security" not in plain.get("/healthz").headers


def test_another_origin_may_call_the_verification_api_without_credentials(client: TestClient) -> None:
    preflight = _preflight(client, "/api/v1/verify")
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers
    answer = client.post("/api/v1/verify", json={"credential": {}}, headers=ORIGIN)
    assert answer.headers["access-control-allow-origin"] == "*"


def test_another_origin_may_read_public_documents(client: TestClient) -> None:
    response = client.get("/healthz", headers=ORIGIN)
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(("path", "method"), [("/api/v1/org", "GET"), ("/api/v1/achievements", "POST"),
                                              ("/api/v1/orgs", "POST")])
def test_the_authenticated_api_is_closed_to_other_origins(client: TestClient, token: str, path: str,
                                                          method: str) -> None:
    assert "access-control-allow-origin" not in _preflight(client, path, method).headers
    answer = client.get("/api/v1/org", headers={**ORIGIN, **bearer(token)})
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers


def test_a_page_of_another_origin_may_read_a_public_document_conditionally(client: TestClient) -> None:
    preflight = client.options("/orgs/puchot/did.json", headers={
        **ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.status_code == 200, preflight.text
    assert "if-none-match" in preflight.headers["access-control-allow-headers"].lower()
