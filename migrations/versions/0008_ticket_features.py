"""Tickets: split/merge links, approval revisions, satisfaction ratings, auto-close index.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('tickets', sa.Column('split_from_id', sa.Uuid(), nullable=True))
    op.add_column('tickets', sa.Column('merged_into_id', sa.Uuid(), nullable=True))
    op.add_column('tickets', sa.Column('revision_count', sa.Integer(), server_default='0', nullable=False))
    op.alter_column('tickets', 'revision_count', server_default=None)
    op.add_column('tickets', sa.Column('satisfaction_score', sa.SmallInteger(), nullable=True))
    op.add_column('tickets', sa.Column('satisfaction_comment', sa.String(length=2000), nullable=True))
    op.add_column('tickets', sa.Column('satisfaction_rated_at', sa.DateTime(timezone=True), nullable=True))
    op.create_foreign_key(op.f('fk_tickets_split_from_id_tickets'), 'tickets', 'tickets', ['split_from_id'], ['id'])
    op.create_foreign_key(op.f('fk_tickets_merged_into_id_tickets'), 'tickets', 'tickets', ['merged_into_id'], ['id'])
    op.create_check_constraint(op.f('ck_tickets_satisfaction_score_range'), 'tickets', 'satisfaction_score BETWEEN 1 AND 5')
    op.create_index('ix_tickets_auto_close', 'tickets', ['resolved_at'], unique=False, postgresql_where=sa.text("status = 'resolved'"))


def downgrade() -> None:
    op.drop_index('ix_tickets_auto_close', table_name='tickets', postgresql_where=sa.text("status = 'resolved'"))
    op.drop_constraint(op.f('ck_tickets_satisfaction_score_range'), 'tickets', type_='check')
    op.drop_constraint(op.f('fk_tickets_merged_into_id_tickets'), 'tickets', type_='foreignkey')
    op.drop_constraint(op.f('fk_tickets_split_from_id_tickets'), 'tickets', type_='foreignkey')
    for column in ('satisfaction_rated_at', 'satisfaction_comment', 'satisfaction_score',
                   'revision_count', 'merged_into_id', 'split_from_id'):
        op.drop_column('tickets', column)
