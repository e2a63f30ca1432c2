"""Finding an organisation's awards again: filters, recipient search through keyed hashes, pages; achievements by
name.

A recipient typed by staff is normalised exactly as at issue time, then matched by its keyed hash
(``awards.recipient_lookup``, see :meth:`~app.services.keys.KeyVault.recipient_lookup`), through one index. Awards
without that hash (issued before it existed, and URL recipients) are matched by their salted OB 3.0 identity hash,
row by row, among the organisation's awards of the same kind that lack it. The identifier is never stored.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import ColumnElement, String, and_, false, func, literal, or_, select
from sqlalchemy.orm import Session, defer

from app import presenters
from app.badges import identity
from app.errors import InvalidInput
from app.models import Award
from app.schemas.achievements import AchievementOut
from app.schemas.search import AchievementQuery, AwardFilters, AwardPage
from app.services import achievements, awards
from app.services.issuing import LOOKUP_KINDS
from app.services.keys import KeyVault
from app.services.paging import fetch_page
from app.text_normal import fold

if TYPE_CHECKING:
    from app.principal import Principal
    from app.services.context import ServiceContext

__all__ = ["Recipient", "award_conditions", "find_achievements", "find_awards", "parse_recipient",
           "recipient_condition", "searchable"]


@dataclass(frozen=True, slots=True)
class Recipient:
    """A recipient as staff typed it, normalised as at issue time."""

    kind: Literal["email", "phone", "url", "did"]
    value: str


def parse_recipient(text: str) -> Recipient:
    """An email address or a phone number (also a DID or an http(s) URL), normalised as when it was awarded.

    :raises InvalidInput: ``invalid_recipient``, neither of them.
    """
    value = text.strip()
    if value.startswith("did:"):
        return Recipient("did", value)
    if value.lower().startswith(("http://", "https://")):
        return Recipient("url", value)
    try:
        if "@" in value:
            return Recipient("email", identity.normalise_email(value))
        return Recipient("phone", _phone(value))
    except ValueError as exc:
        shown = value[:100]
        raise InvalidInput(
            f"Search by an email address or a phone number (or a DID, or a web address): {shown!r} is none of them. "
            "In an address, write the + of a phone number as %2B.",
            f"Cherchez par courriel ou par numéro de téléphone (ou par DID, ou par adresse web) : {shown!r} n'est "
            "rien de cela. Dans une adresse, écrivez le + d'un numéro %2B.", code="invalid_recipient") from exc


def _phone(value: str) -> str:
    """:func:`~app.badges.identity.normalise_phone`, also when the ``+`` of ``+33…`` was lost: a ``+`` left as it is
    in a query string reads as a space (``?recipient=+33612345678``)."""
    try:
        return identity.normalise_phone(value)
    except ValueError:
        if value[:1].isdigit() and value[0] != "0":
            return identity.normalise_phone("+" + value)
        raise


def _by_salted_hash(session: Session, org_id: str, who: Recipient) -> list[str]:
    """Ids of the organisation's awards to ``who`` that have no lookup hash, by their salted identity hash
    (``sha256$`` + hex SHA-256 of the identifier and the award's salt, :func:`app.badges.identity.identity_hash`):
    compared by PostgreSQL where the rows are, or here row by row on other databases."""
    where = [Award.org_id == org_id, Award.recipient_lookup.is_(None), Award.recipient_kind == who.kind,
             Award.identity_hash.is_not(None)]
    if session.get_bind().dialect.name == "postgresql":
        salted = func.convert_to(literal(who.value, String()) + func.coalesce(Award.salt, ""), "UTF8")
        digest = literal("sha256$", String()) + func.encode(func.sha256(salted), "hex")
        return list(session.scalars(select(Award.id).where(*where, func.lower(Award.identity_hash) == digest)))
    rows = session.execute(select(Award.id, Award.identity_hash, Award.salt).where(*where))
    return [row_id for row_id, stored, salt in rows if stored is not None and identity.matches(stored, who.value, salt)]


def recipient_condition(session: Session, vault: KeyVault, org_id: str, text: str) -> ColumnElement[bool]:
    """The awards of the organisation to the recipient ``text`` (as typed by staff).

    :raises InvalidInput: not an email, phone number, DID or URL.
    :raises ServiceUnavailable: an email or phone, and no key-encryption key to compute its lookup hash.
    """
    who = parse_recipient(text)
    if who.kind == "did":
        return and_(Award.recipient_kind == "did", Award.recipient_id == who.value)
    by_lookup = Award.recipient_lookup == vault.recipient_lookup(org_id, who.kind, who.value) \
        if who.kind in LOOKUP_KINDS else None
    legacy = _by_salted_hash(session, org_id, who)
    by_hash = Award.id.in_(legacy) if legacy else None
    if by_lookup is not None and by_hash is not None:
        return or_(by_lookup, by_hash)
    return by_lookup if by_lookup is not None else by_hash if by_hash is not None else false()


def award_conditions(session: Session, vault: KeyVault, org_id: str, filters: AwardFilters,
                     achievement_id: str | None) -> list[ColumnElement[bool]]:
    """The WHERE clause of a list, search or export of the organisation's awards.

    :raises NotFound: the achievement or the group is not the organisation's.
    :raises InvalidInput: a recipient that is not an email, phone number, DID or URL.
    """
    where = [Award.org_id == org_id]
    if achievement_id is not None:
        achievements.get_owned(session, org_id, achievement_id)
        where.append(Award.achievement_id == achievement_id)
    if filters.group_id is not None:
        awards.get_group(session, org_id, filters.group_id)
        where.append(Award.group_id == filters.group_id)
    if filters.level is not None:
        where.append(Award.level_id == filters.level)
    if filters.status is not None:
        where.append(Award.status == filters.status)
    if filters.issued_after is not None:
        where.append(Award.created_at >= filters.issued_after)
    if filters.issued_before is not None:
        where.append(Award.created_at < filters.issued_before)
    if filters.recipient is not None:
        where.append(recipient_condition(session, vault, org_id, filters.recipient))
    return where


def find_awards(ctx: ServiceContext, principal: Principal, filters: AwardFilters, *, achievement_id: str | None,
                limit: int, cursor: str | None) -> AwardPage:
    """One page of the organisation's awards matching ``filters``, newest first, with the total.

    :raises NotFound: ``achievement_id`` or ``filters.group_id`` is not the organisation's.
    :raises InvalidInput: an unusable recipient or cursor.
    """
    with ctx.db.sessions() as session:
        where = award_conditions(session, ctx.vault, principal.org_id, filters, achievement_id)
        query = select(Award).options(defer(Award.credential, raiseload=True))
        page = fetch_page(session, query, Award.__table__, where, Award.created_at, Award.id, limit=limit,
                          cursor=cursor)
        return presenters.award_page(page.items, ctx.urls, total=page.total, next_cursor=page.next_cursor)


def searchable(text: str) -> str:
    """``text`` as a name is searched: :func:`app.text_normal.fold` (case, apostrophes, spaces), without accents."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def find_achievements(ctx: ServiceContext, principal: Principal, query: AchievementQuery) -> list[AchievementOut]:
    """The organisation's achievements (every version), in a state and whose name contains ``query.q`` (ignoring
    case, accents and the kind of apostrophe), oldest first."""
    with ctx.db.sessions() as session:
        rows = achievements.list_owned(session, principal.org_id, query.state)
        if query.q is not None:
            needle = searchable(query.q)
            rows = [row for row in rows if needle in searchable(row.name)]
        return [presenters.achievement_out(row, ctx.urls) for row in rows]
