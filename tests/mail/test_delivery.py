"""What outbound mail promises when SMTP or a worker fails: a server that is down or says
"later" gets the mail once it takes it, a refused address bounces and gets no more mail, a
worker killed mid-send loses nothing, and two pumps never send one mail twice."""

import asyncio
import os
import signal
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from pydantic import SecretStr

from app import timesource
from tests.factories import make_agent, make_tenant, make_ticket
from tests.mail.sink import Sink
from tests.mail.test_inbound_bounces import contact_of
from tests.mail.test_threading import agent_reply, mail_settled, notifications
from tests.processes import start
from tests.webhooks.helpers import eventually, query

UNKNOWN_USER = "550 5.1.1 <{address}>: Recipient address rejected: User unknown"
TRY_LATER = "451 4.7.1 <{address}>: Recipient address rejected: Greylisted, try again later"


@pytest.fixture
def down_sink() -> Iterator[Sink]:
    """An SMTP server on a port of its own that the test starts when it wants it up."""
    server = Sink()
    yield server
    server.stop()


async def ticket_mail(client, ticket_id: str, within: float = 15, **wanted) -> dict:
    """Waits until the ticket's one mail, as staff see it, has the `wanted` fields."""

    async def matching() -> dict | None:
        rows = await notifications(client, ticket_id)
        if len(rows) == 1 and all(rows[0][name] == value for name, value in wanted.items()):
            return rows[0]
        return None

    return await eventually(matching, within=within)


async def first_attempt_failed(client, ticket_id: str) -> dict:
    """The ticket's one mail once its first attempt's reply is recorded (a claimed mail
    counts its attempt before it is sent)."""

    async def recorded() -> dict | None:
        rows = await notifications(client, ticket_id)
        if len(rows) == 1 and rows[0]["attempts"] == 1 and rows[0]["smtp_reply"]:
            return rows[0]
        return None

    return await eventually(recorded, within=15)


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_mail_due_while_smtp_is_down_arrives_once_when_it_comes_up(
    client, mail_pump, down_sink
):
    await mail_pump(smtp_url=SecretStr(down_sink.url))
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, requester=tenant.contact)

    waiting = await first_attempt_failed(client, ticket["id"])
    assert waiting["status"] == "pending"
    assert (waiting["smtp_code"], waiting["sent_at"]) == (None, None)
    assert "Connect" in waiting["smtp_reply"], waiting["smtp_reply"]
    retry_at = at(waiting["next_attempt_at"])
    # The schedule's first step: 5 s, give or take its 20 % jitter.
    assert timedelta(0) < retry_at - timesource.now() <= timedelta(seconds=6)

    down_sink.start()
    sent = await ticket_mail(client, ticket["id"], status="sent")
    assert (sent["attempts"], sent["smtp_code"]) == (2, 250)
    assert at(sent["sent_at"]) >= retry_at  # retried on schedule, not hammered
    # Sent is final (no longer claimable), and two attempts were all there were.
    [mail] = down_sink.received
    assert tenant.contact["email"] in mail["To"]
    assert mail["Message-ID"] == sent["message_id"]


async def test_a_temporary_refusal_is_retried_and_delivered_once_accepted(client, sink, mail_pump):
    await mail_pump()
    tenant = await make_tenant(client)
    address = tenant.contact["email"]
    sink.refuse[address] = TRY_LATER.format(address=address)
    ticket = await make_ticket(client, requester=tenant.contact)

    waiting = await first_attempt_failed(client, ticket["id"])
    assert (waiting["status"], waiting["smtp_code"]) == ("pending", 451)
    assert "Greylisted" in waiting["smtp_reply"]
    retry_at = at(waiting["next_attempt_at"])
    assert timedelta(0) < retry_at - timesource.now() <= timedelta(seconds=6)
    assert sink.received == []

    del sink.refuse[address]
    sent = await ticket_mail(client, ticket["id"], status="sent")
    assert (sent["attempts"], sent["smtp_code"]) == (2, 250)
    assert at(sent["sent_at"]) >= retry_at
    assert len(sink.to(address)) == 1
    # A 4xx says nothing against the address.
    assert (await contact_of(client, tenant.organization, tenant.contact))[
        "email_bouncing"
    ] is False


async def test_a_refused_address_bounces_and_its_later_mail_is_skipped(
    client, app, sink, mail_pump
):
    await mail_pump()
    tenant, other = await make_tenant(client), await make_tenant(client)
    agent = await make_agent(client)
    address = tenant.contact["email"]
    sink.refuse[address] = UNKNOWN_USER.format(address=address)
    ticket = await make_ticket(client, requester=tenant.contact)

    refused = await ticket_mail(client, ticket["id"], status="failed")
    assert (refused["attempts"], refused["smtp_code"]) == (1, 550)
    assert "User unknown" in refused["smtp_reply"]
    assert (refused["sent_at"], refused["next_attempt_at"]) == (None, None)
    contact = await contact_of(client, tenant.organization, tenant.contact)
    assert contact["email_bouncing"] is True
    assert contact["email_bounce_reason"].startswith("550")

    await agent_reply(client, ticket["id"], agent, "We found the cause.")
    # Mail to other addresses still goes, on the connection the refusal left open.
    elsewhere = await make_ticket(client, requester=other.contact)
    await mail_settled(app)
    rows = {row["kind"]: row for row in await notifications(client, ticket["id"])}
    assert rows.keys() == {"acknowledgment", "reply"}
    assert rows["acknowledgment"]["status"] == "failed"
    skipped = rows["reply"]
    assert (skipped["status"], skipped["attempts"]) == ("skipped", 0)
    assert skipped["smtp_reply"] == "not sent: the address is bouncing"
    assert sink.to(address) == []
    delivered = await ticket_mail(client, elsewhere["id"], status="sent")
    assert [m["Message-ID"] for m in sink.received] == [delivered["message_id"]]


async def test_a_worker_killed_mid_send_loses_no_mail(client, app, sink):
    """SIGKILL while the SMTP server has the mails' data but has not answered: the new worker
    sends them again once the dead one's lease runs out, and the rest for the first time.

    Across a kill mid-DATA the honest guarantee is at least once: the server may have queued
    a mail whose 250 nobody read. So no mail is lost, and only those in flight at the kill
    may arrive twice (this sink, like an MTA, keeps what it had before the client vanished)."""
    tenant = await make_tenant(client)
    tickets = [await make_ticket(client, requester=tenant.contact) for _ in range(6)]
    sink.stall = 20  # longer than the first worker lives: its sends hang awaiting the 250
    env = {
        "SUPPORTDESK_SMTP_URL": sink.url,
        "SUPPORTDESK_WORKER_WEBHOOKS": "true",  # the outbox relay that fills the feed
        "SUPPORTDESK_MAIL_CONCURRENCY": "2",
        "SUPPORTDESK_MAIL_LEASE_SECONDS": "3",
    }
    workers = [start("worker", **env)]
    try:
        await sink.wait_for(lambda received: len(received) >= 2, within=30)
        os.killpg(workers[0].pid, signal.SIGKILL)
        assert await asyncio.to_thread(workers[0].wait, 10) == -signal.SIGKILL
        in_flight = set(sink.message_ids())
        assert len(in_flight) == 2  # one per SMTP connection, neither answered
        before = await query(app, "SELECT message_id, status, attempts FROM notifications")
        assert {row.status for row in before} == {"pending"}  # the dead worker recorded nothing
        assert {(row.message_id, row.attempts) for row in before} >= {
            (message_id, 1) for message_id in in_flight
        }

        await app.state.redis.flushdb()
        sink.stall = 0
        workers.append(start("worker", **env))

        async def all_sent() -> list | None:
            rows = await query(app, "SELECT message_id, ticket_id, status FROM notifications")
            done = len(rows) == len(tickets) and all(row.status == "sent" for row in rows)
            return rows if done else None

        after = await eventually(all_sent, within=30)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                await asyncio.to_thread(worker.wait, 10)

    assert {str(row.ticket_id) for row in after} == {ticket["id"] for ticket in tickets}
    copies = Counter(sink.message_ids())
    assert copies.keys() == {row.message_id for row in after}  # none lost, none made up
    assert {message_id for message_id, n in copies.items() if n > 1} <= in_flight
    assert max(copies.values()) <= 2


async def test_two_pumps_send_each_of_many_mails_exactly_once(client, app, sink, mail_pump):
    tenant = await make_tenant(client)
    tickets = [await make_ticket(client, requester=tenant.contact) for _ in range(30)]
    sink.stall = 0.02  # each batch takes a while, so the other pump claims meanwhile
    # One connection each: a batch of 16, so 30 mails take both pumps.
    await mail_pump(mail_concurrency=1)
    await mail_pump(mail_concurrency=1)
    await mail_settled(app)

    rows = await query(app, "SELECT message_id, ticket_id, status, attempts FROM notifications")
    assert {str(row.ticket_id) for row in rows} == {ticket["id"] for ticket in tickets}
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}  # claimed once each
    assert Counter(sink.message_ids()) == {row.message_id: 1 for row in rows}
    assert len(set(sink.peers)) == 2  # both pumps sent some


async def test_a_slow_server_and_a_short_lease_never_send_a_mail_twice(
    client, app, sink, mail_pump
):
    # 0.3 s a mail on one connection: a batch of 16 takes ~5 s, past a 2 s lease, so mails
    # still waiting when their lease runs short are left to the next claim, not sent twice.
    tenant = await make_tenant(client)
    tickets = [await make_ticket(client, requester=tenant.contact) for _ in range(12)]
    sink.stall = 0.3
    await mail_pump(mail_concurrency=1, mail_lease_seconds=2)
    await mail_pump(mail_concurrency=1, mail_lease_seconds=2)
    await mail_settled(app, within=60)

    rows = await query(app, "SELECT message_id, ticket_id, status FROM notifications")
    assert {str(row.ticket_id) for row in rows} == {ticket["id"] for ticket in tickets}
    assert {row.status for row in rows} == {"sent"}
    assert Counter(sink.message_ids()) == {row.message_id: 1 for row in rows}


async def test_a_refused_message_fails_without_marking_the_address_bouncing(
    client, sink, mail_pump
):
    sink.refuse_data = "552 5.3.4 Message size exceeds fixed limit"
    await mail_pump()
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, requester=tenant.contact)

    failed = await ticket_mail(client, ticket["id"], status="failed")
    assert (failed["smtp_code"], failed["attempts"]) == (552, 1)
    contact = await contact_of(client, tenant.organization, tenant.contact)
    assert contact["email_bouncing"] is False  # the message was refused, not the address
