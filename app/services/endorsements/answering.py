"""The endorser answers: accepts (or declines) and later revokes, by private link once signed in, or as an
organisation through its API key. Each owns its transaction and takes ``now`` from the clock.

Who may do what:
* the organisation whose object is endorsed (its API key): ask, list and read what it asked;
* the award's holder, with the consent link the organisation gave them: consent or refuse (awards only);
* the endorser: an organisation through its API key (``incoming`` requests), or anyone holding the private link who
  signed in with the endorser's address (the person's, or the endorsing organisation's contact address). Declining
  needs the link only. Revoking needs the same proof as accepting.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Forbidden, NotFound
from app.models import Endorsement, Organisation
from app.principal import Principal
from app.schemas.endorsements import EndorsementView
from app.services import organisations
from app.services.context import ServiceContext
from app.services.endorsements.common import (
    by_digest,
    endorser_address,
    endorser_of,
    expect_state,
    expire,
    record,
    view,
)
from app.services.endorsements.persons import host_person, person_of
from app.services.endorsements.publishing import publish, take_back

__all__ = ["accept_as_organisation", "accept_by_link", "decline_as_organisation", "decline_by_link", "given_by",
           "incoming", "link_view", "revoke_as_organisation", "revoke_by_link"]


def link_view(ctx: ServiceContext, token: str) -> EndorsementView:
    """What the endorser vouches for, from their private link (no account)."""
    with ctx.db.sessions() as session:
        row = by_digest(session, Endorsement.link_sha256, token, lock=False)
        expire(row, ctx.clock.now())
        return view(ctx, session, row)


def _signed_in_endorser(session: Session, row: Endorsement, address: str) -> Organisation | None:
    """The endorser ``address`` proves to be: the organisation asked, the person the service already hosts, or
    None (a person to host first)."""
    if address.casefold() != endorser_address(session, row).casefold():
        raise Forbidden("Sign in with the address this endorsement was asked of.",
                        "Connectez-vous avec l'adresse à laquelle cette recommandation a été demandée.",
                        code="wrong_endorser")
    endorser = endorser_of(session, row)
    return endorser if endorser is not None else person_of(session, address)


def _give(ctx: ServiceContext, session: Session, row: Endorsement, endorser: Organisation, comment: str,
          actor: str, now: datetime) -> None:
    expect_state(row, "requested", now)
    row.comment = comment.strip()
    publish(ctx, session, row, endorser, actor=actor, now=now)


def accept_by_link(ctx: ServiceContext, token: str, address: str, comment: str) -> EndorsementView:
    """The endorser, signed in with ``address``, gives the endorsement: it is signed and published."""
    ctx.vault.require_kek()
    with ctx.db.sessions() as session:  # a person endorsing for the first time is hosted first
        row = by_digest(session, Endorsement.link_sha256, token, lock=False)
        first_time = row.state == "requested" and _signed_in_endorser(session, row, address) is None
    if first_time:
        host_person(ctx, address, row.invited_name or "", row.language)
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = by_digest(session, Endorsement.link_sha256, token)
        expect_state(row, "requested", now)
        endorser = _signed_in_endorser(session, row, address)
        assert endorser is not None  # hosted above
        _give(ctx, session, row, endorser, comment, "endorser", now)
        return view(ctx, session, row)


def decline_by_link(ctx: ServiceContext, token: str) -> EndorsementView:
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = by_digest(session, Endorsement.link_sha256, token)
        _decline(session, row, "endorser", now)
        return view(ctx, session, row)


def _decline(session: Session, row: Endorsement, actor: str, now: datetime) -> None:
    expect_state(row, "requested", now)
    row.state, row.decided_at = "declined", now
    record(session, row, "decline", actor, now)


def revoke_by_link(ctx: ServiceContext, token: str, address: str) -> EndorsementView:
    """The endorser, signed in with the address they endorsed with, takes their endorsement back: its status bit is
    set, it leaves the published documents."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = by_digest(session, Endorsement.link_sha256, token)
        if address.casefold() != endorser_address(session, row).casefold():
            raise Forbidden("Sign in with the address you endorsed with.",
                            "Connectez-vous avec l'adresse avec laquelle vous avez recommandé.", code="wrong_endorser")
        take_back(ctx, session, row, actor="endorser", now=now)
        return view(ctx, session, row)


# ------------------------------------------------------------------------------------ an organisation endorses


def _incoming(session: Session, principal: Principal, endorsement_id: str) -> Endorsement:
    row = session.scalar(select(Endorsement).where(Endorsement.id == endorsement_id,
                                                   Endorsement.endorser_org_id == principal.org_id)
                         .with_for_update())
    if row is None or row.state == "consent":  # the holder has not agreed yet: not shown to the endorser
        raise NotFound("No such endorsement request.", "Demande de recommandation introuvable.")
    return row


def incoming(ctx: ServiceContext, principal: Principal) -> list[EndorsementView]:
    """Requests to this organisation as an endorser, and what it gave (newest first)."""
    now = ctx.clock.now()
    with ctx.db.sessions() as session:
        rows = list(session.scalars(select(Endorsement).where(Endorsement.endorser_org_id == principal.org_id,
                                                              Endorsement.state != "consent")
                                    .order_by(Endorsement.created_at.desc(), Endorsement.id)))
        for row in rows:
            expire(row, now)
        return [view(ctx, session, row, needs_sign_in=False) for row in rows]


def given_by(ctx: ServiceContext, principal: Principal, endorsement_id: str) -> EndorsementView:
    with ctx.db.sessions() as session:
        row = session.scalar(select(Endorsement).where(Endorsement.id == endorsement_id,
                                                       Endorsement.endorser_org_id == principal.org_id,
                                                       Endorsement.state != "consent"))
        if row is None:
            raise NotFound("No such endorsement request.", "Demande de recommandation introuvable.")
        expire(row, ctx.clock.now())
        return view(ctx, session, row, needs_sign_in=False)


def accept_as_organisation(ctx: ServiceContext, principal: Principal, endorsement_id: str, comment: str
                           ) -> EndorsementView:
    ctx.vault.require_kek()
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = _incoming(session, principal, endorsement_id)
        endorser = organisations.get_by_id(session, principal.org_id)
        _give(ctx, session, row, endorser, comment, principal.actor, now)
        return view(ctx, session, row, needs_sign_in=False)


def decline_as_organisation(ctx: ServiceContext, principal: Principal, endorsement_id: str) -> EndorsementView:
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = _incoming(session, principal, endorsement_id)
        _decline(session, row, principal.actor, now)
        return view(ctx, session, row, needs_sign_in=False)


def revoke_as_organisation(ctx: ServiceContext, principal: Principal, endorsement_id: str) -> EndorsementView:
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = _incoming(session, principal, endorsement_id)
        take_back(ctx, session, row, actor=principal.actor, now=now)
        return view(ctx, session, row, needs_sign_in=False)
