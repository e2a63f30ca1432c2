"""What the endorsement use cases share: private links, expiry, the views of an endorsement, its subject."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.errors import Conflict, NotFound
from app.mail import send_later
from app.models import Endorsement, Organisation
from app.schemas.endorsements import EndorsementOut, EndorsementView, SubjectView
from app.services import audit, organisations
from app.services.context import ServiceContext
from app.services.endorsements.messages import endorsement_request
from app.services.endorsements.subjects import Subject, subject_of
from app.signin.tokens import sha256_hex

__all__ = ["CONSENT", "LINK", "by_digest", "closed", "consent_url", "current_subject", "endorser_address",
           "endorser_of", "expect_state", "expire", "link_url", "out", "private_token", "record", "tell_the_endorser",
           "view"]

LINK, CONSENT = "endorsement", "endorsement-consent"
_OPEN = ("consent", "requested", "offered")


def private_token(ctx: ServiceContext, endorsement_id: str, kind: str = LINK) -> str:
    return ctx.vault.private_link(kind, endorsement_id)


def link_url(ctx: ServiceContext, token: str) -> str:
    """The endorser's page (its API: ``/api/v1/endorsement-links/{token}``)."""
    return f"{ctx.urls.base}/recommander/{token}"


def consent_url(ctx: ServiceContext, token: str) -> str:
    """The holder's page (its API: ``/api/v1/endorsement-consents/{token}``)."""
    return f"{ctx.urls.base}/accord/{token}"


def expire(row: Endorsement, now: datetime) -> None:
    """An open endorsement past its date is expired (read as such, and stored so on the next write)."""
    if row.state in _OPEN and row.expires_at <= now:
        row.state, row.updated_at = "expired", now


def tell_the_endorser(ctx: ServiceContext, session: Session, row: Endorsement, now: datetime) -> None:
    """Email the endorser their private link, in the transaction that made the request theirs to answer (when the
    organisation asked the service to)."""
    if not row.email_endorser:
        return
    asker = organisations.get_by_id(session, row.org_id)
    send_later(ctx, session, endorsement_request(
        to=endorser_address(session, row), language="en" if row.language == "en" else "fr", org_id=row.org_id,
        org_name=asker.name, endorser_name=_endorser_name(session, row), person=row.endorser_kind == "person",
        subject_kind=row.subject_kind, subject_name=stored_subject(ctx, session, row).name, message=row.message,
        expires=row.expires_at, action_url=link_url(ctx, private_token(ctx, row.id))), now=now)


def expect_state(row: Endorsement, state: str, now: datetime) -> None:
    """``row`` (expired first if it is past its date) is in ``state``, or the answer says where it stands.

    :raises Conflict: ``endorsement_<its state>``."""
    expire(row, now)
    if row.state != state:
        raise closed(row)


def endorser_of(session: Session, row: Endorsement) -> Organisation | None:
    return session.get(Organisation, row.endorser_org_id) if row.endorser_org_id else None


def current_subject(ctx: ServiceContext, session: Session, row: Endorsement) -> Subject:
    return subject_of(session, ctx.urls, row.org_id, row.subject_kind,
                      None if row.subject_kind == "organisation" else row.subject_id)


def subject_view(subject: Subject) -> SubjectView:
    return SubjectView(kind=subject.kind, id=subject.id, url=subject.url, name=subject.name,  # type: ignore[arg-type]
                       organisation=subject.org_name, description=subject.description)


def _endorser_name(session: Session, row: Endorsement) -> str:
    endorser = endorser_of(session, row)
    return endorser.name if endorser is not None else row.invited_name or ""


def out(ctx: ServiceContext, session: Session, row: Endorsement, subject: Subject | None = None) -> EndorsementOut:
    return EndorsementOut(
        id=row.id, state=row.state, origin=row.origin,  # type: ignore[arg-type]
        about=subject_view(subject or stored_subject(ctx, session, row)),
        endorser_kind=row.endorser_kind, endorser_name=_endorser_name(session, row),  # type: ignore[arg-type]
        message=row.message, comment=row.comment,
        url=ctx.urls.endorsement(row.id) if row.state in ("accepted", "revoked") else None,
        expires_at=row.expires_at, created_at=row.created_at, decided_at=row.decided_at, revoked_at=row.revoked_at)


def stored_subject(ctx: ServiceContext, session: Session, row: Endorsement) -> Subject:
    """The subject as it is now, even if it can no longer be endorsed (a revoked award, an archived badge)."""
    try:
        return current_subject(ctx, session, row)
    except Conflict:
        org = organisations.get_by_id(session, row.org_id)
        url = {"organisation": lambda: ctx.urls.did(org.slug), "achievement": lambda: ctx.urls.achievement(
            row.subject_id), "award": lambda: ctx.urls.credential(row.subject_id)}[row.subject_kind]()
        return Subject(row.subject_kind, row.subject_id, url, "—", org.id, org.name)


def record(session: Session, row: Endorsement, action: str, actor: str, now: datetime) -> None:
    row.updated_at = now
    audit.record(session, actor=actor, action=f"endorsement.{action}", target_type="endorsement", target_id=row.id,
                 org_id=row.org_id, details={"subject_kind": row.subject_kind, "subject_id": row.subject_id,
                                             "endorser_kind": row.endorser_kind, "state": row.state})


def by_digest(session: Session, column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None], token: str,
               *, lock: bool = True) -> Endorsement:
    query = select(Endorsement).where(column == sha256_hex(token))
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound("This link does not lead to any endorsement.", "Ce lien ne mène à aucune recommandation.",
                       code="unknown_link")
    return row


def _mask(address: str) -> str:
    name, _, domain = address.partition("@")
    return f"{name[:1]}…@{domain}"


def endorser_address(session: Session, row: Endorsement) -> str:
    endorser = endorser_of(session, row)
    if endorser is not None:
        return endorser.email
    return row.invited_email or ""


def view(ctx: ServiceContext, session: Session, row: Endorsement, *, needs_sign_in: bool = True
          ) -> EndorsementView:
    asked_by = organisations.get_by_id(session, row.org_id)
    return EndorsementView(
        id=row.id, state=row.state, about=subject_view(stored_subject(ctx, session, row)),  # type: ignore[arg-type]
        asked_by=asked_by.name, endorser_kind=row.endorser_kind,  # type: ignore[arg-type]
        endorser_name=_endorser_name(session, row), message=row.message, comment=row.comment,
        url=ctx.urls.endorsement(row.id) if row.state in ("accepted", "revoked") else None, expires_at=row.expires_at,
        needs_sign_in_as=_mask(endorser_address(session, row)) if needs_sign_in else None)


def closed(row: Endorsement) -> Conflict:
    words = {"consent": ("waits for the holder's consent", "attend l'accord de la personne qui a reçu le badge"),
             "accepted": ("was already given", "a déjà été donnée"), "declined": ("was declined", "a été refusée"),
             "expired": ("has expired", "a expiré"), "revoked": ("was revoked", "a été retirée"),
             "requested": ("waits for the endorser", "attend la réponse de la personne sollicitée"),
             "offered": ("waits for the organisation's decision", "attend la décision de l'organisation")}
    en, fr = words.get(row.state, (row.state, row.state))
    return Conflict(f"This endorsement {en}.", f"Cette recommandation {fr}.", code=f"endorsement_{row.state}")


