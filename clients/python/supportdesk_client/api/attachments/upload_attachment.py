from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.attachment_out import AttachmentOut
from ...models.problem import Problem
from ...models.upload_attachment_body import UploadAttachmentBody
from ...types import Response


def _get_kwargs(
    *,
    body: UploadAttachmentBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/attachments",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AttachmentOut | Problem | None:
    if response.status_code == 201:
        response_201 = AttachmentOut.from_dict(response.json())

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
) -> Response[AttachmentOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadAttachmentBody,
) -> Response[AttachmentOut | Problem]:
    """Upload Attachment

     Upload one file (multipart/form-data, field `file`), streamed into storage. Its type is
    sniffed from the content; executables and scripts are refused (415), files over
    SUPPORTDESK_MAX_ATTACHMENT_BYTES too (413, nothing kept). Bind it with `attachment_ids`
    when creating a ticket or comment within 24 hours, or it is deleted.

    Args:
        body (UploadAttachmentBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttachmentOut | Problem]
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
    body: UploadAttachmentBody,
) -> AttachmentOut | Problem | None:
    """Upload Attachment

     Upload one file (multipart/form-data, field `file`), streamed into storage. Its type is
    sniffed from the content; executables and scripts are refused (415), files over
    SUPPORTDESK_MAX_ATTACHMENT_BYTES too (413, nothing kept). Bind it with `attachment_ids`
    when creating a ticket or comment within 24 hours, or it is deleted.

    Args:
        body (UploadAttachmentBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttachmentOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadAttachmentBody,
) -> Response[AttachmentOut | Problem]:
    """Upload Attachment

     Upload one file (multipart/form-data, field `file`), streamed into storage. Its type is
    sniffed from the content; executables and scripts are refused (415), files over
    SUPPORTDESK_MAX_ATTACHMENT_BYTES too (413, nothing kept). Bind it with `attachment_ids`
    when creating a ticket or comment within 24 hours, or it is deleted.

    Args:
        body (UploadAttachmentBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttachmentOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: UploadAttachmentBody,
) -> AttachmentOut | Problem | None:
    """Upload Attachment

     Upload one file (multipart/form-data, field `file`), streamed into storage. Its type is
    sniffed from the content; executables and scripts are refused (415), files over
    SUPPORTDESK_MAX_ATTACHMENT_BYTES too (413, nothing kept). Bind it with `attachment_ids`
    when creating a ticket or comment within 24 hours, or it is deleted.

    Args:
        body (UploadAttachmentBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttachmentOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
