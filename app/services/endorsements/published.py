"""The endorsements an object carries in its published documents: accepted, not revoked, oldest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Endorsement

__all__ = ["published", "version"]

_SHOWN = ("accepted",)


def published(session: Session, subject_kind: str, subject_id: str) -> list[dict[str, Any]]:
    """The signed EndorsementCredentials of an object that its documents carry."""
    found = session.scalars(select(Endorsement.credential).where(
        Endorsement.subject_kind == subject_kind, Endorsement.subject_id == subject_id,
        Endorsement.state.in_(_SHOWN)).order_by(Endorsement.decided_at, Endorsement.id))
    return [credential for credential in found if credential is not None]


def version(session: Session, subject_kind: str, subject_id: str) -> tuple[int, int, datetime | None]:
    """What changes when an endorsement of the object is accepted or revoked (for its documents' tags): how many
    are published, how many were taken back, and the last change of one."""
    shown, revoked, last = session.execute(select(
        func.count().filter(Endorsement.state == "accepted"), func.count().filter(Endorsement.state == "revoked"),
        func.max(Endorsement.updated_at)).where(
        Endorsement.subject_kind == subject_kind, Endorsement.subject_id == subject_id,
        Endorsement.state.in_(("accepted", "revoked")))).one()
    return int(shown), int(revoked), last
