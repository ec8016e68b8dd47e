"""/v1/availability: whether support is there now, and when a new request would be answered."""

import uuid

from fastapi import Depends

from app import timesource
from app.api_keys.models import KeyKind
from app.db import get_session
from app.errors import invalid, problem_responses
from app.organizations import availability
from app.organizations.availability import Availability
from app.routers import resource_router
from app.schemas import Maybe
from app.security import Principal, requires

router = resource_router("/v1/availability", "availability")
# Widget keys read it at /v1/intake/widget/availability, under the widget's CORS and budgets.
AnyKey = Depends(requires(KeyKind.admin, KeyKind.agent, KeyKind.integration, KeyKind.contact))


@router.get("", operation_id="get_availability", responses=problem_responses(401, 403, 404, 422))
async def get_availability(
    organization_id: Maybe(uuid.UUID) = None,
    principal: Principal = AnyKey,
    session=Depends(get_session),
) -> Availability:
    """Whether the organization's support hours are running, who is on duty, and when a first
    response would be due for a request raised now. Any key of the organization; staff name
    the organization with `organization_id`. The widget reads it with its key from
    GET /v1/intake/widget/availability."""
    wanted = principal.tenant or organization_id
    if wanted is None:
        raise invalid("query.organization_id", "Staff keys name the organization.")
    if principal.tenant is not None and organization_id not in (None, principal.tenant):
        raise invalid("query.organization_id", "A client key reads its own organization only.")
    return await availability.of_organization(session, wanted, timesource.now())
