"""procrastinate's schema on PostgreSQL: created by the Alembic revision, dropped by its downgrade, pinned."""

from __future__ import annotations

import importlib.metadata
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.migrate import downgrade, upgrade
from tests.conftest import PG_DEFAULT, _ci

OBJECTS = """
SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate%'),
       (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'),
       (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%' AND t.typarray <> 0)
"""


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    admin_url = os.environ.get("TEST_DATABASE_URL", PG_DEFAULT)
    name = f"savoirs_queue_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if _ci():
            pytest.fail(f"PostgreSQL unreachable: {exc}")
        pytest.skip("PostgreSQL unreachable")
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _objects(url: str) -> tuple[int, int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        tables, functions, types = conn.execute(text(OBJECTS)).one()
    engine.dispose()
    return tables, functions, types


def test_the_queue_schema_comes_and_goes_with_its_revision(empty_postgres: str) -> None:
    upgrade(empty_postgres, "0004_jobs")
    assert _objects(empty_postgres) == (0, 0, 0)
    upgrade(empty_postgres)
    tables, functions, types = _objects(empty_postgres)
    assert tables == 4 and functions > 10 and types >= 3  # three of its own, one row type per table
    downgrade(empty_postgres, "0004_jobs")
    assert _objects(empty_postgres) == (0, 0, 0)
    upgrade(empty_postgres)
    assert _objects(empty_postgres) == (tables, functions, types)


def test_procrastinate_is_the_version_whose_schema_the_revision_applies() -> None:
    # migrations/versions/…_0005_job_queue.py applies the installed procrastinate's schema: before upgrading it,
    # freeze that revision on the 3.10.0 schema and add one applying procrastinate's SQL migrations
    assert importlib.metadata.version("procrastinate") == "3.10.0"
