"""Sign-in as the JSON API reads and writes it (for integrators; browsers use the pages)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator

from app.errors import InvalidValue
from app.schemas.common import InputModel, OutputModel
from app.signin.address import local_path
from app.signin.audiences import AUDIENCES, DEFAULT_AUDIENCE

__all__ = ["ChallengeAccepted", "ChallengeRequest", "CodeRedemption", "LinkRedemption", "SessionOut",
           "SessionRevocation", "SessionsRevoked"]

EmailIn = Annotated[str, Field(min_length=1, max_length=320, description="The email address, as the person typed it.",
                                examples=["sylvie@example.fr"])]


class ChallengeRequest(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"email": "sylvie@example.fr", "audience": "anyone", "next": "/moi", "lang": "fr"}]})

    email: EmailIn
    audience: str = Field(DEFAULT_AUDIENCE, description="Who may receive a message: `anyone` (every address) or "
                                                         "`organisation` (an issuing organisation's contact "
                                                         "address only). The answer is the same either way.")
    next: str | None = Field(None, max_length=512, description="Where the sign-in pages go once signed in: a path "
                                                               "of this service (`/…`), never another site.")
    lang: Literal["fr", "en"] = Field("fr", description="The language of the message and of the pages.")

    @field_validator("audience")
    @classmethod
    def _known_audience(cls, value: str) -> str:
        if value not in AUDIENCES:
            names = ", ".join(sorted(AUDIENCES))
            raise InvalidValue(f"must be one of: {names}", f"doit être l'une de ces valeurs : {names}")
        return value

    @field_validator("next")
    @classmethod
    def _local_next(cls, value: str | None) -> str | None:
        if value is not None and local_path(value) is None:
            raise InvalidValue("must be a path on this service, starting with a single /",
                               "doit être un chemin de ce service, commençant par un seul /")
        return value


class ChallengeAccepted(OutputModel):
    """The same answer for every address."""

    message_en: str
    message_fr: str
    expires_in_minutes: int = Field(description="How long the link and the code work, once sent.")


class CodeRedemption(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "sylvie@example.fr", "code": "123456"}]})

    email: EmailIn
    code: str = Field(min_length=1, max_length=32, description="The 6 digits of the message (spaces allowed).")


class LinkRedemption(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"token": "Qm9uam91ciBTeWx2aWUgISBDZWNpIG4nZXN0IHBhcyB1bg"}]})

    token: str = Field(min_length=1, max_length=100, description="The `token` parameter of the link in the message.")


class SessionOut(OutputModel):
    email: str = Field(description="The address this session proves control of.")
    session_id: str
    expires_at: datetime
    next: str | None = Field(None, description="Where the person asked to go once signed in (a path).")


class SessionRevocation(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "sylvie@example.fr"}]})

    email: EmailIn


class SessionsRevoked(OutputModel):
    revoked: int = Field(description="How many open sessions were closed.")
