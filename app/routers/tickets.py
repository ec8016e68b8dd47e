"""/v1/tickets"""

import uuid
from typing import Annotated

from fastapi import Depends, Query, Response

from app.db import get_session, one_statement, reads_only
from app.errors import Unauthorized, problem_responses
from app.http import IfMatch, expected_version, set_etag
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.schemas import Instant, Maybe, NoNulText
from app.security import NOT_WIDGET, Principal, requires, requires_if_sent
from app.sla import explain as sla_explain
from app.sla.schemas import TicketSlaReport
from app.tickets import flows, problems, satisfaction, service, split_merge
from app.tickets.lifecycle import Status
from app.tickets.models import Category, Priority
from app.tickets.present import page_json, present, present_one, present_rows
from app.tickets.schemas import (
    LinkRequest,
    MergeRequest,
    SatisfactionCreate,
    SlaFilter,
    SplitRequest,
    TicketCreate,
    TicketList,
    TicketOut,
    TicketSort,
    TicketUpdate,
    Transition,
)

router = resource_router("/v1/tickets", "tickets")
# Widget keys only raise tickets, through /v1/intake/widget (Origin check, rate limits, a
# narrow body); every route here refuses them before validating the body.
Caller = Depends(requires(*NOT_WIDGET))


@router.post(
    "",
    status_code=201,
    operation_id="create_ticket",
    responses=problem_responses(401, 403, 409, 413, 422),
)
@one_statement
async def create_ticket(
    body: TicketCreate,
    response: Response,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> TicketOut:
    """Raise a ticket for a designated contact (implied for contact keys)."""
    ticket = await flows.create(session, principal=principal, data=body)
    set_etag(response, ticket.version)
    response.headers["Location"] = f"/v1/tickets/{ticket.id}"
    return await present_one(session, ticket)


@router.get(
    "",
    operation_id="list_tickets",
    response_model=TicketList,
    responses=problem_responses(401, 403, 422),
)
@reads_only
async def list_tickets(
    status: Annotated[Maybe(list[Status]), Query(max_length=8)] = None,
    priority: Annotated[Maybe(list[Priority]), Query(max_length=4)] = None,
    category: Annotated[Maybe(list[Category]), Query(max_length=8)] = None,
    organization_id: Maybe(uuid.UUID) = None,
    assignee_id: Maybe(uuid.UUID) = None,
    requester_id: Maybe(uuid.UUID) = None,
    sla: Maybe(SlaFilter) = None,
    q: Annotated[Maybe(NoNulText), Query(min_length=1, max_length=200)] = None,
    created_after: Maybe(Instant) = None,
    created_before: Maybe(Instant) = None,
    sort: Annotated[
        TicketSort,
        Query(
            description="`newest` first (default), or `urgency`: the work order — most "
            "urgent SLA first, then the client's queue position, then oldest."
        ),
    ] = TicketSort.newest,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> Response:
    """Tickets you may see, newest first or in work order; repeat status/priority/category to
    match any."""
    filters = {
        "status": status,
        "priority": priority,
        "category": category,
        "organization_id": organization_id,
        "assignee_id": assignee_id,
        "requester_id": requester_id,
        "sla": sla,
        "q": q,
        "created_after": created_after,
        "created_before": created_before,
        "sort": sort,
    }
    rows, next_cursor = await service.list_visible(
        session, principal=principal, filters=filters, cursor=cursor, limit=limit
    )
    # The page is validated and written by TicketList itself (present.page_json), once.
    return Response(page_json(rows, next_cursor), media_type="application/json")


@router.get(
    "/{ticket_id}", operation_id="get_ticket", responses=problem_responses(401, 403, 404, 422)
)
async def get_ticket(
    ticket_id: uuid.UUID,
    response: Response,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> TicketOut:
    """One ticket."""
    ticket = await service.get_visible(session, principal=principal, ticket_id=ticket_id)
    set_etag(response, ticket.version)
    return await present_one(session, ticket)


@router.patch(
    "/{ticket_id}",
    operation_id="update_ticket",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422),
)
async def update_ticket(
    ticket_id: uuid.UUID,
    body: TicketUpdate,
    response: Response,
    if_match: IfMatch = None,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> TicketOut:
    """Change a ticket; clients may edit its content, staff also its assignee."""
    ticket = await flows.update(
        session,
        principal=principal,
        ticket_id=ticket_id,
        data=body,
        expected_version=expected_version(if_match),
    )
    set_etag(response, ticket.version)
    return await present_one(session, ticket)


@router.post(
    "/{ticket_id}/transitions",
    operation_id="transition_ticket",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def transition_ticket(
    ticket_id: uuid.UUID,
    body: Transition,
    response: Response,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> TicketOut:
    """Move a ticket through its lifecycle; 409 when the move does not exist. Resolving a
    problem resolves its open incidents too."""
    ticket = await flows.transition(
        session, principal=principal, ticket_id=ticket_id, target=body.to, reason=body.reason
    )
    set_etag(response, ticket.version)
    return await present_one(session, ticket)


@router.get(
    "/{ticket_id}/sla",
    operation_id="get_ticket_sla",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_ticket_sla(
    ticket_id: uuid.UUID,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> TicketSlaReport:
    """Each clock: target, due time, elapsed and remaining time, state, and its segments."""
    return await sla_explain.report(session, principal=principal, ticket_id=ticket_id)


@router.post(
    "/{ticket_id}/split",
    status_code=201,
    operation_id="split_ticket",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def split_ticket(
    ticket_id: uuid.UUID,
    body: SplitRequest,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> TicketList:
    """One issue per ticket: a new linked ticket per part, each with its own SLA clocks and a
    `ticket.split` event; the original stays as it is."""
    created = await flows.split(session, principal=principal, ticket_id=ticket_id, data=body)
    return TicketList(data=await present(session, created), next_cursor=None)


@router.post(
    "/{ticket_id}/merge",
    operation_id="merge_ticket",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def merge_ticket(
    ticket_id: uuid.UUID,
    body: MergeRequest,
    response: Response,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> TicketOut:
    """Close this ticket as a duplicate of `into`: its comments and links move there and
    `into` records `ticket.merged`. The answer is the ticket that stays."""
    target = await split_merge.merge(
        session, principal=principal, ticket_id=ticket_id, into=body.into
    )
    set_etag(response, target.version)
    return await present_one(session, target)


@router.post(
    "/{ticket_id}/satisfaction",
    status_code=201,
    operation_id="rate_ticket",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def rate_ticket(
    ticket_id: uuid.UUID,
    body: SatisfactionCreate,
    response: Response,
    principal: Principal | None = Depends(requires_if_sent(*NOT_WIDGET)),
    session=Depends(get_session),
) -> TicketOut:
    """The requester rates the resolved ticket 1-5 with an optional comment, once: with their
    key, or with no key and the `token` of the rating link mailed with the resolution."""
    if principal is not None:
        ticket = await satisfaction.rate(
            session, principal=principal, ticket_id=ticket_id, data=body
        )
    elif body.token:
        ticket = await satisfaction.rate_with_token(
            session, ticket_id=ticket_id, token=body.token, data=body
        )
    else:
        raise Unauthorized(
            "Send an API key as `Authorization: Bearer <key>`, or the rating link's `token`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    set_etag(response, ticket.version)
    return await present_one(session, ticket)


@router.post(
    "/{ticket_id}/link",
    operation_id="link_ticket",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def link_ticket(
    ticket_id: uuid.UUID,
    body: LinkRequest,
    response: Response,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> TicketOut:
    """Staff: make this ticket an incident of the problem ticket `problem_id`, which may be
    another organization's (one outage, many clients); records `ticket.linked`."""
    ticket = await problems.link(
        session, principal=principal, ticket_id=ticket_id, problem_id=body.problem_id
    )
    set_etag(response, ticket.version)
    return await present_one(session, ticket)


@router.delete(
    "/{ticket_id}/link",
    operation_id="unlink_ticket",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def unlink_ticket(
    ticket_id: uuid.UUID,
    response: Response,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> TicketOut:
    """Staff: this ticket is no longer an incident of its problem; records `ticket.linked`."""
    ticket = await problems.unlink(session, principal=principal, ticket_id=ticket_id)
    set_etag(response, ticket.version)
    return await present_one(session, ticket)


@router.get(
    "/{ticket_id}/incidents",
    operation_id="list_incidents",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_incidents(
    ticket_id: uuid.UUID,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> TicketList:
    """Staff: the incidents of a problem, of every organization, newest first."""
    rows, next_cursor = await problems.incidents(
        session, principal=principal, ticket_id=ticket_id, cursor=cursor, limit=limit
    )
    return TicketList(data=present_rows(rows), next_cursor=next_cursor)
