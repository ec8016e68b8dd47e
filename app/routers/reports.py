"""/v1/reports"""

from typing import Annotated

from fastapi import Depends, Query

from app.api_keys.models import KeyKind
from app.db import get_session
from app.errors import problem_responses
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.reports import service
from app.reports.schemas import GroupBy, SlaReport
from app.routers import resource_router
from app.schemas import Instant
from app.security import requires

router = resource_router("/v1/reports", "reports")
Staff = Depends(requires(KeyKind.admin, KeyKind.agent))

From = Annotated[
    Instant, Query(alias="from", description="Tickets created at or after this instant.")
]
To = Annotated[
    Instant,
    Query(description="Tickets created before this instant; at most 366 days after `from`."),
]


@router.get(
    "/sla",
    operation_id="get_sla_report",
    responses=problem_responses(401, 403, 422),
    dependencies=[Staff],
)
async def get_sla_report(
    start: From,
    to: To,
    group_by: GroupBy = GroupBy.priority,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    session=Depends(get_session),
) -> SlaReport:
    """SLA compliance, median and p90 first-response and resolution times, breaches,
    escalations and CSAT of the tickets created in [from, to), by priority, organization
    or agent, a page of groups at a time, with the total of them all."""
    return await service.sla_report(
        session, start=start, end=to, group_by=group_by, cursor=cursor, limit=limit
    )
