"""Traffic as integrators send it, for fault tests and the soak benchmark: tickets created
with an Idempotency-Key and retried on 503 or a lost connection (the other API process
first) until acknowledged, then commented on and moved along, each with its own key.

Every answer is kept (status, when, which process), so a check can tell a 500 or a dropped
connection from the 503s an outage may answer, and every acknowledged write is listed for
counting in the database afterwards."""

import asyncio
import itertools
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

# Answers an outage may give besides success; anything else is a failure of the service.
EXPECTED = {409, 503}
RETRY_FOR_SECONDS = 90


@dataclass
class Answer:
    at: float  # time.monotonic()
    api: int
    method: str
    path: str
    status: int | None  # None: no answer (the connection failed or dropped)
    error: str = ""
    seconds: float = 0.0


@dataclass
class Downtime:
    """An API process killed at `start` and answering again at `end` (or still down)."""

    api: int
    start: float
    end: float = float("inf")


@dataclass
class Load:
    bases: list[str]
    headers: dict[str, str]
    requester_id: str
    lanes: int = 8
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    answers: list[Answer] = field(default_factory=list)
    downtimes: list[Downtime] = field(default_factory=list)
    # subject -> ticket id; comment body -> ticket id: writes the service acknowledged
    tickets: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    transitions: int = 0
    gave_up: list[str] = field(default_factory=list)
    numbers: Any = field(default_factory=lambda: itertools.count(1))

    async def run(self, seconds: float, *, pause: float = 0.0) -> None:
        """`lanes` integrators at once for `seconds`; `pause` between one's requests."""
        stop = time.monotonic() + seconds
        limits = httpx.Limits(max_connections=self.lanes * 2)
        clients = [
            httpx.AsyncClient(base_url=base, headers=self.headers, timeout=20, limits=limits)
            for base in self.bases
        ]
        try:
            await asyncio.gather(
                *(self._lane(clients, lane, stop, pause) for lane in range(self.lanes))
            )
        finally:
            for client in clients:
                await client.aclose()

    async def _lane(
        self, clients: list[httpx.AsyncClient], lane: int, stop: float, pause: float
    ) -> None:
        rng = random.Random(f"{self.run_id}-{lane}")
        while time.monotonic() < stop:
            n = next(self.numbers)
            subject = f"fault {self.run_id} #{n}"
            body = {
                "subject": subject,
                "description": "Checkout fails under load.",
                "requester_id": self.requester_id,
                "priority": rng.choice(["low", "medium", "high"]),
            }
            created = await self.send(clients, n, "POST", "/v1/tickets", body, expect=(201,))
            if created is None:
                self.gave_up.append(subject)
                continue
            ticket_id = created.json()["id"]
            self.tickets[subject] = ticket_id
            await asyncio.sleep(pause)
            # Half the tickets get a first reply (their first-response clock is met), the
            # rest breach it; some are moved along, meeting or pausing other clocks.
            if rng.random() < 0.5:
                text = f"reply {self.run_id} #{n}"
                comment = {"body": text, "visibility": "public"}
                path = f"/v1/tickets/{ticket_id}/comments"
                if await self.send(clients, n, "POST", path, comment, expect=(201,)):
                    self.comments[text] = ticket_id
                await asyncio.sleep(pause)
            if rng.random() < 0.5:
                for status in ("open", "pending"):
                    path = f"/v1/tickets/{ticket_id}/transitions"
                    moved = await self.send(
                        clients, n, "POST", path, {"to": status}, expect=(200, 409)
                    )
                    self.transitions += moved is not None
                    await asyncio.sleep(pause)

    async def send(
        self,
        clients: list[httpx.AsyncClient],
        n: int,
        method: str,
        path: str,
        body: dict[str, Any],
        *,
        expect: tuple[int, ...],
    ) -> httpx.Response | None:
        """One write, retried with the same Idempotency-Key on 503 (after Retry-After), on a
        409 for a key still in use, and on a lost connection (on the other process); the
        answer in `expect`, or None after RETRY_FOR_SECONDS."""
        key = f"{self.run_id}-{uuid.uuid4().hex}"
        headers = {"Idempotency-Key": key}
        api = n % len(clients)
        deadline = time.monotonic() + RETRY_FOR_SECONDS
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                response = await clients[api].request(method, path, json=body, headers=headers)
            except httpx.TransportError as error:
                took = time.monotonic() - started
                self.answers.append(Answer(started, api, method, path, None, repr(error), took))
                api = (api + 1) % len(clients)
                await asyncio.sleep(0.2)
                continue
            took = time.monotonic() - started
            status = response.status_code
            # The body of an answer no fault excuses, for the check's message.
            text = "" if 200 <= status < 300 or status in EXPECTED else response.text[:300]
            self.answers.append(Answer(started, api, method, path, status, text, took))
            if response.status_code in expect:
                return response
            if response.status_code == 503:
                await asyncio.sleep(float(response.headers.get("retry-after", "1")))
            elif response.status_code == 409:
                await asyncio.sleep(0.2)  # the first attempt still holds the key
            else:
                return None  # unexpected: kept in `answers` for the check
        return None

    def unexpected(self) -> list[Answer]:
        """Answers no fault excuses: a status other than 2xx, 409 or 503, or a connection
        that failed while its process was not down (a process killed mid-request drops it)."""
        bad = []
        for answer in self.answers:
            if answer.status is None:
                ended = answer.at + answer.seconds
                if not any(
                    d.api == answer.api and d.start - 0.05 <= ended <= d.end + 1.0
                    for d in self.downtimes
                ):
                    bad.append(answer)
            elif not (200 <= answer.status < 300 or answer.status in EXPECTED):
                bad.append(answer)
        return bad
