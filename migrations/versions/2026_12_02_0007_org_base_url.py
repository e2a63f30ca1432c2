"""organisations.public_base_url: the PUBLIC_BASE_URL an organisation's identifiers were published under

Revision ID: 0007_org_base_url
Revises: 0006_read_side
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007_org_base_url'
down_revision = '0006_read_side'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for existing organisations: the service then reads it from one of their credentials (or records the
    # current value when they have none) the next time they issue
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_base_url', sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('public_base_url')
