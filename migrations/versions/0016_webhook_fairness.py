"""Webhook deliveries: fair claiming across organizations.

A claim probes each endpoint with free send slots for its oldest due deliveries; this index
makes that one short probe per endpoint instead of a scan of the endpoint's backlog.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_webhook_deliveries_endpoint_due', 'webhook_deliveries', ['endpoint_id', 'next_attempt_at'], unique=False, postgresql_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    op.drop_index('ix_webhook_deliveries_endpoint_due', table_name='webhook_deliveries', postgresql_where=sa.text("status = 'pending'"))
