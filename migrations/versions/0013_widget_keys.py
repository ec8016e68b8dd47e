"""Widget keys: what a publishable key lets a page send.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing keys keep the safe default: the page URL is recorded without its query string.
    op.add_column('api_keys', sa.Column('keep_url_query', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.drop_column('api_keys', 'keep_url_query')
