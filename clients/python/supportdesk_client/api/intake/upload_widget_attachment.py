from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.attachment_out import AttachmentOut
from ...models.problem import Problem
from ...models.upload_widget_attachment_body import UploadWidgetAttachmentBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UploadWidgetAttachmentBody,
    key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

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
        "url": "/v1/intake/widget/attachments",
        "params": params,
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
    body: UploadWidgetAttachmentBody,
    key: None | str | Unset = UNSET,
) -> Response[AttachmentOut | Problem]:
    """Upload Widget Attachment

     Upload a file from the widget (a screenshot, a recording) before sending the request:
    multipart/form-data, field `file`, with the same types and size limit as
    POST /v1/attachments and the widget's origin check and rate limits. Only this widget key
    can bind it, with `attachment_ids` on POST /v1/intake/widget, within 24 hours.

    Args:
        key (None | str | Unset): The widget key, for callers that cannot send Authorization; a
            browser's CORS preflight is answered by it.
        body (UploadWidgetAttachmentBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttachmentOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        key=key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: UploadWidgetAttachmentBody,
    key: None | str | Unset = UNSET,
) -> AttachmentOut | Problem | None:
    """Upload Widget Attachment

     Upload a file from the widget (a screenshot, a recording) before sending the request:
    multipart/form-data, field `file`, with the same types and size limit as
    POST /v1/attachments and the widget's origin check and rate limits. Only this widget key
    can bind it, with `attachment_ids` on POST /v1/intake/widget, within 24 hours.

    Args:
        key (None | str | Unset): The widget key, for callers that cannot send Authorization; a
            browser's CORS preflight is answered by it.
        body (UploadWidgetAttachmentBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttachmentOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        key=key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadWidgetAttachmentBody,
    key: None | str | Unset = UNSET,
) -> Response[AttachmentOut | Problem]:
    """Upload Widget Attachment

     Upload a file from the widget (a screenshot, a recording) before sending the request:
    multipart/form-data, field `file`, with the same types and size limit as
    POST /v1/attachments and the widget's origin check and rate limits. Only this widget key
    can bind it, with `attachment_ids` on POST /v1/intake/widget, within 24 hours.

    Args:
        key (None | str | Unset): The widget key, for callers that cannot send Authorization; a
            browser's CORS preflight is answered by it.
        body (UploadWidgetAttachmentBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttachmentOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        key=key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: UploadWidgetAttachmentBody,
    key: None | str | Unset = UNSET,
) -> AttachmentOut | Problem | None:
    """Upload Widget Attachment

     Upload a file from the widget (a screenshot, a recording) before sending the request:
    multipart/form-data, field `file`, with the same types and size limit as
    POST /v1/attachments and the widget's origin check and rate limits. Only this widget key
    can bind it, with `attachment_ids` on POST /v1/intake/widget, within 24 hours.

    Args:
        key (None | str | Unset): The widget key, for callers that cannot send Authorization; a
            browser's CORS preflight is answered by it.
        body (UploadWidgetAttachmentBody):

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
            key=key,
        )
    ).parsed
