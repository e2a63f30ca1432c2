"""Engine and session factory. Nothing connects at import."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import orjson
import psycopg
from sqlalchemy import Connection, Engine, Select, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import ServiceUnavailable

__all__ = ["Database", "LoopReads", "make_engine", "make_read_engine"]

T = TypeVar("T")
AnySelect = Select[*tuple[Any, ...]]


def make_engine(url: str, *, echo: bool = False, statement_timeout_ms: int = 15_000) -> Engine:
    """Create an engine with durable, safe defaults for SQLite and Postgres.

    SQLite: foreign keys on, WAL journal, ``synchronous=FULL``, busy timeout.
    Postgres: durable commits (``synchronous_commit`` is never turned off), a statement timeout.
    """
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True, "json_serializer": _json_dumps}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": statement_timeout_ms / 1000}
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", functools.partial(_sqlite_pragmas, busy_ms=statement_timeout_ms))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs["connect_args"] = {"options": f"-c statement_timeout={statement_timeout_ms} -c synchronous_commit=on"}
    kwargs["pool_size"] = 10
    kwargs["max_overflow"] = 10
    kwargs["pool_timeout"] = 5
    return create_engine(url, **kwargs)


def make_read_engine(url: str, engine: Engine, *, statement_timeout_ms: int = 15_000) -> Engine:
    """The engine of :meth:`Database.read`: on PostgreSQL, a pool of its own in autocommit, without the ping that
    every checkout of ``engine`` costs (one round trip per statement instead of four: ping, begin, statement, end);
    SQLite reads a local file and shares ``engine``."""
    if make_url(url).get_backend_name() == "sqlite":
        return engine
    return create_engine(url, pool_pre_ping=False, isolation_level="AUTOCOMMIT", pool_size=5, max_overflow=10,
                         pool_timeout=5, json_serializer=_json_dumps,
                         connect_args={"options": f"-c statement_timeout={statement_timeout_ms} "
                                                  "-c synchronous_commit=on"})


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode("utf-8")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, busy_ms: int) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")  # a writer waits this long for the lock, then 503
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Write transactions take the write lock up front (``BEGIN IMMEDIATE``): a transaction that read first and
    wrote later would otherwise fail with "database is locked" when another writer committed in between."""
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """An engine plus its session factory; one per application instance."""

    def __init__(self, url: str, *, statement_timeout_ms: int = 15_000) -> None:
        self.url = url
        self.engine = make_engine(url, statement_timeout_ms=statement_timeout_ms)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info={"database": self})
        self._write_sessions = sessionmaker(self.engine.execution_options(sqlite_immediate=True),
                                            expire_on_commit=False, info={"database": self})
        self._reads = make_read_engine(url, self.engine, statement_timeout_ms=statement_timeout_ms)
        self._driver_sql: dict[int, tuple[AnySelect, str, dict[str, Any]]] = {}
        #: PostgreSQL: the reads made on the event loop itself (:meth:`read_row_async`)
        self.loop_reads = None if self._reads is self.engine else LoopReads(
            make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))

    @property
    def read_engine(self) -> Engine:
        """The engine of :meth:`read` (the main engine on SQLite)."""
        return self._reads

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error."""
        with self._write_sessions() as session, session.begin():
            yield session

    @staticmethod
    def of(session: Session) -> Database | None:
        """The database a session of :attr:`sessions` or :meth:`transaction` belongs to."""
        found = session.info.get("database")
        return found if isinstance(found, Database) else None

    def read(self, reading: Callable[[Connection], T]) -> T:
        """``reading(connection)`` on a connection of the autocommit pool, outside any transaction: small reads (the
        versions public documents are tagged by, an API key), or one statement that commits on its own and may be
        repeated (a status list counter). A connection found dead (the server restarted) is dropped with the rest
        of the pool, and ``reading`` tried once more on a new one."""
        try:
            with self._reads.connect() as connection:
                return reading(connection)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        with self._reads.connect() as connection:
            return reading(connection)

    def read_row(self, statement: AnySelect, parameters: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of ``statement`` (built once, at import), or None: :meth:`read` for the reads made on every
        request of the public documents. On PostgreSQL the statement goes to the driver directly, prepared on each
        connection: half the CPU time of its execution through SQLAlchemy. Its parameters and columns must need no
        conversion by SQLAlchemy's types (strings, numbers, as the driver gives them). A driver error goes to
        :meth:`read`, which fails or succeeds as every other read does."""
        if self._reads is not self.engine:
            sql, defaults = self._for_driver(statement)
            raw = self._reads.raw_connection()
            try:
                with raw.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
                    cursor.execute(sql, {**defaults, **parameters}, prepare=True)
                    return cursor.fetchone()  # type: ignore[no-any-return]
            except psycopg.Error:
                raw.invalidate()
            finally:
                raw.close()
        found = self.read(lambda connection: connection.execute(statement, parameters).first())
        return None if found is None else tuple(found)

    async def read_row_async(self, statement: AnySelect, parameters: dict[str, Any]) -> tuple[Any, ...] | None:
        """:meth:`read_row` for the event loop: on PostgreSQL the loop serves other requests while the server
        answers, and a server that does not answer within :data:`LoopReads.TIMEOUT` raises :class:`TimeoutError`
        instead of holding the loop (SQLite answers from a local file, on the loop)."""
        if self.loop_reads is None:
            return self.read_row(statement, parameters)
        sql, defaults = self._for_driver(statement)
        return await self.loop_reads.row(sql, {**defaults, **parameters})

    def _for_driver(self, statement: AnySelect) -> tuple[str, dict[str, Any]]:
        """``statement`` as the driver's SQL, with the values of the parameters it binds itself (compiled once)."""
        kept = self._driver_sql.get(id(statement))
        if kept is None:
            compiled = statement.compile(dialect=self._reads.dialect)
            kept = self._driver_sql[id(statement)] = (statement, str(compiled), dict(compiled.params))
        return kept[1], kept[2]

    def dispose(self) -> None:
        if self.loop_reads is not None:
            self.loop_reads.drop()
        self.engine.dispose()
        if self._reads is not self.engine:
            self._reads.dispose()


class LoopReads:
    """One PostgreSQL connection (autocommit, statements prepared) for the reads an event loop makes itself, one at a
    time: the fast lane's version reads, a few hundred microseconds each, during which the loop goes on serving.

    The connection belongs to the loop that opened it; another loop (a test client's, a restarted server's) opens
    its own and the old one is closed. A read that fails or takes longer than :data:`TIMEOUT` closes the connection
    (its state is unknown) and raises: the caller answers another way (the route, with its own pool and errors)."""

    TIMEOUT = 2.0

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connection: psycopg.AsyncConnection[Any] | None = None
        self._lock: asyncio.Lock | None = None

    async def row(self, sql: str, parameters: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of ``sql``, or None.

        :raises ServiceUnavailable: the server refused, dropped the connection or did not answer within
            :data:`TIMEOUT`."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._lock is None:
            self.drop()
            self._loop, self._lock = loop, asyncio.Lock()
        async with self._lock:
            try:
                return await asyncio.wait_for(self._row(sql, parameters), self.TIMEOUT)
            except (psycopg.Error, TimeoutError) as error:
                self.drop()
                raise ServiceUnavailable("The database did not answer.", "La base de données n'a pas répondu."
                                         ) from error
            except BaseException:  # cancelled mid-read: the connection's state is unknown
                self.drop()
                raise

    async def _row(self, sql: str, parameters: dict[str, Any]) -> tuple[Any, ...] | None:
        if self._connection is None or self._connection.closed:
            self._connection = await psycopg.AsyncConnection.connect(
                self._conninfo, autocommit=True, options="-c statement_timeout=2000")
        async with self._connection.cursor() as cursor:
            await cursor.execute(sql, parameters, prepare=True)
            return await cursor.fetchone()

    def drop(self) -> None:
        """Close the connection now, whatever loop it was opened on (the libpq connection is closed directly)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.pgconn.finish()
