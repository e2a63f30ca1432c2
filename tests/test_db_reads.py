"""The reads made outside transactions (:meth:`Database.read`, :meth:`Database.read_row`): the same rows as through a
session, and still answered after the server dropped the connections they were kept on (a PostgreSQL restart)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import bindparam, select, text

from app.db import Database
from app.models import Organisation

_BY_SLUG = select(Organisation.id, Organisation.name).where(Organisation.slug == bindparam("slug"))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    with database.transaction() as session:
        session.add(Organisation(id="org-1", slug="puchot", name="Centre social du Puchot",
                                 url="https://puchot.example", email="contact@puchot.example"))
    yield database
    database.dispose()


def test_read_row_gives_the_row_a_session_reads(db: Database) -> None:
    with db.sessions() as session:
        expected = tuple(session.execute(_BY_SLUG, {"slug": "puchot"}).one())
    assert db.read_row(_BY_SLUG, {"slug": "puchot"}) == expected == ("org-1", "Centre social du Puchot")


def test_read_row_gives_none_when_nothing_matches(db: Database) -> None:
    assert db.read_row(_BY_SLUG, {"slug": "nobody"}) is None


def test_read_runs_outside_any_transaction_and_sees_what_was_committed(db: Database) -> None:
    with db.transaction() as session:
        session.get(Organisation, "org-1").name = "Puchot"  # type: ignore[union-attr]
    assert db.read(lambda connection: connection.execute(_BY_SLUG, {"slug": "puchot"}).one().name) == "Puchot"
    assert db.read_row(_BY_SLUG, {"slug": "puchot"}) == ("org-1", "Puchot")


def _drop_connections(db: Database) -> int:
    """What a server restart does to the kept connections: PostgreSQL ends every other session of this database."""
    with db.engine.connect() as connection:
        dropped = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    return int(dropped)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_reads_survive_connections_dropped_by_the_server(db: Database) -> None:
    assert db.read_row(_BY_SLUG, {"slug": "puchot"}) is not None  # connections now kept in the read pool
    assert db.read(lambda connection: connection.execute(text("SELECT 1")).scalar_one()) == 1
    assert _drop_connections(db) >= 1
    assert db.read_row(_BY_SLUG, {"slug": "puchot"}) == ("org-1", "Centre social du Puchot")
    assert _drop_connections(db) >= 1
    assert db.read(lambda connection: connection.execute(_BY_SLUG, {"slug": "puchot"}).one().id) == "org-1"
