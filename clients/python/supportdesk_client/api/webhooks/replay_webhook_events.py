from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.replay_request import ReplayRequest
from ...models.replay_result import ReplayResult
from ...types import UNSET, Response, Unset


def _get_kwargs(
    endpoint_id: UUID,
    *,
    body: ReplayRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhook-endpoints/{endpoint_id}/replay".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ReplayResult | None:
    if response.status_code == 202:
        response_202 = ReplayResult.from_dict(response.json())

        return response_202

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[Problem | ReplayResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    endpoint_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ReplayRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | ReplayResult]:
    """Replay Webhook Events

     Resend every event this endpoint would receive since a time, in order, with their
    original `webhook-id`s (receivers that dedupe drop what they already have). An endpoint
    is replayed at most once per cooldown (429), and never into more pending deliveries than
    the cap (409).

    Args:
        endpoint_id (UUID):
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (ReplayRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReplayResult]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    endpoint_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ReplayRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | ReplayResult | None:
    """Replay Webhook Events

     Resend every event this endpoint would receive since a time, in order, with their
    original `webhook-id`s (receivers that dedupe drop what they already have). An endpoint
    is replayed at most once per cooldown (429), and never into more pending deliveries than
    the cap (409).

    Args:
        endpoint_id (UUID):
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (ReplayRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReplayResult
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    endpoint_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ReplayRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | ReplayResult]:
    """Replay Webhook Events

     Resend every event this endpoint would receive since a time, in order, with their
    original `webhook-id`s (receivers that dedupe drop what they already have). An endpoint
    is replayed at most once per cooldown (429), and never into more pending deliveries than
    the cap (409).

    Args:
        endpoint_id (UUID):
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (ReplayRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReplayResult]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ReplayRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | ReplayResult | None:
    """Replay Webhook Events

     Resend every event this endpoint would receive since a time, in order, with their
    original `webhook-id`s (receivers that dedupe drop what they already have). An endpoint
    is replayed at most once per cooldown (429), and never into more pending deliveries than
    the cap (409).

    Args:
        endpoint_id (UUID):
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (ReplayRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReplayResult
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
