import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.category import Category
from ...models.priority import Priority
from ...models.problem import Problem
from ...models.sla_filter import SlaFilter
from ...models.status import Status
from ...models.ticket_list import TicketList
from ...models.ticket_sort import TicketSort
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: list[Status] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    category: list[Category] | Unset = UNSET,
    organization_id: UUID | Unset = UNSET,
    assignee_id: UUID | Unset = UNSET,
    requester_id: UUID | Unset = UNSET,
    sla: SlaFilter | Unset = UNSET,
    q: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    sort: TicketSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)

    params["status"] = json_status

    json_priority: list[str] | Unset = UNSET
    if not isinstance(priority, Unset):
        json_priority = []
        for priority_item_data in priority:
            priority_item = priority_item_data.value
            json_priority.append(priority_item)

    params["priority"] = json_priority

    json_category: list[str] | Unset = UNSET
    if not isinstance(category, Unset):
        json_category = []
        for category_item_data in category:
            category_item = category_item_data.value
            json_category.append(category_item)

    params["category"] = json_category

    json_organization_id: str | Unset = UNSET
    if not isinstance(organization_id, Unset):
        json_organization_id = str(organization_id)
    params["organization_id"] = json_organization_id

    json_assignee_id: str | Unset = UNSET
    if not isinstance(assignee_id, Unset):
        json_assignee_id = str(assignee_id)
    params["assignee_id"] = json_assignee_id

    json_requester_id: str | Unset = UNSET
    if not isinstance(requester_id, Unset):
        json_requester_id = str(requester_id)
    params["requester_id"] = json_requester_id

    json_sla: str | Unset = UNSET
    if not isinstance(sla, Unset):
        json_sla = sla.value

    params["sla"] = json_sla

    params["q"] = q

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

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
        "url": "/v1/tickets",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TicketList | None:
    if response.status_code == 200:
        response_200 = TicketList.from_dict(response.json())

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
) -> Response[Problem | TicketList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: list[Status] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    category: list[Category] | Unset = UNSET,
    organization_id: UUID | Unset = UNSET,
    assignee_id: UUID | Unset = UNSET,
    requester_id: UUID | Unset = UNSET,
    sla: SlaFilter | Unset = UNSET,
    q: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    sort: TicketSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | TicketList]:
    """List Tickets

     Tickets you may see, newest first or in work order; repeat status/priority/category to
    match any.

    Args:
        status (list[Status] | Unset):
        priority (list[Priority] | Unset):
        category (list[Category] | Unset):
        organization_id (UUID | Unset):
        assignee_id (UUID | Unset):
        requester_id (UUID | Unset):
        sla (SlaFilter | Unset):
        q (str | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        sort (TicketSort | Unset):
        limit (int | Unset): Page size (default 50, max 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketList]
    """

    kwargs = _get_kwargs(
        status=status,
        priority=priority,
        category=category,
        organization_id=organization_id,
        assignee_id=assignee_id,
        requester_id=requester_id,
        sla=sla,
        q=q,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
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
    status: list[Status] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    category: list[Category] | Unset = UNSET,
    organization_id: UUID | Unset = UNSET,
    assignee_id: UUID | Unset = UNSET,
    requester_id: UUID | Unset = UNSET,
    sla: SlaFilter | Unset = UNSET,
    q: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    sort: TicketSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Problem | TicketList | None:
    """List Tickets

     Tickets you may see, newest first or in work order; repeat status/priority/category to
    match any.

    Args:
        status (list[Status] | Unset):
        priority (list[Priority] | Unset):
        category (list[Category] | Unset):
        organization_id (UUID | Unset):
        assignee_id (UUID | Unset):
        requester_id (UUID | Unset):
        sla (SlaFilter | Unset):
        q (str | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        sort (TicketSort | Unset):
        limit (int | Unset): Page size (default 50, max 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketList
    """

    return sync_detailed(
        client=client,
        status=status,
        priority=priority,
        category=category,
        organization_id=organization_id,
        assignee_id=assignee_id,
        requester_id=requester_id,
        sla=sla,
        q=q,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: list[Status] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    category: list[Category] | Unset = UNSET,
    organization_id: UUID | Unset = UNSET,
    assignee_id: UUID | Unset = UNSET,
    requester_id: UUID | Unset = UNSET,
    sla: SlaFilter | Unset = UNSET,
    q: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    sort: TicketSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | TicketList]:
    """List Tickets

     Tickets you may see, newest first or in work order; repeat status/priority/category to
    match any.

    Args:
        status (list[Status] | Unset):
        priority (list[Priority] | Unset):
        category (list[Category] | Unset):
        organization_id (UUID | Unset):
        assignee_id (UUID | Unset):
        requester_id (UUID | Unset):
        sla (SlaFilter | Unset):
        q (str | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        sort (TicketSort | Unset):
        limit (int | Unset): Page size (default 50, max 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketList]
    """

    kwargs = _get_kwargs(
        status=status,
        priority=priority,
        category=category,
        organization_id=organization_id,
        assignee_id=assignee_id,
        requester_id=requester_id,
        sla=sla,
        q=q,
        created_after=created_after,
        created_before=created_before,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: list[Status] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    category: list[Category] | Unset = UNSET,
    organization_id: UUID | Unset = UNSET,
    assignee_id: UUID | Unset = UNSET,
    requester_id: UUID | Unset = UNSET,
    sla: SlaFilter | Unset = UNSET,
    q: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    sort: TicketSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Problem | TicketList | None:
    """List Tickets

     Tickets you may see, newest first or in work order; repeat status/priority/category to
    match any.

    Args:
        status (list[Status] | Unset):
        priority (list[Priority] | Unset):
        category (list[Category] | Unset):
        organization_id (UUID | Unset):
        assignee_id (UUID | Unset):
        requester_id (UUID | Unset):
        sla (SlaFilter | Unset):
        q (str | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        sort (TicketSort | Unset):
        limit (int | Unset): Page size (default 50, max 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketList
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            priority=priority,
            category=category,
            organization_id=organization_id,
            assignee_id=assignee_id,
            requester_id=requester_id,
            sla=sla,
            q=q,
            created_after=created_after,
            created_before=created_before,
            sort=sort,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
