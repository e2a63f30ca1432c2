"""Spontaneous endorsements: a visitor of a public page, signed in (their address proven), offers to endorse an
organisation, a badge or an award. Nothing is published before the organisation accepts (and, for an award, its
holder agrees, with the consent link the organisation gives them): then the endorsement is signed with the
visitor's own key (hosted by the service) and published."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.models import Achievement, Award, Endorsement, Organisation
from app.models.base import new_id
from app.principal import Principal
from app.schemas.endorsements import EndorsementDecided, EndorsementOffer, EndorsementOffered
from app.services.context import ServiceContext
from app.services.endorsements.common import (
    CONSENT,
    consent_url,
    endorser_of,
    expect_state,
    link_url,
    out,
    private_token,
    record,
    view,
)
from app.services.endorsements.persons import host_person, person_of
from app.services.endorsements.publishing import publish
from app.services.endorsements.subjects import subject_of
from app.signin.tokens import sha256_hex

__all__ = ["OFFER_DAYS", "decide_offer", "nothing_public", "offer", "public_owner"]

#: how long an offer waits for the organisation
OFFER_DAYS = 60


def nothing_public() -> NotFound:
    return NotFound("Nothing public to endorse here.", "Rien de public à recommander ici.")


def public_owner(session: Session, kind: str, given: str) -> tuple[str, str | None]:
    """(the organisation the object belongs to, the object's id) of what a public page or an offer names: an
    organisation by its slug, a published badge or an award by its id.

    :raises NotFound: anything else (an id longer than the API takes included)."""
    if len(given) <= 64:  # as ``OfferAbout.id``
        if kind == "organisation":
            org = session.scalar(select(Organisation).where(Organisation.slug == given,
                                                            Organisation.kind == "organisation"))
            if org is not None:
                return org.id, None
        elif kind == "achievement":
            achievement = session.get(Achievement, given)
            if achievement is not None and achievement.state == "published":
                return achievement.org_id, achievement.id
        else:
            award = session.get(Award, given)
            if award is not None and award.visibility == "public":  # a private award has no public page
                return award.org_id, award.id
    raise nothing_public()


def offer(ctx: ServiceContext, address: str, body: EndorsementOffer) -> EndorsementOffered:
    """The signed-in person ``address`` offers an endorsement; the organisation decides."""
    ctx.vault.require_kek()
    with ctx.db.sessions() as session:
        org_id, subject_id = public_owner(session, body.about.kind, body.about.id)
        subject_of(session, ctx.urls, org_id, body.about.kind, subject_id)  # still endorsable
    host_person(ctx, address, body.name.strip(), body.language)
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        subject = subject_of(session, ctx.urls, org_id, body.about.kind, subject_id)
        person = person_of(session, address)
        assert person is not None  # hosted above
        row_id = new_id()
        row = Endorsement(
            id=row_id, org_id=org_id, subject_kind=subject.kind, subject_id=subject.id, endorser_kind="person",
            endorser_org_id=person.id, invited_name=body.name.strip(), invited_email=address.lower(),
            origin="offered", state="offered", comment=body.comment.strip(), language=body.language,
            email_endorser=False, link_sha256=sha256_hex(private_token(ctx, row_id)),
            consent_sha256=sha256_hex(private_token(ctx, row_id, CONSENT)) if subject.kind == "award" else None,
            expires_at=now + timedelta(days=OFFER_DAYS), created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        record(session, row, "offer", "endorser", now)
        return EndorsementOffered(**view(ctx, session, row).model_dump(),
                                  link=link_url(ctx, private_token(ctx, row_id)))


def decide_offer(ctx: ServiceContext, principal: Principal, endorsement_id: str, accept: bool
                 ) -> EndorsementDecided:
    """The organisation accepts an offer (published now; about an award, once its holder agrees: the answer holds
    the link to give them) or declines it."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = session.scalar(select(Endorsement).where(Endorsement.id == endorsement_id,
                                                       Endorsement.org_id == principal.org_id,
                                                       Endorsement.origin == "offered").with_for_update())
        if row is None:
            raise NotFound("No such offered endorsement.", "Recommandation proposée introuvable.")
        expect_state(row, "offered", now)
        link = None
        if not accept:
            row.state, row.decided_at = "declined", now
            record(session, row, "decline", principal.actor, now)
        elif row.subject_kind == "award":
            row.state = "consent"
            record(session, row, "offer_accepted", principal.actor, now)
            link = consent_url(ctx, private_token(ctx, row.id, CONSENT))
        else:
            endorser = endorser_of(session, row)
            assert endorser is not None  # an offer's endorser is known from the start
            publish(ctx, session, row, endorser, actor=principal.actor, now=now)
        return EndorsementDecided(**out(ctx, session, row).model_dump(), link=link)
