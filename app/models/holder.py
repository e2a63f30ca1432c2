"""Holders: the person a badge belongs to, once they have proven it (an email address they read, or the printed
claim code of an award), and the browsers that came in with a claim code alone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, new_id

__all__ = ["ErasureRequest", "Holder", "HolderSession"]


class Holder(Base):
    """A holder space: the awards whose recipient the person proved, across organisations (``awards.holder_id``)."""

    __tablename__ = "holders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: keyed hash (``KeyVault.holder_key``) of the folded address the person proved by signing in; NULL for a
    #: holder who came in with a printed claim code only (the code then brings them back)
    email_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HolderSession(Base):
    """A browser in a holder space opened with a claim code (a holder with an address signs in instead): the cookie
    holds the token, the row its SHA-256."""

    __tablename__ = "holder_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    holder_id: Mapped[str] = mapped_column(ForeignKey("holders.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ErasureRequest(Base):
    """A holder's request to erase their personal data, until staff carry it out (then only dates and counts
    stay)."""

    __tablename__ = "erasure_requests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    #: NULL once carried out
    holder_id: Mapped[str | None] = mapped_column(ForeignKey("holders.id", ondelete="SET NULL"), index=True)
    #: the address the holder signed in with (to erase what was sent to it); NULL once carried out, or for a holder
    #: who came in with a claim code
    address: Mapped[str | None] = mapped_column(String(320))
    #: ``keep`` (credentials handed out stay verifiable) or ``revoke``
    credentials: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16))  # requested | done
    awards_count: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
