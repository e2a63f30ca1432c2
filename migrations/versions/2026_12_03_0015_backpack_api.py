"""backpack api: the OAuth 2.0 authorisation server of the Open Badges 3.0 API (registered clients, codes,
tokens), the credentials pushed into holder spaces and the holder's profile there, and the backpacks elsewhere a
holder sends badges to

Revision ID: 0015_backpack_api
Revises: 0014_holders
Create Date: 2026-12-03 15:40:33.279278
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015_backpack_api'
down_revision = '0014_holders'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('oauth_clients',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('secret_sha256', sa.String(length=64), nullable=False),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('client_uri', sa.String(length=2000), nullable=False),
    sa.Column('logo_uri', sa.String(length=2000), nullable=False),
    sa.Column('tos_uri', sa.String(length=2000), nullable=False),
    sa.Column('policy_uri', sa.String(length=2000), nullable=False),
    sa.Column('software_id', sa.String(length=200), nullable=False),
    sa.Column('software_version', sa.String(length=100), nullable=False),
    sa.Column('redirect_uris', sa.JSON(), nullable=False),
    sa.Column('scope', sa.String(length=1000), nullable=False),
    sa.Column('registered', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_clients'))
    )
    op.create_table('backpack_connections',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('holder_id', sa.String(length=32), nullable=False),
    sa.Column('discovery_url', sa.String(length=2000), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('api_base', sa.String(length=2000), nullable=False),
    sa.Column('authorization_url', sa.String(length=2000), nullable=False),
    sa.Column('token_url', sa.String(length=2000), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('sealed_secrets', sa.LargeBinary(), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
    sa.Column('kek_id', sa.String(length=16), nullable=False),
    sa.Column('access_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('state_sha256', sa.String(length=64), nullable=True),
    sa.Column('pending_award_id', sa.String(length=32), nullable=True),
    sa.Column('pending_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('connected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_backpack_connections_holder_id_holders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backpack_connections')),
    sa.UniqueConstraint('state_sha256', name=op.f('uq_backpack_connections_state_sha256'))
    )
    with op.batch_alter_table('backpack_connections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_backpack_connections_holder_id'), ['holder_id'], unique=False)

    op.create_table('holder_profiles',
    sa.Column('holder_id', sa.String(length=32), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_holder_profiles_holder_id_holders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('holder_id', name=op.f('pk_holder_profiles'))
    )
    op.create_table('oauth_codes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('code_sha256', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('holder_id', sa.String(length=32), nullable=False),
    sa.Column('redirect_uri', sa.String(length=2000), nullable=False),
    sa.Column('scope', sa.String(length=1000), nullable=False),
    sa.Column('code_challenge', sa.String(length=128), nullable=False),
    sa.Column('code_challenge_method', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['oauth_clients.id'], name=op.f('fk_oauth_codes_client_id_oauth_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_oauth_codes_holder_id_holders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_codes')),
    sa.UniqueConstraint('code_sha256', name=op.f('uq_oauth_codes_code_sha256'))
    )
    with op.batch_alter_table('oauth_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_codes_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_oauth_codes_holder_id'), ['holder_id'], unique=False)

    op.create_table('oauth_tokens',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('holder_id', sa.String(length=32), nullable=False),
    sa.Column('code_id', sa.String(length=32), nullable=False),
    sa.Column('access_sha256', sa.String(length=64), nullable=False),
    sa.Column('refresh_sha256', sa.String(length=64), nullable=True),
    sa.Column('scope', sa.String(length=1000), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('access_expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('refresh_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['oauth_clients.id'], name=op.f('fk_oauth_tokens_client_id_oauth_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_oauth_tokens_holder_id_holders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_tokens')),
    sa.UniqueConstraint('access_sha256', name=op.f('uq_oauth_tokens_access_sha256')),
    sa.UniqueConstraint('refresh_sha256', name=op.f('uq_oauth_tokens_refresh_sha256'))
    )
    with op.batch_alter_table('oauth_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_tokens_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_oauth_tokens_code_id'), ['code_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_oauth_tokens_holder_id'), ['holder_id'], unique=False)

    op.create_table('received_credentials',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('holder_id', sa.String(length=32), nullable=False),
    sa.Column('identity_sha256', sa.String(length=64), nullable=False),
    sa.Column('issuer_id', sa.Text(), nullable=False),
    sa.Column('credential_id', sa.Text(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('compact_jws', sa.Text(), nullable=True),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('issuer_name', sa.String(length=300), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('checks', sa.JSON(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_received_credentials_holder_id_holders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_received_credentials')),
    sa.UniqueConstraint('identity_sha256', name=op.f('uq_received_credentials_identity_sha256'))
    )
    with op.batch_alter_table('received_credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_received_credentials_holder_id'), ['holder_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('received_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_received_credentials_holder_id'))

    op.drop_table('received_credentials')
    with op.batch_alter_table('oauth_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_tokens_holder_id'))
        batch_op.drop_index(batch_op.f('ix_oauth_tokens_code_id'))
        batch_op.drop_index(batch_op.f('ix_oauth_tokens_client_id'))

    op.drop_table('oauth_tokens')
    with op.batch_alter_table('oauth_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_codes_holder_id'))
        batch_op.drop_index(batch_op.f('ix_oauth_codes_client_id'))

    op.drop_table('oauth_codes')
    op.drop_table('holder_profiles')
    with op.batch_alter_table('backpack_connections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_backpack_connections_holder_id'))

    op.drop_table('backpack_connections')
    op.drop_table('oauth_clients')
