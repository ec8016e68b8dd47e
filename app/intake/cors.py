"""The widget's HTTP edge: CORS per key, the key from the query, budgets before the transaction.

Only the widget routes answer browsers on other origins, and each widget key only for its own
`allowed_origins`; the rest of the API stays closed to them (no global CORSMiddleware). A
preflight never carries Authorization, so the widget sends its publishable key in the query
string too (`?key=`), and that is how a preflight is answered per key.
"""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials

from app.api_keys.models import KeyKind
from app.db import StreamingRoute, UnitOfWorkRoute
from app.errors import Forbidden, TooManyRequests, Unauthorized, problem_response
from app.ratelimit import Budget, client_ip, ip_bucket, key_bucket, limiter_of
from app.security import Principal, authenticate, requires

ALLOW_METHODS = "POST"
ALLOW_HEADERS = "authorization, content-type, idempotency-key"
EXPOSE_HEADERS = "retry-after, idempotent-replayed, location"
# How long a browser may reuse a preflight answer (Chrome caps it at 2 h). It is also how long
# a browser may keep trying an origin after it is removed from the key: the POST is refused.
MAX_AGE_SECONDS = 600


def normalize_origin(origin: str) -> str:
    """An origin as browsers serialize it: lower case, no default port, no trailing slash."""
    value = origin.strip().rstrip("/").lower()
    for scheme, port in (("http://", ":80"), ("https://", ":443")):
        if value.startswith(scheme) and value.endswith(port):
            value = value[: -len(port)]
    return value


def allows(principal: Principal | None, origin: str | None) -> bool:
    """Whether a page on `origin` may use this principal's widget key (or the chat it began)."""
    if principal is None or not origin:
        return False
    if principal.kind is not KeyKind.widget and principal.conversation_id is None:
        return False
    wanted = normalize_origin(origin)
    return any(normalize_origin(allowed) == wanted for allowed in principal.allowed_origins)


def presented_key(request: Request) -> str | None:
    """The key the request carries: the bearer token, else the `key` query parameter."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.query_params.get("key") or None


async def resolve(request: Request) -> Principal | None:
    """The principal behind the presented key (through the key cache), or None."""
    token = presented_key(request)
    if token is None:
        return None
    credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)
    async with request.app.state.sessions() as session:
        try:
            return await authenticate(request, credentials, session)
        except Unauthorized:
            return None


async def over_budget(request: Request) -> Response | None:
    """A 429 when the client's address or the key has used its budget; else None (spent)."""
    settings = request.app.state.settings
    peer = request.client.host if request.client else None
    address = client_ip(peer, request.headers.getlist("x-forwarded-for"), settings.trusted_proxies)
    per_ip, per_key = settings.widget_rate_per_ip, settings.widget_rate_per_key
    budgets = [Budget("this address", f"widget:ip:{ip_bucket(address)}", per_ip)]
    token = presented_key(request)
    if token is not None:
        budgets.append(Budget("this widget key", f"widget:key:{key_bucket(token)}", per_key))
    verdict = await limiter_of(request).spend(budgets)
    if verdict.exhausted is None:
        return None
    error = TooManyRequests(
        f"Too many requests for {verdict.exhausted.owner} (at most {verdict.exhausted.limit} "
        f"a minute); try again in {verdict.retry_after} s.",
        headers={"Retry-After": str(verdict.retry_after)},
    )
    return problem_response(error, request.url.path)


def with_query_credential(request: Request, name: str = "key", prefix: str = "") -> Request:
    """The request with `?key=` (or another query credential, if it starts with `prefix`) as
    its Authorization when it has none, so authentication and Idempotency-Key ownership work
    exactly as for a bearer key."""
    key = request.query_params.get(name)
    if not key or not key.startswith(prefix) or "authorization" in request.headers:
        return request
    scope = dict(request.scope)
    scope["headers"] = [*scope["headers"], (b"authorization", f"Bearer {key}".encode())]
    return Request(scope, request.receive)


async def as_problem(request: Request, error: Exception) -> Response | None:
    """The app's own problem document for an expected error (None for a real failure)."""
    handlers = request.app.exception_handlers
    for kind in type(error).__mro__:
        if kind is Exception:
            return None
        if kind in handlers:
            return await handlers[kind](request, error)
    return None


async def allow_origin(request: Request, response: Response) -> None:
    response.headers.add_vary_header("Origin")
    origin = request.headers.get("origin")
    if not origin:
        return
    principal = getattr(request.state, "principal", None)
    if principal is None and response.status_code != 401:
        # A 429 or an Idempotency-Key replay answered before authentication.
        principal = await resolve(request)
    if allows(principal, origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def edge(
    handler: Handler,
    *,
    query: str = "key",
    prefix: str = "",
    applies: Callable[[Request], bool] | None = None,
) -> Handler:
    """A browser's way in: the credential in `?<query>=` (a preflight carries none), the budget
    first (Redis only, before any transaction), then the route's own handling; every answer,
    errors included, tells the browser whether its page may read it. With `applies`, requests
    it declines pass straight through (other callers of a shared route)."""

    async def handle(request: Request) -> Response:
        request = with_query_credential(request, query, prefix)
        if applies is not None and not applies(request):
            return await handler(request)
        try:
            response = await over_budget(request) or await handler(request)
        except Exception as error:
            # The unit of work has rolled back by now; render as the app would, plus CORS.
            problem = await as_problem(request, error)
            if problem is None:
                raise
            response = problem
        await allow_origin(request, response)
        return response

    return handle


class WidgetRoute(UnitOfWorkRoute):
    """A widget route whose body is JSON: one unit of work inside the widget's edge."""

    def get_route_handler(self) -> Handler:
        return edge(super().get_route_handler())


class WidgetUploadRoute(StreamingRoute):
    """A widget route that streams its body (a file) inside the widget's edge."""

    def get_route_handler(self) -> Handler:
        return edge(super().get_route_handler())


def add_preflights(router: APIRouter, answer: Handler, *paths: str) -> None:
    """OPTIONS routes answering browsers' CORS preflights with `answer` (not in the spec; no
    unit of work: the answer reads only the key)."""
    for path in paths:
        router.add_api_route(
            path,
            answer,
            methods=["OPTIONS"],
            include_in_schema=False,
            route_class_override=APIRoute,
        )


async def preflight(request: Request) -> Response:
    """Answers a CORS preflight for the key in `?key=`: its allowed origins only."""
    limited = await over_budget(request)
    if limited is not None:
        return limited
    origin = request.headers.get("origin")
    if not allows(await resolve(request), origin):
        response = problem_response(
            Forbidden("This page's origin may not use the widget with this key."),
            request.url.path,
        )
        response.headers.add_vary_header("Origin")
        return response
    return preflight_answer(str(origin), ALLOW_METHODS)


def preflight_answer(origin: str, methods: str) -> Response:
    """The 204 that lets a page on `origin` send the request it asked about."""
    headers = {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": methods,
        "Access-Control-Allow-Headers": ALLOW_HEADERS,
        "Access-Control-Max-Age": str(MAX_AGE_SECONDS),
        "Vary": "Origin",
    }
    return Response(status_code=204, headers=headers)


async def widget_caller(
    request: Request,
    principal: Principal = Depends(requires(KeyKind.widget)),
    key: Annotated[
        str | None,
        Query(
            max_length=200,
            description="The widget key, for callers that cannot send Authorization; a "
            "browser's CORS preflight is answered by it.",
        ),
    ] = None,
) -> Principal:
    """The widget key's principal, refusing (403) a page on an origin the key does not allow.

    `key` is declared for the spec only: WidgetRoute has already made it the Authorization.
    """
    origin = request.headers.get("origin")
    if not origin:
        raise Forbidden(
            "Widget keys are used from web pages on their allowed origins; this request "
            "carries no Origin header."
        )
    return _from_allowed_origin(principal, origin)


async def widget_reader(
    request: Request,
    principal: Principal = Depends(requires(KeyKind.widget)),
    key: Annotated[
        str | None, Query(max_length=200, description="The widget key (publishable).")
    ] = None,
) -> Principal:
    """For what a widget only reads: browsers send no Origin on a same-origin GET, so a
    missing one is let through; a page on another origin must be one the key allows."""
    origin = request.headers.get("origin")
    return principal if not origin else _from_allowed_origin(principal, origin)


def _from_allowed_origin(principal: Principal, origin: str) -> Principal:
    if not allows(principal, origin):
        raise Forbidden(
            f"The origin {origin} may not use this widget key; an administrator of your "
            "organization can add it to the key's allowed_origins."
        )
    return principal
