"""the read side: a keyed lookup hash of each award's recipient, to find awards by email or phone; indexes for
listing an organisation's awards newest first (by organisation, status, achievement and level, group)

Every new index begins with the organisation (the tenant of every query), so that the common filters are counted
(X-Total-Count) from the index alone; they replace the single-column indexes on awards.org_id and
awards.achievement_id (no query reads awards by achievement across organisations).

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
        batch_op.create_index('ix_awards_org_id_created_at', ['org_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_awards_org_id_status', ['org_id', 'status', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_awards_org_id_achievement_id', ['org_id', 'achievement_id', 'created_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_awards_org_id_achievement_id_level_id',
                              ['org_id', 'achievement_id', 'level_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_group_id'), ['group_id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_awards_org_id'))
        batch_op.drop_index(batch_op.f('ix_awards_achievement_id'))


def downgrade() -> None:
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_achievement_id'), ['achievement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_org_id'), ['org_id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_awards_group_id'))
        batch_op.drop_index('ix_awards_org_id_achievement_id_level_id')
        batch_op.drop_index('ix_awards_org_id_achievement_id')
        batch_op.drop_index('ix_awards_org_id_status')
        batch_op.drop_index('ix_awards_org_id_created_at')
        batch_op.drop_index('ix_awards_org_id_recipient_lookup')
        batch_op.drop_column('recipient_lookup')
