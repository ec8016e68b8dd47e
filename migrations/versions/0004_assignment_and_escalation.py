"""Add agents' load counters (kept by triggers, capped by capacity), PM assignment state,
change requests, ticket routing state and escalations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 23:57:11.419871
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COUNTERS = [
    """
CREATE FUNCTION agents_organization_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.pm_id IS NOT DISTINCT FROM NEW.pm_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.pm_id IS NOT NULL THEN
        UPDATE agents SET organization_count = organization_count - 1 WHERE id = OLD.pm_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.pm_id IS NOT NULL THEN
        UPDATE agents SET organization_count = organization_count + 1 WHERE id = NEW.pm_id;
    END IF;
    RETURN NULL;
END $$
""",
    """
CREATE TRIGGER organizations_pm_count
AFTER INSERT OR DELETE OR UPDATE OF pm_id ON organizations
FOR EACH ROW EXECUTE FUNCTION agents_organization_count()
""",
    """
CREATE FUNCTION agents_open_ticket_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_counted boolean := TG_OP IN ('UPDATE', 'DELETE') AND OLD.assignee_id IS NOT NULL
        AND OLD.status NOT IN ('resolved', 'closed', 'cancelled');
    is_counted boolean := TG_OP IN ('INSERT', 'UPDATE') AND NEW.assignee_id IS NOT NULL
        AND NEW.status NOT IN ('resolved', 'closed', 'cancelled');
BEGIN
    IF was_counted AND is_counted AND OLD.assignee_id = NEW.assignee_id THEN
        RETURN NULL;
    END IF;
    IF was_counted THEN
        UPDATE agents SET open_ticket_count = open_ticket_count - 1 WHERE id = OLD.assignee_id;
    END IF;
    IF is_counted THEN
        UPDATE agents SET open_ticket_count = open_ticket_count + 1 WHERE id = NEW.assignee_id;
    END IF;
    RETURN NULL;
END $$
""",
    """
CREATE TRIGGER tickets_open_count
AFTER INSERT OR DELETE OR UPDATE OF assignee_id, status ON tickets
FOR EACH ROW EXECUTE FUNCTION agents_open_ticket_count()
""",
]


def upgrade() -> None:
    op.create_table('pm_change_requests',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('previous_pm_id', sa.Uuid(), nullable=True),
    sa.Column('new_pm_id', sa.Uuid(), nullable=True),
    sa.Column('outcome', sa.String(length=500), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_pm_change_requests_contact_id_contacts')),
    sa.ForeignKeyConstraint(['new_pm_id'], ['agents.id'], name=op.f('fk_pm_change_requests_new_pm_id_agents')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_pm_change_requests_organization_id_organizations')),
    sa.ForeignKeyConstraint(['previous_pm_id'], ['agents.id'], name=op.f('fk_pm_change_requests_previous_pm_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pm_change_requests'))
    )
    op.create_index(op.f('ix_pm_change_requests_organization_id'), 'pm_change_requests', ['organization_id'], unique=False)
    op.create_index('ix_pm_change_requests_pending', 'pm_change_requests', ['created_at'], unique=False, postgresql_where=sa.text("status = 'pending'"))
    op.create_table('escalations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=2000), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('actor', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("trigger IN ('client', 'agent', 'sla_breach', 'impact')", name=op.f('ck_escalations_trigger_valid')),
    sa.ForeignKeyConstraint(['assignee_id'], ['agents.id'], name=op.f('fk_escalations_assignee_id_agents')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_escalations_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations')),
    sa.UniqueConstraint('ticket_id', 'level', name=op.f('uq_escalations_ticket_id_level'))
    )
    op.create_index('uq_escalations_impact', 'escalations', ['ticket_id'], unique=True, postgresql_where=sa.text("trigger = 'impact'"))
    op.add_column('agents', sa.Column('organization_count', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('agents', sa.Column('open_ticket_count', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('organizations', sa.Column('pm_requested_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('organizations', sa.Column('pm_assigned_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('organizations', sa.Column('pm_assignment', postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column('organizations', sa.Column('pm_unassigned_notified_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_organizations_pm_waiting', 'organizations', ['pm_requested_at'], unique=False, postgresql_where=sa.text('pm_id IS NULL AND pm_requested_at IS NOT NULL'))
    op.add_column('tickets', sa.Column('routing_requested_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('tickets', sa.Column('unassigned_notified_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_tickets_routing', 'tickets', ['routing_requested_at'], unique=False, postgresql_where=sa.text('routing_requested_at IS NOT NULL'))

    op.execute(
        "UPDATE agents SET organization_count ="
        " (SELECT count(*) FROM organizations WHERE pm_id = agents.id),"
        " open_ticket_count = (SELECT count(*) FROM tickets WHERE assignee_id = agents.id"
        " AND status NOT IN ('resolved', 'closed', 'cancelled'))"
    )
    op.add_column(
        "sla_firings", sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index(
        "ix_sla_firings_to_escalate",
        "sla_firings",
        ["fired_at"],
        postgresql_where=sa.text(
            "kind = 'breach' AND escalated_at IS NULL"
            " AND metric IN ('first_response', 'resolution')"
        ),
    )
    op.create_check_constraint(
        "within_capacity",
        "agents",
        "(CASE WHEN role = 'pm' THEN organization_count ELSE open_ticket_count END) <= capacity",
    )
    for statement in COUNTERS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_constraint("within_capacity", "agents", type_="check")
    op.drop_index("ix_sla_firings_to_escalate", table_name="sla_firings")
    op.drop_column("sla_firings", "escalated_at")
    op.execute("DROP TRIGGER tickets_open_count ON tickets")
    op.execute("DROP FUNCTION agents_open_ticket_count()")
    op.execute("DROP TRIGGER organizations_pm_count ON organizations")
    op.execute("DROP FUNCTION agents_organization_count()")
    op.drop_index('ix_tickets_routing', table_name='tickets', postgresql_where=sa.text('routing_requested_at IS NOT NULL'))
    op.drop_column('tickets', 'unassigned_notified_at')
    op.drop_column('tickets', 'routing_requested_at')
    op.drop_index('ix_organizations_pm_waiting', table_name='organizations', postgresql_where=sa.text('pm_id IS NULL AND pm_requested_at IS NOT NULL'))
    op.drop_column('organizations', 'pm_unassigned_notified_at')
    op.drop_column('organizations', 'pm_assignment')
    op.drop_column('organizations', 'pm_assigned_at')
    op.drop_column('organizations', 'pm_requested_at')
    op.drop_column('agents', 'open_ticket_count')
    op.drop_column('agents', 'organization_count')
    op.drop_index('uq_escalations_impact', table_name='escalations', postgresql_where=sa.text("trigger = 'impact'"))
    op.drop_table('escalations')
    op.drop_index('ix_pm_change_requests_pending', table_name='pm_change_requests', postgresql_where=sa.text("status = 'pending'"))
    op.drop_index(op.f('ix_pm_change_requests_organization_id'), table_name='pm_change_requests')
    op.drop_table('pm_change_requests')
