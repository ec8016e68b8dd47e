from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.stream_message import StreamMessage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    types: list[str] | Unset = UNSET,
    ticket_id: UUID | Unset = UNSET,
    cursor: str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id

    params: dict[str, Any] = {}

    json_types: list[str] | Unset = UNSET
    if not isinstance(types, Unset):
        json_types = types

    params["types"] = json_types

    json_ticket_id: str | Unset = UNSET
    if not isinstance(ticket_id, Unset):
        json_ticket_id = str(ticket_id)
    params["ticket_id"] = json_ticket_id

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/stream",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | StreamMessage | None:
    if response.status_code == 200:
        response_200 = StreamMessage.from_dict(response.text)

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | StreamMessage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    types: list[str] | Unset = UNSET,
    ticket_id: UUID | Unset = UNSET,
    cursor: str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,
) -> Response[Problem | StreamMessage]:
    """Open Stream

     The change feed as it happens, scoped like the feed and the timeline (clients see their
    organization's client-facing events; staff everything). Resume with `Last-Event-ID` (or
    `cursor`): everything after that position is replayed from the feed, then live events
    follow, without a gap or a repeat. Filter with `types` and `ticket_id`. A live chat's
    browser streams its own ticket with `?ticket_id=…&conversation_token=…` (EventSource
    cannot send headers). Staff streams also
    carry `ticket.presence` (who is viewing or replying to a ticket; not in the feed): its
    `data` lists everyone present, each until `expires_at` unless refreshed.

    Args:
        types (list[str] | Unset): Only these event types (repeat the parameter or separate with
            commas).
        ticket_id (UUID | Unset):
        cursor (str | Unset):
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StreamMessage]
    """

    kwargs = _get_kwargs(
        types=types,
        ticket_id=ticket_id,
        cursor=cursor,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    types: list[str] | Unset = UNSET,
    ticket_id: UUID | Unset = UNSET,
    cursor: str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,
) -> Problem | StreamMessage | None:
    """Open Stream

     The change feed as it happens, scoped like the feed and the timeline (clients see their
    organization's client-facing events; staff everything). Resume with `Last-Event-ID` (or
    `cursor`): everything after that position is replayed from the feed, then live events
    follow, without a gap or a repeat. Filter with `types` and `ticket_id`. A live chat's
    browser streams its own ticket with `?ticket_id=…&conversation_token=…` (EventSource
    cannot send headers). Staff streams also
    carry `ticket.presence` (who is viewing or replying to a ticket; not in the feed): its
    `data` lists everyone present, each until `expires_at` unless refreshed.

    Args:
        types (list[str] | Unset): Only these event types (repeat the parameter or separate with
            commas).
        ticket_id (UUID | Unset):
        cursor (str | Unset):
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StreamMessage
    """

    return sync_detailed(
        client=client,
        types=types,
        ticket_id=ticket_id,
        cursor=cursor,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    types: list[str] | Unset = UNSET,
    ticket_id: UUID | Unset = UNSET,
    cursor: str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,
) -> Response[Problem | StreamMessage]:
    """Open Stream

     The change feed as it happens, scoped like the feed and the timeline (clients see their
    organization's client-facing events; staff everything). Resume with `Last-Event-ID` (or
    `cursor`): everything after that position is replayed from the feed, then live events
    follow, without a gap or a repeat. Filter with `types` and `ticket_id`. A live chat's
    browser streams its own ticket with `?ticket_id=…&conversation_token=…` (EventSource
    cannot send headers). Staff streams also
    carry `ticket.presence` (who is viewing or replying to a ticket; not in the feed): its
    `data` lists everyone present, each until `expires_at` unless refreshed.

    Args:
        types (list[str] | Unset): Only these event types (repeat the parameter or separate with
            commas).
        ticket_id (UUID | Unset):
        cursor (str | Unset):
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StreamMessage]
    """

    kwargs = _get_kwargs(
        types=types,
        ticket_id=ticket_id,
        cursor=cursor,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    types: list[str] | Unset = UNSET,
    ticket_id: UUID | Unset = UNSET,
    cursor: str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,
) -> Problem | StreamMessage | None:
    """Open Stream

     The change feed as it happens, scoped like the feed and the timeline (clients see their
    organization's client-facing events; staff everything). Resume with `Last-Event-ID` (or
    `cursor`): everything after that position is replayed from the feed, then live events
    follow, without a gap or a repeat. Filter with `types` and `ticket_id`. A live chat's
    browser streams its own ticket with `?ticket_id=…&conversation_token=…` (EventSource
    cannot send headers). Staff streams also
    carry `ticket.presence` (who is viewing or replying to a ticket; not in the feed): its
    `data` lists everyone present, each until `expires_at` unless refreshed.

    Args:
        types (list[str] | Unset): Only these event types (repeat the parameter or separate with
            commas).
        ticket_id (UUID | Unset):
        cursor (str | Unset):
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StreamMessage
    """

    return (
        await asyncio_detailed(
            client=client,
            types=types,
            ticket_id=ticket_id,
            cursor=cursor,
            last_event_id=last_event_id,
        )
    ).parsed
