"""A receiver's answer is cut on the wire, before any decompression: a gzip bomb costs the
worker a couple of kilobytes, not the bomb's size."""

import gzip
import tracemalloc
from ipaddress import ip_network

from app.webhooks.client import BODY_LIMIT, guarded_client, post
from tests.factories import make_ticket
from tests.webhooks.helpers import create_endpoint, deliveries, eventually
from tests.webhooks.receiver import Reply

# 20 MB of zeros: about 20 KB on the wire.
BOMB = gzip.compress(b"\0" * 20_000_000, compresslevel=9)
GZIP = {"content-encoding": "gzip", "content-type": "text/plain"}


async def test_a_gzip_bomb_is_cut_before_it_is_decompressed(receiver):
    receiver.reply = lambda _: Reply(200, headers=GZIP, body=BOMB)
    client = guarded_client([ip_network("127.0.0.0/8")], timeout=10, connections=4)
    tracemalloc.start()
    try:
        outcome = await post(client, receiver.url, b"{}", {}, deadline=10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await client.aclose()
    assert outcome.succeeded, outcome
    assert outcome.body is not None and len(outcome.body) <= BODY_LIMIT
    # Inflating even one network read of the bomb takes megabytes.
    assert peak < 1_000_000, f"reading the answer took {peak:,} bytes"


async def test_a_compressed_answer_is_logged_readable(receiver):
    text = b'{"error": "quota exceeded"}' + b" " * 10_000
    receiver.reply = lambda _: Reply(500, headers=GZIP, body=gzip.compress(text))
    client = guarded_client([ip_network("127.0.0.0/8")], timeout=10, connections=4)
    try:
        outcome = await post(client, receiver.url, b"{}", {}, deadline=10)
    finally:
        await client.aclose()
    assert outcome.status_code == 500
    assert outcome.body is not None and outcome.body.startswith('{"error": "quota exceeded"}')
    assert len(outcome.body) <= BODY_LIMIT


async def test_a_delivery_answered_with_a_gzip_bomb_is_delivered_and_logged_short(
    client, receiver, pumps, tenant
):
    receiver.reply = lambda _: Reply(200, headers=GZIP, body=BOMB)
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)

    async def delivered():
        rows = await deliveries(client, endpoint["id"])
        return rows and rows[0]["status"] == "delivered" and rows[0]

    delivery = await eventually(delivered)
    body = delivery["attempts"][0]["response_body"]
    assert body is not None and len(body) <= BODY_LIMIT
