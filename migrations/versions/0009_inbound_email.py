"""Inbound email: the messages already handled, per organization.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inbound_messages',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('message_id', sa.String(length=998), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('ticket_id', sa.Uuid(), nullable=True),
    sa.Column('comment_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_inbound_messages_comment_id_comments')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_inbound_messages_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_inbound_messages_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('organization_id', 'message_id', name=op.f('pk_inbound_messages'))
    )


def downgrade() -> None:
    op.drop_table('inbound_messages')
