"""API keys: revocation and the agents behind keys.

Every change that can take a key's access away (a key revoked or edited, its agent deactivated
or reactivated, its contact deleted) notifies `supportdesk_key_access` from the database, so
each API process empties its key cache when the change commits, whoever made it (the API, the
`supportdesk keys` command, a script, a console). NOTIFY is transactional: sent on commit,
never for a rolled-back change.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "supportdesk_key_access"

UPGRADE = [
    f"""
CREATE FUNCTION notify_key_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END $$
""",
    # Any change to a key: the principal is built from the whole row.
    """
CREATE TRIGGER api_keys_access_changed
AFTER UPDATE OR DELETE ON api_keys
FOR EACH ROW EXECUTE FUNCTION notify_key_access()
""",
    """
CREATE TRIGGER api_keys_truncated
AFTER TRUNCATE ON api_keys
FOR EACH STATEMENT EXECUTE FUNCTION notify_key_access()
""",
    # Agents and contacts change often; only these columns decide whether their keys work.
    """
CREATE TRIGGER agents_access_changed
AFTER UPDATE OF active ON agents
FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active)
EXECUTE FUNCTION notify_key_access()
""",
    """
CREATE TRIGGER contacts_access_changed
AFTER UPDATE OF deleted_at ON contacts
FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
EXECUTE FUNCTION notify_key_access()
""",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER contacts_access_changed ON contacts")
    op.execute("DROP TRIGGER agents_access_changed ON agents")
    op.execute("DROP TRIGGER api_keys_truncated ON api_keys")
    op.execute("DROP TRIGGER api_keys_access_changed ON api_keys")
    op.execute("DROP FUNCTION notify_key_access()")
