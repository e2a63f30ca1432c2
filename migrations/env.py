"""Alembic environment: the URL comes from the caller (app.migrate) or from Settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from app.config import load_settings
from app.db import make_engine
from app.jobs.schema import include_object
from app.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                      include_object=include_object)  # procrastinate's tables are not ours to compare
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or load_settings().resolved_database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `savoirs db upgrade`")
run_migrations_online()
