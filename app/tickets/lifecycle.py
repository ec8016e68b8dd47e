"""The ticket status state machine: which moves exist and who may make them."""

from enum import StrEnum


class Status(StrEnum):
    new = "new"
    open = "open"
    pending = "pending"
    on_hold = "on_hold"
    awaiting_approval = "awaiting_approval"
    resolved = "resolved"
    closed = "closed"
    cancelled = "cancelled"


class Side(StrEnum):
    """Who asks for a move: operator staff or the client organization."""

    staff = "staff"
    client = "client"
    system = "system"


S = Status
_CANCELLABLE = (S.new, S.open, S.pending, S.on_hold, S.awaiting_approval, S.resolved)

# (from, to) -> the sides allowed to make the move. The system may make every legal move.
TRANSITIONS: dict[tuple[Status, Status], frozenset[Side]] = {
    (S.new, S.open): frozenset({Side.staff}),
    (S.open, S.pending): frozenset({Side.staff}),
    (S.pending, S.open): frozenset({Side.staff, Side.client}),
    (S.open, S.on_hold): frozenset({Side.staff, Side.client}),
    (S.on_hold, S.open): frozenset({Side.staff, Side.client}),
    (S.open, S.resolved): frozenset({Side.staff}),
    (S.open, S.awaiting_approval): frozenset({Side.staff}),
    (S.awaiting_approval, S.resolved): frozenset({Side.staff, Side.client}),
    (S.awaiting_approval, S.open): frozenset({Side.staff, Side.client}),
    (S.resolved, S.closed): frozenset({Side.staff}),
    (S.resolved, S.open): frozenset({Side.staff, Side.client}),
    **{(source, S.cancelled): frozenset({Side.staff, Side.client}) for source in _CANCELLABLE},
}

# Statuses in which the work is finished: the SLA clocks stop, and nobody routes or escalates it.
DONE = frozenset({S.resolved, S.closed, S.cancelled})
# Statuses with no way out: the ticket can no longer be edited, split or merged.
FINAL = frozenset(S) - {source for source, _ in TRANSITIONS}
# Statuses in which the resolution clock is paused, waiting on the client.
PAUSED = frozenset({S.pending, S.on_hold})


def is_legal(source: Status, target: Status) -> bool:
    """Whether the lifecycle has a move from `source` to `target` at all."""
    return (source, target) in TRANSITIONS


def may_move(side: Side, source: Status, target: Status) -> bool:
    """Whether `side` may move a ticket from `source` to `target`."""
    allowed = TRANSITIONS.get((source, target))
    if allowed is None:
        return False
    return side is Side.system or side in allowed


def legal_targets(source: Status) -> list[Status]:
    """The statuses a ticket in `source` can move to, in declaration order."""
    return [target for (start, target) in TRANSITIONS if start is source]
