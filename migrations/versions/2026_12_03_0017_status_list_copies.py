"""status list copies: each status list keeps its signed credential with the version and key it was signed for, so
that it is served without signing again, even by a process without the key-encryption key

Revision ID: 0017_status_list_copies
Revises: 0016_rate_counts
Create Date: 2026-12-03 19:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017_status_list_copies'
down_revision = '0016_rate_counts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('status_lists') as batch_op:
        batch_op.add_column(sa.Column('signed_document', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('signed_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('signed_key_id', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('status_lists') as batch_op:
        batch_op.drop_column('signed_key_id')
        batch_op.drop_column('signed_version')
        batch_op.drop_column('signed_document')
