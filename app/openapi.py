"""The OpenAPI document, completed in one place: every operation lists the errors it can answer, each with the
problem document the service really sends (``application/problem+json``, :mod:`app.schemas.problems`).

Rules, from what the service does: an authenticated operation can answer 401 (no or bad key), 403 (scope) and 429
(repeated failures); one with a path parameter 404; one with a body 413 (``MAX_BODY_BYTES``), and a JSON body 415
(another Content-Type); one with parameters or a body 422 (named fields, see ``ValidationProblem``). Other statuses
(409, 410, 503…) are declared by the route itself with :func:`problems` (409 is added wherever an ``Idempotency-Key``
is read); this module gives them the problem schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from app.schemas.ob3 import ImsxStatusInfo, OAuthError
from app.schemas.problems import Problem, ValidationProblem

__all__ = ["ERRORS", "OB3_API", "PROBLEM_JSON", "api_errors", "complete", "install", "problems"]

PROBLEM_JSON = "application/problem+json"
ERRORS: dict[int, str] = {
    400: "The request cannot be understood",
    401: "No API key, or an unknown, revoked or malformed one (send `Authorization: Bearer <key>`)",
    403: "The key lacks the scope this operation needs, or the admin token is required",
    404: "Not found (or it belongs to another organisation)",
    406: "None of the formats in the Accept header is offered",
    409: "The object's state does not allow it (e.g. an unpublished achievement, a revoked award, the last admin "
         "key)",
    410: "Gone: revoked or suspended",
    413: "The body is larger than MAX_BODY_BYTES",
    415: "The body's Content-Type is not one this operation reads",
    422: "A field is missing or invalid: `errors` names each one, with a French and an English message",
    429: "Too many failed authentications (or verifications) from this client: wait `Retry-After` seconds",
    502: "A document of another issuer could not be fetched",
    503: "The service cannot do it now (signing key unavailable, database down): retry after `Retry-After` seconds",
}
_COMPONENTS: dict[str, type[BaseModel]] = {"Problem": Problem, "ValidationProblem": ValidationProblem,
                                          "ImsxStatusInfo": ImsxStatusInfo, "OAuthError": OAuthError}
#: the Open Badges 3.0 API: its routes declare their own errors in its own forms (:func:`api_errors`); nothing usual
#: is added to them, and a refused parameter is its 400, not our 422
OB3_API = "/ims/ob/v3p0/"
_API_MESSAGES = {**ERRORS, 400: "Refused: the body or a parameter is unusable (the body says why)",
                 401: "No token, or an unknown, expired or revoked one (OAuth endpoints: the client's HTTP Basic "
                      "authentication failed)",
                 403: "The token lacks the scope this operation needs", 404: "Nothing there yet",
                 429: "Too many registrations from this address: wait `Retry-After` seconds"}


def component(model: type[BaseModel]) -> dict[str, str]:
    """A ``$ref`` to ``model``'s schema, put in the document with the models it refers to: for a body a route reads
    itself (a form field holding JSON, say), which FastAPI does not list."""
    _COMPONENTS[model.__name__] = model
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route for the errors only it can answer (the usual ones are added for every route)."""
    return {status: {"description": ERRORS[status]} for status in statuses}


def api_errors(form: str, *statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of an Open Badges 3.0 API route: its errors, as ``Imsx_StatusInfo`` (``form="imsx"``) or RFC
    6749 error bodies (``form="oauth"``)."""
    schema = component(ImsxStatusInfo if form == "imsx" else OAuthError)
    return {status: {"description": _API_MESSAGES[status], "content": {"application/json": {"schema": schema}}}
            for status in statuses}


def _schema(status: int) -> dict[str, Any]:
    name = "ValidationProblem" if status == 422 else "Problem"
    return {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def _usual(operation: dict[str, Any], body_types: list[str]) -> set[int]:
    statuses: set[int] = set()
    if operation.get("security"):
        statuses |= {401, 403, 429}
    parameters = operation.get("parameters", [])
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if body_types:
        statuses |= {413, 422}
        if "application/json" in body_types and "text/csv" not in body_types:
            statuses.add(415)
        if "multipart/form-data" in body_types:
            statuses.add(400)  # a form that cannot be parsed
    if parameters:
        statuses.add(422)
    if any(p.get("in") == "header" and p.get("name", "").lower() == "idempotency-key" for p in parameters):
        statuses.add(409)  # the same key still being processed by another request
    return statuses


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """Add the usual errors to every operation and the problem schema to every error response (in place)."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name, model in _COMPONENTS.items():
        document = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(document.pop("$defs", {}))
        schemas[name] = document
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path, path_item in spec.get("paths", {}).items():
        for operation in path_item.values():
            if path.startswith(OB3_API):
                operation.get("responses", {}).pop("422", None)
                continue
            body_types = list(operation.get("requestBody", {}).get("content", {}))
            responses = operation.setdefault("responses", {})
            for status in _usual(operation, body_types):
                responses.setdefault(str(status), {"description": ERRORS[status]})
            for status, response in responses.items():
                own = set(response.get("content", {})) - {"application/json", PROBLEM_JSON}
                if status.isdigit() and int(status) >= 400 and not own:  # own: a document, e.g. OB 2.0's 410
                    response["content"] = _schema(int(status))
                    if int(status) == 422:
                        response["description"] = ERRORS[422]
    return spec


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the completed document (built once)."""
    original: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(original())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
