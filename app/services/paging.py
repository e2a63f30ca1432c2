"""Keyset pagination for the read side: newest first by ``(created_at, id)``, an opaque cursor per page.

The order is total (``id`` breaks ties between rows created in the same microsecond), so a row is never shown twice
nor skipped when rows are added while someone pages: new rows are newer than any cursor already given.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import ColumnElement, FromClause, Select, String, func, literal, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.errors import InvalidInput
from app.models.base import UTCDateTime

__all__ = ["Page", "decode_cursor", "encode_cursor", "fetch_page", "older_than"]

T = TypeVar("T")
_ROW_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # app.models.base.new_id


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int  # rows matching the filters, on every page
    next_cursor: str | None  # None on the last page


def encode_cursor(created_at: datetime, row_id: str) -> str:
    """The position just after the row ``(created_at, row_id)``, as an opaque URL-safe text."""
    raw = orjson.dumps([created_at.astimezone(UTC).isoformat(), row_id])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _bad_cursor() -> InvalidInput:
    return InvalidInput("This cursor was not given by this service: copy next_cursor, or follow the Link header, "
                        "as it is.",
                        "Ce curseur n'a pas été donné par ce service : recopiez next_cursor, ou suivez l'en-tête "
                        "Link, tel quel.", code="invalid_cursor")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """:raises InvalidInput: ``invalid_cursor``, for anything :func:`encode_cursor` did not make."""
    try:
        value = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        when, row_id = value
        instant = datetime.fromisoformat(when).astimezone(UTC)  # a naive or out-of-range instant: not ours either
        naive = datetime.fromisoformat(when).tzinfo is None
    except (ValueError, TypeError, OverflowError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise _bad_cursor() from exc
    if naive or not isinstance(row_id, str) or not _ROW_ID.fullmatch(row_id):
        raise _bad_cursor()
    return instant, row_id


def older_than(created_at: InstrumentedAttribute[datetime], row_id: InstrumentedAttribute[str], when: datetime,
               last_id: str) -> ColumnElement[bool]:
    """Rows after ``(when, last_id)`` in the newest-first order (a row-value comparison: one index range on
    PostgreSQL)."""
    return tuple_(created_at, row_id) < tuple_(literal(when, UTCDateTime()), literal(last_id, String()))


def fetch_page(session: Session, query: Select[Any], table: FromClause, conditions: Sequence[ColumnElement[bool]],
               created_at: InstrumentedAttribute[datetime], row_id: InstrumentedAttribute[str], *, limit: int,
               cursor: str | None) -> Page[Any]:
    """One page of ``query`` (selecting one entity) under ``conditions``, newest first, with the total count.

    :raises InvalidInput: a cursor this service did not give.
    """
    where = list(conditions)
    if cursor is not None:
        where.append(older_than(created_at, row_id, *decode_cursor(cursor)))
    rows = list(session.scalars(query.where(*where).order_by(created_at.desc(), row_id.desc()).limit(limit + 1)))
    if cursor is None and len(rows) <= limit:  # the whole list is on this page: no need to count
        return Page(rows, len(rows), None)
    total = session.scalar(select(func.count()).select_from(table).where(*conditions)) or 0
    if len(rows) <= limit:
        return Page(rows, total, None)
    last = rows[limit - 1]
    return Page(rows[:limit], total, encode_cursor(getattr(last, created_at.key), getattr(last, row_id.key)))
