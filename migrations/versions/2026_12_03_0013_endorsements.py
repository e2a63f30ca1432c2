"""endorsements: EndorsementCredentials asked, offered, issued and revoked; individual endorsers as organisations of
kind person; awards.revision (a credential issued again under its id)

Revision ID: 0013_endorsements
Revises: 0012_proposal_retention
Create Date: 2026-12-03 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013_endorsements'
down_revision = '0012_proposal_retention'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='organisation', nullable=False))
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))
    op.create_table('endorsements',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=False),
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=32), nullable=False),
    sa.Column('endorser_kind', sa.String(length=16), nullable=False),
    sa.Column('endorser_org_id', sa.String(length=32), nullable=True),
    sa.Column('invited_name', sa.String(length=200), nullable=True),
    sa.Column('invited_email', sa.String(length=320), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('email_endorser', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('link_sha256', sa.String(length=64), nullable=False),
    sa.Column('consent_sha256', sa.String(length=64), nullable=True),
    sa.Column('credential', sa.JSON(), nullable=True),
    sa.Column('revocation_list_id', sa.String(length=32), nullable=True),
    sa.Column('revocation_index', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_endorsements_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['endorser_org_id'], ['organisations.id'], name=op.f('fk_endorsements_endorser_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revocation_list_id'], ['status_lists.id'], name=op.f('fk_endorsements_revocation_list_id_status_lists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements')),
    sa.UniqueConstraint('link_sha256', name=op.f('uq_endorsements_link_sha256')),
    sa.UniqueConstraint('consent_sha256', name=op.f('uq_endorsements_consent_sha256'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsements_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsements_endorser_org_id'), ['endorser_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsements_state'), ['state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_state'))
        batch_op.drop_index(batch_op.f('ix_endorsements_endorser_org_id'))
        batch_op.drop_index(batch_op.f('ix_endorsements_subject_id'))
        batch_op.drop_index(batch_op.f('ix_endorsements_org_id'))
    op.drop_table('endorsements')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_column('revision')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('kind')
