"""sign-in by email link or code: challenges (digests of the link and the code) and the sessions they open

Revision ID: 0010_signin
Revises: 0009_mail
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010_signin'
down_revision = '0009_mail'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signin_challenges',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('email_key', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('audience', sa.String(length=32), nullable=False),
    sa.Column('next_path', sa.String(length=512), nullable=True),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('code_hmac', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signin_challenges')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_signin_challenges_token_sha256'))
    )
    with op.batch_alter_table('signin_challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signin_challenges_email_key'), ['email_key'], unique=False)

    op.create_table('signin_sessions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('email_folded', sa.String(length=320), nullable=False),
    sa.Column('email_key', sa.String(length=64), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signin_sessions')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_signin_sessions_token_sha256'))
    )
    with op.batch_alter_table('signin_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signin_sessions_email_folded'), ['email_folded'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signin_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_sessions_email_folded'))
    op.drop_table('signin_sessions')
    with op.batch_alter_table('signin_challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_challenges_email_key'))
    op.drop_table('signin_challenges')
