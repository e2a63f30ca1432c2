"""The service's one exception tree: a stable ``code``, an HTTP ``status`` and a French and an English message.

This module imports nothing but the standard library, so every layer (the pure ``signing``, ``badges`` and
``verify`` packages included) raises these; ``app.problems`` maps them to problem+json in one place, the pages and
the command line print the same messages. ::

    SavoirsError (500 internal_error)            our own failure unless a subclass says otherwise
    ├── BadRequest (400)
    │   └── InvalidInput (422)
    │       ├── IdempotencyMismatch (422)
    │       └── UnsupportedMediaType (415)
    ├── Unauthorised (401)
    ├── Forbidden (403)
    ├── NotFound (404)
    ├── NotAcceptable (406)
    ├── Conflict (409)
    ├── Gone (410)
    ├── PayloadTooLarge (413)
    ├── TooManyRequests (429)
    ├── ServiceUnavailable (503)
    │   ├── SigningUnavailable (503)
    │   └── Misconfigured (503)       this server's settings contradict what it already published
    ├── SigningError (500)          app.signing.errors: signing or verifying a proof; ours unless caught
    ├── BadgeInputError (422)       app.badges.errors: images, baking, badge data given to us
    ├── BitstringError (422)        app.badges.bitstring: a malformed status list
    ├── FetchError (502)            app.verify.fetch: a refused or failed outbound fetch
    └── StepFailed (422)            app.verify.errors: a verification check that failed

Responses never contain a traceback, SQL or a file path. Beside the tree, :class:`InvalidValue` is a field
validator's refusal in both languages (a ``ValueError``, as pydantic expects).
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "BadRequest",
    "Conflict",
    "Forbidden",
    "Gone",
    "IdempotencyMismatch",
    "InvalidInput",
    "InvalidValue",
    "Misconfigured",
    "NotAcceptable",
    "NotFound",
    "PayloadTooLarge",
    "SavoirsError",
    "ServiceUnavailable",
    "SigningUnavailable",
    "TooManyRequests",
    "Unauthorised",
    "UnsupportedMediaType",
]


class SavoirsError(Exception):
    """Base of every error we raise. Class attributes give the defaults; an instance may override the messages,
    the code, response headers and extra problem members."""

    status: ClassVar[int] = 500
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
        self.headers: dict[str, str] = headers or {}
        self.extra: dict[str, Any] = extra or {}
        super().__init__(f"{self.code}: {self.message_en}")

    @property
    def is_ours(self) -> bool:
        """True for a failure of the service itself (5xx), false for one the caller can fix (4xx)."""
        return self.status >= 500


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


class UnsupportedMediaType(InvalidInput):
    status = 415
    code = "unsupported_media_type"
    message_en = "Unsupported Content-Type."
    message_fr = "Type de contenu non pris en charge."


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


class CredentialPrivate(NotFound):
    """The holder keeps this badge private: its address serves no document (whoever holds the credential itself
    still verifies it)."""

    code = "credential_private"
    message_en = ("This badge is private: its holder chose not to show it here. Someone who has the badge's file "
                  "can still check it on the verification page.")
    message_fr = ("Ce badge est privé : la personne qui l'a reçu a choisi de ne pas le montrer ici. Si l'on vous a "
                  "transmis le fichier du badge, vous pouvez le vérifier sur la page de vérification.")


class NotAcceptable(SavoirsError):
    status = 406
    code = "not_acceptable"
    message_en = "No representation matches the Accept header."
    message_fr = "Aucun format ne correspond à l'en-tête Accept."


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


class Misconfigured(ServiceUnavailable):
    """A setting of this server contradicts what it already published (e.g. ``PUBLIC_BASE_URL``): our own
    failure, which an operator fixes; nothing is issued meanwhile."""

    code = "misconfigured"
    message_en = "This server is misconfigured: issuing is stopped until an operator fixes its settings."
    message_fr = ("Ce serveur est mal configuré : l'émission est arrêtée jusqu'à ce qu'un administrateur corrige "
                  "ses réglages.")


class InvalidValue(ValueError):
    """A field validator's refusal: ``str()`` is the English message, ``message_fr`` the French one (pydantic
    reports it as a ``value_error``; ``app.problems`` shows both)."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_fr = message_fr
