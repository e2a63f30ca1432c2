"""organisation status model (revocation only, or revocation and suspension)

Revision ID: 0003_status_model
Revises: 0002_issuance
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003_status_model'
down_revision = '0002_issuance'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_model', sa.String(length=32), nullable=False,
                                      server_default='revocation_only'))


def downgrade() -> None:
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('status_model')
