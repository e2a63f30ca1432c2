"""The one place where errors become HTTP answers: RFC 9457 ``application/problem+json`` with both languages.

Every :class:`~app.errors.SavoirsError` answers with its own status and code. Framework errors (validation, routing)
and database outages are mapped here too; anything else is logged and answered 500 without details.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import InvalidInput, PayloadTooLarge, SavoirsError, ServiceUnavailable, UnsupportedMediaType
from app.validation_messages import describe, summary

__all__ = ["PROBLEM_JSON", "api_error_response", "error_response", "problem_response", "register_error_handlers"]

log = logging.getLogger("savoirs.errors")
PROBLEM_JSON = "application/problem+json"


def problem_response(
    status: int,
    code: str,
    message_en: str,
    message_fr: str,
    *,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """Build an ``application/problem+json`` response (RFC 9457) with both languages."""
    body: dict[str, Any] = {
        "type": f"https://savoirs.dev/problems/{code}",
        "title": message_en,
        "status": status,
        "detail": message_en,
        "code": code,
        "message_en": message_en,
        "message_fr": message_fr,
    }
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def error_response(exc: SavoirsError, *, headers: dict[str, str] | None = None) -> JSONResponse:
    """The problem response for one of our errors (its own headers, plus ``headers``)."""
    if exc.is_ours:
        log.error("%s: %s", exc.code, type(exc).__name__)
    return problem_response(exc.status, exc.code, exc.message_en, exc.message_fr,
                            headers={**exc.headers, **(headers or {})}, extra=exc.extra)


#: the Open Badges 3.0 API answers its errors in its own forms: ``Imsx_StatusInfo`` (resources), RFC 6749
#: ``{error, error_description}`` (its OAuth endpoints); the consent page is a page
_OB3_API = "/ims/ob/v3p0/"
_OAUTH_ENDPOINTS = frozenset({"/ims/ob/v3p0/register", "/ims/ob/v3p0/token", "/ims/ob/v3p0/revoke"})
_CODE_MINOR = {400: "invalid_data", 401: "unauthorizedrequest", 403: "forbidden", 404: "unknown",
               405: "not_allowed", 406: "not_acceptable", 413: "invalid_data", 415: "invalid_data",
               422: "invalid_data", 429: "server_busy", 503: "server_busy"}


def _ob3_form(request: Request) -> str | None:
    path = request.url.path
    if not path.startswith(_OB3_API) or path == "/ims/ob/v3p0/authorize":
        return None
    return "oauth" if path in _OAUTH_ENDPOINTS else "imsx"


def api_error_response(request: Request, status: int, code: str, message_en: str, message_fr: str, *,
                       headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None) -> JSONResponse:
    """An error in the form its path answers in: problem+json, or the Open Badges 3.0 API's own (both languages in
    its one description)."""
    form = _ob3_form(request)
    if form is None:
        return problem_response(status, code, message_en, message_fr, headers=headers, extra=extra)
    no_store = {**(headers or {}), "Cache-Control": "no-store"}
    if form == "oauth":
        return JSONResponse({"error": code, "error_description": message_en}, status_code=status, headers=no_store)
    minor = _CODE_MINOR.get(status, "internal_server_error" if status >= 500 else "unknown")
    body = {"imsx_codeMajor": "failure", "imsx_severity": "error",
            "imsx_description": f"{message_en} / {message_fr} ({code})",
            "imsx_codeMinor": {"imsx_codeMinorField": [{"imsx_codeMinorFieldName": "savoirs",
                                                        "imsx_codeMinorFieldValue": minor}]}}
    return JSONResponse(body, status_code=status, headers=no_store)


def _from_savoirs(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SavoirsError)
    if _ob3_form(request) is not None:
        if exc.is_ours:
            log.error("%s: %s", exc.code, type(exc).__name__)
        return api_error_response(request, exc.status, exc.code, exc.message_en, exc.message_fr,
                                  headers=exc.headers)
    return error_response(exc)


def _from_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [describe(e) for e in exc.errors()]
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and any(
            e["field"] == "" and e["type"] in ("model_attributes_type", "dict_type", "model_type") for e in errors):
        return error_response(UnsupportedMediaType(
            f"Send the body as JSON, with the header Content-Type: application/json (not "
            f"{content_type or 'missing'}).",
            f"Envoyez le corps en JSON, avec l'en-tête Content-Type: application/json (et non "
            f"{content_type or 'rien'})."))
    message_en, message_fr = summary(errors)
    if _ob3_form(request) is not None:  # a query parameter out of range: the API's 400
        return api_error_response(request, 400, "invalid_query_parameter", message_en, message_fr)
    return problem_response(422, InvalidInput.code, message_en, message_fr, extra={"errors": errors})


_HTTP_MESSAGES: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "The request cannot be understood.", "La requête est incompréhensible."),
    404: ("not_found", "Not found.", "Introuvable."),
    405: ("method_not_allowed", "This method is not allowed here.", "Cette méthode n'est pas permise ici."),
    406: ("not_acceptable", "No representation matches the Accept header.",
          "Aucun format ne correspond à l'en-tête Accept."),
    413: ("payload_too_large", PayloadTooLarge.message_en, PayloadTooLarge.message_fr),
    415: ("unsupported_media_type", "Unsupported Content-Type.", "Type de contenu non pris en charge."),
}


def _from_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, en, fr = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "Request refused.", "Requête refusée."))
    return api_error_response(request, exc.status_code, code, en, fr, headers=dict(exc.headers or {}))


def _from_database(_: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", type(exc).__name__)
    return error_response(ServiceUnavailable(), headers={"Retry-After": "5"})


def _from_anything(request: Request, exc: Exception) -> Response:
    """A failure we did not foresee: logged with its traceback, answered without it (a plain page for browsers)."""
    log.error("unhandled error", exc_info=exc)
    if "text/html" in request.headers.get("accept", ""):
        from app.pages.render import failure_page  # pages import the verifier: only load them when needed
        from app.pages.text import pick_lang

        return failure_page(pick_lang(request.query_params.get("lang")), SavoirsError(),
                            form={"url": "", "recipient": ""})
    if _ob3_form(request) is not None:
        failure = SavoirsError()
        return api_error_response(request, 500, failure.code, failure.message_en, failure.message_fr)
    return error_response(SavoirsError())


def register_error_handlers(app: FastAPI) -> None:
    """Map every exception family to a problem response, once."""
    app.add_exception_handler(SavoirsError, _from_savoirs)
    app.add_exception_handler(RequestValidationError, _from_validation)
    app.add_exception_handler(StarletteHTTPException, _from_http)
    app.add_exception_handler(OperationalError, _from_database)
    app.add_exception_handler(InterfaceError, _from_database)
    app.add_exception_handler(Exception, _from_anything)
