"""An organisation asks for an endorsement (its API key); the holder of an award consents first (their link)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput, NotFound
from app.models import Endorsement, Organisation
from app.models.base import new_id
from app.principal import Principal
from app.schemas.endorsements import EndorsementAsk, EndorsementAsked, EndorsementOut, EndorsementView
from app.services.context import ServiceContext
from app.services.endorsements.common import (
    CONSENT,
    by_digest,
    consent_url,
    endorser_of,
    expect_state,
    expire,
    link_url,
    out,
    private_token,
    record,
    tell_the_endorser,
    view,
)
from app.services.endorsements.publishing import publish
from app.services.endorsements.subjects import subject_of
from app.signin.tokens import sha256_hex

__all__ = ["ask", "consent", "consent_view", "list_asked", "read_asked"]

def _endorsing_organisation(session: Session, slug: str, asker: str) -> Organisation:
    endorser = session.scalar(select(Organisation).where(Organisation.slug == slug,
                                                         Organisation.kind == "organisation"))
    if endorser is None:
        raise InvalidInput(f"No organisation '{slug}' on this service.",
                           f"Aucune organisation « {slug} » sur ce service.", code="unknown_endorser")
    if endorser.id == asker:
        raise InvalidInput("An organisation cannot endorse itself.", "Une organisation ne peut pas se recommander "
                           "elle-même.", code="self_endorsement")
    return endorser


def ask(ctx: ServiceContext, principal: Principal, body: EndorsementAsk) -> EndorsementAsked:
    """Ask for an endorsement. About an award, the holder consents first: the link returned is then theirs."""
    ctx.vault.require_kek()
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        subject = subject_of(session, ctx.urls, principal.org_id, body.about.kind, body.about.id)
        endorser_org = (_endorsing_organisation(session, body.endorser.organisation, principal.org_id)
                        if body.endorser.organisation else None)
        row_id = new_id()
        consent = subject.kind == "award"
        row = Endorsement(
            id=row_id, org_id=principal.org_id, subject_kind=subject.kind, subject_id=subject.id,
            endorser_kind="organisation" if endorser_org else "person",
            endorser_org_id=endorser_org.id if endorser_org else None, invited_name=body.endorser.name,
            invited_email=body.endorser.email, origin="requested", state="consent" if consent else "requested",
            message=body.message, email_endorser=body.send_email, language=body.language,
            link_sha256=sha256_hex(private_token(ctx, row_id)),
            consent_sha256=sha256_hex(private_token(ctx, row_id, CONSENT)) if consent else None,
            expires_at=now + timedelta(days=body.expires_in_days), created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        record(session, row, "ask", principal.actor, now)
        if row.state == "requested":
            tell_the_endorser(ctx, session, row, now)
        link = (consent_url(ctx, private_token(ctx, row_id, CONSENT)) if consent
                else link_url(ctx, private_token(ctx, row_id)))
        return EndorsementAsked(**out(ctx, session, row, subject).model_dump(), link=link)


def list_asked(ctx: ServiceContext, principal: Principal, state: str | None) -> list[EndorsementOut]:
    now = ctx.clock.now()
    with ctx.db.sessions() as session:
        query = select(Endorsement).where(Endorsement.org_id == principal.org_id)
        if state:
            query = query.where(Endorsement.state == state)
        rows = list(session.scalars(query.order_by(Endorsement.created_at.desc(), Endorsement.id)))
        for row in rows:
            expire(row, now)
        return [out(ctx, session, row) for row in rows if state is None or row.state == state]


def _asked(session: Session, org_id: str, endorsement_id: str, *, lock: bool = False) -> Endorsement:
    query = select(Endorsement).where(Endorsement.id == endorsement_id, Endorsement.org_id == org_id)
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound("No such endorsement.", "Recommandation introuvable.")
    return row


def read_asked(ctx: ServiceContext, principal: Principal, endorsement_id: str) -> EndorsementOut:
    with ctx.db.sessions() as session:
        row = _asked(session, principal.org_id, endorsement_id)
        expire(row, ctx.clock.now())
        return out(ctx, session, row)


def consent_view(ctx: ServiceContext, token: str) -> EndorsementView:
    with ctx.db.sessions() as session:
        row = by_digest(session, Endorsement.consent_sha256, token, lock=False)
        expire(row, ctx.clock.now())
        return view(ctx, session, row, needs_sign_in=False)


def consent(ctx: ServiceContext, token: str, given: bool) -> EndorsementView:
    """The holder agrees (the endorser may now answer; an offered endorsement is published at once) or refuses
    (declined)."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = by_digest(session, Endorsement.consent_sha256, token)
        expect_state(row, "consent", now)
        record(session, row, "consent" if given else "consent_refused", "holder", now)
        endorser = endorser_of(session, row)
        if not given:
            row.state, row.decided_at = "declined", now
        elif row.origin == "offered" and endorser is not None:  # the endorser already gave their words
            publish(ctx, session, row, endorser, actor="holder", now=now)
        else:
            row.state = "requested"
            tell_the_endorser(ctx, session, row, now)
        return view(ctx, session, row, needs_sign_in=False)


