"""The async engine and the per-request unit of work (commit on success, else rollback)."""

import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from typing import Any, TypeVar

import orjson
from arq.connections import ArqRedis
from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app import idempotency
from app.config import Settings
from app.jobs import dispatch

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

SessionFactory = async_sessionmaker[AsyncSession]
Units = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def create_engine(settings: Settings) -> AsyncEngine:
    """An asyncpg engine sized by the settings."""
    return create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=False,
        json_serializer=_dumps,
        json_deserializer=orjson.loads,
        # UTC: instants the database renders itself (JSON built in SQL) read as the API
        # writes them.
        connect_args={"server_settings": {"application_name": "supportdesk", "timezone": "UTC"}},
    )


async def ensure_database(database_url: str) -> None:
    """Creates the configured database if the server does not have it yet (first run)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(database_url).set(drivername="postgresql")
    try:
        connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    except asyncpg.InvalidCatalogNameError:
        maintenance = url.set(database="postgres").render_as_string(hide_password=False)
        connection = await asyncpg.connect(maintenance)
        # A concurrent migration may have created it meanwhile.
        with contextlib.suppress(asyncpg.DuplicateDatabaseError):
            await connection.execute(f'CREATE DATABASE "{url.database}"')
    await connection.close()


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


# session.info's mark of a unit of work without a transaction.
AUTOCOMMIT = "autocommit"


@asynccontextmanager
async def unit_of_work(
    sessions: SessionFactory, jobs: ArqRedis | None = None, *, autocommit: bool = False
) -> AsyncIterator[AsyncSession]:
    """One transaction: commits when the block succeeds, rolls back when it raises.

    Jobs the transaction queued (app.jobs.after_commit) are enqueued only after the commit.
    `autocommit`: for a block of one statement (a read, or a write that is atomic by itself)
    — no BEGIN and COMMIT round trips; each statement is its own transaction.
    """
    async with sessions() as session:
        async with session.begin():
            if autocommit:
                await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                session.info[AUTOCOMMIT] = True
            yield session
        await dispatch(jobs, session.info)


class NeedsTransaction(Exception):
    """A request run without a transaction (`one_statement`) turned out to need one: raised
    before its first write, so the route runs it again in a transaction."""


def require_transaction(session: AsyncSession) -> None:
    """Call before the first write of work that takes more than one statement."""
    if session.info.get(AUTOCOMMIT):
        raise NeedsTransaction


def one_statement(endpoint: Endpoint) -> Endpoint:
    """Marks an endpoint whose work is usually one write statement (raising a ticket): without
    an Idempotency-Key it runs with no BEGIN and COMMIT (a statement is atomic by itself), and
    again in a transaction if the service says it needs one (`require_transaction`)."""
    endpoint.one_statement = True  # type: ignore[attr-defined]
    return endpoint


def reads_only(endpoint: Endpoint) -> Endpoint:
    """Marks an endpoint whose work is a single read statement (a list's page): it runs
    without a transaction of its own (`unit_of_work(autocommit=True)`)."""
    endpoint.reads_only = True  # type: ignore[attr-defined]
    return endpoint


async def get_session(request: Request) -> AsyncSession:
    """The request's session, opened by UnitOfWorkRoute."""
    return request.state.session


class UnitOfWorkRoute(APIRoute):
    """Runs each request in one transaction, with Idempotency-Key handling for POSTs.

    The idempotency record is claimed and completed inside the same transaction as the
    change it protects, so a concurrent duplicate waits on the row lock and then replays
    the committed response: never two resources.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if "POST" in (kwargs.get("methods") or ()):
            kwargs["dependencies"] = [
                *(kwargs.get("dependencies") or []),
                idempotency.HEADER_DEPENDENCY,
            ]
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        reads = getattr(self.endpoint, "reads_only", False)
        writes_once = getattr(self.endpoint, "one_statement", False)

        async def run(request: Request, autocommit: bool) -> Response:
            state = request.app.state
            jobs = getattr(state, "arq", None)
            async with unit_of_work(state.sessions, jobs, autocommit=autocommit) as session:
                request.state.session = session
                claim = await idempotency.claim(session, request)
                if claim.replay is not None:
                    return claim.replay
                response = await handler(request)
                await idempotency.complete(session, claim, response)
            return response

        async def run_in_unit_of_work(request: Request) -> Response:
            await _read_body(request)
            # A key is claimed and completed beside the change: that takes a transaction.
            if reads or (writes_once and idempotency.HEADER not in request.headers):
                try:
                    return await run(request, autocommit=True)
                except NeedsTransaction:
                    if reads:
                        raise
            return await run(request, autocommit=False)

        return run_in_unit_of_work


async def _read_body(request: Request) -> None:
    if request.method in ("POST", "PUT", "PATCH"):
        # Read (and cache) the body here so that an oversized one is our 413,
        # not FastAPI's generic "error parsing the body".
        await request.body()


class DetachedRoute(UnitOfWorkRoute):
    """For routes that wait on the network (a webhook test ping, a DNS check): no transaction
    spans the request, so a slow receiver or resolver holds no pooled connection meanwhile.
    The endpoint calls `units(request)` and works in short units of work around its wait.

    An Idempotency-Key is claimed (and committed) before the endpoint runs and its response
    stored after; if the endpoint fails, the claim is given back. In between, a duplicate gets
    409 ("still in progress"): never a second resource, never a second send.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = APIRoute.get_route_handler(self)

        async def run_detached(request: Request) -> Response:
            await _read_body(request)
            sessions = request.app.state.sessions
            async with unit_of_work(sessions) as session:
                claim = await idempotency.claim(session, request)
            if claim.replay is not None:
                return claim.replay
            try:
                async with sessions() as session:
                    request.state.session = session  # authentication's, until `units`
                    response = await handler(request)
            except Exception:
                async with unit_of_work(sessions) as session:
                    await idempotency.release(session, claim)
                raise
            async with unit_of_work(sessions) as session:
                await idempotency.complete(session, claim, response)
            return response

        return run_detached


class StreamingRoute(APIRoute):
    """For a route that reads its body as it streams (an upload): the body is not read up
    front and no transaction spans the request. Authentication reads the key through a
    session the endpoint closes (`units`) before it reads the body; its writes are short
    units of work. No Idempotency-Key: repeating an upload makes an unbound copy that expires.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = APIRoute.get_route_handler(self)

        async def run_streaming(request: Request) -> Response:
            async with request.app.state.sessions() as session:
                request.state.session = session
                return await handler(request)

        return run_streaming


async def units(request: Request) -> Units:
    """Short units of work for the endpoint of a DetachedRoute.

    Closes the request's session first: authentication may have read the key through it, and
    an open session keeps its pooled connection while the endpoint waits on the network.
    """
    await request.state.session.close()
    state = request.app.state
    return partial(unit_of_work, state.sessions, getattr(state, "arq", None))
