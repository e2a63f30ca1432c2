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

__all__ = ["PROBLEM_JSON", "error_response", "problem_response", "register_error_handlers"]

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


def _from_savoirs(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SavoirsError)
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


def _from_http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, en, fr = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "Request refused.", "Requête refusée."))
    return problem_response(exc.status_code, code, en, fr, headers=dict(exc.headers or {}))


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
    return error_response(SavoirsError())


def register_error_handlers(app: FastAPI) -> None:
    """Map every exception family to a problem response, once."""
    app.add_exception_handler(SavoirsError, _from_savoirs)
    app.add_exception_handler(RequestValidationError, _from_validation)
    app.add_exception_handler(StarletteHTTPException, _from_http)
    app.add_exception_handler(OperationalError, _from_database)
    app.add_exception_handler(InterfaceError, _from_database)
    app.add_exception_handler(Exception, _from_anything)
