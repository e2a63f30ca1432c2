"""What the verification API accepts as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field

from app.schemas.common import InputModel

__all__ = ["VerifyRequest"]


class VerifyRequest(InputModel):
    """Exactly one of ``url``, ``credential`` or ``jwt``."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"url": "https://badges.example.org/credentials/x",
                                                               "recipient": "sylvie@example.fr"}]})

    url: Annotated[str, Field(max_length=2048)] | None = Field(
        None, description="An OB 2.0 hosted assertion, an OB 3.0 credential URL, or a baked image URL")
    credential: dict[str, Any] | None = Field(None, description="An OB 2.0 assertion or OB 3.0 credential (JSON)")
    jwt: Annotated[str, Field(max_length=65536)] | None = Field(None, description="A compact JWS or VC-JWT")
    recipient: Annotated[str, Field(max_length=320)] | None = Field(
        None, description="Optional: an email or identifier to check against the badge's (hashed) recipient")
