"""Add agents' out-of-office windows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 23:56:06.196849
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agent_time_off',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_agent_time_off_ends_after_start')),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_agent_time_off_agent_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_time_off'))
    )
    op.create_index('ix_agent_time_off_agent_id_ends_at', 'agent_time_off', ['agent_id', 'ends_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_agent_time_off_agent_id_ends_at', table_name='agent_time_off')
    op.drop_table('agent_time_off')
