"""An endorsement given: signed by its endorser and published with what it endorses (an endorsed award is issued
again under its id); taken back: its status bit set, and gone from what it endorsed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.models import Award, Endorsement, Organisation
from app.services import status_documents
from app.services.context import ServiceContext
from app.services.endorsements.common import closed, current_subject, record
from app.services.endorsements.signing import reissue_award, sign
from app.services.status import set_status_bit

__all__ = ["publish", "take_back"]


def publish(ctx: ServiceContext, session: Session, row: Endorsement, endorser: Organisation, *, actor: str,
            now: datetime) -> None:
    """Sign ``row`` (its comment set) with ``endorser``'s key and publish it."""
    subject = current_subject(ctx, session, row)
    row.endorser_org_id = endorser.id
    row.credential = sign(session, ctx.vault, ctx.urls, row, endorser, subject_url=subject.url,
                          subject_name=subject.name, now=now)
    row.state, row.decided_at = "accepted", now
    session.flush()
    if row.subject_kind == "award":
        reissue_award(session, ctx.vault, ctx.urls, session.get_one(Award, row.subject_id), now=now)
    record(session, row, "accept", actor, now)


def take_back(ctx: ServiceContext, session: Session, row: Endorsement, *, actor: str, now: datetime) -> None:
    """Revoke an accepted endorsement."""
    if row.state != "accepted":
        raise closed(row)
    assert row.revocation_list_id is not None and row.revocation_index is not None
    set_status_bit(session, row.revocation_list_id, [row.revocation_index], True, now=now)
    status_documents.keep_changed(session, ctx.vault, ctx.urls)
    row.state, row.revoked_at = "revoked", now
    session.flush()
    if row.subject_kind == "award":
        reissue_award(session, ctx.vault, ctx.urls, session.get_one(Award, row.subject_id), now=now)
    record(session, row, "revoke", actor, now)
