"""A routing sweep: the waiting tickets, read in urgency order once, handed out a few per
transaction by whichever worker locks them first."""

import uuid
from dataclasses import dataclass, field

from arq.connections import ArqRedis

from app.assignment import routing
from app.db import SessionFactory, unit_of_work
from app.tickets import repository as tickets

# Tickets one transaction locks and routes: fewer round trips a decision, short row locks.
PER_TRANSACTION = 4
# Ids offered to each lock statement: enough to get past the ones other workers hold.
OFFERED = 8 * PER_TRANSACTION

Decided = list[tuple[uuid.UUID, uuid.UUID | None]]


@dataclass
class Queue:
    """A sweep's view of the waiting tickets, first first, and what it has done so far.

    When no one with a set of roles has room, the other tickets needing those roles that
    were already announced as unassigned are left for a later sweep: they would fail too,
    and must not keep tickets for other roles waiting behind them. New ones are still tried
    (up to `announce_limit`), so each gets its `ticket.unassigned`.
    """

    waiting: list[routing.Waiting]
    limit: int
    announce_limit: int
    tried: int = 0
    announced: int = 0
    passed: int = 0
    full: set[frozenset[str]] = field(default_factory=set)
    done: set[uuid.UUID] = field(default_factory=set)
    start: int = 0  # everything before it is done or left

    def __post_init__(self) -> None:
        self.roles = {ticket.id: ticket.roles for ticket in self.waiting}

    def _wanted(self, ticket: routing.Waiting) -> bool:
        if ticket.id in self.done:
            return False
        if ticket.roles in self.full:
            return not ticket.announced and self.announced < self.announce_limit
        return True

    def offer(self) -> tuple[list[uuid.UUID], int]:
        """The next tickets to try, and how many of them one transaction may take."""
        room = min(PER_TRANSACTION, self.limit - self.tried)
        offered: list[uuid.UUID] = []
        index = self.start
        while room > 0 and index < len(self.waiting) and len(offered) < OFFERED:
            ticket = self.waiting[index]
            if self._wanted(ticket):
                offered.append(ticket.id)
            elif index == self.start:
                self.start += 1  # what is left now stays left: `full` only grows
            index += 1
        return offered, room

    def settle(self, offered: list[uuid.UUID], locked: list[uuid.UUID], decided: Decided) -> None:
        """Drops what was decided, and what was offered before the last ticket locked but not
        locked (another worker holds it, or it no longer waits); undecided locked tickets
        stay first."""
        last = max((offered.index(ticket_id) for ticket_id in locked), default=len(offered) - 1)
        gone = {ticket_id for ticket_id in offered[: last + 1] if ticket_id not in locked}
        self.passed += len(gone)
        for ticket_id, agent_id in decided:
            self._count(self.roles[ticket_id], refused=agent_id is None)
        self.done |= gone | {ticket_id for ticket_id, _ in decided}

    def _count(self, roles: frozenset[str], *, refused: bool) -> None:
        if roles in self.full:
            self.announced += 1
        else:
            self.tried += 1
        if refused:
            self.full.add(roles)


@dataclass
class Swept:
    """What one sweep did: tickets assigned, refused, and passed over (held elsewhere)."""

    assigned: list[uuid.UUID]
    refused: list[uuid.UUID]
    passed: int


async def decide_some(
    sessions: SessionFactory, jobs: ArqRedis | None, queue: Queue
) -> Decided | None:
    """One transaction: locks the first few tickets of the queue that still wait and no one
    holds (passing over the rest, in the same transaction), and routes them; None when the
    queue is done."""
    async with unit_of_work(sessions, jobs) as session:
        while True:
            offered, room = queue.offer()
            if not offered:
                return None
            locked = await tickets.lock_first_waiting(session, offered, room)
            if not locked:
                queue.settle(offered, [], [])
                continue
            decided = await routing.route_many(session, locked)
            break
    queue.settle(offered, [ticket.id for ticket in locked], decided)
    return decided


async def sweep(
    sessions: SessionFactory,
    jobs: ArqRedis | None = None,
    *,
    window: int,
    limit: int,
    announce_limit: int,
) -> Swept:
    """Hands out up to `limit` of the first `window` waiting tickets, most urgent first."""
    async with unit_of_work(sessions, autocommit=True) as session:
        queue = Queue(await routing.waiting(session, window), limit, announce_limit)
    assigned: list[uuid.UUID] = []
    refused: list[uuid.UUID] = []
    while (decided := await decide_some(sessions, jobs, queue)) is not None:
        for ticket_id, agent_id in decided:
            (assigned if agent_id else refused).append(ticket_id)
    return Swept(assigned, refused, queue.passed)
