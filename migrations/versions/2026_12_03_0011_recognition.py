"""the recognition process: committee members and rules, residents' requests with their evidence, votes, proposals

Revision ID: 0011_recognition
Revises: 0010_signin
Create Date: 2026-12-03 07:04:48
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011_recognition'
down_revision = '0010_signin'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('committee_members',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_committee_members_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_members')),
    sa.UniqueConstraint('org_id', 'email', name=op.f('uq_committee_members_org_id_email'))
    )
    with op.batch_alter_table('committee_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_members_org_id'), ['org_id'], unique=False)

    op.create_table('recognition_settings',
    sa.Column('org_id', sa.String(length=32), nullable=False),
    sa.Column('requests_open', sa.Boolean(), nullable=False),
    sa.Column('rule', sa.String(length=16), nullable=False),
    sa.Column('acceptances', sa.Integer(), nullable=False),
    sa.Column('evidence_retention_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_recognition_settings_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', name=op.f('pk_recognition_settings'))
    )
    op.create_table('committee_votes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=False),
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=32), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.String(length=32), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['committee_members.id'], name=op.f('fk_committee_votes_member_id_committee_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_committee_votes_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_votes')),
    sa.UniqueConstraint('subject_kind', 'subject_id', 'round', 'member_id', name=op.f('uq_committee_votes_subject_kind_subject_id_round_member_id'))
    )
    with op.batch_alter_table('committee_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_votes_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_committee_votes_subject_id'), ['subject_id'], unique=False)

    op.create_table('badge_proposals',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=False),
    sa.Column('proposers', sa.JSON(), nullable=False),
    sa.Column('contact', sa.String(length=320), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('criteria', sa.Text(), nullable=False),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('follow_sha256', sa.String(length=64), nullable=False),
    sa.Column('achievement_id', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['achievement_id'], ['achievements.id'], name=op.f('fk_badge_proposals_achievement_id_achievements')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_badge_proposals_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_proposals')),
    sa.UniqueConstraint('follow_sha256', name=op.f('uq_badge_proposals_follow_sha256'))
    )
    with op.batch_alter_table('badge_proposals', schema=None) as batch_op:
        batch_op.create_index('ix_badge_proposals_org_state', ['org_id', 'state'], unique=False)

    op.create_table('badge_requests',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=False),
    sa.Column('achievement_id', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('requester_name', sa.String(length=100), nullable=True),
    sa.Column('contact_kind', sa.String(length=8), nullable=False),
    sa.Column('contact', sa.String(length=320), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('publish_evidence', sa.Boolean(), nullable=False),
    sa.Column('publish_name', sa.Boolean(), nullable=False),
    sa.Column('group_name', sa.String(length=200), nullable=True),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('follow_sha256', sa.String(length=64), nullable=False),
    sa.Column('award_id', sa.String(length=32), nullable=True),
    sa.Column('claim_codes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('purge_after', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['achievement_id'], ['achievements.id'], name=op.f('fk_badge_requests_achievement_id_achievements')),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_badge_requests_award_id_awards')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_badge_requests_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_requests')),
    sa.UniqueConstraint('follow_sha256', name=op.f('uq_badge_requests_follow_sha256'))
    )
    with op.batch_alter_table('badge_requests', schema=None) as batch_op:
        batch_op.create_index('ix_badge_requests_org_state', ['org_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_badge_requests_purge_after'), ['purge_after'], unique=False)

    op.create_table('request_evidence',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('request_id', sa.String(length=32), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['badge_requests.id'], name=op.f('fk_request_evidence_request_id_badge_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_evidence'))
    )
    with op.batch_alter_table('request_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_evidence_request_id'), ['request_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('request_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_evidence_request_id'))

    op.drop_table('request_evidence')
    with op.batch_alter_table('badge_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badge_requests_purge_after'))
        batch_op.drop_index('ix_badge_requests_org_state')

    op.drop_table('badge_requests')
    with op.batch_alter_table('badge_proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_badge_proposals_org_state')

    op.drop_table('badge_proposals')
    with op.batch_alter_table('committee_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_votes_subject_id'))
        batch_op.drop_index(batch_op.f('ix_committee_votes_org_id'))

    op.drop_table('committee_votes')
    op.drop_table('recognition_settings')
    with op.batch_alter_table('committee_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_members_org_id'))

    op.drop_table('committee_members')
