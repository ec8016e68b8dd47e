"""The SLA report's daily roll-ups, and the triggers that count changes to closed days.

A change to a ticket or clock created before the current UTC day (a reassignment, a clock met
or breached, a rating, an import dated in the past, a deletion) records the day and its
transaction in `report_changes`, in the same transaction; a day with a recorded change is
not read from its roll-up. Changes to today's tickets (nearly all of them) skip the trigger
function by its WHEN clause: today is never rolled up. Each transaction writes its own row
(one per day), so writers never wait for one another; a build deletes only the changes its
snapshot saw, so one that commits during a build leaves the day stale, never silently wrong.

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Only the columns the report reads; a ticket's status or a clock's next firing are not.
WATCHED = {
    "tickets": (
        "created_at",
        ("created_at", "organization_id", "priority", "assignee_id", "escalation_level",
         "satisfaction_score"),
    ),
    "ticket_clocks": (
        "started_at",
        ("started_at", "metric", "status", "target_minutes", "elapsed_minutes", "breached_at",
         "due_at"),
    ),
}
CLOSED = "date_trunc('day', clock_timestamp(), 'UTC')"

FUNCTIONS = [
    """
CREATE FUNCTION report_day_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_changes (day, xid)
    SELECT DISTINCT (instant AT TIME ZONE 'UTC')::date, pg_current_xact_id()::text::bigint
    FROM (
        SELECT (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz WHERE TG_OP <> 'INSERT'
        UNION ALL
        SELECT (to_jsonb(NEW) ->> TG_ARGV[0])::timestamptz WHERE TG_OP <> 'DELETE'
    ) AS changed (instant)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$
""",
    # Joins the times of a group's parts: a month is about 30 parts a group, so copying the
    # growing array at each step costs less than unnesting every time and gathering it again.
    """
CREATE AGGREGATE report_minutes(double precision[]) (
    SFUNC = array_cat, STYPE = double precision[], INITCOND = '{}'
)
""",
    """
CREATE FUNCTION report_forget_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM report_builds;
    RETURN NULL;
END $$
""",
]


def _triggers(table: str, instant: str, columns: tuple[str, ...]) -> list[str]:
    call = f"EXECUTE FUNCTION report_day_changed('{instant}')"
    return [
        f"CREATE TRIGGER {table}_report_inserted AFTER INSERT ON {table} FOR EACH ROW"
        f" WHEN (NEW.{instant} < {CLOSED}) {call}",
        f"CREATE TRIGGER {table}_report_updated AFTER UPDATE OF {', '.join(columns)} ON {table}"
        f" FOR EACH ROW WHEN (OLD.{instant} < {CLOSED} OR NEW.{instant} < {CLOSED}) {call}",
        f"CREATE TRIGGER {table}_report_deleted AFTER DELETE ON {table} FOR EACH ROW"
        f" WHEN (OLD.{instant} < {CLOSED}) {call}",
        f"CREATE TRIGGER {table}_report_truncated AFTER TRUNCATE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION report_forget_all()",
    ]


def upgrade() -> None:
    op.create_table('report_changes',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('xid', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'xid', name=op.f('pk_report_changes'))
    )
    op.create_table('report_builds',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('judged_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('judged_until', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_report_builds'))
    )
    op.create_table('report_rollups',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('grouping', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=True),
    sa.Column('metric', sa.String(length=24), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('met', sa.Integer(), nullable=False),
    sa.Column('breached', sa.Integer(), nullable=False),
    sa.Column('minutes', postgresql.ARRAY(sa.Double()), nullable=False),
    sa.Column('escalations', sa.BigInteger(), nullable=False),
    sa.Column('csat_sum', sa.BigInteger(), nullable=False),
    sa.Column('csat_count', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['day'], ['report_builds.day'],
        name=op.f('fk_report_rollups_day_report_builds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_rollups'))
    )
    op.create_index('ix_report_rollups_grouping_day', 'report_rollups', ['grouping', 'day'])
    for statement in FUNCTIONS:
        op.execute(statement)
    for table, (instant, columns) in WATCHED.items():
        for statement in _triggers(table, instant, columns):
            op.execute(statement)


def downgrade() -> None:
    for table in WATCHED:
        for suffix in ("inserted", "updated", "deleted", "truncated"):
            op.execute(f"DROP TRIGGER {table}_report_{suffix} ON {table}")
    op.execute("DROP FUNCTION report_forget_all()")
    op.execute("DROP AGGREGATE report_minutes(double precision[])")
    op.execute("DROP FUNCTION report_day_changed()")
    op.drop_index('ix_report_rollups_grouping_day', table_name='report_rollups')
    op.drop_table('report_rollups')
    op.drop_table('report_builds')
    op.drop_table('report_changes')
