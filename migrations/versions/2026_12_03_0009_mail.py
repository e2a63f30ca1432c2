"""email messages (sent by jobs), and jobs done on no organisation's behalf (a holder's sign-in email)

Revision ID: 0009_mail
Revises: 0008_status_seed
Create Date: 2026-12-03 07:00:00

``jobs.org_id`` becomes nullable. Downgrading deletes the jobs without an organisation (they send the messages of
the ``emails`` table, which goes too).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009_mail'
down_revision = '0008_status_seed'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('emails',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=True),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('purpose', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_emails_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emails'))
    )
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emails_org_id'), ['org_id'], unique=False)
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.alter_column('org_id', existing_type=sa.String(length=32), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM jobs WHERE org_id IS NULL")
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.alter_column('org_id', existing_type=sa.String(length=32), nullable=False)
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emails_org_id'))
    op.drop_table('emails')
