"""/v1/organizations"""

import uuid

from fastapi import Depends, Response

from app.api_keys.models import KeyKind
from app.db import get_session
from app.errors import problem_responses
from app.http import IfMatch, expected_version, set_etag
from app.organizations import service
from app.organizations.models import Plan
from app.organizations.schemas import (
    OrganizationCreate,
    OrganizationList,
    OrganizationOut,
    OrganizationUpdate,
)
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.schemas import Maybe
from app.security import Principal, requires, requires_in_organization
from app.tickets import queue
from app.tickets.schemas import QueueOut, QueueUpdate

router = resource_router("/v1/organizations", "organizations")
Admin = Depends(requires(KeyKind.admin))
Reader = Depends(requires(KeyKind.admin, KeyKind.integration, KeyKind.contact))
OrganizationAdmin = Depends(requires_in_organization(KeyKind.admin))
OrganizationReader = Depends(
    requires_in_organization(KeyKind.admin, KeyKind.integration, KeyKind.contact)
)


@router.post(
    "",
    status_code=201,
    operation_id="create_organization",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def create_organization(
    body: OrganizationCreate,
    response: Response,
    principal: Principal = Admin,
    session=Depends(get_session),
) -> OrganizationOut:
    """Add a client organization."""
    organization = await service.create(session, principal=principal, data=body)
    set_etag(response, organization.version)
    return OrganizationOut.model_validate(organization)


@router.get("", operation_id="list_organizations", responses=problem_responses(401, 403, 422))
async def list_organizations(
    plan: Maybe(Plan) = None,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Reader,
    session=Depends(get_session),
) -> OrganizationList:
    """Organizations, newest first (a client key sees its own)."""
    rows, next_cursor = await service.list_visible(
        session, principal=principal, plan=plan, cursor=cursor, limit=limit
    )
    return OrganizationList(
        data=[OrganizationOut.model_validate(row) for row in rows], next_cursor=next_cursor
    )


@router.get(
    "/{organization_id}",
    operation_id="get_organization",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_organization(
    organization_id: uuid.UUID,
    response: Response,
    principal: Principal = OrganizationReader,
    session=Depends(get_session),
) -> OrganizationOut:
    """One organization."""
    organization = await service.get_visible(
        session, principal=principal, organization_id=organization_id
    )
    set_etag(response, organization.version)
    return OrganizationOut.model_validate(organization)


@router.patch(
    "/{organization_id}",
    operation_id="update_organization",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422),
)
async def update_organization(
    organization_id: uuid.UUID,
    body: OrganizationUpdate,
    response: Response,
    if_match: IfMatch = None,
    principal: Principal = OrganizationAdmin,
    session=Depends(get_session),
) -> OrganizationOut:
    """Change an organization; send If-Match to refuse a stale write."""
    organization = await service.update(
        session,
        principal=principal,
        organization_id=organization_id,
        data=body,
        expected_version=expected_version(if_match),
    )
    set_etag(response, organization.version)
    return OrganizationOut.model_validate(organization)


QueueManager = Depends(
    requires_in_organization(KeyKind.admin, KeyKind.integration, KeyKind.contact)
)


@router.get(
    "/{organization_id}/queue",
    operation_id="get_organization_queue",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_organization_queue(
    organization_id: uuid.UUID, principal: Principal = QueueManager, session=Depends(get_session)
) -> QueueOut:
    """The client's order of its open requests (tickets without a position come after)."""
    await service.get_visible(session, principal=principal, organization_id=organization_id)
    ticket_ids = await queue.current(session, organization_id)
    return QueueOut(organization_id=organization_id, ticket_ids=ticket_ids)


@router.put(
    "/{organization_id}/queue",
    operation_id="set_organization_queue",
    responses=problem_responses(401, 403, 404, 413, 422),
)
async def set_organization_queue(
    organization_id: uuid.UUID,
    body: QueueUpdate,
    principal: Principal = QueueManager,
    session=Depends(get_session),
) -> QueueOut:
    """Put the organization's open requests in the order the client wants them worked on;
    routing and agents' work order follow it after SLA urgency."""
    await service.get_visible(session, principal=principal, organization_id=organization_id)
    ticket_ids = await queue.reorder(
        session, principal=principal, organization_id=organization_id, ticket_ids=body.ticket_ids
    )
    return QueueOut(organization_id=organization_id, ticket_ids=ticket_ids)
