"""rate counts: rate-limit counters shared by every worker (limiter and client hashed, per window)

Revision ID: 0016_rate_counts
Revises: 0015_backpack_api
Create Date: 2026-12-03 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016_rate_counts'
down_revision = '0015_backpack_api'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_counts',
    sa.Column('key_sha256', sa.String(length=64), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key_sha256', 'window_start', name=op.f('pk_rate_counts')),
    # PostgreSQL: no write-ahead log for counts that may be lost in a crash (and are emptied by one): a count is
    # one statement with no fsync to wait for, which every verification and wrong key makes
    prefixes=['UNLOGGED'] if op.get_bind().dialect.name == 'postgresql' else [],
    )
    op.create_index(op.f('ix_rate_counts_window_start'), 'rate_counts', ['window_start'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_rate_counts_window_start'), table_name='rate_counts')
    op.drop_table('rate_counts')
