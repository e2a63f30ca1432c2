"""Bitstring status lists: random, unique index allocation and status bit changes.

Each organisation has pairs of lists (revocation, suspension) of 131,072 entries. A credential gets the same random
index in both lists of a pair; the suspension list's id is the revocation list's id followed by ``s``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.badges.bitstring import Bitstring
from app.models import Award, StatusList
from app.models.base import new_id

__all__ = ["LIST_SIZE", "IndexAllocator", "open_pair", "set_status_bit", "suspension_list_id"]

LIST_SIZE = 131_072


def suspension_list_id(revocation_list_id: str) -> str:
    return revocation_list_id + "s"


def _empty_encoded() -> str:
    return Bitstring(LIST_SIZE).encode()


def open_pair(session: Session, org_id: str, *, needed: int = 1) -> StatusList:
    """The organisation's revocation list that still has room for ``needed`` entries (locked), creating a new pair
    when none has room. Returns the revocation list; its suspension twin is ``suspension_list_id(id)``."""
    rows = session.scalars(
        select(StatusList).where(StatusList.org_id == org_id, StatusList.purpose == "revocation")
        .order_by(StatusList.updated_at).with_for_update()
    ).all()
    for row in rows:
        if row.size - row.used >= needed:
            return row
    list_id = new_id()
    encoded = _empty_encoded()
    revocation = StatusList(id=list_id, org_id=org_id, purpose="revocation", size=LIST_SIZE, used=0,
                            encoded_list=encoded)
    suspension = StatusList(id=suspension_list_id(list_id), org_id=org_id, purpose="suspension", size=LIST_SIZE,
                            used=0, encoded_list=encoded)
    session.add_all([revocation, suspension])
    session.flush()
    return revocation


class IndexAllocator:
    """Draws random free indexes of one list (CSPRNG). Loads the taken set once: fit for bulk awards."""

    def __init__(self, session: Session, status_list: StatusList) -> None:
        self.status_list = status_list
        self.taken: set[int] = set(session.scalars(
            select(Award.revocation_index).where(Award.revocation_list_id == status_list.id)))

    def draw(self) -> int:
        if len(self.taken) >= self.status_list.size:
            raise RuntimeError("status list is full")  # open_pair(needed=…) prevents this
        while True:
            index = secrets.randbelow(self.status_list.size)
            if index not in self.taken:
                self.taken.add(index)
                self.status_list.used += 1
                return index


def set_status_bit(session: Session, list_id: str, indexes: Iterable[int], value: bool, *, now: datetime
                   ) -> StatusList:
    """Set or clear bits of a list (row locked); the list's version changes so caches revalidate."""
    row = session.scalar(select(StatusList).where(StatusList.id == list_id).with_for_update())
    if row is None:
        raise LookupError(list_id)
    bits = Bitstring.decode(row.encoded_list)
    for index in indexes:
        bits.set(index, value)
    row.encoded_list = bits.encode()
    row.version += 1
    row.updated_at = now
    return row
