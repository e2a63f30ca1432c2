"""The errors of sign-in, in words: instances of the service's error tree with their own stable codes (mapped to
problem+json in one place, :mod:`app.problems`; the pages show the same messages).

One class of its own: :class:`SigninRedirect`, a browser without a session sent to the sign-in page (303). ::

    SavoirsError
    └── SigninRedirect (303 signin_required)   a page that needs a session, asked for by a browser
"""

from __future__ import annotations

from typing import ClassVar

from app.errors import (
    BadRequest,
    Forbidden,
    InvalidInput,
    SavoirsError,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorised,
)

__all__ = ["SigninRedirect", "code_malformed", "code_refused", "csrf_failed", "link_refused", "signin_required",
           "signin_unavailable", "too_many_attempts", "too_many_failures", "too_many_requests"]


class SigninRedirect(SavoirsError):
    """Not an error for the person: the page needs a session, so the browser goes to the sign-in page first
    (``Location``), and comes back after."""

    status: ClassVar[int] = 303
    code = "signin_required"
    message_en = "Sign in first: you are being sent to the sign-in page."
    message_fr = "Connectez-vous d'abord : vous êtes envoyé vers la page de connexion."

    def __init__(self, location: str) -> None:
        super().__init__(headers={"Location": location})


def signin_required() -> Unauthorised:
    return Unauthorised("Sign in first: no session, or it expired or was closed (cookie savoirs_session).",
                        "Connectez-vous d'abord : aucune connexion, ou elle a expiré ou été fermée (cookie "
                        "savoirs_session).", code="signin_required")


def csrf_failed() -> Forbidden:
    return Forbidden("This form has expired or did not come from this site. Open the page again and retry.",
                     "Ce formulaire a expiré ou ne vient pas de ce site. Rouvrez la page et recommencez.",
                     code="csrf_failed")


def code_malformed() -> InvalidInput:
    return InvalidInput("The code has 6 digits: type the 6 digits of the message.",
                        "Le code a 6 chiffres : tapez les 6 chiffres du message.", code="signin_code_malformed")


def code_refused() -> BadRequest:
    return BadRequest("This code is not the right one, or it is no longer valid. Check the 6 digits of the last "
                      "message you received, or ask for a new code.",
                      "Ce code n'est pas le bon, ou il n'est plus valable. Vérifiez les 6 chiffres du dernier "
                      "message reçu, ou demandez un nouveau code.", code="signin_code_refused")


def link_refused() -> BadRequest:
    return BadRequest("This link is no longer valid: it was already used, it expired, or a newer message replaced "
                      "it. Ask for a new one.",
                      "Ce lien n'est plus valable : il a déjà servi, il a expiré, ou un message plus récent l'a "
                      "remplacé. Demandez-en un nouveau.", code="signin_link_refused")


def too_many_attempts(retry_after: int) -> TooManyRequests:
    return TooManyRequests("Too many wrong codes: this code no longer works. Ask for a new code.",
                           "Trop d'essais : ce code ne marche plus. Demandez un nouveau code.",
                           code="signin_too_many_attempts", headers={"Retry-After": str(retry_after)})


def too_many_requests(retry_after: int) -> TooManyRequests:
    minutes = max(1, -(-retry_after // 60))
    return TooManyRequests(f"Too many sign-in requests. Wait {minutes} minute(s), then try again.",
                           f"Trop de demandes de connexion. Attendez {minutes} minute(s), puis réessayez.",
                           code="signin_too_many_requests", headers={"Retry-After": str(retry_after)})


def too_many_failures(retry_after: int) -> TooManyRequests:
    minutes = max(1, -(-retry_after // 60))
    return TooManyRequests(f"Too many wrong codes or links from this connection. Wait {minutes} minute(s).",
                           f"Trop de codes ou de liens erronés depuis cette connexion. Attendez {minutes} minute(s).",
                           code="signin_too_many_failures", headers={"Retry-After": str(retry_after)})


def signin_unavailable() -> ServiceUnavailable:
    return ServiceUnavailable("Signing in is unavailable: the key-encryption key is not configured on this server.",
                              "La connexion est indisponible : la clé de chiffrement n'est pas configurée sur ce "
                              "serveur.", code="signin_unavailable", headers={"Retry-After": "300"})
