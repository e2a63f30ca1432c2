"""The read side as the API accepts and shows it: filters and pages of awards, groups with their members.

Query parameters are models too: an unknown parameter (a typo such as ``stauts``) is a 422, never a silently
unfiltered list.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from app.errors import InvalidValue
from app.schemas.awards import AwardOut, GroupOut
from app.schemas.common import InputModel, OutputModel

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "AchievementAwardQuery", "AchievementQuery", "AwardExportQuery",
           "AwardFilters", "AwardPage", "AwardQuery", "GroupDetailOut", "GroupMemberOut", "GroupPage", "ObjectId",
           "PageQuery"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _check_limit(value: int) -> int:
    if not 1 <= value <= MAX_LIMIT:
        raise InvalidValue(f"must be between 1 and {MAX_LIMIT} (items per page); follow the Link header "
                           "(rel=\"next\") for the next page",
                           f"doit être compris entre 1 et {MAX_LIMIT} (éléments par page) ; suivez l'en-tête Link "
                           "(rel=\"next\") pour la page suivante")
    return value


_OBJECT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _object_id(value: str) -> str:
    if not _OBJECT_ID.fullmatch(value):
        raise InvalidValue("is not an id of this service (letters, digits, '-' and '_')",
                           "n'est pas un identifiant de ce service (lettres, chiffres, « - » et « _ »)")
    return value


#: the id of an award, an achievement or a group, as this service makes them (``app.models.base.new_id``)
ObjectId = Annotated[str, AfterValidator(_object_id)]


def _instant(value: datetime) -> datetime:
    if value.utcoffset() is None:
        raise InvalidValue("needs a time zone: end it with Z (UTC) or an offset such as +02:00",
                           "doit porter un fuseau horaire : terminez-la par Z (temps universel) ou par un décalage "
                           "comme +02:00")
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise InvalidValue("is out of range", "est hors limites") from None
    return value


Instant = Annotated[datetime, AfterValidator(_instant)]
Limit = Annotated[int, AfterValidator(_check_limit), Field(
    description=f"Items per page, 1 to {MAX_LIMIT}.", json_schema_extra={"minimum": 1, "maximum": MAX_LIMIT})]
Cursor = Annotated[str, Field(max_length=200, description="Opaque position of the next page: copy it from "
                                                          "`next_cursor` or follow the `Link` header.")]
Id = Annotated[ObjectId, Field(max_length=64)]


class PageQuery(InputModel):
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


class AwardFilters(InputModel):
    """Filters shared by the list, the search and the CSV export of awards (all combined with AND)."""

    level: Id | None = Field(None, description="Level key, e.g. `level-2`.")
    status: Literal["active", "suspended", "revoked"] | None = None
    group_id: Id | None = Field(None, description="Awards of this group: its collective credentials and its "
                                                  "members' credentials.")
    issued_after: Instant | None = Field(None, description="Issued at or after this instant (with its "
                                                                 "time zone, e.g. `2026-09-01T00:00:00+02:00`).")
    issued_before: Instant | None = Field(None, description="Issued strictly before this instant.")
    recipient: Annotated[str, Field(min_length=1, max_length=320)] | None = Field(
        None, description="An email address or a phone number (`06 12 34 56 78` and `+33612345678` are the same), "
                          "as typed; also a DID or an http(s) URL. Normalised as at issue time and matched through "
                          "keyed hashes: the identifier is never stored. The access log masks this parameter.",
        examples=["sylvie@example.fr"])


class AwardExportQuery(AwardFilters):
    achievement_id: Id | None = Field(None, description="Awards of this achievement version.")
    separator: Literal[",", ";"] = Field(",", description="`;` for spreadsheets set to French.")


class AwardQuery(AwardFilters, PageQuery):
    achievement_id: Id | None = Field(None, description="Awards of this achievement version.")


class AchievementAwardQuery(AwardFilters, PageQuery):
    pass


class AchievementQuery(InputModel):
    state: Literal["draft", "published", "archived"] | None = None
    q: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        None, description="Part of the name, ignoring case and accents (`eveil` finds « Éveil musical »).")


class AwardPage(OutputModel):
    """One page, newest first (``created_at`` then ``id``, descending); the same order on every page."""

    items: list[AwardOut]
    total: int = Field(description="Awards matching the filters, on every page (also `X-Total-Count`).")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class GroupPage(OutputModel):
    items: list[GroupOut]
    total: int
    next_cursor: str | None


class GroupMemberOut(OutputModel):
    id: str
    display_name: str | None
    recipient_kind: str = Field(description="email, phone, url, did or none; the identifier itself is not shown.")
    award_ids: list[str] = Field(description="This member's own credentials, one per award to the group.")


class GroupDetailOut(GroupOut):
    award_ids: list[str] = Field(description="The group's collective credentials, newest first.")
    members: list[GroupMemberOut]
