"""CSV export of an organisation's awards, with the filters of the list: streamed in slices, newest first.

Everything that can fail (an unknown achievement or group, an unusable recipient) fails before the first byte; then
each slice of rows is read in its own short session, from where the previous one stopped, so an export of a large
organisation neither holds a connection nor the whole file in memory. No recipient identifier is in the file: it is
not stored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import defer

from app import presenters
from app.models import Achievement, Award
from app.schemas.search import AwardFilters
from app.services.paging import older_than
from app.services.search import award_conditions

if TYPE_CHECKING:
    from app.principal import Principal
    from app.services.context import ServiceContext

__all__ = ["CsvExport", "export_awards"]

_SLICE = 2000  # rows read per session
_BOM = "\ufeff"  # spreadsheets then read the file as UTF-8 (accents intact)


@dataclass(frozen=True, slots=True)
class CsvExport:
    filename: str
    chunks: Iterator[bytes]  # the file, slice by slice (UTF-8 with a byte order mark, CRLF lines)


def export_awards(ctx: ServiceContext, principal: Principal, filters: AwardFilters, *, achievement_id: str | None,
                  separator: Literal[",", ";"] = ",") -> CsvExport:
    """The organisation's awards matching ``filters``, as CSV (see :data:`app.presenters.AWARD_CSV_HEADER`).

    :raises NotFound: ``achievement_id`` or ``filters.group_id`` is not the organisation's.
    :raises InvalidInput: an unusable recipient.
    """
    with ctx.db.sessions() as session:
        where = award_conditions(session, ctx.vault, principal.org_id, filters, achievement_id)
    filename = f"badges-{principal.org_slug}-{ctx.clock.now():%Y-%m-%d}.csv"
    return CsvExport(filename, _chunks(ctx, where, separator))


def _encode(rows: Sequence[Sequence[str]], separator: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _chunks(ctx: ServiceContext, where: list[ColumnElement[bool]], separator: str) -> Iterator[bytes]:
    yield (_BOM + _encode([presenters.AWARD_CSV_HEADER], separator).decode("utf-8")).encode("utf-8")
    names: dict[str, Achievement] = {}
    position: list[ColumnElement[bool]] = []
    while True:
        with ctx.db.sessions() as session:
            query = select(Award).options(defer(Award.credential, raiseload=True)).where(*where, *position) \
                .order_by(Award.created_at.desc(), Award.id.desc()).limit(_SLICE)
            rows = list(session.scalars(query))
            missing = {row.achievement_id for row in rows} - names.keys()
            if missing:
                names.update((a.id, a) for a in session.scalars(select(Achievement).where(Achievement.id.in_(missing))))
        if not rows:
            return
        yield _encode([presenters.award_csv_row(row, names[row.achievement_id], ctx.urls) for row in rows], separator)
        if len(rows) < _SLICE:
            return
        position = [older_than(Award.created_at, Award.id, rows[-1].created_at, rows[-1].id)]
