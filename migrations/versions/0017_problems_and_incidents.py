"""Problems and incidents: one outage, many tickets.

A ticket may be an incident of a problem ticket (`problem_id`), possibly another
organization's; the partial index finds a problem's incidents without indexing the many
tickets that are no incident.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('tickets', sa.Column('problem_id', sa.Uuid(), nullable=True))
    op.create_foreign_key(op.f('fk_tickets_problem_id_tickets'), 'tickets', 'tickets', ['problem_id'], ['id'])
    op.create_index('ix_tickets_problem_id', 'tickets', ['problem_id'], unique=False, postgresql_where=sa.text('problem_id IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_tickets_problem_id', table_name='tickets', postgresql_where=sa.text('problem_id IS NOT NULL'))
    op.drop_constraint(op.f('fk_tickets_problem_id_tickets'), 'tickets', type_='foreignkey')
    op.drop_column('tickets', 'problem_id')
