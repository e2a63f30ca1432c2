"""Award use cases: individual, collective and bulk awards; revocation, suspension; reading.

:func:`issue` is the one way in for issuing, whatever the caller (``POST …/awards``, ``…/awards:batch``, ``savoirs
award --csv``): it owns the transaction and the ``Idempotency-Key``, and presents the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import faults, presenters
from app.errors import Conflict, CredentialPrivate, NotFound
from app.models import Award, Group, GroupMember, Organisation
from app.models.base import new_id
from app.schemas.awards import AwardCreate, AwardOut, GroupCreate, GroupOut, Notice
from app.services import achievements, audit, bulk, idempotency, organisations, status_documents
from app.services.batch_signing import BatchSigner
from app.services.holders.messages import tell_the_recipients
from app.services.idempotency import Outcome
from app.services.issuing import AwardSpec, Issued, IssuingContext, RecipientSpec, spec_from_row
from app.services.keys import KeyVault
from app.services.results import batch_out
from app.services.status import set_status_bit
from app.urls import PublicUrls

if TYPE_CHECKING:
    from app.principal import Principal
    from app.services.context import ServiceContext

__all__ = ["BatchRows", "GroupAward", "NewMember", "Outcome", "award_group", "award_one", "change_status",
           "create_group", "get_any", "get_group", "get_owned", "get_public", "issue", "members_of", "new_group",
           "read", "set_status"]


@dataclass(frozen=True, slots=True)
class GroupAward:
    group: Issued
    members: list[Issued]


def award_one(session: Session, vault: KeyVault, urls: PublicUrls, org_id: str, achievement_id: str,
              spec: AwardSpec, *, now: datetime, actor: str) -> Issued:
    achievement = achievements.get_owned(session, org_id, achievement_id)
    issued = IssuingContext(session, vault, urls, org_id, achievement).issue(spec, now=now)
    session.flush()
    audit.record(session, actor=actor, action="award.create", target_type="award", target_id=issued.award.id,
                 org_id=org_id, details={"achievement": achievement_id, "recipient_kind": spec.recipient.kind})
    return issued


@dataclass(frozen=True, slots=True)
class NewMember:
    """A member of a new group: their identifier (``{}`` for none: a claim code), their name as the organisation
    lists it, and whether they agreed that their badge name them and that its page be public."""

    recipient: dict[str, str]
    display_name: str | None
    publish_name: bool = False
    public: bool = False


def create_group(session: Session, org_id: str, name: str, description: str | None, members: Iterable[NewMember],
                 *, actor: str) -> Group:
    group = Group(id=new_id(), org_id=org_id, name=name, description=description)
    session.add(group)
    session.flush()
    for m in members:
        session.add(GroupMember(id=new_id(), group_id=group.id, recipient=m.recipient, display_name=m.display_name,
                                publish_name=m.publish_name, public=m.public))
    session.flush()
    audit.record(session, actor=actor, action="group.create", target_type="group", target_id=group.id,
                 org_id=org_id)
    return group


def get_group(session: Session, org_id: str, group_id: str) -> Group:
    group = session.scalar(select(Group).where(Group.id == group_id, Group.org_id == org_id))
    if group is None:
        raise NotFound("No such group.", "Groupe introuvable.")
    return group


def members_of(session: Session, group_id: str) -> list[GroupMember]:
    return list(session.scalars(select(GroupMember).where(GroupMember.group_id == group_id)
                                .order_by(GroupMember.id)))


def _member_spec(member: GroupMember, base: AwardSpec, evidence: dict[str, str]) -> AwardSpec:
    kind, value = next(iter(member.recipient.items()), ("none", None))
    publish = bool(member.publish_name and member.display_name)
    return AwardSpec(recipient=RecipientSpec(kind, value, member.display_name,  # type: ignore[arg-type]
                                             publish_name=publish, public=member.public),
                     narrative=base.narrative, evidence=base.evidence, level=base.level,
                     valid_from=base.valid_from, valid_until=base.valid_until, extra_evidence=(evidence,))


def award_group(session: Session, vault: KeyVault, urls: PublicUrls, org_id: str, achievement_id: str,
                group_id: str, base: AwardSpec, *, now: datetime, actor: str) -> GroupAward:
    """The group's credential plus one credential per member naming it, all in the caller's transaction."""
    group = get_group(session, org_id, group_id)
    members = members_of(session, group.id)
    achievement = achievements.get_owned(session, org_id, achievement_id)
    context = IssuingContext(session, vault, urls, org_id, achievement)
    context.reserve(len(members) + 1, now=now)
    group_spec = AwardSpec(recipient=RecipientSpec("group", None, group.name, publish_name=True),
                           narrative=base.narrative, evidence=base.evidence, level=base.level,
                           valid_from=base.valid_from, valid_until=base.valid_until)
    group_issued = context.issue(group_spec, now=now, group_id=group.id)
    session.flush()
    link = {"id": urls.credential(group_issued.award.id), "name": f"Badge collectif : {group.name}",
            "narrative": f"Décerné au groupe « {group.name} » dont cette personne est membre."}
    member_issued = [context.issue(_member_spec(m, base, link), now=now, group_id=group.id,
                                   parent_award_id=group_issued.award.id) for m in members]
    session.flush()
    audit.record(session, actor=actor, action="award.group", target_type="award", target_id=group_issued.award.id,
                 org_id=org_id, details={"group": group.id, "members": len(members)})
    return GroupAward(group_issued, member_issued)


def get_owned(session: Session, org_id: str, award_id: str, *, for_update: bool = False) -> Award:
    query = select(Award).where(Award.id == award_id, Award.org_id == org_id)
    if for_update:
        query = query.with_for_update()
    award = session.scalar(query)
    if award is None:
        raise NotFound("No such award.", "Attribution introuvable.")
    return award


def get_any(session: Session, award_id: str) -> Award:
    """The award, public or not (its holder's own view, the organisation's).

    :raises NotFound: no such award."""
    award = session.get(Award, award_id)
    if award is None:
        raise NotFound("No such credential.", "Badge introuvable.")
    return award


def get_public(session: Session, award_id: str) -> Award:
    """The award, when its holder lets its address serve it.

    :raises NotFound: no such award.
    :raises CredentialPrivate: its holder keeps it private (404 too)."""
    award = get_any(session, award_id)
    if award.visibility != "public":
        raise CredentialPrivate()
    return award


_TRANSITIONS = {
    # action: (allowed from, new status)
    "revoke": ({"active", "suspended", "revoked"}, "revoked"),
    "suspend": ({"active", "suspended"}, "suspended"),
    "unsuspend": ({"suspended", "active"}, "active"),
}


def set_status(session: Session, org_id: str, award_id: str, action: str, *, reason: str | None, now: datetime,
               actor: str) -> Award:
    """Revoke, suspend or lift a suspension; idempotent; a group's award carries its members along."""
    award = get_owned(session, org_id, award_id, for_update=True)
    allowed, target = _TRANSITIONS[action]
    if award.status not in allowed:
        done = {"revoke": "revoked", "suspend": "suspended", "unsuspend": "reactivated"}[action]
        raise Conflict(f"A {award.status} credential cannot be {done}.",
                       "Ce badge est révoqué : il ne peut plus changer d'état.", code="status_conflict")
    family = [award, *session.scalars(select(Award).where(Award.parent_award_id == award.id).with_for_update())]
    changed = [a for a in family if a.status != target and (a.status != "revoked")]
    if not changed:
        return award
    by_list: dict[tuple[str, bool], list[int]] = {}
    for a in changed:
        if target == "revoked":
            by_list.setdefault((a.revocation_list_id, True), []).append(a.revocation_index)
            if a.status == "suspended":
                by_list.setdefault((a.suspension_list_id, False), []).append(a.suspension_index)
            a.revocation_reason, a.revoked_at = reason, now
        else:
            by_list.setdefault((a.suspension_list_id, target == "suspended"), []).append(a.suspension_index)
        a.status = target
    for (list_id, value), indexes in by_list.items():
        set_status_bit(session, list_id, indexes, value, now=now)
    audit.record(session, actor=actor, action=f"award.{action}", target_type="award", target_id=award.id,
                 org_id=org_id, details={"count": len(changed), "has_reason": bool(reason)})
    session.flush()
    return award


# ------------------------------------------------------------------------------------------------ use cases


@dataclass(frozen=True, slots=True)
class BatchRows:
    """Award bodies to issue together; each row is validated, issued or refused on its own."""

    rows: Sequence[Any]


def issue(ctx: ServiceContext, org_id: str, actor: str, achievement_id: str, request: AwardCreate | BatchRows, *,
          idempotency_key: str | None = None, signer: BatchSigner | None = None,
          progress: bulk.Progress | None = None) -> Outcome:
    """Issue one award (201), a group award with its members (201), or a batch of rows (200), in one transaction,
    at most once per ``idempotency_key`` (and each batch row at most once per its own key).

    :param signer: signs batch credentials on several cores (the command line); default: in this process.
    :param progress: told as batch rows are done.
    :raises Misconfigured: this server's ``PUBLIC_BASE_URL`` is not the one the organisation's identifiers were
        published under (503; nothing is signed).
    """
    ctx.vault.require_kek()
    if isinstance(request, BatchRows):
        rows = list(request.rows)
        fingerprint = idempotency.request_fingerprint(f"batch:{achievement_id}", rows)

        def work(session: Session) -> tuple[int, dict[str, Any]]:
            _check_public_base(ctx, session, org_id)
            results = bulk.award_rows(session, ctx.vault, ctx.urls, org_id, achievement_id, rows,
                                      now=ctx.clock.now(), actor=actor, signer=signer, progress=progress)
            return 200, batch_out(achievement_id, results).model_dump(mode="json")
    else:
        body = request
        fingerprint = idempotency.request_fingerprint(f"award:{achievement_id}", body.model_dump(mode="json"))

        def work(session: Session) -> tuple[int, dict[str, Any]]:
            org = _check_public_base(ctx, session, org_id)  # held: the session's identity map keeps it for reuse
            out = _award_body(ctx, session, org_id, actor, achievement_id, body).model_dump(mode="json")
            del org
            session.flush()
            faults.point("award_before_commit")  # signed and written, not committed (the R2 fault test)
            return 201, out

    outcome = idempotency.once(ctx.db, org_id, idempotency_key, fingerprint, work)
    if not outcome.replayed:
        ctx.metrics.awards.inc(int(outcome.body.get("issued", 0)) if outcome.status == 200 else 1)
    return outcome


def _check_public_base(ctx: ServiceContext, session: Session, org_id: str) -> Organisation:
    org = organisations.get_by_id(session, org_id)
    organisations.check_public_base(session, org, ctx.urls)
    return org


def _award_body(ctx: ServiceContext, session: Session, org_id: str, actor: str, achievement_id: str,
                body: AwardCreate) -> AwardOut:
    now = ctx.clock.now()
    if body.group_id:
        result = award_group(session, ctx.vault, ctx.urls, org_id, achievement_id, body.group_id, spec_from_row(body),
                             now=now, actor=actor)
        if body.notify:
            addresses = [m.recipient.get("email") for m in members_of(session, body.group_id)]
            tell_the_recipients(ctx, session, [(m.award, a) for m, a in zip(result.members, addresses, strict=True)
                                               if isinstance(a, str) and a], now=now)
        members = [presenters.award_out(m.award, ctx.urls, claim_code=m.claim_code) for m in result.members]
        return presenters.award_out(result.group.award, ctx.urls, members=members)
    issued = award_one(session, ctx.vault, ctx.urls, org_id, achievement_id, spec_from_row(body), now=now,
                       actor=actor)
    if body.notify and body.recipient is not None and body.recipient.email:
        tell_the_recipients(ctx, session, [(issued.award, body.recipient.email)], now=now)
    return presenters.award_out(issued.award, ctx.urls, claim_code=issued.claim_code)


def read(ctx: ServiceContext, principal: Principal, award_id: str) -> AwardOut:
    with ctx.db.sessions() as session:
        return presenters.award_out(get_owned(session, principal.org_id, award_id), ctx.urls)


def change_status(ctx: ServiceContext, principal: Principal, award_id: str, action: str, *,
                  reason: str | None) -> AwardOut:
    """Revoke, suspend or lift a suspension (idempotent; a group's award carries its members along)."""
    with ctx.db.transaction() as session:
        award = set_status(session, principal.org_id, award_id, action, reason=reason, now=ctx.clock.now(),
                           actor=principal.actor)
        status_documents.keep_changed(session, ctx.vault, ctx.urls)  # the lists changed, signed and kept
        out = presenters.award_out(award, ctx.urls)
    if action == "suspend" and not isinstance(award.credential.get("credentialStatus"), list):
        out.notices.append(_SUSPENSION_NOT_PUBLISHED)
    return out


#: a suspension of a credential that carries only its revocation entry (status model ``revocation_only``)
_SUSPENSION_NOT_PUBLISHED = Notice(
    code="suspension_not_in_credential",
    message_en="Suspended here and in Open Badges 2.0. This credential carries only its revocation status, so other "
               "Open Badges 3.0 verifiers cannot see the suspension (status model revocation_only; see the README).",
    message_fr="Suspendu ici et en Open Badges 2.0. Ce badge ne porte que son statut de révocation : les autres "
               "vérificateurs Open Badges 3.0 ne voient pas la suspension (modèle revocation_only ; voir le README).")


def new_group(ctx: ServiceContext, principal: Principal, body: GroupCreate) -> GroupOut:
    """A collective recipient with its members."""
    members = []
    for m in body.members:
        kind, value = m.identifier()
        members.append(NewMember({kind: value} if value else {}, m.display_name, m.publish_name, m.public))
    with ctx.db.transaction() as session:
        group = create_group(session, principal.org_id, body.name, body.description, members, actor=principal.actor)
        return presenters.group_out(group, len(members))
