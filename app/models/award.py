"""Awards: one row per issued credential, with its status-list positions and its signed document."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow

__all__ = ["Award", "Group", "GroupMember", "IdempotencyRecord", "StatusList"]


class Award(Base):
    __tablename__ = "awards"
    __table_args__ = (
        UniqueConstraint("revocation_list_id", "revocation_index"),
        UniqueConstraint("suspension_list_id", "suspension_index"),
        # the read side (GET /api/v1/awards): lists are ordered by (created_at, id) newest first within one
        # organisation, and counted (X-Total-Count), by an index alone for the common filters; a recipient is found
        # by its keyed hash
        Index("ix_awards_org_id_recipient_lookup", "org_id", "recipient_lookup"),
        Index("ix_awards_org_id_created_at", "org_id", "created_at", "id"),
        Index("ix_awards_org_id_status", "org_id", "status", "created_at", "id"),
        Index("ix_awards_org_id_achievement_id", "org_id", "achievement_id", "created_at", "id"),
        Index("ix_awards_org_id_achievement_id_level_id", "org_id", "achievement_id", "level_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # 128-bit random, also in the public URL
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    achievement_id: Mapped[str] = mapped_column(ForeignKey("achievements.id"))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("groups.id"), index=True)
    parent_award_id: Mapped[str | None] = mapped_column(ForeignKey("awards.id"), index=True)
    recipient_kind: Mapped[str] = mapped_column(String(16))  # email | phone | url | did | none | group
    identity_hash: Mapped[str | None] = mapped_column(String(200))
    salt: Mapped[str | None] = mapped_column(String(64))
    #: keyed hash (HMAC) of the normalised email or phone, to find an organisation's awards by recipient without
    #: storing the identifier; NULL for awards issued before it existed and for other kinds of recipient
    recipient_lookup: Mapped[str | None] = mapped_column(String(64))
    recipient_id: Mapped[str | None] = mapped_column(String(2000))  # DID/URL subjects (already public)
    claim_code_sha256: Mapped[str | None] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    level_id: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | suspended | revoked
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revocation_list_id: Mapped[str] = mapped_column(ForeignKey("status_lists.id"))
    revocation_index: Mapped[int] = mapped_column(Integer)
    suspension_list_id: Mapped[str] = mapped_column(ForeignKey("status_lists.id"))
    suspension_index: Mapped[int] = mapped_column(Integer)
    signing_key_id: Mapped[str] = mapped_column(ForeignKey("signing_keys.id"), index=True)
    # the signed OB 3.0 credential; re-signed (same id and content, new proof) when its key is compromised, issued
    # again (same id, newer validFrom) when an endorsement of it is accepted or revoked
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: 1, then one more each time the credential is issued again under its id (an endorsement came or went): the
    #: served document's version
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: the holder space it was claimed into (the recipient's address proven, or its claim code typed); NULL until then
    holder_id: Mapped[str | None] = mapped_column(ForeignKey("holders.id", ondelete="SET NULL"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: ``private`` (the default: the credential's URL serves no document, its page shows no identity; verifiers
    #: holding the credential still verify it) or ``public``: the holder's choice (awards issued before holders
    #: chose stay ``public``)
    visibility: Mapped[str] = mapped_column(String(8), default="private", server_default="public")
    #: the name the credential shows (an ``IdentityObject`` of type ``name``), as the holder chose; NULL: none
    public_name: Mapped[str | None] = mapped_column(String(200))
    #: set when the holder's personal data was erased: the row keeps its status-list positions only
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StatusList(Base):
    """A Bitstring Status List (≥131,072 entries) of one organisation and purpose."""

    __tablename__ = "status_lists"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # revocation | suspension
    size: Mapped[int] = mapped_column(Integer)
    used: Mapped[int] = mapped_column(Integer, default=0)  # indexes handed out (the permutation's counter)
    #: keys the permutation that turns the counter into indexes (app.badges.index_permutation); NULL for lists
    #: created before it, which only serve the status of their credentials
    permutation_seed: Mapped[str | None] = mapped_column(String(64))
    encoded_list: Mapped[str] = mapped_column(Text)  # "u" + base64url(gzip(bits))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the signed BitstringStatusListCredential of ``signed_version`` by the key ``signed_key_id``, kept when it was
    #: signed (app.services.status_documents): served as it is while both are current, even without the KEK
    signed_document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    signed_version: Mapped[int | None] = mapped_column(Integer)
    signed_key_id: Mapped[str | None] = mapped_column(String(32))


class Group(Base):
    """A collective recipient: a workshop group, a project team."""

    __tablename__ = "groups"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GroupMember(Base):
    __tablename__ = "group_members"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"email": …} | {"phone": …} | … | {}
    display_name: Mapped[str | None] = mapped_column(String(200))
    #: the member agreed that their badge name them (``display_name``), and that its page be public
    publish_name: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class IdempotencyRecord(Base):
    """The first response to an ``Idempotency-Key``, stored in the same transaction as its effect."""

    __tablename__ = "idempotency_records"

    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_sha256: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
