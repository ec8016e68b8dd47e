"""Add SLA policies (seeded with the default table), ticket clocks, firings, recompute requests.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 22:56:27.086141
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from app.sla.policy import default_table
from sqlalchemy.dialects import postgresql
revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def seed_default_policy() -> None:
    policies = sa.table(
        "sla_policies",
        sa.column("plan", sa.String()),
        sa.column("priority", sa.String()),
        sa.column("metric", sa.String()),
        sa.column("clock", sa.String()),
        sa.column("target_minutes", sa.Integer()),
        sa.column("after_hours_minutes", sa.Integer()),
        sa.column("closed_day_minutes", sa.Integer()),
        sa.column("at_risk_percent", sa.Integer()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        policies,
        [
            {
                "plan": row.plan,
                "priority": row.priority,
                "metric": row.metric.value,
                "clock": row.clock.value,
                "target_minutes": row.target_minutes,
                "after_hours_minutes": row.after_hours_minutes,
                "closed_day_minutes": row.closed_day_minutes,
                "at_risk_percent": row.at_risk_percent,
                "updated_at": now,
            }
            for row in default_table()
        ],
    )


def upgrade() -> None:
    op.create_table('sla_policies',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('plan', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('metric', sa.String(length=24), nullable=False),
    sa.Column('clock', sa.String(length=16), nullable=False),
    sa.Column('target_minutes', sa.Integer(), nullable=False),
    sa.Column('after_hours_minutes', sa.Integer(), nullable=True),
    sa.Column('closed_day_minutes', sa.Integer(), nullable=True),
    sa.Column('at_risk_percent', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('at_risk_percent BETWEEN 1 AND 99', name=op.f('ck_sla_policies_at_risk_percent_range')),
    sa.CheckConstraint('target_minutes > 0', name=op.f('ck_sla_policies_target_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_policies')),
    sa.UniqueConstraint('plan', 'priority', 'metric', name=op.f('uq_sla_policies_plan_priority_metric'))
    )
    op.create_table('sla_recompute_requests',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('calendar_id', sa.Uuid(), nullable=True),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('after_ticket_id', sa.Uuid(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_recompute_requests'))
    )
    op.create_index('ix_sla_recompute_requests_pending', 'sla_recompute_requests', ['id'], unique=False, postgresql_where=sa.text('done_at IS NULL'))
    op.create_table('sla_firings',
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('metric', sa.String(length=24), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('fired_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_sla_firings_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('ticket_id', 'metric', 'cycle', 'kind', name=op.f('pk_sla_firings'))
    )
    op.create_table('ticket_clocks',
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('metric', sa.String(length=24), nullable=False),
    sa.Column('clock', sa.String(length=16), nullable=False),
    sa.Column('target_minutes', sa.Integer(), nullable=False),
    sa.Column('at_risk_percent', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=False),
    sa.Column('segments', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('at_risk_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('at_risk_fired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('breached_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('met_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_fire_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_clocks_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('ticket_id', 'metric', name=op.f('pk_ticket_clocks'))
    )
    op.create_index('ix_ticket_clocks_next_fire_at', 'ticket_clocks', ['next_fire_at'], unique=False, postgresql_where=sa.text('next_fire_at IS NOT NULL'))
    seed_default_policy()


def downgrade() -> None:
    op.drop_index('ix_ticket_clocks_next_fire_at', table_name='ticket_clocks', postgresql_where=sa.text('next_fire_at IS NOT NULL'))
    op.drop_table('ticket_clocks')
    op.drop_table('sla_firings')
    op.drop_index('ix_sla_recompute_requests_pending', table_name='sla_recompute_requests', postgresql_where=sa.text('done_at IS NULL'))
    op.drop_table('sla_recompute_requests')
    op.drop_table('sla_policies')
