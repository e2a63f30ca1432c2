"""The service's exception tree and its single mapping to RFC 9457 problem responses.

::

    SavoirsError (500)
    ├── BadRequest (400)
    │   └── InvalidInput (422)
    │       └── IdempotencyMismatch (422)
    ├── Unauthorised (401)
    ├── Forbidden (403)
    ├── NotFound (404)
    ├── Gone (410)
    ├── Conflict (409)
    ├── PayloadTooLarge (413)
    ├── TooManyRequests (429)
    └── ServiceUnavailable (503)
        └── SigningUnavailable (503)

Every error has a stable ``code``, an English and a French message. Routers and services raise these; nothing
below ``app/routers`` raises ``HTTPException``. Responses never contain a traceback, SQL or a file path.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.badges.errors import BadgeInputError
from app.signing.errors import SigningError

__all__ = [
    "BadRequest",
    "Conflict",
    "Forbidden",
    "Gone",
    "IdempotencyMismatch",
    "InvalidInput",
    "NotFound",
    "PayloadTooLarge",
    "SavoirsError",
    "ServiceUnavailable",
    "SigningUnavailable",
    "TooManyRequests",
    "Unauthorised",
    "problem_response",
    "register_error_handlers",
]

log = logging.getLogger("savoirs.errors")
PROBLEM_JSON = "application/problem+json"


class SavoirsError(Exception):
    status: int = 500
    code: str = "internal_error"
    message_en: str = "Something went wrong on our side. Nothing was saved."
    message_fr: str = "Une erreur s'est produite de notre côté. Rien n'a été enregistré."

    def __init__(
        self,
        message_en: str | None = None,
        message_fr: str | None = None,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        if message_en is not None:
            self.message_en = message_en
        if message_fr is not None:
            self.message_fr = message_fr
        if code is not None:
            self.code = code
        self.headers = headers or {}
        self.extra = extra or {}
        super().__init__(f"{self.code}: {self.message_en}")


class BadRequest(SavoirsError):
    status = 400
    code = "bad_request"
    message_en = "The request cannot be understood."
    message_fr = "La requête est incompréhensible."


class InvalidInput(BadRequest):
    status = 422
    code = "invalid_input"
    message_en = "Some fields are missing or invalid."
    message_fr = "Certains champs sont absents ou invalides."


class IdempotencyMismatch(InvalidInput):
    code = "idempotency_key_reused"
    message_en = "This Idempotency-Key was already used with a different request body."
    message_fr = "Cette clé d'idempotence a déjà servi pour une requête différente."


class Unauthorised(SavoirsError):
    status = 401
    code = "unauthorised"
    message_en = "Missing or invalid credentials: send 'Authorization: Bearer <key>'."
    message_fr = "Identifiants absents ou invalides : envoyez « Authorization: Bearer <clé> »."


class Forbidden(SavoirsError):
    status = 403
    code = "forbidden"
    message_en = "This key is not allowed to do that."
    message_fr = "Cette clé n'a pas le droit de faire cela."


class NotFound(SavoirsError):
    status = 404
    code = "not_found"
    message_en = "Not found."
    message_fr = "Introuvable."


class Gone(SavoirsError):
    status = 410
    code = "gone"
    message_en = "This resource no longer exists."
    message_fr = "Cette ressource n'existe plus."


class Conflict(SavoirsError):
    status = 409
    code = "conflict"
    message_en = "The request conflicts with the current state."
    message_fr = "La requête est en conflit avec l'état actuel."


class PayloadTooLarge(SavoirsError):
    status = 413
    code = "payload_too_large"
    message_en = "The request body is too large."
    message_fr = "Le corps de la requête est trop volumineux."


class TooManyRequests(SavoirsError):
    status = 429
    code = "too_many_requests"
    message_en = "Too many failed attempts. Wait a minute and try again."
    message_fr = "Trop de tentatives échouées. Attendez une minute avant de réessayer."


class ServiceUnavailable(SavoirsError):
    status = 503
    code = "service_unavailable"
    message_en = "The service is temporarily unavailable. Nothing was saved; try again shortly."
    message_fr = "Le service est momentanément indisponible. Rien n'a été enregistré ; réessayez bientôt."


class SigningUnavailable(ServiceUnavailable):
    code = "signing_unavailable"
    message_en = (
        "Issuing is unavailable: the key-encryption key is not configured on this server. "
        "Verification still works."
    )
    message_fr = (
        "L'émission est indisponible : la clé de chiffrement des clés n'est pas configurée sur ce serveur. "
        "La vérification fonctionne toujours."
    )


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


def _from_savoirs(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SavoirsError)
    return problem_response(exc.status, exc.code, exc.message_en, exc.message_fr, headers=exc.headers,
                            extra=exc.extra)


def _from_signing(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SigningError)
    return problem_response(422, exc.code, exc.message_en, exc.message_fr)


def _from_badge_input(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BadgeInputError)
    return problem_response(422, exc.code, exc.message_en, exc.message_fr, extra=exc.extra)


def _describe_validation_error(err: dict[str, Any]) -> dict[str, Any]:
    loc = [str(part) for part in err.get("loc", ()) if part != "body"]
    kind = str(err.get("type", "invalid"))
    if kind == "extra_forbidden":
        fr = "Ce champ n'est pas accepté (il est fixé par le serveur ou inconnu)."
    elif kind == "missing":
        fr = "Ce champ est obligatoire."
    else:
        fr = "Valeur invalide."
    return {"field": ".".join(loc), "type": kind, "message_en": str(err.get("msg", "")), "message_fr": fr}


def _from_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_describe_validation_error(e) for e in exc.errors()]
    return problem_response(
        422,
        "invalid_input",
        InvalidInput.message_en,
        InvalidInput.message_fr,
        extra={"errors": errors},
    )


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
    err = ServiceUnavailable()
    return problem_response(err.status, err.code, err.message_en, err.message_fr, headers={"Retry-After": "5"})


def _from_anything(_: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", exc_info=exc)
    err = SavoirsError()
    return problem_response(err.status, err.code, err.message_en, err.message_fr)


def register_error_handlers(app: FastAPI) -> None:
    """Map every exception family to a problem response, once."""
    app.add_exception_handler(SavoirsError, _from_savoirs)
    app.add_exception_handler(SigningError, _from_signing)
    app.add_exception_handler(BadgeInputError, _from_badge_input)
    app.add_exception_handler(RequestValidationError, _from_validation)
    app.add_exception_handler(StarletteHTTPException, _from_http)
    app.add_exception_handler(OperationalError, _from_database)
    app.add_exception_handler(InterfaceError, _from_database)
    app.add_exception_handler(Exception, _from_anything)
