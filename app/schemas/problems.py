"""The problem document (RFC 9457) every error answers with, as the API documentation shows it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FieldProblem", "Problem", "ValidationProblem"]


class Problem(BaseModel):
    """``application/problem+json``: a stable ``code`` and the same message in French and in English."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "https://savoirs.dev/problems/not_found", "title": "No such achievement.", "status": 404,
        "detail": "No such achievement.", "code": "not_found", "message_en": "No such achievement.",
        "message_fr": "Badge introuvable."}]})

    type: str = Field(description="A URI naming the kind of problem: https://savoirs.dev/problems/{code}")
    title: str = Field(description="The English message")
    status: int = Field(description="The HTTP status")
    detail: str = Field(description="The English message")
    code: str = Field(description="Stable machine-readable code, e.g. not_found, invalid_input, missing_scope")
    message_en: str
    message_fr: str


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the field (recipient.email, evidence.0.url); empty for the body")
    type: str = Field(description="pydantic's error type, e.g. missing, string_too_long, value_error")
    message_en: str
    message_fr: str


class ValidationProblem(Problem):
    """A 422 for a request whose fields are missing or invalid: one entry per field in ``errors``."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "https://savoirs.dev/problems/invalid_input", "title": "recipient.email: is not an email address: "
        "The part after the @-sign contains invalid characters: ','.", "status": 422,
        "detail": "recipient.email: is not an email address: The part after the @-sign contains invalid "
                  "characters: ','.", "code": "invalid_input",
        "message_en": "recipient.email: is not an email address: The part after the @-sign contains invalid "
                      "characters: ','.",
        "message_fr": "recipient.email : n'est pas une adresse e-mail valide (par exemple : prenom.nom@exemple.fr) "
                      "; vérifiez qu'il n'y a ni espace, ni virgule, ni deux adresses à la fois",
        "errors": [{"field": "recipient.email", "type": "value_error",
                    "message_en": "is not an email address: The part after the @-sign contains invalid "
                                  "characters: ','.",
                    "message_fr": "n'est pas une adresse e-mail valide (par exemple : prenom.nom@exemple.fr) ; "
                                  "vérifiez qu'il n'y a ni espace, ni virgule, ni deux adresses à la fois"}]}]})

    errors: list[FieldProblem] = Field(default_factory=list)
