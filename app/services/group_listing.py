"""Groups (collective recipients) of an organisation: a list in pages, and one group with its members and the
credentials each of them received.

A member's credential names no member row: it is recognised by what was issued from the member (kind of recipient,
display name, and the identifier through its keyed or salted hash, or the DID). Members given the same recipient
and display name are interchangeable, so each award of the group is shared out among them one credential each.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from app import presenters
from app.badges import identity
from app.models import Award, Group, GroupMember
from app.schemas.search import GroupDetailOut, GroupPage, PageQuery
from app.services import awards
from app.services.issuing import LOOKUP_KINDS
from app.services.keys import KeyVault
from app.services.paging import fetch_page

if TYPE_CHECKING:
    from app.principal import Principal
    from app.services.context import ServiceContext

__all__ = ["group_detail", "list_groups", "member_awards"]


def list_groups(ctx: ServiceContext, principal: Principal, page: PageQuery) -> GroupPage:
    """One page of the organisation's groups, newest first, with their member counts.

    :raises InvalidInput: a cursor this service did not give.
    """
    with ctx.db.sessions() as session:
        result = fetch_page(session, select(Group), Group.__table__, [Group.org_id == principal.org_id],
                            Group.created_at, Group.id, limit=page.limit, cursor=page.cursor)
        ids = [group.id for group in result.items]
        counts: dict[str, int] = {group_id: count for group_id, count in session.execute(
            select(GroupMember.group_id, func.count()).where(GroupMember.group_id.in_(ids))
            .group_by(GroupMember.group_id))} if ids else {}
        return presenters.group_page(result.items, counts, total=result.total, next_cursor=result.next_cursor)


@dataclass(frozen=True, slots=True)
class _Issued:
    """What a member's credential was issued from."""

    kind: str
    display_name: str | None
    value: str | None  # normalised as at issue time
    lookup: str | None


def _issued_from(vault: KeyVault, org_id: str, member: GroupMember) -> _Issued:
    kind, value = next(iter(member.recipient.items()), ("none", None))
    if not isinstance(value, str):
        return _Issued(kind, member.display_name, None, None)
    normalised = value.strip()
    with contextlib.suppress(ValueError):  # such a member could not have been awarded: it matches nothing
        normalised = {"email": identity.normalise_email, "phone": identity.normalise_phone}.get(
            kind, str.strip)(value)
    lookup = vault.recipient_lookup(org_id, kind, normalised) if kind in LOOKUP_KINDS and vault.available else None
    return _Issued(kind, member.display_name, normalised, lookup)


def _is_theirs(award: Any, issued: _Issued) -> bool:
    if award.recipient_kind != issued.kind or award.display_name != issued.display_name:
        return False
    if issued.kind == "none":
        return True
    if issued.value is None:
        return False
    if issued.kind == "did":
        return bool(award.recipient_id == issued.value)
    if issued.lookup is not None and award.recipient_lookup is not None:
        return bool(award.recipient_lookup == issued.lookup)
    return award.identity_hash is not None and identity.matches(award.identity_hash, issued.value, award.salt)


def member_awards(vault: KeyVault, org_id: str, members: Sequence[GroupMember], rows: Sequence[Any]
                  ) -> dict[str, list[str]]:
    """Member id → ids of the member's credentials (``rows``: the group's awards, newest first, with the columns
    that identify their recipient)."""
    issued = [_issued_from(vault, org_id, member) for member in members]
    by_parent: dict[str, list[Any]] = {}
    for row in rows:
        if row.parent_award_id is not None:
            by_parent.setdefault(row.parent_award_id, []).append(row)
    found: dict[str, list[str]] = {member.id: [] for member in members}
    for parent in (row.id for row in rows if row.parent_award_id is None):
        unclaimed = by_parent.get(parent, [])
        for member, source in zip(members, issued, strict=True):
            match = next((i for i, row in enumerate(unclaimed) if _is_theirs(row, source)), None)
            if match is not None:
                found[member.id].append(unclaimed.pop(match).id)
    return found


def group_detail(ctx: ServiceContext, principal: Principal, group_id: str) -> GroupDetailOut:
    """A group of the organisation with its collective credentials and, per member, the credentials received.

    :raises NotFound: not a group of the calling organisation.
    """
    with ctx.db.sessions() as session:
        group = awards.get_group(session, principal.org_id, group_id)
        members = awards.members_of(session, group.id)
        rows = session.execute(
            select(Award.id, Award.parent_award_id, Award.recipient_kind, Award.display_name, Award.recipient_id,
                   Award.recipient_lookup, Award.identity_hash, Award.salt)
            .where(Award.org_id == principal.org_id, Award.group_id == group.id)
            .order_by(Award.created_at.desc(), Award.id.desc())).all()
        found = member_awards(ctx.vault, principal.org_id, members, rows)
        collective = [row.id for row in rows if row.parent_award_id is None]
        return presenters.group_detail_out(group, members, collective, found)
