"""Each process's memory of what organizations' new tickets' clocks run on.

Raising a ticket needs the organization's calendar and its plan's policy targets; reading and
decoding them on every create costs more than the insert. A process keeps them here with a
stamp of what they were built from (`STAMP`: the plan, the calendar row, the plan's policy
rows), and the statement that raises the ticket checks that stamp in the snapshot it writes in
(`tickets.repository.insert_checked`). A calendar, policy or plan changed since, by any
process, script or console, makes that statement write nothing, and the create reads afresh:
the next create anywhere honours the change, with no notification to miss and no timer.
"""

import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from app.sla.ticket_clocks import SlaContext

MAX_ENTRIES = 10_000

# Over `organizations` and its `calendars` row (sla.repository.calendar_join) in the query
# that uses it. Whole rows, so a change made without bumping a version still shows.
STAMP = sa.literal_column(
    "md5(concat_ws('|', organizations.plan, calendars::text, "
    "(SELECT string_agg(policy::text, '|' ORDER BY policy.id) "
    "FROM sla_policies AS policy WHERE policy.plan = organizations.plan)))",
    sa.String,
)


@dataclass(frozen=True)
class Known:
    """An organization's SLA context as last read, and the stamp it was read at."""

    organization_id: uuid.UUID
    stamp: str
    context: SlaContext


class SlaContexts:
    """Organization → its last known context; contact → organization, for staff callers who
    name a requester by id. Entries are hints: the raising statement verifies both."""

    def __init__(self) -> None:
        self._contexts: dict[uuid.UUID, Known] = {}
        self._organizations: dict[uuid.UUID, uuid.UUID] = {}

    def organization_of(self, contact_id: uuid.UUID) -> uuid.UUID | None:
        return self._organizations.get(contact_id)

    def get(self, organization_id: uuid.UUID | None) -> Known | None:
        return None if organization_id is None else self._contexts.get(organization_id)

    def put(self, contact_id: uuid.UUID, known: Known) -> None:
        for entries in (self._contexts, self._organizations):
            if len(entries) >= MAX_ENTRIES:
                entries.clear()
        self._contexts[known.organization_id] = known
        self._organizations[contact_id] = known.organization_id


CONTEXTS = SlaContexts()
