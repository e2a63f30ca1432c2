"""Email messages the service sends: written in the transaction of the change that causes them, sent by a job.

A row keeps the address and the bodies until the message is sent or has failed for good; then the bodies are
emptied (they may hold a sign-in link, a secret until it expires). ``last_error`` is short and never holds the
address: a code and the mail server's reply code at most.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, new_id, utcnow

__all__ = ["OutgoingEmail"]


class OutgoingEmail(Base):
    __tablename__ = "emails"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: None for a message sent on no organisation's behalf (a holder's sign-in link)
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8))  # fr | en
    purpose: Mapped[str] = mapped_column(String(64))  # signin, request.received, …: never personal data
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)  # emptied once sent or failed
    html_body: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
