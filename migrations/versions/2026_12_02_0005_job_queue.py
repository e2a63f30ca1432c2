"""the job queue: procrastinate's schema (PostgreSQL only; on SQLite jobs run in process, see app/jobs)

Revision ID: 0005_job_queue
Revises: 0004_jobs
Create Date: 2026-12-02 07:05:00

The schema is procrastinate's own (``SchemaManager.get_schema()`` of the pinned version, 3.10.0). Upgrading
procrastinate: apply the SQL files of its ``sql/migrations`` directory between the two versions in a new revision,
and freeze this one (copy the 3.10.0 schema here) so that new databases and migrated ones end up identical;
tests/jobs/test_queue_schema.py fails until then.
"""

from __future__ import annotations

from alembic import op

from app.jobs.schema import DROP_SCHEMA, schema_sql

revision = '0005_job_queue'
down_revision = '0004_jobs'
branch_labels = None
depends_on = None


def _execute(sql: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        # no parameters: psycopg would otherwise read the '%' of procrastinate's messages as placeholders
        bind.exec_driver_sql(sql, execution_options={'no_parameters': True})


def upgrade() -> None:
    _execute(schema_sql())


def downgrade() -> None:
    _execute(DROP_SCHEMA)
