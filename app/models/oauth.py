"""The OAuth 2.0 authorisation server of the Open Badges 3.0 API: the backpacks (clients) that registered, the
authorisation codes a holder granted them, and the tokens they were given. Secrets are stored as SHA-256 digests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, new_id

__all__ = ["OAuthClient", "OAuthCode", "OAuthToken"]


class OAuthClient(Base):
    """A backpack (or any application) registered by RFC 7591 dynamic registration."""

    __tablename__ = "oauth_clients"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the client_id
    secret_sha256: Mapped[str] = mapped_column(String(64))
    client_name: Mapped[str] = mapped_column(String(200))
    client_uri: Mapped[str] = mapped_column(String(2000))
    logo_uri: Mapped[str] = mapped_column(String(2000))
    tos_uri: Mapped[str] = mapped_column(String(2000))
    policy_uri: Mapped[str] = mapped_column(String(2000))
    software_id: Mapped[str] = mapped_column(String(200))
    software_version: Mapped[str] = mapped_column(String(100))
    redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    scope: Mapped[str] = mapped_column(String(1000))
    #: every registered field, as echoed in the registration answer
    registered: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OAuthCode(Base):
    """An authorisation code: single use, short-lived, bound to its client, redirect URI and PKCE challenge."""

    __tablename__ = "oauth_codes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True)
    holder_id: Mapped[str] = mapped_column(ForeignKey("holders.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str] = mapped_column(String(2000))
    scope: Mapped[str] = mapped_column(String(1000))
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: set when the code is exchanged; a code presented again revokes what it gave
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OAuthToken(Base):
    """An access token and its refresh token. Refreshing gives a new row and revokes this one; every token that
    stems from one authorisation code shares its ``code_id`` (revoked together when the code or a spent refresh
    token is presented again)."""

    __tablename__ = "oauth_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True)
    holder_id: Mapped[str] = mapped_column(ForeignKey("holders.id", ondelete="CASCADE"), index=True)
    code_id: Mapped[str] = mapped_column(String(32), index=True)
    access_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(1000))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    access_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    refresh_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
