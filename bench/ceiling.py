"""Throughput ceiling for the ticket benchmark: minimal FastAPI + raw asyncpg.

One ``INSERT ... RETURNING`` per create and one indexed ``SELECT`` per list, no auth,
no ORM, no SLA/events work. ``bench/api.py`` creates the table (``bench_ceiling_tickets``,
with an index on ``(status, priority, created_at DESC)``), seeds it and serves
this module with ``uvicorn bench.ceiling:app --workers 2``; the ratio of the real
app's throughput to this one is the figure of merit.

Configuration (environment):
    BENCH_DSN        plain ``postgresql://`` DSN of the bench database
    BENCH_POOL_SIZE  connections per worker (default 16 = 32 clients / 2 workers)
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

import asyncpg
from fastapi import FastAPI, Query, Request
from pydantic import BaseModel

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/supportdesk_bench"
TABLE = "bench_ceiling_tickets"

INSERT_SQL = f"""
INSERT INTO {TABLE} (subject, description, priority, category, requester_id)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, created_at
"""

LIST_SQL = f"""
SELECT id, subject, description, priority, category, status, requester_id, created_at
FROM {TABLE}
WHERE status = $1 AND priority = $2
ORDER BY created_at DESC
LIMIT $3
"""


class TicketIn(BaseModel):
    subject: str
    description: str
    priority: str
    category: str
    requester_id: uuid.UUID


class TicketOut(TicketIn):
    id: uuid.UUID
    status: str
    created_at: datetime


class TicketPage(BaseModel):
    data: list[TicketOut]
    next_cursor: str | None = None


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    size = int(os.environ.get("BENCH_POOL_SIZE", "16"))
    dsn = os.environ.get("BENCH_DSN", DEFAULT_DSN)
    async with asyncpg.create_pool(dsn, min_size=size, max_size=size) as pool:
        app.state.pool = pool
        yield


app = FastAPI(title="Support Desk bench ceiling", lifespan=lifespan)


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


@app.get("/readyz")
async def readyz(request: Request) -> dict[str, str]:
    await _pool(request).fetchval("SELECT 1")
    return {"status": "ok"}


@app.post("/tickets", status_code=201)
async def create_ticket(body: TicketIn, request: Request) -> TicketOut:
    row = await _pool(request).fetchrow(
        INSERT_SQL, body.subject, body.description, body.priority, body.category, body.requester_id
    )
    assert row is not None
    return TicketOut(**body.model_dump(), id=row["id"], status="new", created_at=row["created_at"])


@app.get("/tickets")
async def list_tickets(
    request: Request,
    status: str = "new",
    priority: str = "high",
    limit: int = Query(50, ge=1, le=200),
) -> TicketPage:
    rows = await _pool(request).fetch(LIST_SQL, status, priority, limit)
    return TicketPage(data=[TicketOut(**dict(row)) for row in rows], next_cursor=None)
