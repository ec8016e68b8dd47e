from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.email_result import EmailResult
from ...models.problem import Problem
from ...models.receive_email_json_inbound_email import ReceiveEmailJsonInboundEmail
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: ReceiveEmailJsonInboundEmail | File | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/intake/email",
    }

    if isinstance(body, ReceiveEmailJsonInboundEmail):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "message/rfc822"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EmailResult | Problem | None:
    if response.status_code == 200:
        response_200 = EmailResult.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = EmailResult.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[EmailResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ReceiveEmailJsonInboundEmail | File | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[EmailResult | Problem]:
    """Receive Email

     A message from a designated contact opens a ticket (channel `email`); a reply that
    answers a message of a ticket's thread (`In-Reply-To`, then `References`) or names
    `[SUP-n]` adds a public comment; `EMERGENCY`, `ESCALATION` and `BUG REPORT` in the
    subject set intent. The same `message_id` never acts twice (`duplicate`). Auto-replies
    and bounces are `ignored`; a bounce (a delivery report, or `bounces` in JSON) marks the
    contacts it names as bouncing, so no more mail is sent to them. Anyone else is refused
    (422) and `intake.refused` is recorded. The body is JSON, or the raw message as
    `message/rfc822`: its text part (or HTML part as text) is read, and its attachments
    (up to 20, each within the attachment size limit, executables refused) become the
    ticket's or comment's files; all are listed by name and size in its text.

    Args:
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (ReceiveEmailJsonInboundEmail):
        body (File): The raw message (RFC 5322) as received, headers and all.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmailResult | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ReceiveEmailJsonInboundEmail | File | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> EmailResult | Problem | None:
    """Receive Email

     A message from a designated contact opens a ticket (channel `email`); a reply that
    answers a message of a ticket's thread (`In-Reply-To`, then `References`) or names
    `[SUP-n]` adds a public comment; `EMERGENCY`, `ESCALATION` and `BUG REPORT` in the
    subject set intent. The same `message_id` never acts twice (`duplicate`). Auto-replies
    and bounces are `ignored`; a bounce (a delivery report, or `bounces` in JSON) marks the
    contacts it names as bouncing, so no more mail is sent to them. Anyone else is refused
    (422) and `intake.refused` is recorded. The body is JSON, or the raw message as
    `message/rfc822`: its text part (or HTML part as text) is read, and its attachments
    (up to 20, each within the attachment size limit, executables refused) become the
    ticket's or comment's files; all are listed by name and size in its text.

    Args:
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (ReceiveEmailJsonInboundEmail):
        body (File): The raw message (RFC 5322) as received, headers and all.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmailResult | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReceiveEmailJsonInboundEmail | File | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[EmailResult | Problem]:
    """Receive Email

     A message from a designated contact opens a ticket (channel `email`); a reply that
    answers a message of a ticket's thread (`In-Reply-To`, then `References`) or names
    `[SUP-n]` adds a public comment; `EMERGENCY`, `ESCALATION` and `BUG REPORT` in the
    subject set intent. The same `message_id` never acts twice (`duplicate`). Auto-replies
    and bounces are `ignored`; a bounce (a delivery report, or `bounces` in JSON) marks the
    contacts it names as bouncing, so no more mail is sent to them. Anyone else is refused
    (422) and `intake.refused` is recorded. The body is JSON, or the raw message as
    `message/rfc822`: its text part (or HTML part as text) is read, and its attachments
    (up to 20, each within the attachment size limit, executables refused) become the
    ticket's or comment's files; all are listed by name and size in its text.

    Args:
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (ReceiveEmailJsonInboundEmail):
        body (File): The raw message (RFC 5322) as received, headers and all.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmailResult | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ReceiveEmailJsonInboundEmail | File | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> EmailResult | Problem | None:
    """Receive Email

     A message from a designated contact opens a ticket (channel `email`); a reply that
    answers a message of a ticket's thread (`In-Reply-To`, then `References`) or names
    `[SUP-n]` adds a public comment; `EMERGENCY`, `ESCALATION` and `BUG REPORT` in the
    subject set intent. The same `message_id` never acts twice (`duplicate`). Auto-replies
    and bounces are `ignored`; a bounce (a delivery report, or `bounces` in JSON) marks the
    contacts it names as bouncing, so no more mail is sent to them. Anyone else is refused
    (422) and `intake.refused` is recorded. The body is JSON, or the raw message as
    `message/rfc822`: its text part (or HTML part as text) is read, and its attachments
    (up to 20, each within the attachment size limit, executables refused) become the
    ticket's or comment's files; all are listed by name and size in its text.

    Args:
        idempotency_key (None | str | Unset): Retries with the same key and body within 24 h
            return the first response.
        body (ReceiveEmailJsonInboundEmail):
        body (File): The raw message (RFC 5322) as received, headers and all.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmailResult | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
