"""/v1/organizations/{organization_id}/pm"""

import uuid

from fastapi import Depends
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api_keys.models import KeyKind
from app.assignment import pm
from app.assignment.schemas import PmAssign, PmChangeRequestCreate, PmChangeRequestOut, PmView
from app.db import get_session
from app.errors import problem_responses
from app.routers import resource_router
from app.security import Principal, requires_in_organization

router = resource_router("/v1/organizations/{organization_id}/pm", "organizations")
Admin = Depends(requires_in_organization(KeyKind.admin))
Contact = Depends(requires_in_organization(KeyKind.contact))


@router.get("", operation_id="get_organization_pm", responses=problem_responses(401, 403, 404, 422))
async def get_organization_pm(
    organization_id: uuid.UUID, principal: Principal = Admin, session=Depends(get_session)
) -> PmView:
    """The dedicated PM with the score breakdown of the choice, or the wait for one."""
    return await _view(session, organization_id)


@router.post(
    "/assign",
    operation_id="assign_organization_pm",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def assign_organization_pm(
    organization_id: uuid.UUID,
    body: PmAssign,
    principal: Principal = Admin,
    session=Depends(get_session),
) -> PmView:
    """Set a PM explicitly (capacity still holds), or re-run the choice."""
    if body.agent_id is not None:
        await pm.set_explicitly(
            session, organization_id=organization_id, agent_id=body.agent_id, principal=principal
        )
    else:
        await pm.assign(
            session, organization_id=organization_id, actor=principal.actor(), rerun=True
        )
    return await _view(session, organization_id)


@router.post(
    "/change-requests",
    status_code=202,
    operation_id="request_pm_change",
    responses=problem_responses(401, 403, 404, 413, 422),
)
async def request_pm_change(
    organization_id: uuid.UUID,
    body: PmChangeRequestCreate,
    principal: Principal = Contact,
    session=Depends(get_session),
) -> PmChangeRequestOut:
    """Ask for a different PM (designated contacts); a worker assigns one and records it."""
    change = await pm.request_change(
        session, organization_id=organization_id, principal=principal, reason=body.reason
    )
    return PmChangeRequestOut.model_validate(change)


async def _view(session: AsyncSession, organization_id: uuid.UUID) -> PmView:
    organization, agent = await pm.view(session, organization_id=organization_id)
    return PmView.of(organization, agent, due_at=pm.due_at(organization))
