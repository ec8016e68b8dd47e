"""Queue-like tables (webhook deliveries, the outbox) get vacuumed and analyzed early.

They churn: rows arrive in bursts and leave soon after. With the defaults (20 % / 10 % of the
table) their statistics lag a burst, and the planner then treats a large backlog as empty.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SETTINGS = (
    "autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500, "
    "autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 500"
)
RESET = (
    "autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, "
    "autovacuum_analyze_scale_factor, autovacuum_analyze_threshold"
)


def upgrade() -> None:
    for table in ("webhook_deliveries", "outbox"):
        op.execute(f"ALTER TABLE {table} SET ({SETTINGS})")


def downgrade() -> None:
    for table in ("webhook_deliveries", "outbox"):
        op.execute(f"ALTER TABLE {table} RESET ({RESET})")
