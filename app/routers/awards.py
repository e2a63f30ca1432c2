"""Awarding achievements to people and groups; revocation and suspension."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, status
from fastapi.responses import JSONResponse

from app.deps import ClockDep, DbDep, IssueDep, ReadDep, RevokeDep, UrlsDep, VaultDep
from app.models import Award
from app.routing import StrictJSONRoute
from app.schemas.awards import AwardCreate, AwardOut, GroupCreate, GroupOut, StatusChange
from app.services import awards, idempotency
from app.services.issuing import AwardSpec, Issued, RecipientSpec
from app.urls import PublicUrls

router = APIRouter(prefix="/api/v1", tags=["awards"], route_class=StrictJSONRoute)
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255,
                                              description="Replays the first response for the same body.")]


def award_out(award: Award, urls: PublicUrls, *, claim_code: str | None = None,
              members: list[AwardOut] | None = None) -> AwardOut:
    return AwardOut.model_validate({
        "id": award.id, "achievement_id": award.achievement_id, "status": award.status,
        "recipient_kind": award.recipient_kind, "display_name": award.display_name, "level": award.level_id,
        "valid_from": award.valid_from, "valid_until": award.valid_until,
        "revocation_reason": award.revocation_reason, "created_at": award.created_at, "claim_code": claim_code,
        "group_id": award.group_id, "parent_award_id": award.parent_award_id,
        "links": {"credential": urls.credential(award.id), "status_list": urls.status_list(award.revocation_list_id),
                  "achievement": urls.achievement(award.achievement_id),
                  "baked_png": urls.baked_credential(award.id, "png"),
                  "baked_svg": urls.baked_credential(award.id, "svg"),
                  "ob2_assertion": urls.ob2_assertion(award.id), "ob2_signed": urls.ob2_signed_assertion(award.id),
                  "ob2_baked_png": urls.ob2_baked(award.id, "png"), "ob2_baked_svg": urls.ob2_baked(award.id, "svg")},
        "members": members or [],
    })


def _issued_out(issued: Issued, urls: PublicUrls) -> AwardOut:
    return award_out(issued.award, urls, claim_code=issued.claim_code)


def _spec(body: AwardCreate) -> AwardSpec:
    kind, value = body.recipient.identifier() if body.recipient else ("none", None)
    evidence = tuple({k: v for k, v in (("id", e.url), ("name", e.name), ("narrative", e.narrative),
                                        ("description", e.description)) if v} for e in body.evidence)
    return AwardSpec(recipient=RecipientSpec(kind, value, body.recipient.display_name if body.recipient else None),
                     narrative=body.narrative, evidence=evidence, level=body.level, valid_from=body.validFrom,
                     valid_until=body.validUntil)


@router.post("/achievements/{achievement_id}/awards", status_code=status.HTTP_201_CREATED, response_model=AwardOut,
             summary="Award a published achievement to a person (email, phone, URL, DID or claim code) or a group",
             responses={409: {"description": "Idempotency-Key in use, or achievement not published"},
                        422: {"description": "Invalid body, or Idempotency-Key reused with another body"},
                        503: {"description": "Signing unavailable (no key-encryption key)"}})
def create_award(achievement_id: str, body: AwardCreate, principal: IssueDep, db: DbDep, vault: VaultDep,
                 urls: UrlsDep, clock: ClockDep, idempotency_key: IdempotencyKey = None) -> Any:
    vault.require_kek()
    fingerprint = idempotency.request_fingerprint(f"award:{achievement_id}", body.model_dump(mode="json"))
    try:
        with db.transaction() as session:
            record = (idempotency.begin(session, principal.org_id, idempotency_key, fingerprint)
                      if idempotency_key is not None else None)
            now = clock.now()
            if body.group_id:
                result = awards.award_group(session, vault, urls, principal.org_id, achievement_id, body.group_id,
                                            _spec(body), now=now, actor=principal.actor)
                out = award_out(result.group.award, urls,
                                members=[_issued_out(m, urls) for m in result.members])
            else:
                out = _issued_out(awards.award_one(session, vault, urls, principal.org_id, achievement_id,
                                                   _spec(body), now=now, actor=principal.actor), urls)
            if record is not None:
                idempotency.finish(record, 201, out.model_dump(mode="json"))
    except idempotency.Replay as replay:
        return JSONResponse(replay.response, status_code=replay.status_code, headers={"Idempotent-Replayed": "true"})
    return out


@router.get("/awards/{award_id}", response_model=AwardOut, summary="Read an award")
def read_award(award_id: str, principal: ReadDep, db: DbDep, urls: UrlsDep) -> AwardOut:
    with db.sessions() as session:
        return award_out(awards.get_owned(session, principal.org_id, award_id), urls)


def _change(action: str, award_id: str, body: StatusChange | None, principal: Any, db: DbDep,
            urls: PublicUrls) -> AwardOut:
    with db.transaction() as session:
        award = awards.set_status(session, principal.org_id, award_id, action,
                                  reason=body.reason if body else None, actor=principal.actor)
        return award_out(award, urls)


@router.post("/awards/{award_id}/revoke", response_model=AwardOut,
             summary="Revoke (idempotent; a group's award revokes its members' credentials too)")
def revoke_award(award_id: str, principal: RevokeDep, db: DbDep, urls: UrlsDep,
                 body: StatusChange | None = None) -> AwardOut:
    return _change("revoke", award_id, body, principal, db, urls)


@router.post("/awards/{award_id}/suspend", response_model=AwardOut, summary="Suspend (idempotent)")
def suspend_award(award_id: str, principal: RevokeDep, db: DbDep, urls: UrlsDep,
                  body: StatusChange | None = None) -> AwardOut:
    return _change("suspend", award_id, body, principal, db, urls)


@router.post("/awards/{award_id}/unsuspend", response_model=AwardOut, summary="Lift a suspension (idempotent)")
def unsuspend_award(award_id: str, principal: RevokeDep, db: DbDep, urls: UrlsDep,
                    body: StatusChange | None = None) -> AwardOut:
    return _change("unsuspend", award_id, body, principal, db, urls)


@router.post("/groups", response_model=GroupOut, status_code=status.HTTP_201_CREATED, tags=["groups"],
             summary="Create a group (collective recipient) with its members")
def create_group(body: GroupCreate, principal: IssueDep, db: DbDep) -> GroupOut:
    with db.transaction() as session:
        members = []
        for m in body.members:
            kind, value = m.identifier()
            members.append(({kind: value} if value else {}, m.display_name))
        group = awards.create_group(session, principal.org_id, body.name, body.description, members,
                                    actor=principal.actor)
        return GroupOut(id=group.id, name=group.name, description=group.description, member_count=len(members),
                        created_at=group.created_at)


@router.get("/groups/{group_id}", response_model=GroupOut, tags=["groups"], summary="Read a group")
def read_group(group_id: str, principal: ReadDep, db: DbDep) -> GroupOut:
    with db.sessions() as session:
        group = awards.get_group(session, principal.org_id, group_id)
        return GroupOut(id=group.id, name=group.name, description=group.description,
                        member_count=len(awards.members_of(session, group.id)), created_at=group.created_at)
