from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agent_list import AgentList
from ...models.problem import Problem
from ...models.role import Role
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    role: Role | Unset = UNSET,
    active: bool | Unset = UNSET,
    expertise: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_role: str | Unset = UNSET
    if not isinstance(role, Unset):
        json_role = role.value

    params["role"] = json_role

    params["active"] = active

    json_expertise: None | str | Unset
    if isinstance(expertise, Unset):
        json_expertise = UNSET
    else:
        json_expertise = expertise
    params["expertise"] = json_expertise

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/agents",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AgentList | Problem | None:
    if response.status_code == 200:
        response_200 = AgentList.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AgentList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    role: Role | Unset = UNSET,
    active: bool | Unset = UNSET,
    expertise: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[AgentList | Problem]:
    """List Agents

     Agents, newest first.

    Args:
        role (Role | Unset):
        active (bool | Unset):
        expertise (None | str | Unset):
        limit (int | Unset): Page size (default 50, max 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentList | Problem]
    """

    kwargs = _get_kwargs(
        role=role,
        active=active,
        expertise=expertise,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    role: Role | Unset = UNSET,
    active: bool | Unset = UNSET,
    expertise: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> AgentList | Problem | None:
    """List Agents

     Agents, newest first.

    Args:
        role (Role | Unset):
        active (bool | Unset):
        expertise (None | str | Unset):
        limit (int | Unset): Page size (default 50, max 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentList | Problem
    """

    return sync_detailed(
        client=client,
        role=role,
        active=active,
        expertise=expertise,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    role: Role | Unset = UNSET,
    active: bool | Unset = UNSET,
    expertise: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[AgentList | Problem]:
    """List Agents

     Agents, newest first.

    Args:
        role (Role | Unset):
        active (bool | Unset):
        expertise (None | str | Unset):
        limit (int | Unset): Page size (default 50, max 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentList | Problem]
    """

    kwargs = _get_kwargs(
        role=role,
        active=active,
        expertise=expertise,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    role: Role | Unset = UNSET,
    active: bool | Unset = UNSET,
    expertise: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> AgentList | Problem | None:
    """List Agents

     Agents, newest first.

    Args:
        role (Role | Unset):
        active (bool | Unset):
        expertise (None | str | Unset):
        limit (int | Unset): Page size (default 50, max 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            role=role,
            active=active,
            expertise=expertise,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
