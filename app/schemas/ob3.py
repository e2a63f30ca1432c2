"""The error bodies of the Open Badges 3.0 API, as its documentation shows them: ``Imsx_StatusInfo`` (resources)
and RFC 6749's ``{error, error_description}`` (its OAuth endpoints)."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["ImsxStatusInfo", "OAuthError"]


class ImsxCodeMinorField(BaseModel):
    imsx_codeMinorFieldName: str
    imsx_codeMinorFieldValue: str


class ImsxCodeMinor(BaseModel):
    imsx_codeMinorField: list[ImsxCodeMinorField]


class ImsxStatusInfo(BaseModel):
    """``imsx_description`` holds the English message, the French one and our code: ``en / fr (code)``."""

    imsx_codeMajor: str = Field(description="failure")
    imsx_severity: str = Field(description="error")
    imsx_description: str | None = None
    imsx_codeMinor: ImsxCodeMinor | None = None


class OAuthError(BaseModel):
    error: str = Field(description="invalid_request, invalid_client, invalid_grant, invalid_scope, …")
    error_description: str | None = None
