"""A real SMTP server for tests (aiosmtpd on 127.0.0.1): it keeps what it receives, and can
refuse recipients (5xx or 4xx) or stall, as a test tells it."""

import asyncio
import email
import email.policy
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.processes import free_port


class Sink:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[EmailMessage] = []
        # Beside each received mail: the client's (host, port), one per SMTP connection.
        self.peers: list[tuple[str, int]] = []
        # address -> the reply its RCPT gets ("550 5.1.1 No such user", "451 4.3.0 Try later")
        self.refuse: dict[str, str] = {}
        # Seconds each DATA waits before answering. Like an MTA that queues a mail before it
        # answers the final dot, a stalled mail is kept even if the client vanishes meanwhile.
        self.stall = 0.0
        # The reply to every DATA instead of 250 ("552 5.3.4 Message too big"); nothing kept.
        self.refuse_data = ""
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "Sink":
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return self.refuse_data
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(message)  # type: ignore[arg-type]
            self.peers.append(session.peer)
        if self.stall:
            await asyncio.sleep(self.stall)
        return "250 2.0.0 Ok: queued"

    def message_ids(self) -> list[str]:
        """The Message-ID of each mail received, a resent one as often as it came."""
        with self.lock:
            return [str(m["Message-ID"]) for m in self.received]

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.received if address.lower() in str(m["To"]).lower()]

    async def wait_for(
        self, condition: Callable[[list[EmailMessage]], bool], within: float = 15
    ) -> list[EmailMessage]:
        deadline = time.monotonic() + within
        while True:
            with self.lock:
                received = list(self.received)
            if condition(received):
                return received
            assert time.monotonic() < deadline, f"mail did not arrive: {len(received)} received"
            await asyncio.sleep(0.05)
