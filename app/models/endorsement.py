"""Endorsements (OB 3.0 ``EndorsementCredential``): someone vouches for an organisation, one of its achievements or
one award, signed with the endorser's own key.

The endorser is an organisation row: another organisation of the service, or a person (``Organisation.kind`` =
``person``) the service hosts, with a key and a did:web of their own, created the first time they accept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, new_id, utcnow

__all__ = ["Endorsement"]


class Endorsement(Base):
    """One endorsement, from the moment it is asked (or offered) to its revocation.

    States: ``consent`` (about an award: waits for its holder's consent), ``requested`` (waits for the endorser),
    ``offered`` (spontaneous: waits for the holder or the organisation to accept it), ``accepted`` (issued and
    published), ``declined``, ``expired``, ``revoked`` (by its endorser; its status bit is set).
    """

    __tablename__ = "endorsements"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: the organisation whose object is endorsed (it asked, or it accepts an offer)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # organisation | achievement | award
    subject_id: Mapped[str] = mapped_column(String(32), index=True)
    endorser_kind: Mapped[str] = mapped_column(String(16))  # organisation | person
    #: the endorsing organisation (or person), once known: at once for an organisation, on acceptance for a person
    endorser_org_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                        index=True)
    #: a person asked: the name and address the organisation gave (the address is proven by signing in)
    invited_name: Mapped[str | None] = mapped_column(String(200))
    invited_email: Mapped[str | None] = mapped_column(String(320))
    origin: Mapped[str] = mapped_column(String(16), default="requested")  # requested | offered
    state: Mapped[str] = mapped_column(String(16), index=True)
    message: Mapped[str | None] = mapped_column(Text)  # the organisation's words to the endorser
    #: the service emails the endorser their link (else the organisation sends it itself)
    email_endorser: Mapped[bool] = mapped_column(Boolean, default=True)
    comment: Mapped[str | None] = mapped_column(Text)  # the endorsementComment
    language: Mapped[str] = mapped_column(String(8), default="fr")
    #: SHA-256 of the endorser's private link, and of the holder's consent link (awards only)
    link_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    consent_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    credential: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    revocation_list_id: Mapped[str | None] = mapped_column(ForeignKey("status_lists.id"))
    revocation_index: Mapped[int | None] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
