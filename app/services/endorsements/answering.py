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

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import Forbidden, NotFound
from app.models import Award, Endorsement, Organisation
from app.models.base import new_id
from app.principal import Principal
from app.schemas.endorsements import EndorsementView
from app.services import audit, keys, organisations
from app.services.context import ServiceContext
from app.services.endorsements.common import (
    by_digest,
    closed,
    current_subject,
    endorser_address,
    endorser_of,
    expect_state,
    expire,
    record,
    view,
)
from app.services.endorsements.signing import reissue_award, sign
from app.services.status import set_status_bit

__all__ = ["accept_as_organisation", "accept_by_link", "decline_as_organisation", "decline_by_link", "given_by",
           "incoming", "link_view", "revoke_as_organisation", "revoke_by_link"]


def link_view(ctx: ServiceContext, token: str) -> EndorsementView:
    """What the endorser vouches for, from their private link (no account)."""
    with ctx.db.sessions() as session:
        row = by_digest(session, Endorsement.link_sha256, token, lock=False)
        expire(row, ctx.clock.now())
        return view(ctx, session, row)


def _person_of(session: Session, address: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.kind == "person",
                                                     func.lower(Organisation.email) == address.lower())
                          .order_by(Organisation.created_at, Organisation.id).limit(1))


def _host_person(ctx: ServiceContext, row: Endorsement, address: str) -> None:
    """Host the person endorser proven by ``address`` (a key and a did:web of their own, named as the organisation
    asked), in a transaction of its own: their status lists, opened when they first sign, refer to them."""
    with ctx.db.transaction() as session:
        if _person_of(session, address) is not None:
            return
        person = Organisation(id=new_id(), slug=f"personne-{secrets.token_hex(8)}", kind="person",
                              name=row.invited_name or address.split("@")[0], url=ctx.urls.base,
                              email=address.lower(), language=row.language, public_base_url=ctx.urls.base)
        session.add(person)
        session.flush()
        keys.create_person_key(session, ctx.vault, person.id)
        audit.record(session, actor="endorser", action="endorser.create", target_type="organisation",
                     target_id=person.id, org_id=person.id, details={"kind": "person"})


def _signed_in_endorser(session: Session, row: Endorsement, address: str) -> Organisation | None:
    """The endorser ``address`` proves to be: the organisation asked, the person the service already hosts, or
    None (a person to host first)."""
    if address.casefold() != endorser_address(session, row).casefold():
        raise Forbidden("Sign in with the address this endorsement was asked of.",
                        "Connectez-vous avec l'adresse à laquelle cette recommandation a été demandée.",
                        code="wrong_endorser")
    endorser = endorser_of(session, row)
    return endorser if endorser is not None else _person_of(session, address)


def _give(ctx: ServiceContext, session: Session, row: Endorsement, endorser: Organisation, comment: str,
          actor: str, now: datetime) -> None:
    expect_state(row, "requested", now)
    subject = current_subject(ctx, session, row)
    row.endorser_org_id, row.comment = endorser.id, comment.strip()
    row.credential = sign(session, ctx.vault, ctx.urls, row, endorser, subject_url=subject.url,
                          subject_name=subject.name, now=now)
    row.state, row.decided_at = "accepted", now
    session.flush()
    if row.subject_kind == "award":
        reissue_award(session, ctx.vault, ctx.urls, session.get_one(Award, row.subject_id), now=now)
    record(session, row, "accept", actor, now)


def accept_by_link(ctx: ServiceContext, token: str, address: str, comment: str) -> EndorsementView:
    """The endorser, signed in with ``address``, gives the endorsement: it is signed and published."""
    ctx.vault.require_kek()
    with ctx.db.sessions() as session:  # a person endorsing for the first time is hosted first
        row = by_digest(session, Endorsement.link_sha256, token, lock=False)
        first_time = row.state == "requested" and _signed_in_endorser(session, row, address) is None
    if first_time:
        _host_person(ctx, row, address)
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


def _revoke(ctx: ServiceContext, session: Session, row: Endorsement, actor: str, now: datetime) -> None:
    if row.state != "accepted":
        raise closed(row)
    assert row.revocation_list_id is not None and row.revocation_index is not None
    set_status_bit(session, row.revocation_list_id, [row.revocation_index], True, now=now)
    row.state, row.revoked_at = "revoked", now
    session.flush()
    if row.subject_kind == "award":
        reissue_award(session, ctx.vault, ctx.urls, session.get_one(Award, row.subject_id), now=now)
    record(session, row, "revoke", actor, now)


def revoke_by_link(ctx: ServiceContext, token: str, address: str) -> EndorsementView:
    """The endorser, signed in with the address they endorsed with, takes their endorsement back: its status bit is
    set, it leaves the published documents."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = by_digest(session, Endorsement.link_sha256, token)
        if address.casefold() != endorser_address(session, row).casefold():
            raise Forbidden("Sign in with the address you endorsed with.",
                            "Connectez-vous avec l'adresse avec laquelle vous avez recommandé.", code="wrong_endorser")
        _revoke(ctx, session, row, "endorser", now)
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
        _revoke(ctx, session, row, principal.actor, now)
        return view(ctx, session, row, needs_sign_in=False)
