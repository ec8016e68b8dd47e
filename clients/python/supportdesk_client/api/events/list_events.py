from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.feed_page import FeedPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: None | str | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_types: list[str] | Unset = UNSET
    if not isinstance(types, Unset):
        json_types = types

    params["types"] = json_types

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FeedPage | Problem | None:
    if response.status_code == 200:
        response_200 = FeedPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[FeedPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cursor: None | str | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[FeedPage | Problem]:
    """List Events

     Every event in commit order from a cursor, without gaps or repeats: a consumer that
    was offline continues from its last `next_cursor`. Integration keys get their
    organization's client-facing events, as clients see them: no assignment score
    breakdowns or refusals, and no staff key ids.

    Args:
        cursor (None | str | Unset): `next_cursor` from the previous page.
        types (list[str] | Unset): Only these event types (repeat the parameter or separate with
            commas).
        limit (int | Unset): Page size (default 50, max 200). Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeedPage | Problem]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        types=types,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    cursor: None | str | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    limit: int | Unset = 50,
) -> FeedPage | Problem | None:
    """List Events

     Every event in commit order from a cursor, without gaps or repeats: a consumer that
    was offline continues from its last `next_cursor`. Integration keys get their
    organization's client-facing events, as clients see them: no assignment score
    breakdowns or refusals, and no staff key ids.

    Args:
        cursor (None | str | Unset): `next_cursor` from the previous page.
        types (list[str] | Unset): Only these event types (repeat the parameter or separate with
            commas).
        limit (int | Unset): Page size (default 50, max 200). Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeedPage | Problem
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        types=types,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cursor: None | str | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[FeedPage | Problem]:
    """List Events

     Every event in commit order from a cursor, without gaps or repeats: a consumer that
    was offline continues from its last `next_cursor`. Integration keys get their
    organization's client-facing events, as clients see them: no assignment score
    breakdowns or refusals, and no staff key ids.

    Args:
        cursor (None | str | Unset): `next_cursor` from the previous page.
        types (list[str] | Unset): Only these event types (repeat the parameter or separate with
            commas).
        limit (int | Unset): Page size (default 50, max 200). Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeedPage | Problem]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        types=types,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cursor: None | str | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    limit: int | Unset = 50,
) -> FeedPage | Problem | None:
    """List Events

     Every event in commit order from a cursor, without gaps or repeats: a consumer that
    was offline continues from its last `next_cursor`. Integration keys get their
    organization's client-facing events, as clients see them: no assignment score
    breakdowns or refusals, and no staff key ids.

    Args:
        cursor (None | str | Unset): `next_cursor` from the previous page.
        types (list[str] | Unset): Only these event types (repeat the parameter or separate with
            commas).
        limit (int | Unset): Page size (default 50, max 200). Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeedPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            types=types,
            limit=limit,
        )
    ).parsed
