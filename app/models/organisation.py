"""Issuing organisations (tenants) and their API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, new_id, utcnow

__all__ = ["ApiKey", "Organisation"]


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    #: ``organisation``, or ``person``: an individual endorser the service hosts (a key and a did:web of their own,
    #: no API key, not listed with the organisations; ``email`` is the address they proved, never published)
    kind: Mapped[str] = mapped_column(String(16), default="organisation", server_default="organisation")
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    email: Mapped[str] = mapped_column(String(320))
    description: Mapped[str | None] = mapped_column(Text)
    image: Mapped[str | None] = mapped_column(String(2000))
    language: Mapped[str] = mapped_column(String(16), default="fr")
    #: what the credentials' ``credentialStatus`` carries: ``revocation_only`` (one entry, as the OB 3.0 JSON Schema
    #: of 2024 allows) or ``revocation_and_suspension`` (an array of two entries, VC Data Model 2.0)
    status_model: Mapped[str] = mapped_column(String(32), default="revocation_only",
                                              server_default="revocation_only")
    #: the ``PUBLIC_BASE_URL`` its identifiers (did:web, credential ids, status lists) were published under, recorded
    #: at creation; NULL for organisations created before it was recorded (see ``organisations.check_public_base``)
    public_base_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ApiKey(Base):
    """An API key ``prefix.secret``: only the SHA-256 of the secret is stored."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
