"""Events remember the request (X-Request-ID) or job whose work recorded them.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('events', sa.Column('request_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column('events', 'request_id')
