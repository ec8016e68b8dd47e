"""A stream's queue: a client too far behind is closed without skipping what it never got."""

from app.api_keys.models import KeyKind
from app.security import Principal
from app.stream.subscription import CLOSE, Filters, Message, Subscription


async def test_a_full_queue_closes_the_stream_with_nothing_half_sent():
    subscription = Subscription(Principal(kind=KeyKind.admin), Filters(), limit=3)
    for position in (1, 2, 3, 4):  # the fourth does not fit
        subscription.offer(Message(b"frame %d" % position, position))

    # Nothing of the backlog goes out: the client resumes from the last position it got
    # (none here) and the feed replays 1..4. Sending 2 and 3 would lose 1 for good.
    assert await subscription.next() is CLOSE
    assert subscription.closed


async def test_closing_an_unhurried_stream_sends_what_is_queued_first():
    subscription = Subscription(Principal(kind=KeyKind.admin), Filters())
    subscription.offer(Message(b"one", 1))
    subscription.close()
    subscription.offer(Message(b"two", 2))  # too late: closed
    assert (await subscription.next()).position == 1
    assert await subscription.next() is CLOSE
    assert subscription.pending is None  # nothing left held
