from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.availability import Availability
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    key: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_key: None | str | Unset
    if isinstance(key, Unset):
        json_key = UNSET
    else:
        json_key = key
    params["key"] = json_key

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/intake/widget/availability",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Availability | Problem | None:
    if response.status_code == 200:
        response_200 = Availability.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Availability | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    key: None | str | Unset = UNSET,
) -> Response[Availability | Problem]:
    """Get Widget Availability

     What the widget shows under its button: whether support is there now ("We're online"),
    or when a request sent now would be answered ("We'll reply by Tue 11:00"). Same answer as
    GET /v1/availability, for the widget key's organization.

    Args:
        key (None | str | Unset): The widget key (publishable).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Availability | Problem]
    """

    kwargs = _get_kwargs(
        key=key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    key: None | str | Unset = UNSET,
) -> Availability | Problem | None:
    """Get Widget Availability

     What the widget shows under its button: whether support is there now ("We're online"),
    or when a request sent now would be answered ("We'll reply by Tue 11:00"). Same answer as
    GET /v1/availability, for the widget key's organization.

    Args:
        key (None | str | Unset): The widget key (publishable).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Availability | Problem
    """

    return sync_detailed(
        client=client,
        key=key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    key: None | str | Unset = UNSET,
) -> Response[Availability | Problem]:
    """Get Widget Availability

     What the widget shows under its button: whether support is there now ("We're online"),
    or when a request sent now would be answered ("We'll reply by Tue 11:00"). Same answer as
    GET /v1/availability, for the widget key's organization.

    Args:
        key (None | str | Unset): The widget key (publishable).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Availability | Problem]
    """

    kwargs = _get_kwargs(
        key=key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    key: None | str | Unset = UNSET,
) -> Availability | Problem | None:
    """Get Widget Availability

     What the widget shows under its button: whether support is there now ("We're online"),
    or when a request sent now would be answered ("We'll reply by Tue 11:00"). Same answer as
    GET /v1/availability, for the widget key's organization.

    Args:
        key (None | str | Unset): The widget key (publishable).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Availability | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            key=key,
        )
    ).parsed
