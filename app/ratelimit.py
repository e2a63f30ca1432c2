"""Rate limits shared by every worker: counts kept in the database (PostgreSQL in production), so that two
processes behind one load balancer do not each allow the limit (issue 18).

A :class:`SharedWindow` allows ``limit`` events per key in each fixed window of ``window`` (a burst across a window's
edge can reach twice the limit: enough to slow guessing and floods, which is what these limits are for). A key is a
limiter's name and a client, hashed: no client address is stored. Every method takes ``now`` from the caller (the
service's clock: tests move time instead of sleeping). Old windows are deleted by the hourly purge
(:func:`purge_before`).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.db import Database
from app.models import RateCount

__all__ = ["SharedWindow", "Window", "purge_before"]

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class Window(Protocol):
    """At most some events per key in a window: how long to wait, and one more event."""

    def retry_after(self, key: str, now: datetime) -> int | None: ...

    def hit(self, key: str, now: datetime) -> None: ...


class SharedWindow:
    """At most ``limit`` events per key in each window of ``window``, counted in ``db``."""

    def __init__(self, db: Database, name: str, limit: int, window: timedelta) -> None:
        if limit < 1 or window <= timedelta(0):
            raise ValueError("a limit of at least 1 in a positive window")
        self.db, self.name, self.limit, self.window = db, name, limit, window

    def _key(self, key: str) -> str:
        return hashlib.sha256(f"{self.name}|{key}".encode()).hexdigest()

    def _start(self, now: datetime) -> datetime:
        return now - (now - _EPOCH) % self.window

    def _wait(self, now: datetime) -> int:
        return max(1, int((self._start(now) + self.window - now).total_seconds()))

    def retry_after(self, key: str, now: datetime) -> int | None:
        """Seconds to wait before ``key`` may act again, or None when it may now."""
        query = select(RateCount.count).where(RateCount.key_sha256 == self._key(key),
                                              RateCount.window_start == self._start(now))
        count = self.db.read(lambda connection: connection.execute(query).scalar())
        return self._wait(now) if (count or 0) >= self.limit else None

    def count(self, key: str, now: datetime) -> int:
        """One more event for ``key``: how many it had in this window, this one included."""
        values = {"key_sha256": self._key(key), "window_start": self._start(now), "count": 1}
        insert = pg_insert if self.db.backend == "postgresql" else sqlite_insert
        statement = insert(RateCount).values(values).on_conflict_do_update(
            index_elements=[RateCount.key_sha256, RateCount.window_start],
            set_={"count": RateCount.count + 1}).returning(RateCount.count)
        if self.db.backend == "postgresql":  # one statement on the autocommit pool (an UNLOGGED table: no fsync)
            return int(self.db.read(lambda connection: connection.execute(statement).scalar_one()))
        with self.db.transaction() as session:
            return int(session.execute(statement).scalar_one())

    def hit(self, key: str, now: datetime) -> None:
        self.count(key, now)

    def over(self, key: str, now: datetime) -> int | None:
        """Count one more event; the seconds to wait when it went beyond the limit, else None."""
        return self._wait(now) if self.count(key, now) > self.limit else None


def purge_before(db: Database, before: datetime) -> int:
    """Delete the windows that started before ``before``: how many."""
    with db.transaction() as session:
        result = session.execute(delete(RateCount).where(RateCount.window_start < before))
        return int(getattr(result, "rowcount", 0) or 0)
