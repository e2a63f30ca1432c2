"""Erasure and access requests about one resident (the organisation's side)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from app.errors import InvalidValue
from app.schemas.common import EmailText, InputModel, OutputModel
from app.schemas.search import ObjectId

__all__ = ["ClaimSheetsRequest", "ErasedOut", "ErasureRequestOut", "NewClaimCodeOut", "ResidentErase", "ResidentExport"]


class ResidentExport(InputModel):
    """One resident: the awards issued to their email address, and/or awards named by id."""

    model_config = {"json_schema_extra": {"examples": [{"email": "sylvie@example.fr"}]}}

    email: EmailText | None = None
    award_ids: Annotated[list[ObjectId], Field(max_length=200)] = []

    @model_validator(mode="after")
    def _someone(self) -> ResidentExport:
        if not self.email and not self.award_ids:
            raise InvalidValue("give the resident's email or the ids of their awards",
                               "donnez l'adresse e-mail de la personne ou les identifiants de ses badges")
        return self


class ResidentErase(ResidentExport):
    model_config = {"json_schema_extra": {"examples": [{"email": "sylvie@example.fr", "credentials": "revoke"}]}}

    credentials: Literal["keep", "revoke"] = Field(
        description="`keep`: the credentials handed out stay verifiable; `revoke`: they read as revoked.")


class ErasureRequestOut(OutputModel):
    id: str
    state: Literal["requested", "done"]
    credentials: Literal["keep", "revoke"] = Field(description="What the holder chose for their credentials.")
    awards: int = Field(description="How many of this organisation's awards the request is about.")
    created_at: datetime
    done_at: datetime | None


class ErasedOut(OutputModel):
    awards: int
    revoked: int
    requests: int = Field(description="Residents' requests emptied (names, contact, words, evidence files).")
    messages: int = Field(description="Messages sent to the address, deleted.")




class ClaimSheetsRequest(InputModel):
    """Claim codes to print, one page each (as the award or batch answers gave them)."""

    model_config = {"json_schema_extra": {"examples": [{"codes": ["1A2B-3C4D-5E6F-7A8B"], "language": "fr"}]}}

    codes: Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(min_length=1, max_length=500)]
    language: Literal["fr", "en"] = "fr"


class NewClaimCodeOut(OutputModel):
    award_id: str
    claim_code: str = Field(description="Shown once; the award's previous code no longer works.")
    claim_url: str = Field(description="The claim page, filled in with the code (for a QR code).")
