"""A holder space as a backpack: credentials other issuers (or the holder's other backpacks) pushed into it through
the Open Badges 3.0 API, the holder's profile there, and the backpacks elsewhere the holder connected to send their
badges to (the secrets of those connections sealed under the key-encryption key)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, new_id

__all__ = ["BackpackConnection", "HolderProfile", "ReceivedCredential"]


class ReceivedCredential(Base):
    """A credential received through ``POST /ims/ob/v3p0/credentials``, verified before it was stored; one per
    holder, issuer id and credential id (a newer ``validFrom`` replaces it)."""

    __tablename__ = "received_credentials"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    holder_id: Mapped[str] = mapped_column(ForeignKey("holders.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of ``holder id | issuer id | credential id`` (both ids percent-decoded and trimmed): the upsert key
    identity_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    issuer_id: Mapped[str] = mapped_column(Text)
    credential_id: Mapped[str] = mapped_column(Text)
    #: the credential object (for a compact JWS, its payload)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: the compact JWS as received, when it came as one
    compact_jws: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    name: Mapped[str] = mapped_column(String(300))
    issuer_name: Mapped[str] = mapped_column(String(300))
    #: our verifier's verdict when it arrived (``valid`` …) and its checks, to show in the space
    verdict: Mapped[str] = mapped_column(String(16))
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    client_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HolderProfile(Base):
    """The holder's profile as a backpack last put it (``PUT /ims/ob/v3p0/profile``)."""

    __tablename__ = "holder_profiles"

    holder_id: Mapped[str] = mapped_column(ForeignKey("holders.id", ondelete="CASCADE"), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BackpackConnection(Base):
    """A backpack elsewhere that the holder sends badges to: its service description, our registration there and
    the tokens it gave us (sealed), and an authorisation under way (its ``state``)."""

    __tablename__ = "backpack_connections"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    holder_id: Mapped[str] = mapped_column(ForeignKey("holders.id", ondelete="CASCADE"), index=True)
    discovery_url: Mapped[str] = mapped_column(String(2000))
    name: Mapped[str] = mapped_column(String(200))
    api_base: Mapped[str] = mapped_column(String(2000))
    authorization_url: Mapped[str] = mapped_column(String(2000))
    token_url: Mapped[str] = mapped_column(String(2000))
    client_id: Mapped[str] = mapped_column(String(255))
    #: JSON ``{client_secret, code_verifier?, access_token?, refresh_token?}`` sealed under the KEK
    sealed_secrets: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    kek_id: Mapped[str] = mapped_column(String(16))
    access_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: SHA-256 of the ``state`` of the authorisation under way, and the award to send once it comes back
    state_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    pending_award_id: Mapped[str | None] = mapped_column(String(32))
    pending_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
