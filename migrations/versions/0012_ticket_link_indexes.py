"""Index the split/merge links: merging moves them, and deleting a ticket checks them.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_tickets_split_from_id', 'tickets', ['split_from_id'], unique=False, postgresql_where=sa.text('split_from_id IS NOT NULL'))
    op.create_index('ix_tickets_merged_into_id', 'tickets', ['merged_into_id'], unique=False, postgresql_where=sa.text('merged_into_id IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_tickets_merged_into_id', table_name='tickets', postgresql_where=sa.text('merged_into_id IS NOT NULL'))
    op.drop_index('ix_tickets_split_from_id', table_name='tickets', postgresql_where=sa.text('split_from_id IS NOT NULL'))
