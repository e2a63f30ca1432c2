"""holders: holder spaces (claimed awards, claim-code sessions), the holder's choices per award (public or private,
the name shown), erasure requests; a group member's consent (name, public page) kept for their award

Awards issued before stay public, as they were served; the name their credential already shows becomes their
``public_name``.

Revision ID: 0014_holders
Revises: 0013_endorsements
Create Date: 2026-12-03 12:33:00
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0014_holders'
down_revision = '0013_endorsements'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('holders',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('email_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holders')),
    sa.UniqueConstraint('email_key', name=op.f('uq_holders_email_key'))
    )
    op.create_table('erasure_requests',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.String(length=32), nullable=False),
    sa.Column('holder_id', sa.String(length=32), nullable=True),
    sa.Column('address', sa.String(length=320), nullable=True),
    sa.Column('credentials', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('awards_count', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_erasure_requests_holder_id_holders'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_erasure_requests_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_requests'))
    )
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_requests_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_erasure_requests_org_id'), ['org_id'], unique=False)

    op.create_table('holder_sessions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('holder_id', sa.String(length=32), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_holder_sessions_holder_id_holders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_sessions')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_holder_sessions_token_sha256'))
    )
    with op.batch_alter_table('holder_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_sessions_holder_id'), ['holder_id'], unique=False)

    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_name', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('visibility', sa.String(length=8), server_default='public', nullable=False))
        batch_op.add_column(sa.Column('public_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_awards_holder_id'), ['holder_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_awards_holder_id_holders'), 'holders', ['holder_id'], ['id'],
                                    ondelete='SET NULL')
    _name_shown_to_public_name()



def _shown_name(credential: Any) -> str | None:
    if isinstance(credential, str):
        credential = json.loads(credential)
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    found = subject.get("identifier") if isinstance(subject, dict) else None
    for item in found if isinstance(found, list) else []:
        if isinstance(item, dict) and item.get("identityType") == "name" and isinstance(item.get("identityHash"), str):
            return str(item["identityHash"])[:200]
    return None


def _name_shown_to_public_name() -> None:
    """The name an existing credential shows (only awards with a recorded name can show one) is its public name."""
    bind = op.get_bind()
    awards = sa.table("awards", sa.column("id", sa.String), sa.column("credential", sa.JSON),
                      sa.column("display_name", sa.String), sa.column("public_name", sa.String))
    rows = bind.execute(sa.select(awards.c.id, awards.c.credential).where(awards.c.display_name.is_not(None)))
    for award_id, credential in rows.all():
        name = _shown_name(credential)
        if name is not None:
            bind.execute(awards.update().where(awards.c.id == award_id).values(public_name=name))


def downgrade() -> None:
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.drop_column('public')
        batch_op.drop_column('publish_name')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_awards_holder_id_holders'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_awards_holder_id'))
        batch_op.drop_column('erased_at')
        batch_op.drop_column('public_name')
        batch_op.drop_column('visibility')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('holder_id')

    with op.batch_alter_table('holder_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_sessions_holder_id'))

    op.drop_table('holder_sessions')
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_requests_org_id'))
        batch_op.drop_index(batch_op.f('ix_erasure_requests_holder_id'))

    op.drop_table('erasure_requests')
    op.drop_table('holders')
