"""The async engine, the per-request unit of work (commit on success, else rollback), and what
the database being unreachable means for a request: one retry on a new connection when
nothing was saved, else a 503 that says whether the change may have been saved."""

import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar

import asyncpg
import orjson
from arq.connections import ArqRedis
from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.types import Scope

from app import idempotency
from app.config import Settings
from app.errors import ServiceUnavailable
from app.jobs import DATABASE, dispatch

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

SessionFactory = async_sessionmaker[AsyncSession]
Units = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


# A connection attempt nobody answers (a host gone, a partition) fails after this long, not
# asyncpg's 60 s: the request answers 503 instead of hanging.
CONNECT_TIMEOUT_SECONDS = 5


def create_engine(settings: Settings, *, pooled: bool = True) -> AsyncEngine:
    """An asyncpg engine sized by the settings; `pooled=False`: a connection per use (probes)."""
    sizes = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout_seconds,
    }
    engine = create_async_engine(
        settings.database_url,
        **(sizes if pooled else {"poolclass": NullPool}),
        # No ping per checkout (it costs a round trip, 0.3-0.5 ms, on every request): a pooled
        # connection the server dropped fails its first statement unsent, and the unit of work
        # runs the request again on a new one (UnitOfWorkRoute).
        pool_pre_ping=False,
        json_serializer=_dumps,
        json_deserializer=orjson.loads,
        # UTC: instants the database renders itself (JSON built in SQL) read as the API
        # writes them.
        connect_args={
            "server_settings": {"application_name": "supportdesk", "timezone": "UTC"},
            "timeout": CONNECT_TIMEOUT_SECONDS,
        },
    )
    event.listen(engine.sync_engine, "do_connect", _connect)
    event.listen(engine.sync_engine, "before_cursor_execute", _count_statement)
    return engine


class Unreachable(ConnectionError):
    """The database refused or dropped a new connection: down, restarting, out of slots.
    An OSError, as asyncpg's own refusals are, so handlers written for those still apply."""


def _connect(dialect: Any, record: Any, cargs: Any, cparams: Any) -> Any:
    # asyncpg's failures to connect (OSError, TimeoutError, "the database system is starting
    # up") pass SQLAlchemy unwrapped; marked here, they cannot be taken for other errors.
    try:
        return dialect.connect(*cargs, **cparams)
    except Exception as error:
        raise Unreachable(f"cannot connect to the database: {error!r}") from error


# Statements a unit of work has sent, counted while UnitOfWorkRoute runs a request.
_sent: ContextVar[list[int] | None] = ContextVar("statements_sent", default=None)


def _count_statement(*args: Any) -> None:
    sent = _sent.get()
    if sent is not None:
        sent[0] += 1


# The server ended the session: it is shutting down or restarting (asyncpg class 08, 57P0x).
_SESSION_ENDED = (
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
)


def unreachable(error: BaseException) -> bool:
    """Whether an error means the database is not reachable right now (down, restarting,
    failing over, no connection free): the one place that knows how driver and pool say so."""
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    if isinstance(error, Unreachable | exc.TimeoutError):
        return True
    if isinstance(error, exc.DBAPIError):
        return error.connection_invalidated or isinstance(
            getattr(error.orig, "__cause__", None), _SESSION_ENDED
        )
    return isinstance(error, _SESSION_ENDED)


# Failures to get a connection at all: running the request again would only fail again.
_NO_RETRY = (Unreachable, exc.TimeoutError)


def _unsent(error: BaseException) -> bool:
    """The failed statement never reached the server: no connection, or asyncpg refused to
    send on one it knew closed (a pooled connection the server dropped meanwhile)."""
    if isinstance(error, _NO_RETRY):
        return True
    cause = getattr(getattr(error, "orig", None), "__cause__", None)
    return isinstance(error, exc.DBAPIError) and isinstance(cause, asyncpg.InterfaceError)


# What a client is told to wait (seconds) before retrying: a restart takes a few.
RETRY_AFTER_SECONDS = 2


def outage(error: BaseException, *, changed: bool | None, keyed: bool) -> ServiceUnavailable:
    """The 503 for a request the database failed. `changed`: False when nothing was saved,
    None when a write may have committed before the connection dropped; `keyed`: it carries
    an Idempotency-Key, which makes a retry safe either way. The outage is logged once while
    it lasts (app.jobs.Outage), not once per request."""
    DATABASE.began(error)
    if changed is False:
        detail = "The database is not reachable right now; nothing was changed."
    elif keyed:
        detail = (
            "The connection to the database dropped while the change was being saved: it may "
            f"or may not have been. Retrying with the same {idempotency.HEADER} is safe: it "
            "answers with the saved result, or makes the change once."
        )
    else:
        detail = (
            "The connection to the database dropped while the change was being saved: it may "
            "or may not have been. Check before repeating it, since a retry may make it twice "
            f"(an {idempotency.HEADER} makes retries safe)."
        )
    return ServiceUnavailable(detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


READS = frozenset({"GET", "HEAD", "OPTIONS"})


def as_outage(scope: Scope, error: Exception) -> ServiceUnavailable | None:
    """The 503 for an error outside a unit of work's own accounting (app.middleware's error
    boundary), or None when it is not the database's unavailability. A write is in doubt."""
    if not unreachable(error):
        return None
    headers = dict(scope.get("headers", ()))
    key = headers.get(b"idempotency-key", b"").decode("latin-1")
    method = scope.get("method", "")
    keyed = idempotency.keyed(method, key, b"authorization" in headers)
    return outage(error, changed=False if method in READS else None, keyed=keyed)


async def ensure_database(database_url: str) -> None:
    """Creates the configured database if the server does not have it yet (first run)."""
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

        async def run(request: Request, autocommit: bool, attempt: _Attempt) -> Response:
            state = request.app.state
            jobs = getattr(state, "arq", None)
            async with unit_of_work(state.sessions, jobs, autocommit=autocommit) as session:
                request.state.session = session
                claim = await idempotency.claim(session, request)
                attempt.keyed = claim.record_id is not None
                if claim.replay is not None:
                    return claim.replay
                response = await handler(request)
                await idempotency.complete(session, claim, response)
                attempt.committing = True
            return response

        async def run_in_unit_of_work(request: Request) -> Response:
            await _read_body(request)
            # A key is claimed and completed beside the change: that takes a transaction.
            autocommit = reads or (writes_once and idempotency.HEADER not in request.headers)
            retried = False
            while True:
                attempt = _Attempt(autocommit, reads or request.method in READS)
                token = _sent.set(attempt.sent)
                try:
                    response = await run(request, autocommit, attempt)
                    DATABASE.ended()
                    return response
                except NeedsTransaction:
                    if reads:
                        raise
                    autocommit = False
                except Exception as error:
                    if not unreachable(error):
                        raise
                    changed = attempt.changed(error)
                    # Once, on a new connection, when the old one dropped with nothing saved
                    # (a pooled connection the server closed meanwhile): no 503 for a restart
                    # that is over. Not when connecting failed: that would fail again.
                    if retried or changed is not False or isinstance(error, _NO_RETRY):
                        raise outage(error, changed=changed, keyed=attempt.keyed) from error
                    retried = True
                finally:
                    _sent.reset(token)

        return run_in_unit_of_work


class _Attempt:
    """One run of a request in a unit of work: how far it got, for the 503 if it fails."""

    def __init__(self, autocommit: bool, reads: bool) -> None:
        self.autocommit = autocommit
        self.reads = reads
        self.sent = [0]  # statements sent (_count_statement)
        self.keyed = False  # its Idempotency-Key is claimed beside the change
        self.committing = False

    def changed(self, error: BaseException) -> bool | None:
        """False if the failed attempt saved nothing; None if a write may have committed."""
        if self.reads:
            return False
        if not self.autocommit:
            # The server rolls back a transaction whose connection drops before COMMIT.
            return False if not self.committing or _unsent(error) else None
        # Each statement commits by itself: safe only if the failed one, the first, never left.
        return False if self.sent[0] <= 1 and _unsent(error) else None


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
