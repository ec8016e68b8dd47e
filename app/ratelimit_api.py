"""The API-wide request budget: every /v1 request spends one request of its caller's budget.

The caller is its API key when the request carries `Authorization: Bearer` (named in Redis by
the key's hash), else its client address (behind trusted proxies, the forwarded one). Every
limited response, whatever its status, says where the caller stands in `RateLimit-Limit`,
`RateLimit-Remaining` and `RateLimit-Reset` (draft-ietf-httpapi-ratelimit-headers; reset is
the seconds until the budget is full again), and a caller over budget gets a 429 problem with
`Retry-After` before the app sees the request, so a refused request changes nothing.

One Redis round trip a request (app.ratelimit's script), failing open: while Redis is down or
slow, requests pass without the headers. Per-route budgets (the widget's, webhook test sends)
still apply on top. Health, readiness, metrics and the docs live outside /v1 and are free.
"""

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.errors import TooManyRequests, problem_response
from app.ratelimit import Budget, Verdict, app_limiter, client_ip, ip_bucket, key_bucket

LIMITED_PREFIX = "/v1/"
BUDGET_FIELDS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")

Headers = Iterable[tuple[bytes, bytes]]


def bearer_token(headers: Headers) -> str | None:
    """The bearer token of the Authorization header, if the request has one."""
    for name, value in headers:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
            return None
    return None


def rate_limit_headers(limit: int, verdict: Verdict) -> dict[str, str]:
    """The RateLimit-* fields of a counted request."""
    values = (limit, verdict.remaining, verdict.reset)
    return {name: str(value) for name, value in zip(BUDGET_FIELDS, values, strict=True)}


class ApiRateLimit:
    """Spends one request of the caller's budget per /v1 request; refuses (429) over budget."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.per_key = settings.api_rate_limit_per_minute
        self.anonymous = settings.api_rate_limit_per_minute_anonymous
        self.proxies = settings.trusted_proxies

    def budget(self, scope: Scope) -> Budget:
        """The budget this request draws from: its API key's, else its client address's."""
        headers = scope["headers"]
        token = bearer_token(headers)
        if token is not None:
            return Budget("this API key", f"api:key:{key_bucket(token)}", self.per_key)
        client = scope.get("client")
        forwarded = [v.decode("latin-1") for k, v in headers if k == b"x-forwarded-for"]
        address = client_ip(client[0] if client else None, forwarded, self.proxies)
        return Budget("this address", f"api:ip:{ip_bucket(address)}", self.anonymous)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(LIMITED_PREFIX):
            await self.app(scope, receive, send)
            return
        budget = self.budget(scope)
        if budget.limit <= 0:
            await self.app(scope, receive, send)
            return
        verdict = await app_limiter(scope["app"].state).spend([budget])
        if verdict.remaining is None:  # Redis is unavailable: not counted, so nothing to say
            await self.app(scope, receive, send)
            return
        fields = rate_limit_headers(budget.limit, verdict)
        if not verdict.allowed:
            error = TooManyRequests(
                f"Too many requests for {budget.owner} (at most {budget.limit} a minute); "
                f"try again in {verdict.retry_after} s.",
                headers={"Retry-After": str(verdict.retry_after), **fields},
            )
            await problem_response(error, scope["path"])(scope, receive, send)
            return
        extra = [(name.lower().encode(), value.encode()) for name, value in fields.items()]

        async def send_with_budget(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_budget)
