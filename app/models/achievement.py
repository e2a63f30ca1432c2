"""Achievements (badge classes), versioned: a published version never changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, new_id, utcnow

__all__ = ["Achievement", "StoredImage"]


class Achievement(Base):
    __tablename__ = "achievements"
    __table_args__ = (Index("ix_achievements_lineage", "lineage_id", "version", unique=True),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    lineage_id: Mapped[str] = mapped_column(String(32))  # the id of version 1; shared by every version
    version: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(16), default="draft")  # draft | published | archived
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    criteria_narrative: Mapped[str | None] = mapped_column(Text)
    criteria_url: Mapped[str | None] = mapped_column(String(2000))
    achievement_type: Mapped[str] = mapped_column(String(64), default="Badge")
    image_url: Mapped[str | None] = mapped_column(String(2000))
    image_id: Mapped[str | None] = mapped_column(ForeignKey("images.id"))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    alignments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(16), default="fr")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StoredImage(Base):
    """An uploaded image, already checked (PNG walked, SVG sanitised)."""

    __tablename__ = "images"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    media_type: Mapped[str] = mapped_column(String(32))  # image/png | image/svg+xml
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
