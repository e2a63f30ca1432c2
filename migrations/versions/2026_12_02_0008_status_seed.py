"""status lists allocate indexes in constant time: a secret seed per list keys the permutation of its counter

Revision ID: 0008_status_seed
Revises: 0007_org_base_url
Create Date: 2026-12-02 15:00:00

Lists created before (no seed) keep serving the status of their credentials; new credentials go to seeded lists.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008_status_seed'
down_revision = '0007_org_base_url'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('status_lists', schema=None) as batch_op:
        batch_op.add_column(sa.Column('permutation_seed', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('status_lists', schema=None) as batch_op:
        batch_op.drop_column('permutation_seed')
