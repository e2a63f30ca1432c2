"""Rate-limit counters shared by every worker: one row per limiter, client and window."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime

__all__ = ["RateCount"]


class RateCount(Base):
    """How many events one key (a limiter's name and a client, hashed: no address is stored) had in one window."""

    __tablename__ = "rate_counts"

    key_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer)
