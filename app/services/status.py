"""Bitstring status lists: unique, unpredictable index allocation in constant time, and status bit changes.

Each organisation has pairs of lists (revocation, suspension) of 131,072 entries. A credential gets the same index
in both lists of a pair (its list's counter through a keyed permutation, :mod:`app.badges.index_permutation`); the
suspension list's id is the revocation list's id followed by ``s``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.badges.bitstring import Bitstring
from app.badges.index_permutation import new_seed, permuted_index
from app.db import Database
from app.models import StatusList
from app.models.base import new_id

__all__ = ["CHANGED_LISTS", "LIST_SIZE", "Reservation", "reserve", "set_status_bit", "suspension_list_id"]

T = TypeVar("T")

LIST_SIZE = 131_072
#: where a session notes the lists whose bits it changed (``session.info``)
CHANGED_LISTS = "status_lists_changed"


def suspension_list_id(revocation_list_id: str) -> str:
    return revocation_list_id + "s"


def _empty_encoded() -> str:
    return Bitstring(LIST_SIZE).encode()


def _new_pair(org_id: str) -> list[dict[str, Any]]:
    list_id, encoded, seed = new_id(), _empty_encoded(), new_seed()
    return [{"id": list_id, "org_id": org_id, "purpose": "revocation", "size": LIST_SIZE, "used": 0,
             "permutation_seed": seed, "encoded_list": encoded, "version": 1},
            {"id": suspension_list_id(list_id), "org_id": org_id, "purpose": "suspension", "size": LIST_SIZE,
             "used": 0, "permutation_seed": None, "encoded_list": encoded, "version": 1}]


@dataclass
class Reservation:
    """Indexes handed out to one transaction, in a revocation list (its suspension twin has the same ones)."""

    list_id: str
    indexes: list[int]
    #: the lists this reservation opened (a new pair, when none had room): theirs to sign
    opened: tuple[str, ...] = ()

    def draw(self) -> int:
        if not self.indexes:
            raise RuntimeError("no index left in this reservation")  # reserve(count) prevents this
        return self.indexes.pop()


#: the fullest of the organisation's lists with room for ``count`` more (lists without a seed predate constant-time
#: allocation and take no new award)
_ROOM = (select(StatusList.id).where(StatusList.org_id == bindparam("for_org"), StatusList.purpose == "revocation",
                                     StatusList.permutation_seed.is_not(None),
                                     StatusList.used + bindparam("places") <= StatusList.size)
         .order_by(StatusList.used.desc(), StatusList.id).limit(1))
#: that list's counter moved ``count`` places on, if it still has room: (its id, new counter, seed, size)
_ADVANCE = (update(StatusList)
            .where(StatusList.id == _ROOM.scalar_subquery(), StatusList.used + bindparam("places") <= StatusList.size)
            .values(used=StatusList.used + bindparam("places"))
            .returning(StatusList.id, StatusList.used, StatusList.permutation_seed, StatusList.size))


def reserve(session: Session, org_id: str, count: int, *, now: datetime) -> Reservation:
    """``count`` unused indexes of one of the organisation's lists, in constant time: one statement advances the
    counter of the fullest list with room by ``count``, and each value goes through the list's keyed permutation.
    Nothing reads the indexes already taken, nor the lists' bits.

    On PostgreSQL the counter (and a new pair of lists, when none has room) is committed at once on its own
    connection, like a sequence: no lock on the list is held while the caller signs, so concurrent awards do not
    wait for each other; an award that then fails leaves its index unused. On SQLite (one writer) it is part of the
    caller's transaction.
    """
    if not 0 < count <= LIST_SIZE:
        raise ValueError(f"cannot reserve {count} indexes")
    own_connection = session.get_bind().dialect.name == "postgresql"
    opened: list[str] = []
    for _ in range(5):
        advanced = _advance(session, org_id, count, own_connection)
        if advanced is None:  # no list with room (or another transaction took the last places): open a pair
            pair = [{**row, "updated_at": now} for row in _new_pair(org_id)]
            _insert_pair(session, pair, own_connection)
            opened += [row["id"] for row in pair]
            continue
        list_id, end, seed, size = advanced
        indexes = [permuted_index(seed, counter, size) for counter in range(end - count, end)]
        return Reservation(list_id, indexes[::-1], tuple(opened))
    raise RuntimeError("could not reserve status list indexes")  # five races lost in a row


def _insert_pair(session: Session, rows: list[dict[str, Any]], own_connection: bool) -> None:
    if own_connection:
        _on_its_own(session, lambda connection: connection.execute(insert(StatusList), rows))
    else:
        session.execute(insert(StatusList), rows)


def _on_its_own(session: Session, statement: Callable[[Connection], T]) -> T:
    """``statement`` committed at once, apart from the session's transaction: on the database's autocommit pool (one
    round trip), or in a transaction of its own for a session made elsewhere."""
    database = Database.of(session)
    if database is not None:
        return database.read(statement)
    with session.get_bind().engine.begin() as connection:
        return statement(connection)


def _advance(session: Session, org_id: str, count: int, own_connection: bool) -> tuple[str, int, str, int] | None:
    """Move the counter of the fullest list with room ``count`` places on: (its id, new value, seed, size)."""
    parameters = {"for_org": org_id, "places": count}
    if own_connection:
        row = _on_its_own(session, lambda connection: connection.execute(_ADVANCE, parameters).first())
    else:
        row = session.connection().execute(_ADVANCE, parameters).first()
    if row is None:
        return None
    assert row[2] is not None  # only lists with a seed are chosen
    return row[0], row[1], row[2], row[3]


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
    session.info.setdefault(CHANGED_LISTS, set()).add(row.id)  # for status_documents.keep_changed
    return row
