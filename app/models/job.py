"""Background jobs as people see them: what, for which organisation, where it stands, how it last failed.

The queue itself (scheduling, locking, retries) belongs to procrastinate (``app.jobs``); this table is the visible
record, written in the transaction that enqueues the job and by the job as it runs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, new_id, utcnow

__all__ = ["Job"]


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: None for a job done on no organisation's behalf (e.g. sending a holder's sign-in email)
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))  # resign_credentials | send_email
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running | succeeded | failed
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # ids only, never personal data
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))  # code and message of the last failed attempt
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
