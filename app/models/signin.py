"""Sign-in by email: challenges (a link and a code sent to an address) and the sessions they open. Only digests of
the secrets are stored (see :mod:`app.signin.tokens`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, new_id

__all__ = ["SigninChallenge", "SigninSession"]


class SigninChallenge(Base):
    """One request to sign in. Every syntactically valid request makes one (so that each answers alike), but only
    one whose audience admits the address gets a message and its ``email``; the others can never be redeemed."""

    __tablename__ = "signin_challenges"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: HMAC of the folded address (app.signin.tokens): counted, superseded and found by it
    email_key: Mapped[str] = mapped_column(String(64), index=True)
    #: the normalised address the message went to; NULL while (or when) no message is sent
    email: Mapped[str | None] = mapped_column(String(320))
    audience: Mapped[str] = mapped_column(String(32))
    next_path: Mapped[str | None] = mapped_column(String(512))
    lang: Mapped[str] = mapped_column(String(8))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    code_hmac: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SigninSession(Base):
    """A signed-in browser (or API client): the cookie holds the token, the row its SHA-256."""

    __tablename__ = "signin_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    #: the address case-folded: "sign out everywhere" and revocations find every session of a mailbox by it
    email_folded: Mapped[str] = mapped_column(String(320), index=True)
    #: the person's pseudonym in the audit trail (the challenge's ``email_key``)
    email_key: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
