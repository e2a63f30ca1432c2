"""Erasure (GDPR, right to erasure): a holder asks, from their space, that their personal data be erased; the staff
of each organisation concerned carry the request out (``POST /api/v1/erasure-requests/{id}/carry-out``), or erase
one resident's data themselves (``POST /api/v1/residents/erase``), after exporting it if they wish
(``POST /api/v1/residents/export``).

Erasing one award: its recorded and shown names, the keyed hash that found it by address, its identity hash and
salt, its claim code and its holder go; the stored credential keeps only what its status needs (its id, issuer,
dates and status entries: no subject, no evidence, no proof), and its address answers like a private one. The
resident's request (their name, contact, words, evidence files, the group's member list entry) is emptied; the
messages sent to their address and their sign-ins go. The status-list bits stay (a copy the holder kept reads
"revoked" or "valid" as chosen), as do counts and the audit chain, whose event names the awards and counts only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.badges import identity
from app.errors import Conflict, InvalidInput, NotFound
from app.models import (
    Award,
    BackpackConnection,
    BadgeRequest,
    ErasureRequest,
    GroupMember,
    Holder,
    HolderProfile,
    IdempotencyRecord,
    OAuthToken,
    Organisation,
    OutgoingEmail,
    ReceivedCredential,
    RequestEvidence,
    SigninChallenge,
    SigninSession,
)
from app.models.base import new_id
from app.services import audit, awards, status_documents
from app.services.context import ServiceContext
from app.services.holders.spaces import HolderKey, holder_of, space_awards

__all__ = ["CredentialsChoice", "Erased", "ErasureAsked", "ErasureView", "ask", "carry_out", "erase_resident",
           "export_resident", "list_requests"]

CredentialsChoice = Literal["keep", "revoke"]
#: the public reason of a revocation asked with an erasure (OB 2.0 revocation lists show it): no personal data
REVOKED_FOR_ERASURE = "Effacé à la demande de la personne / Erased at the person's request"


@dataclass(frozen=True, slots=True)
class ErasureAsked:
    #: how many organisations were asked (one request each)
    organisations: int
    awards: int
    #: what the space itself held and was erased at once: credentials received from elsewhere, the profile a
    #: backpack put, connections to backpacks, applications' access
    own: int = 0


@dataclass(frozen=True, slots=True)
class ErasureView:
    id: str
    state: str
    credentials: CredentialsChoice
    awards: int
    created_at: datetime
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class Erased:
    awards: int
    revoked: int
    requests: int
    messages: int


def _address_of(who: HolderKey) -> str | None:
    if not who.address:
        return None
    try:
        return identity.normalise_email(who.address)
    except ValueError:
        return None


def ask(ctx: ServiceContext, who: HolderKey, credentials: CredentialsChoice) -> ErasureAsked:
    """The holder asks every organisation whose badges are in their space to erase their data (one request each;
    asking again replaces an open request's choice).

    :raises Conflict: ``erasure_nothing``: the space holds no badge and nothing of its own."""
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        holder = holder_of(ctx, session, who, now)
        held = space_awards(session, holder)
        own = _erase_own(session, holder.id, now)
        if not held and not own:
            raise Conflict("Your space holds no badge: there is nothing to erase.",
                           "Votre espace n'a aucun badge : il n'y a rien à effacer.", code="erasure_nothing")
        by_org: dict[str, int] = {}
        for award in held:
            by_org[award.org_id] = by_org.get(award.org_id, 0) + 1
        for org_id, count in by_org.items():
            row = session.scalar(select(ErasureRequest).where(ErasureRequest.org_id == org_id,
                                                              ErasureRequest.holder_id == holder.id,
                                                              ErasureRequest.state == "requested"))
            if row is None:
                row = ErasureRequest(id=new_id(), org_id=org_id, holder_id=holder.id, state="requested",
                                     created_at=now)
                session.add(row)
            row.credentials, row.awards_count, row.address = credentials, count, _address_of(who)
            audit.record(session, actor=f"holder:{holder.id}", action="erasure.requested",
                         target_type="erasure_request", target_id=row.id, org_id=org_id,
                         details={"awards": count, "credentials": credentials})
        if own:
            audit.record(session, actor=f"holder:{holder.id}", action="holder.own_data_erased",
                         target_type="holder", target_id=holder.id, org_id=None, details={"rows": own})
        return ErasureAsked(len(by_org), len(held), own)


def _erase_own(session: Session, holder_id: str, now: datetime) -> int:
    """Erase at once what the space holds that no organisation gave: no one else has to carry it out."""
    count = 0
    for model in (ReceivedCredential, HolderProfile, BackpackConnection):
        count += int(getattr(session.execute(delete(model).where(model.holder_id == holder_id)), "rowcount", 0))
    revoked = session.execute(update(OAuthToken).where(OAuthToken.holder_id == holder_id,
                                                       OAuthToken.revoked_at.is_(None)).values(revoked_at=now))
    return count + int(getattr(revoked, "rowcount", 0))


def _view(row: ErasureRequest) -> ErasureView:
    return ErasureView(row.id, row.state, "revoke" if row.credentials == "revoke" else "keep",
                       row.awards_count or 0, row.created_at, row.done_at)


def list_requests(ctx: ServiceContext, org_id: str) -> list[ErasureView]:
    """The organisation's erasure requests, open ones first, newest first."""
    with ctx.db.sessions() as session:
        rows = session.scalars(select(ErasureRequest).where(ErasureRequest.org_id == org_id)
                               .order_by(ErasureRequest.state.desc(), ErasureRequest.created_at.desc()))
        return [_view(row) for row in rows]


def _redacted(credential: dict[str, Any]) -> dict[str, Any]:
    """What an erased award keeps of its credential: what its status needs, nothing of its holder."""
    issuer = credential.get("issuer")
    return {"id": credential.get("id"), "type": credential.get("type"),
            "issuer": {"id": issuer.get("id")} if isinstance(issuer, dict) else issuer,
            "validFrom": credential.get("validFrom"), "credentialStatus": credential.get("credentialStatus"),
            "erased": True}


def _erase_request_of(session: Session, award: Award) -> int:
    count = 0
    for row in session.scalars(select(BadgeRequest).where(BadgeRequest.award_id == award.id)):
        session.execute(delete(RequestEvidence).where(RequestEvidence.request_id == row.id))
        row.requester_name, row.contact, row.contact_kind, row.narrative = None, None, "none", ""
        row.question, row.reason, row.claim_codes, row.purge_after = None, None, [], None
        if row.kind != "collective":
            row.members = []
        count += 1
    return count


def _erase_group_entry(session: Session, award: Award, address: str | None) -> None:
    if award.group_id is None or award.parent_award_id is None:
        return
    for member in session.scalars(select(GroupMember).where(GroupMember.group_id == award.group_id)):
        given = member.recipient.get("email") if isinstance(member.recipient, dict) else None
        same_address = address is not None and isinstance(given, str) and given.casefold() == address.casefold()
        if same_address or (award.display_name and member.display_name == award.display_name):
            member.recipient, member.display_name = {}, None


def _scrubbed(response: Any, erased: set[str]) -> Any:
    """A stored first response (``Idempotency-Key``, a batch row's key) without the name and claim code of the
    erased awards it names (their ids stay: the same request still answers "already issued")."""
    if isinstance(response, list):
        return [_scrubbed(item, erased) for item in response]
    if not isinstance(response, dict):
        return response
    mine = response.get("id") in erased or response.get("award_id") in erased
    return {k: (None if mine and k in ("display_name", "claim_code") else _scrubbed(v, erased))
            for k, v in response.items()}


def _erase_stored_responses(session: Session, org_id: str, erased: set[str]) -> None:
    for row in session.scalars(select(IdempotencyRecord).where(IdempotencyRecord.org_id == org_id)):
        scrubbed = _scrubbed(row.response, erased)
        if scrubbed != row.response:
            row.response = scrubbed


def _erase_address(session: Session, address: str) -> int:
    folded = address.casefold()
    sent = session.execute(delete(OutgoingEmail).where(func.lower(OutgoingEmail.to_address) == folded))
    session.execute(delete(SigninChallenge).where(func.lower(SigninChallenge.email) == folded))
    session.execute(delete(SigninSession).where(SigninSession.email_folded == folded))
    return int(getattr(sent, "rowcount", 0) or 0)


def _erase(session: Session, org_id: str, chosen: Sequence[Award], address: str | None,
           credentials: CredentialsChoice, *, now: datetime, actor: str) -> Erased:
    revoked = requests = 0
    for award in chosen:
        if credentials == "revoke" and award.status != "revoked":
            awards.set_status(session, org_id, award.id, "revoke", reason=REVOKED_FOR_ERASURE, now=now, actor=actor)
            revoked += 1
        requests += _erase_request_of(session, award)
        _erase_group_entry(session, award, address)
        award.display_name = award.public_name = award.recipient_lookup = None
        award.identity_hash = award.salt = award.claim_code_sha256 = award.recipient_id = None
        award.holder_id, award.visibility, award.erased_at = None, "private", now
        award.credential = _redacted(award.credential)
    _erase_stored_responses(session, org_id, {a.id for a in chosen})
    messages = _erase_address(session, address) if address else 0
    done = Erased(len(chosen), revoked, requests, messages)
    audit.record(session, actor=actor, action="resident.erased", target_type="organisation", target_id=org_id,
                 org_id=org_id, details={"awards": [a.id for a in chosen], "revoked": revoked, "requests": requests,
                                         "messages": messages, "credentials": credentials})
    return done


def _drop_empty_holders(session: Session, holder_ids: set[str]) -> None:
    for holder_id in holder_ids:
        left = session.scalar(select(func.count()).select_from(Award).where(Award.holder_id == holder_id))
        if not left:
            holder = session.get(Holder, holder_id)
            if holder is not None:
                session.delete(holder)


def carry_out(ctx: ServiceContext, org_id: str, request_id: str, actor: str) -> Erased:
    """Carry out a holder's erasure request on this organisation's awards.

    :raises NotFound: no such request of this organisation. :raises Conflict: ``erasure_done``: already done."""
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        row = session.scalar(select(ErasureRequest).where(ErasureRequest.id == request_id,
                                                          ErasureRequest.org_id == org_id).with_for_update())
        if row is None:
            raise NotFound("No such erasure request.", "Demande d'effacement introuvable.",
                           code="erasure_request_not_found")
        if row.state == "done":
            raise Conflict("This erasure was already carried out.", "Cet effacement a déjà été fait.",
                           code="erasure_done")
        holder_id = row.holder_id
        chosen = list(session.scalars(select(Award).where(Award.org_id == org_id, Award.holder_id == holder_id,
                                                          Award.erased_at.is_(None)))) if holder_id else []
        done = _erase(session, org_id, chosen, row.address, "revoke" if row.credentials == "revoke" else "keep",
                      now=now, actor=actor)
        status_documents.keep_changed(session, ctx.vault, ctx.urls)
        row.state, row.done_at, row.address, row.holder_id = "done", now, None, None
        row.awards_count = len(chosen)
        if holder_id:
            _drop_empty_holders(session, {holder_id})
        return done


def _resident_awards(ctx: ServiceContext, session: Session, org_id: str, email: str | None,
                     award_ids: Sequence[str]) -> tuple[list[Award], str | None]:
    address = None
    found: dict[str, Award] = {}
    if email:
        try:
            address = identity.normalise_email(email)
        except ValueError as exc:
            raise InvalidInput("This email address is not valid.", "Cette adresse e-mail n'est pas valide.",
                               code="invalid_email") from exc
        lookup = ctx.vault.recipient_lookup(org_id, "email", address)
        for award in session.scalars(select(Award).where(Award.org_id == org_id, Award.recipient_lookup == lookup)):
            found[award.id] = award
    for award_id in award_ids:
        award = awards.get_owned(session, org_id, award_id)
        found[award.id] = award
    return [a for a in found.values() if a.erased_at is None], address


def erase_resident(ctx: ServiceContext, org_id: str, actor: str, *, email: str | None, award_ids: Sequence[str],
                   credentials: CredentialsChoice) -> Erased:
    """The organisation erases one resident's data: the awards issued to ``email`` and those named.

    :raises NotFound: an award named is not the organisation's."""
    with ctx.db.transaction() as session:
        chosen, address = _resident_awards(ctx, session, org_id, email, award_ids)
        holders = {a.holder_id for a in chosen if a.holder_id}
        done = _erase(session, org_id, chosen, address, credentials, now=ctx.clock.now(), actor=actor)
        status_documents.keep_changed(session, ctx.vault, ctx.urls)
        _drop_empty_holders(session, holders)
        return done


def export_resident(ctx: ServiceContext, org_id: str, *, email: str | None, award_ids: Sequence[str]
                    ) -> dict[str, Any]:
    """Everything the organisation holds about one resident (right of access): their awards (with the signed
    credentials) and their requests (without the files' bytes, listed by kind and size)."""
    with ctx.db.sessions() as session:
        chosen, address = _resident_awards(ctx, session, org_id, email, award_ids)
        org = session.get_one(Organisation, org_id)
        out_awards, out_requests = [], []
        for award in chosen:
            out_awards.append({"id": award.id, "achievement_id": award.achievement_id, "status": award.status,
                               "display_name": award.display_name, "public_name": award.public_name,
                               "visibility": award.visibility, "created_at": award.created_at.isoformat(),
                               "claimed": award.holder_id is not None, "credential": award.credential})
            for row in session.scalars(select(BadgeRequest).where(BadgeRequest.award_id == award.id)):
                files = session.scalars(select(RequestEvidence).where(RequestEvidence.request_id == row.id))
                out_requests.append({"id": row.id, "name": row.requester_name, "contact": row.contact,
                                     "narrative": row.narrative, "state": row.state,
                                     "created_at": row.created_at.isoformat(),
                                     "evidence": [{"kind": f.kind, "media_type": f.media_type, "size": f.size}
                                                  for f in files]})
        return {"organisation": org.name, "email": address, "awards": out_awards, "requests": out_requests}
