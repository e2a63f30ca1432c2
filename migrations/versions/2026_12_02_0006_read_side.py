"""the read side: a keyed lookup hash of each award's recipient, to find awards by email or phone

Revision ID: 0006_read_side
Revises: 0005_job_queue
Create Date: 2026-12-02 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_read_side'
down_revision = '0005_job_queue'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_lookup', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_awards_org_id_recipient_lookup', ['org_id', 'recipient_lookup'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index('ix_awards_org_id_recipient_lookup')
        batch_op.drop_column('recipient_lookup')
