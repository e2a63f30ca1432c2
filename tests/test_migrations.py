"""Alembic migrations upgrade empty SQLite and Postgres databases, downgrade cleanly, and match the models.

procrastinate's own tables (the job queue, PostgreSQL only) are not models: they are left out (tests/jobs checks
them)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from app.jobs.schema import include_object, is_queue_table
from app.migrate import downgrade, upgrade
from app.models import Base
from tests.conftest import PG_DEFAULT, _ci


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin_url = os.environ.get("TEST_DATABASE_URL", PG_DEFAULT)
    name = f"savoirs_migr_{uuid.uuid4().hex[:10]}"
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


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return {t for t in inspect(engine).get_table_names() if t != "alembic_version" and not is_queue_table(t)}
    finally:
        engine.dispose()


def test_upgrade_empty_database_to_head_creates_every_table(empty_database: str) -> None:
    upgrade(empty_database)
    assert _tables(empty_database) == set(Base.metadata.tables)


def test_downgrade_to_base_then_upgrade_again(empty_database: str) -> None:
    upgrade(empty_database)
    downgrade(empty_database, "base")
    assert _tables(empty_database) == set()
    upgrade(empty_database)
    assert _tables(empty_database) == set(Base.metadata.tables)


def test_models_and_migrations_agree(empty_database: str) -> None:
    upgrade(empty_database)
    engine = create_engine(empty_database)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True,
                                                                       "include_object": include_object}),
                                Base.metadata)
    engine.dispose()
    assert diff == []


def test_audit_trail_is_append_only(empty_database: str) -> None:
    upgrade(empty_database)
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_events (at, actor, action, target_type, target_id, details) "
                          "VALUES (CURRENT_TIMESTAMP, 'test', 'x', 'y', 'z', '{}')"))
    for statement in ("UPDATE audit_events SET actor = 'forged'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_events")).scalar_one() == "test"
    engine.dispose()


def test_proposals_closed_before_0012_get_their_organisation_s_retention(empty_database: str) -> None:
    """Closed proposals get a purge date from their decision and their organisation's retention (90 days when it
    has changed no rule); open ones none."""
    upgrade(empty_database, "0011_recognition")
    decided = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    engine = create_engine(empty_database)
    tables = MetaData()
    tables.reflect(engine, only=["organisations", "recognition_settings", "badge_proposals"])
    orgs, rules, proposals = (tables.tables[name] for name in ("organisations", "recognition_settings",
                                                               "badge_proposals"))
    with engine.begin() as conn:
        conn.execute(orgs.insert(), [{"id": org, "slug": org, "name": org, "url": "https://exemple.fr",
                                      "email": "contact@exemple.fr", "language": "fr", "created_at": decided,
                                      "updated_at": decided} for org in ("strict", "default")])
        conn.execute(rules.insert().values(org_id="strict", requests_open=True, rule="count", acceptances=2,
                                           evidence_retention_days=30, updated_at=decided))
        conn.execute(proposals.insert(), [
            {"id": proposal_id, "org_id": org, "proposers": ["Awa"], "contact": "awa@exemple.fr", "language": "fr",
             "name": "Cuisine", "description": "d", "criteria": "c", "levels": [], "state": state, "round": 1,
             "follow_sha256": proposal_id.ljust(64, "0"), "created_at": decided, "updated_at": decided,
             "decided_at": None if state == "received" else decided}
            for proposal_id, org, state in (("declined", "strict", "declined"), ("adopted", "default", "adopted"),
                                            ("withdrawn", "default", "withdrawn"), ("open", "strict", "received"))])
    upgrade(empty_database, "0012_proposal_retention")
    tables = MetaData()
    tables.reflect(engine, only=["badge_proposals"])
    proposals = tables.tables["badge_proposals"]
    with engine.connect() as conn:
        found = {row.id: row.purge_after for row in conn.execute(select(proposals.c.id, proposals.c.purge_after))}
    engine.dispose()
    when = {key: None if value is None else value.replace(tzinfo=value.tzinfo or UTC) for key, value in found.items()}
    assert when == {"declined": decided + timedelta(days=30), "adopted": decided + timedelta(days=90),
                    "withdrawn": decided + timedelta(days=90), "open": None}
