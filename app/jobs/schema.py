"""procrastinate's own database objects (PostgreSQL only): applied by an Alembic revision, ignored by autogenerate.

Every object procrastinate creates is named ``procrastinate_*`` (tables, types, functions, triggers); its indexes
are on those tables. Our models never describe them, so Alembic must neither drop nor compare them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DROP_SCHEMA", "PREFIX", "include_object", "is_queue_table", "schema_sql"]

PREFIX = "procrastinate_"

#: everything :func:`schema_sql` creates, dropped in dependency order (the functions found by name)
DROP_SCHEMA = """
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers CASCADE;
DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE 'DROP FUNCTION ' || f.signature || ' CASCADE';
    END LOOP;
END $$;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type, procrastinate_job_status CASCADE;
"""


def schema_sql() -> str:
    """The schema of the installed procrastinate (pinned in ``requirements.lock``), as one SQL script."""
    from procrastinate.schema import SchemaManager

    return str(SchemaManager.get_schema())


def is_queue_table(name: str | None) -> bool:
    return bool(name) and str(name).startswith(PREFIX)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic ``include_object``: leave procrastinate's tables (and their indexes) out of every comparison."""
    if type_ == "table":
        return not is_queue_table(name)
    table = getattr(obj, "table", None)
    return not is_queue_table(getattr(table, "name", None))
