"""The API documentation is complete (issue 12): every operation has a summary and a description, every request
body an example, and every operation documents the errors it can answer with the problem document the service
really sends. A new route that lacks any of it fails here."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    from app.config import Environment, Settings
    from app.main import create_app
    from tests.conftest import TEST_KEK

    settings = Settings(environment=Environment.test, database_url="sqlite://", public_base_url="https://b.example",
                        kek=TEST_KEK, admin_token="a" * 30)
    return create_app(settings, jobs_in_process=False).openapi()  # type: ignore[no-any-return]


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, operation) for path, item in spec["paths"].items()
            for method, operation in item.items()]


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema a ``$ref`` (or an optional body's ``anyOf: [$ref, null]``) points to."""
    while "$ref" in schema or "anyOf" in schema:
        if "anyOf" in schema:
            schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
            continue
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _binary(schema: dict[str, Any]) -> bool:
    """A file: a binary string, or a form whose fields include one (an example would be meaningless)."""
    return schema.get("format") == "binary" or any(
        p.get("format") == "binary" for p in schema.get("properties", {}).values())


def test_every_operation_has_a_summary_and_a_description(spec: dict[str, Any]) -> None:
    missing = [f"{m} {p}" for m, p, o in _operations(spec) if not o.get("summary") or not o.get("description")]
    assert not missing, f"{len(missing)} operations without a summary or description: {missing}"


def test_every_request_body_has_an_example(spec: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in _operations(spec):
        body = operation.get("requestBody", {})
        for media, content in body.get("content", {}).items():
            schema = _resolve(spec, content.get("schema", {}))
            if _binary(schema):
                if not body.get("description"):
                    missing.append(f"{method} {path} ({media}: a file, described in the body's description)")
                continue
            if not (content.get("example") or content.get("examples") or schema.get("examples")
                    or schema.get("example")):
                missing.append(f"{method} {path} ({media})")
    assert not missing, f"request bodies without an example: {missing}"


def test_every_error_is_documented_with_the_problem_document(spec: dict[str, Any]) -> None:
    wrong = []
    for method, path, operation in _operations(spec):
        if path.startswith("/ims/ob/v3p0/"):
            continue  # the Open Badges 3.0 API answers in its own forms (the next test)
        for status, response in operation["responses"].items():
            if int(status) >= 400 and PROBLEM not in response.get("content", {}) and status != "410":
                wrong.append(f"{method} {path} {status}")
    assert not wrong, f"errors without application/problem+json: {wrong}"
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_the_open_badges_api_documents_its_errors_in_its_own_forms(spec: dict[str, Any]) -> None:
    forms = {}
    for method, path, operation in _operations(spec):
        if not path.startswith("/ims/ob/v3p0/"):
            continue
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                forms[f"{method} {path} {status}"] = response["content"]["application/json"]["schema"]["$ref"]
    oauth = {k for k in forms if k.split()[1].rsplit("/", 1)[1] in ("register", "token", "revoke")}
    assert oauth and {forms[k] for k in oauth} == {"#/components/schemas/OAuthError"}
    assert {forms[k] for k in set(forms) - oauth} == {"#/components/schemas/ImsxStatusInfo"}
    assert "GET /ims/ob/v3p0/credentials 401" in forms and "PUT /ims/ob/v3p0/profile 403" in forms


def test_authenticated_operations_document_401_403_and_429(spec: dict[str, Any]) -> None:
    missing = [f"{m} {p}" for m, p, o in _operations(spec)
               if o.get("security") and not {"401", "403", "429"} <= set(o["responses"])]
    assert not missing and len([o for *_, o in _operations(spec) if o.get("security")]) > 30, missing


def test_operations_with_a_path_parameter_document_404(spec: dict[str, Any]) -> None:
    missing = [f"{m} {p}" for m, p, o in _operations(spec)
               if any(x["in"] == "path" for x in o.get("parameters", [])) and "404" not in o["responses"]]
    assert not missing, missing


def test_a_422_is_documented_as_the_validation_problem_the_service_sends(spec: dict[str, Any],
                                                                        client: TestClient) -> None:
    (operation,) = [o for m, p, o in _operations(spec) if (m, p) == ("POST", "/api/v1/orgs")]
    schema = operation["responses"]["422"]["content"][PROBLEM]["schema"]
    documented = set(_resolve(spec, schema)["properties"])
    answer = client.post("/api/v1/orgs", json={"slug": "x"}, headers={"Authorization": "Bearer " + "a" * 30})
    assert answer.status_code in (401, 422)
    sent = client.post("/api/v1/orgs", json={}, headers={"Authorization": "Bearer test-admin-token-0123456789"})
    assert sent.status_code == 422 and set(sent.json()) == documented
