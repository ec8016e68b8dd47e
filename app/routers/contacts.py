"""/v1/organizations/{organization_id}/contacts"""

import uuid

from fastapi import Depends, Query, Response

from app.api_keys.models import KeyKind
from app.db import get_session
from app.errors import problem_responses
from app.http import IfMatch, expected_version, set_etag
from app.organizations import contacts as service
from app.organizations.schemas import ContactCreate, ContactList, ContactOut, ContactUpdate
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.schemas import Maybe, NoNulText
from app.security import Principal, requires_in_organization

router = resource_router("/v1/organizations/{organization_id}/contacts", "contacts")
Manager = Depends(requires_in_organization(KeyKind.admin, KeyKind.integration))


@router.post(
    "",
    status_code=201,
    operation_id="create_contact",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def create_contact(
    organization_id: uuid.UUID,
    body: ContactCreate,
    response: Response,
    principal: Principal = Manager,
    session=Depends(get_session),
) -> ContactOut:
    """Add a contact; `designated` ones may raise tickets (at most 5 per organization)."""
    contact = await service.create(
        session, principal=principal, organization_id=organization_id, data=body
    )
    set_etag(response, contact.version)
    return ContactOut.model_validate(contact)


@router.get("", operation_id="list_contacts", responses=problem_responses(401, 403, 404, 422))
async def list_contacts(
    organization_id: uuid.UUID,
    designated: Maybe(bool) = None,
    email: Maybe(NoNulText) = Query(default=None, max_length=320),
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Manager,
    session=Depends(get_session),
) -> ContactList:
    """An organization's contacts, newest first."""
    rows, next_cursor = await service.list_contacts(
        session,
        principal=principal,
        organization_id=organization_id,
        designated=designated,
        email=email,
        cursor=cursor,
        limit=limit,
    )
    return ContactList(
        data=[ContactOut.model_validate(row) for row in rows], next_cursor=next_cursor
    )


@router.patch(
    "/{contact_id}",
    operation_id="update_contact",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422),
)
async def update_contact(
    organization_id: uuid.UUID,
    contact_id: uuid.UUID,
    body: ContactUpdate,
    response: Response,
    if_match: IfMatch = None,
    principal: Principal = Depends(
        requires_in_organization(KeyKind.admin, KeyKind.integration, KeyKind.contact)
    ),
    session=Depends(get_session),
) -> ContactOut:
    """Change a contact, e.g. designate them (409 past the organization's limit), set how much
    mail they get (their own key may do that), or clear a bouncing address (admin)."""
    contact = await service.update(
        session,
        principal=principal,
        organization_id=organization_id,
        contact_id=contact_id,
        data=body,
        expected_version=expected_version(if_match),
    )
    set_etag(response, contact.version)
    return ContactOut.model_validate(contact)


@router.delete(
    "/{contact_id}",
    status_code=204,
    operation_id="delete_contact",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_contact(
    organization_id: uuid.UUID,
    contact_id: uuid.UUID,
    principal: Principal = Manager,
    session=Depends(get_session),
) -> Response:
    """Remove a contact; their tickets stay, their keys are revoked."""
    await service.delete(
        session, principal=principal, organization_id=organization_id, contact_id=contact_id
    )
    return Response(status_code=204)
