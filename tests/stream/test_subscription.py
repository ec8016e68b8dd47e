"""A stream's queue: a client too far behind is closed without skipping what it never got."""

import asyncio

from app.api_keys.models import KeyKind
from app.security import Principal
from app.stream.subscription import CLOSE, Filters, Message, Subscription


async def test_a_full_queue_closes_the_stream_with_nothing_half_sent():
    subscription = Subscription(Principal(kind=KeyKind.admin), Filters(), queue=asyncio.Queue(3))
    for position in (1, 2, 3, 4):  # the fourth does not fit
        subscription.offer(Message(b"frame %d" % position, position))

    sent = []
    while (message := subscription.queue.get_nowait()) is not CLOSE:
        sent.append(message.position)
    # Nothing of the backlog goes out: the client resumes from the last position it got
    # (none here) and the feed replays 1..4. Sending 2 and 3 would lose 1 for good.
    assert sent == []
    assert subscription.closed


async def test_closing_an_unhurried_stream_sends_what_is_queued_first():
    subscription = Subscription(Principal(kind=KeyKind.admin), Filters())
    subscription.offer(Message(b"one", 1))
    subscription.close()
    assert subscription.queue.get_nowait().position == 1
    assert subscription.queue.get_nowait() is CLOSE
