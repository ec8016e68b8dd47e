"""Create the core tables: keys, organizations, contacts, agents, calendars, tickets, events.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 22:48:33.585965
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


DESIGNATED_COUNT_TRIGGER = """
CREATE FUNCTION contacts_designated_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Keeps organizations.designated_count exact; its CHECK refuses the contact past the limit.
    -- The UPDATE locks the organization row, so concurrent designations queue up.
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.designated AND OLD.deleted_at IS NULL THEN
        UPDATE organizations SET designated_count = designated_count - 1
        WHERE id = OLD.organization_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.designated AND NEW.deleted_at IS NULL THEN
        UPDATE organizations SET designated_count = designated_count + 1
        WHERE id = NEW.organization_id;
    END IF;
    RETURN NULL;
END $$
"""

DESIGNATED_COUNT_TRIGGER_ON = """
CREATE TRIGGER contacts_designated_count
AFTER INSERT OR DELETE OR UPDATE OF designated, deleted_at, organization_id ON contacts
FOR EACH ROW EXECUTE FUNCTION contacts_designated_count();
"""

OFFICE_HOURS = {
    day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
} | {"sat": [], "sun": []}


def seed_default_calendar() -> None:
    calendars = sa.table(
        "calendars",
        sa.column("id", sa.Uuid()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("version", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("timezone", sa.String()),
        sa.column("weekly_hours", postgresql.JSONB()),
        sa.column("holiday_country", sa.String()),
        sa.column("holiday_subdivision", sa.String()),
        sa.column("closed_dates", postgresql.ARRAY(sa.Date())),
        sa.column("open_dates", postgresql.ARRAY(sa.Date())),
        sa.column("is_default", sa.Boolean()),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        calendars,
        [
            {
                "id": uuid.UUID("00000000-0000-4000-8000-000000000001"),
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "name": "Default (New York office hours, US holidays)",
                "timezone": "America/New_York",
                "weekly_hours": OFFICE_HOURS,
                "holiday_country": "US",
                "holiday_subdivision": None,
                "closed_dates": [],
                "open_dates": [],
                "is_default": True,
            }
        ],
    )


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("ticket_number_seq", start=1000)))
    op.create_table('agents',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('expertise', postgresql.ARRAY(sa.String(length=64)), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('working_hours', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('backup_agent_id', sa.Uuid(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("role IN ('pm', 'senior_pm', 'ops_manager', 'leadership', 'support_tier1', 'support_tier2', 'support_tier3')", name=op.f('ck_agents_role_valid')),
    sa.CheckConstraint('backup_agent_id <> id', name=op.f('ck_agents_backup_not_self')),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_agents_capacity_not_negative')),
    sa.ForeignKeyConstraint(['backup_agent_id'], ['agents.id'], name=op.f('fk_agents_backup_agent_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents'))
    )
    op.create_index('uq_agents_email', 'agents', [sa.literal_column('lower(email)')], unique=True)
    op.create_table('calendars',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('weekly_hours', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('holiday_country', sa.String(length=8), nullable=True),
    sa.Column('holiday_subdivision', sa.String(length=16), nullable=True),
    sa.Column('closed_dates', postgresql.ARRAY(sa.Date()), nullable=False),
    sa.Column('open_dates', postgresql.ARRAY(sa.Date()), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendars'))
    )
    op.create_table('idempotency_keys',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner', sa.LargeBinary(length=32), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('request_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.LargeBinary(), nullable=True),
    sa.Column('response_headers', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('owner', 'key', name=op.f('uq_idempotency_keys_owner_key'))
    )
    op.create_index(op.f('ix_idempotency_keys_created_at'), 'idempotency_keys', ['created_at'], unique=False)
    op.create_table('organizations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('plan', sa.String(length=16), nullable=False),
    sa.Column('industry', sa.String(length=100), nullable=True),
    sa.Column('platform', sa.String(length=100), nullable=True),
    sa.Column('calendar_id', sa.Uuid(), nullable=True),
    sa.Column('pm_id', sa.Uuid(), nullable=True),
    sa.Column('max_designated_contacts', sa.Integer(), nullable=False),
    sa.Column('designated_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("plan IN ('standard', 'enterprise')", name=op.f('ck_organizations_plan_valid')),
    sa.CheckConstraint('designated_count <= max_designated_contacts', name=op.f('ck_organizations_designated_within_limit')),
    sa.ForeignKeyConstraint(['calendar_id'], ['calendars.id'], name=op.f('fk_organizations_calendar_id_calendars')),
    sa.ForeignKeyConstraint(['pm_id'], ['agents.id'], name=op.f('fk_organizations_pm_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations'))
    )
    op.create_index(op.f('ix_organizations_pm_id'), 'organizations', ['pm_id'], unique=False)
    op.create_table('contacts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('designated', sa.Boolean(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_contacts_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    op.create_index(op.f('ix_contacts_organization_id'), 'contacts', ['organization_id'], unique=False)
    op.create_index('uq_contacts_organization_id_email', 'contacts', ['organization_id', sa.literal_column('lower(email)')], unique=True, postgresql_where=sa.text('deleted_at IS NULL'))
    op.create_table('api_keys',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('prefix', sa.String(length=24), nullable=False),
    sa.Column('key_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('agent_id', sa.Uuid(), nullable=True),
    sa.Column('allowed_origins', postgresql.ARRAY(sa.String(length=300)), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('admin', 'agent', 'contact', 'integration', 'widget')", name=op.f('ck_api_keys_kind_valid')),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_api_keys_agent_id_agents')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_api_keys_contact_id_contacts')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_api_keys_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_keys_key_hash'))
    )
    op.create_index(op.f('ix_api_keys_organization_id'), 'api_keys', ['organization_id'], unique=False)
    op.create_table('tickets',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('number', sa.BigInteger(), server_default=sa.text("nextval('ticket_number_seq')"), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('requester_id', sa.Uuid(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.Column('context', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('escalation_level', sa.SmallInteger(), nullable=False),
    sa.Column('queue_position', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('search', postgresql.TSVECTOR(), sa.Computed("setweight(to_tsvector('english', coalesce(subject, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')", persisted=True), nullable=True),
    sa.CheckConstraint("category IN ('technical', 'account', 'billing', 'request', 'project', 'feature_request', 'bug_report', 'general')", name=op.f('ck_tickets_category_valid')),
    sa.CheckConstraint("channel IN ('api', 'widget', 'email', 'portal', 'phone', 'chat')", name=op.f('ck_tickets_channel_valid')),
    sa.CheckConstraint("priority IN ('critical', 'high', 'medium', 'low')", name=op.f('ck_tickets_priority_valid')),
    sa.CheckConstraint("status IN ('new', 'open', 'pending', 'on_hold', 'awaiting_approval', 'resolved', 'closed', 'cancelled')", name=op.f('ck_tickets_status_valid')),
    sa.CheckConstraint('escalation_level BETWEEN 1 AND 4', name=op.f('ck_tickets_escalation_level_range')),
    sa.ForeignKeyConstraint(['assignee_id'], ['agents.id'], name=op.f('fk_tickets_assignee_id_agents')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_tickets_organization_id_organizations')),
    sa.ForeignKeyConstraint(['requester_id'], ['contacts.id'], name=op.f('fk_tickets_requester_id_contacts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    sa.UniqueConstraint('number', name=op.f('uq_tickets_number'))
    )
    op.create_index('ix_tickets_assignee_id_status', 'tickets', ['assignee_id', 'status'], unique=False)
    op.create_index('ix_tickets_created_at_id', 'tickets', ['created_at', 'id'], unique=False)
    op.create_index('ix_tickets_organization_id_created_at_id', 'tickets', ['organization_id', 'created_at', 'id'], unique=False)
    op.create_index(op.f('ix_tickets_requester_id'), 'tickets', ['requester_id'], unique=False)
    op.create_index('ix_tickets_search', 'tickets', ['search'], unique=False, postgresql_using='gin')
    op.create_index('ix_tickets_status_priority_created_at', 'tickets', ['status', 'priority', 'created_at', 'id'], unique=False)
    op.create_table('comments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('author_type', sa.String(length=16), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('mentions', postgresql.ARRAY(sa.Uuid()), nullable=False),
    sa.CheckConstraint("author_type IN ('agent', 'contact', 'system')", name=op.f('ck_comments_author_type_valid')),
    sa.CheckConstraint("visibility IN ('public', 'internal')", name=op.f('ck_comments_visibility_valid')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_comments_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    op.create_index('ix_comments_ticket_id_created_at', 'comments', ['ticket_id', 'created_at', 'id'], unique=False)
    op.create_table('events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), sa.Identity(always=True), nullable=False),
    sa.Column('txid', sa.BigInteger(), server_default=sa.text('pg_current_xact_id()::text::bigint'), nullable=True),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('ticket_id', sa.Uuid(), nullable=True),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('actor', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("visibility IN ('public', 'internal')", name=op.f('ck_events_visibility_valid')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_events_organization_id_organizations')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_events_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('seq', name=op.f('uq_events_seq'))
    )
    op.create_index('ix_events_organization_id_seq', 'events', ['organization_id', 'seq'], unique=False)
    op.create_index('ix_events_ticket_id_seq', 'events', ['ticket_id', 'seq'], unique=False)
    op.create_index(op.f('ix_events_type'), 'events', ['type'], unique=False)
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('relayed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_outbox_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
    )
    op.create_index('ix_outbox_pending', 'outbox', ['id'], unique=False, postgresql_where=sa.text('relayed_at IS NULL'))
    op.create_check_constraint('designated_count_not_negative', 'organizations', 'designated_count >= 0')
    op.create_index('uq_calendars_default', 'calendars', ['is_default'], unique=True, postgresql_where=sa.text('is_default'))
    op.execute(DESIGNATED_COUNT_TRIGGER)
    op.execute(DESIGNATED_COUNT_TRIGGER_ON)
    seed_default_calendar()


def downgrade() -> None:
    op.execute("DROP TRIGGER contacts_designated_count ON contacts")
    op.execute("DROP FUNCTION contacts_designated_count()")
    op.drop_index('ix_outbox_pending', table_name='outbox', postgresql_where=sa.text('relayed_at IS NULL'))
    op.drop_table('outbox')
    op.drop_index(op.f('ix_events_type'), table_name='events')
    op.drop_index('ix_events_ticket_id_seq', table_name='events')
    op.drop_index('ix_events_organization_id_seq', table_name='events')
    op.drop_table('events')
    op.drop_index('ix_comments_ticket_id_created_at', table_name='comments')
    op.drop_table('comments')
    op.drop_index('ix_tickets_status_priority_created_at', table_name='tickets')
    op.drop_index('ix_tickets_search', table_name='tickets', postgresql_using='gin')
    op.drop_index(op.f('ix_tickets_requester_id'), table_name='tickets')
    op.drop_index('ix_tickets_organization_id_created_at_id', table_name='tickets')
    op.drop_index('ix_tickets_created_at_id', table_name='tickets')
    op.drop_index('ix_tickets_assignee_id_status', table_name='tickets')
    op.drop_table('tickets')
    op.drop_index(op.f('ix_api_keys_organization_id'), table_name='api_keys')
    op.drop_table('api_keys')
    op.drop_index('uq_contacts_organization_id_email', table_name='contacts', postgresql_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_contacts_organization_id'), table_name='contacts')
    op.drop_table('contacts')
    op.drop_index(op.f('ix_organizations_pm_id'), table_name='organizations')
    op.drop_table('organizations')
    op.drop_index(op.f('ix_idempotency_keys_created_at'), table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
    op.drop_table('calendars')
    op.drop_index('uq_agents_email', table_name='agents')
    op.drop_table('agents')
    op.execute(sa.schema.DropSequence(sa.Sequence("ticket_number_seq")))
