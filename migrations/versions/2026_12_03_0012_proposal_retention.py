"""badge_proposals.purge_after: a closed proposal's personal fields go after its organisation's retention

Revision ID: 0012_proposal_retention
Revises: 0011_recognition
Create Date: 2026-12-03 12:00:00

Proposals closed before this revision (adopted, declined or withdrawn) get the date they would have got had they
closed after it: their decision (``decided_at``, else ``updated_at``) plus their organisation's
``evidence_retention_days`` (90 when it has changed no rule). Those closed longer ago than that are purged by the
next run of the retention purge: leaving them NULL would keep their proposers' names, address and the committee's
comments forever, which is what this revision ends. Open proposals stay NULL until they close.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = '0012_proposal_retention'
down_revision = '0011_recognition'
branch_labels = None
depends_on = None

#: the states a proposal closes in, and the retention of an organisation without a ``recognition_settings`` row
_CLOSED = ('adopted', 'declined', 'withdrawn')
_DEFAULT_RETENTION_DAYS = 90


def upgrade() -> None:
    with op.batch_alter_table('badge_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purge_after', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_badge_proposals_purge_after'), ['purge_after'], unique=False)

    # in Python rather than in SQL: date arithmetic is not written the same way on SQLite and PostgreSQL, and there
    # are few proposals
    when = sa.DateTime(timezone=True)
    proposals = sa.table('badge_proposals', sa.column('id', sa.String()), sa.column('org_id', sa.String()),
                         sa.column('state', sa.String()), sa.column('decided_at', when),
                         sa.column('updated_at', when), sa.column('purge_after', when))
    settings = sa.table('recognition_settings', sa.column('org_id', sa.String()),
                        sa.column('evidence_retention_days', sa.Integer()))
    conn = op.get_bind()
    closed = conn.execute(
        sa.select(proposals.c.id, proposals.c.decided_at, proposals.c.updated_at, settings.c.evidence_retention_days)
        .select_from(proposals.outerjoin(settings, settings.c.org_id == proposals.c.org_id))
        .where(proposals.c.state.in_(_CLOSED))).all()
    dates = [{'proposal_id': proposal_id, 'due': (decided_at or updated_at) + timedelta(
        days=_DEFAULT_RETENTION_DAYS if days is None else days)}
        for proposal_id, decided_at, updated_at, days in closed]
    if dates:
        conn.execute(proposals.update().where(proposals.c.id == sa.bindparam('proposal_id'))
                     .values(purge_after=sa.bindparam('due')), dates)


def downgrade() -> None:
    with op.batch_alter_table('badge_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badge_proposals_purge_after'))
        batch_op.drop_column('purge_after')
