"""Reports: columns and indexes the SLA report reads.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORT_COLUMNS = ['ticket_id', 'metric', 'status', 'target_minutes', 'elapsed_minutes',
                  'breached_at', 'due_at']
REPORTED_METRICS = sa.text("metric IN ('first_response', 'resolution')")


def upgrade() -> None:
    # Minutes a met or stopped clock counted (business minutes on a business clock), written
    # by the SLA engine. Clocks finished before this revision keep NULL: the report leaves
    # them out of the timings and judges them by their recorded breach alone.
    op.add_column('ticket_clocks', sa.Column('elapsed_minutes', sa.Double(), nullable=True))
    op.create_index('ix_ticket_clocks_report', 'ticket_clocks', ['started_at'], unique=False,
                    postgresql_include=REPORT_COLUMNS, postgresql_where=REPORTED_METRICS)


def downgrade() -> None:
    op.drop_index('ix_ticket_clocks_report', table_name='ticket_clocks',
                  postgresql_where=REPORTED_METRICS)
    op.drop_column('ticket_clocks', 'elapsed_minutes')
