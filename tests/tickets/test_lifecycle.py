"""The ticket lifecycle table (DOMAIN.md, Tickets), checked pair by pair over all statuses."""

import itertools

import pytest

from app.tickets.lifecycle import DONE, PAUSED, Side, Status, is_legal, legal_targets, may_move

STAFF, CLIENT = frozenset({Side.staff}), frozenset({Side.staff, Side.client})

# Written out from DOMAIN.md rather than read from the module, so a change to either shows up.
# The value is who may ask for the move: staff only, or staff and the client.
EXPECTED: dict[tuple[str, str], frozenset[Side]] = {
    ("new", "open"): STAFF,
    ("open", "pending"): STAFF,
    ("pending", "open"): CLIENT,
    ("open", "on_hold"): CLIENT,  # paused by the client or the PM
    ("on_hold", "open"): CLIENT,
    ("open", "resolved"): STAFF,  # an agent resolves it
    ("open", "awaiting_approval"): STAFF,
    ("awaiting_approval", "resolved"): CLIENT,  # the client approves
    ("awaiting_approval", "open"): CLIENT,  # the client asks for a revision
    ("resolved", "closed"): STAFF,
    ("resolved", "open"): CLIENT,  # reopened
    **{
        (source, "cancelled"): CLIENT
        for source in ("new", "open", "pending", "on_hold", "awaiting_approval", "resolved")
    },
}

ALL_PAIRS = list(itertools.product(list(Status), list(Status)))


def _id(pair: tuple[Status, Status]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


def test_the_lifecycle_has_the_eight_documented_statuses():
    assert {status.value for status in Status} == {
        "new",
        "open",
        "pending",
        "on_hold",
        "awaiting_approval",
        "resolved",
        "closed",
        "cancelled",
    }
    assert len(ALL_PAIRS) == 64


@pytest.mark.parametrize("pair", ALL_PAIRS, ids=_id)
def test_only_documented_moves_are_legal(pair):
    source, target = pair
    assert is_legal(source, target) is ((source.value, target.value) in EXPECTED)


@pytest.mark.parametrize("pair", ALL_PAIRS, ids=_id)
def test_each_move_is_open_to_the_documented_side_only(pair):
    source, target = pair
    allowed = EXPECTED.get((source.value, target.value), frozenset())
    assert may_move(Side.staff, source, target) is (Side.staff in allowed)
    assert may_move(Side.client, source, target) is (Side.client in allowed)
    # Automatic moves (auto-close, replies) may make any legal move and no illegal one.
    assert may_move(Side.system, source, target) is bool(allowed)


@pytest.mark.parametrize("source", list(Status), ids=str)
def test_legal_targets_list_exactly_the_legal_moves(source):
    expected = {target for (start, target) in EXPECTED if start == source.value}
    targets = legal_targets(source)
    assert {target.value for target in targets} == expected
    assert len(targets) == len(set(targets))


@pytest.mark.parametrize("final", [Status.closed, Status.cancelled], ids=str)
def test_closed_and_cancelled_tickets_can_go_nowhere(final):
    assert legal_targets(final) == []


def test_every_unfinished_status_can_be_cancelled_but_closed_cannot():
    cancellable = {source for source in Status if is_legal(source, Status.cancelled)}
    assert cancellable == set(Status) - {Status.closed, Status.cancelled}


def test_clocks_stop_when_the_work_is_finished_and_pause_while_waiting_on_the_client():
    assert {status.value for status in DONE} == {"resolved", "closed", "cancelled"}
    assert {status.value for status in PAUSED} == {"pending", "on_hold"}
