"""Errors raised by the pure signing layer.

Every error carries a stable machine ``code`` and bilingual messages, so the HTTP layer
and the verifier can report it without knowing the class::

    SigningError
    ├── UnsupportedAlgorithmError   unsupported_algorithm
    ├── UnknownContextError         unknown_context
    ├── UndefinedTermError          undefined_term
    ├── CanonicalisationLimitError  canonicalisation_limit
    ├── InvalidKeyError             invalid_key
    ├── MalformedProofError         malformed_proof
    ├── MalformedTokenError         malformed_token
    └── BadSignatureError           bad_signature

``SigningError`` is an :class:`app.errors.SavoirsError` with status 500: when it escapes to a caller it is our own
failure (our key, our document). The verifier catches these and reports them as failed checks instead.
"""

from __future__ import annotations

from app.errors import SavoirsError

__all__ = [
    "BadSignatureError",
    "CanonicalisationLimitError",
    "InvalidKeyError",
    "MalformedProofError",
    "MalformedTokenError",
    "SigningError",
    "UndefinedTermError",
    "UnknownContextError",
    "UnsupportedAlgorithmError",
]


class SigningError(SavoirsError):
    """Base class: ``code`` is stable, ``message_fr``/``message_en`` are for people."""

    code: str = "signing_error"
    message_fr: str = "Erreur de signature."
    message_en: str = "Signing error."


class UnsupportedAlgorithmError(SigningError):
    code = "unsupported_algorithm"
    message_fr = "Algorithme de signature non accepté."
    message_en = "Signature algorithm not accepted."


class UnknownContextError(SigningError):
    code = "unknown_context"
    message_fr = "Contexte JSON-LD inconnu : seuls les contextes embarqués sont acceptés."
    message_en = "Unknown JSON-LD context: only bundled contexts are accepted."


class UndefinedTermError(SigningError):
    code = "undefined_term"
    message_fr = "Le document utilise un terme qu'aucun contexte ne définit."
    message_en = "The document uses a term that no context defines."


class CanonicalisationLimitError(SigningError):
    code = "canonicalisation_limit"
    message_fr = "Le document est trop complexe à canoniser."
    message_en = "The document is too complex to canonicalise."


class InvalidKeyError(SigningError):
    code = "invalid_key"
    message_fr = "Clé invalide ou d'un type inattendu."
    message_en = "Invalid key or unexpected key type."


class MalformedProofError(SigningError):
    code = "malformed_proof"
    message_fr = "Preuve mal formée."
    message_en = "Malformed proof."


class MalformedTokenError(SigningError):
    code = "malformed_token"
    message_fr = "Jeton JWS/JWT mal formé ou refusé."
    message_en = "Malformed or refused JWS/JWT token."


class BadSignatureError(SigningError):
    code = "bad_signature"
    message_fr = "La signature ne correspond pas au contenu."
    message_en = "The signature does not match the content."
