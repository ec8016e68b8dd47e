from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.sla_policy_table import SlaPolicyTable
from ...models.sla_policy_table_out import SlaPolicyTableOut
from ...types import Response


def _get_kwargs(
    *,
    body: SlaPolicyTable,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/sla-policies",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SlaPolicyTableOut | None:
    if response.status_code == 200:
        response_200 = SlaPolicyTableOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
) -> Response[Problem | SlaPolicyTableOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SlaPolicyTable,
) -> Response[Problem | SlaPolicyTableOut]:
    """Replace Sla Policies

     Replace the whole table; open tickets' clocks are recomputed by the workers.

    Args:
        body (SlaPolicyTable): The whole policy table; every plan x priority needs first_response
            and resolution.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SlaPolicyTableOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SlaPolicyTable,
) -> Problem | SlaPolicyTableOut | None:
    """Replace Sla Policies

     Replace the whole table; open tickets' clocks are recomputed by the workers.

    Args:
        body (SlaPolicyTable): The whole policy table; every plan x priority needs first_response
            and resolution.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SlaPolicyTableOut
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SlaPolicyTable,
) -> Response[Problem | SlaPolicyTableOut]:
    """Replace Sla Policies

     Replace the whole table; open tickets' clocks are recomputed by the workers.

    Args:
        body (SlaPolicyTable): The whole policy table; every plan x priority needs first_response
            and resolution.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SlaPolicyTableOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SlaPolicyTable,
) -> Problem | SlaPolicyTableOut | None:
    """Replace Sla Policies

     Replace the whole table; open tickets' clocks are recomputed by the workers.

    Args:
        body (SlaPolicyTable): The whole policy table; every plan x priority needs first_response
            and resolution.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SlaPolicyTableOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
