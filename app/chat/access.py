"""A live chat's browser on the routes its conversation token opens: its ticket's comments,
its ticket's stream and ending the chat, with CORS for the widget key's origins and the
widget's rate limits. Everything else answers the token 401, as an unknown key."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials

from app.api_keys.models import KeyKind
from app.chat import service as chat
from app.db import StreamingRoute, UnitOfWorkRoute, get_session
from app.errors import Forbidden, Unauthorized, problem_response
from app.intake import cors
from app.security import Principal, authenticate, bearer, require

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
QUERY = "conversation_token"
METHODS = "GET, POST"


def caller(*kinds: KeyKind) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """`requires(*kinds)`, or a conversation token on the ticket the request names."""

    async def dependency(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
        session=Depends(get_session),
    ) -> Principal:
        token = credentials.credentials if credentials else None
        if not chat.is_token(token):
            return require(await authenticate(request, credentials, session), *kinds)
        principal = await chat.principal_of(session, str(token))
        if principal is None:
            raise Unauthorized(
                "This chat has expired; start a new one or send your request with the form.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        named = request.path_params.get("ticket_id") or request.query_params.get("ticket_id")
        if str(named) != str(principal.conversation_ticket_id):
            raise Forbidden("A chat's token reaches its own ticket only (name it: ticket_id).")
        request.state.principal = principal
        return principal

    return dependency


def chat_edge(handler: Handler) -> Handler:
    """For a request with a conversation token (bearer or `?conversation_token=`): the
    widget's budgets and CORS for the chat's origins. Other callers pass straight through."""
    return cors.edge(handler, query=QUERY, prefix=chat.TOKEN_PREFIX, applies=_with_token)


def _with_token(request: Request) -> bool:
    return chat.is_token(cors.presented_key(request))


class ChatRoute(UnitOfWorkRoute):
    def get_route_handler(self) -> Handler:
        return chat_edge(super().get_route_handler())


class ChatStreamRoute(StreamingRoute):
    def get_route_handler(self) -> Handler:
        return chat_edge(super().get_route_handler())


async def preflight(request: Request) -> Response:
    """A CORS preflight for a chat's request, answered for the origins of its widget key."""
    limited = await cors.over_budget(request)
    if limited is not None:
        return limited
    token = request.query_params.get(QUERY)
    principal = None
    if chat.is_token(token):
        async with request.app.state.sessions() as session:
            principal = await chat.principal_of(session, str(token))
    origin = request.headers.get("origin")
    if not cors.allows(principal, origin):
        response = problem_response(
            Forbidden("This page's origin may not use this chat."), request.url.path
        )
        response.headers.add_vary_header("Origin")
        return response
    return cors.preflight_answer(str(origin), METHODS)
