from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.widget_receipt import WidgetReceipt
from ...models.widget_submission import WidgetSubmission
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: WidgetSubmission,
    key: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    json_key: None | str | Unset
    if isinstance(key, Unset):
        json_key = UNSET
    else:
        json_key = key
    params["key"] = json_key

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/intake/widget",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WidgetReceipt | None:
    if response.status_code == 201:
        response_201 = WidgetReceipt.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[Problem | WidgetReceipt]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WidgetSubmission,
    key: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | WidgetReceipt]:
    """Submit Widget Request

     Raise a ticket from the in-product "?" widget, for a designated contact named by email.

    Called by browsers cross-origin with a publishable widget key (bearer or `?key=`), from the
    key's allowed origins only; rate limited per client address and per key (429 with
    Retry-After). Anyone else gets a 422 sending them to their designated contacts. The answer
    is a receipt: the ticket's number for the person to quote, nothing more — and for a live
    chat (`"mode": "chat"`, while support is there) the conversation token.

    Args:
        key (None | str | Unset): The widget key, for callers that cannot send Authorization; a
            browser's CORS preflight is answered by it.
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (WidgetSubmission): A request typed into the "?" widget by someone of the key's
            organization.

            Anything else (`priority`, `emergency`, `channel`, `created_at`, …) is refused with 422:
            the ticket gets the defaults, so a page cannot page the on-call team.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WidgetReceipt]
    """

    kwargs = _get_kwargs(
        body=body,
        key=key,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: WidgetSubmission,
    key: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | WidgetReceipt | None:
    """Submit Widget Request

     Raise a ticket from the in-product "?" widget, for a designated contact named by email.

    Called by browsers cross-origin with a publishable widget key (bearer or `?key=`), from the
    key's allowed origins only; rate limited per client address and per key (429 with
    Retry-After). Anyone else gets a 422 sending them to their designated contacts. The answer
    is a receipt: the ticket's number for the person to quote, nothing more — and for a live
    chat (`"mode": "chat"`, while support is there) the conversation token.

    Args:
        key (None | str | Unset): The widget key, for callers that cannot send Authorization; a
            browser's CORS preflight is answered by it.
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (WidgetSubmission): A request typed into the "?" widget by someone of the key's
            organization.

            Anything else (`priority`, `emergency`, `channel`, `created_at`, …) is refused with 422:
            the ticket gets the defaults, so a page cannot page the on-call team.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WidgetReceipt
    """

    return sync_detailed(
        client=client,
        body=body,
        key=key,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WidgetSubmission,
    key: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | WidgetReceipt]:
    """Submit Widget Request

     Raise a ticket from the in-product "?" widget, for a designated contact named by email.

    Called by browsers cross-origin with a publishable widget key (bearer or `?key=`), from the
    key's allowed origins only; rate limited per client address and per key (429 with
    Retry-After). Anyone else gets a 422 sending them to their designated contacts. The answer
    is a receipt: the ticket's number for the person to quote, nothing more — and for a live
    chat (`"mode": "chat"`, while support is there) the conversation token.

    Args:
        key (None | str | Unset): The widget key, for callers that cannot send Authorization; a
            browser's CORS preflight is answered by it.
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (WidgetSubmission): A request typed into the "?" widget by someone of the key's
            organization.

            Anything else (`priority`, `emergency`, `channel`, `created_at`, …) is refused with 422:
            the ticket gets the defaults, so a page cannot page the on-call team.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WidgetReceipt]
    """

    kwargs = _get_kwargs(
        body=body,
        key=key,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: WidgetSubmission,
    key: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | WidgetReceipt | None:
    """Submit Widget Request

     Raise a ticket from the in-product "?" widget, for a designated contact named by email.

    Called by browsers cross-origin with a publishable widget key (bearer or `?key=`), from the
    key's allowed origins only; rate limited per client address and per key (429 with
    Retry-After). Anyone else gets a 422 sending them to their designated contacts. The answer
    is a receipt: the ticket's number for the person to quote, nothing more — and for a live
    chat (`"mode": "chat"`, while support is there) the conversation token.

    Args:
        key (None | str | Unset): The widget key, for callers that cannot send Authorization; a
            browser's CORS preflight is answered by it.
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (WidgetSubmission): A request typed into the "?" widget by someone of the key's
            organization.

            Anything else (`priority`, `emergency`, `channel`, `created_at`, …) is refused with 422:
            the ticket gets the defaults, so a page cannot page the on-call team.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WidgetReceipt
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            key=key,
            idempotency_key=idempotency_key,
        )
    ).parsed
