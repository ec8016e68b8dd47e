"""/v1/sla-policies"""

from fastapi import Depends

from app.api_keys.models import KeyKind
from app.db import get_session
from app.errors import problem_responses
from app.routers import resource_router
from app.security import requires
from app.sla import service
from app.sla.schemas import SlaPolicyTable, SlaPolicyTableOut

router = resource_router("/v1/sla-policies", "sla")
Admin = Depends(requires(KeyKind.admin))


@router.get(
    "", operation_id="get_sla_policies", responses=problem_responses(401, 403), dependencies=[Admin]
)
async def get_sla_policies(session=Depends(get_session)) -> SlaPolicyTableOut:
    """The targets per plan x priority x metric."""
    return SlaPolicyTableOut.of(await service.get_table(session))


@router.put(
    "",
    operation_id="replace_sla_policies",
    responses=problem_responses(401, 403, 413, 422),
    dependencies=[Admin],
)
async def replace_sla_policies(
    body: SlaPolicyTable, session=Depends(get_session)
) -> SlaPolicyTableOut:
    """Replace the whole table; open tickets' clocks are recomputed by the workers."""
    return SlaPolicyTableOut.of(await service.replace_table(session, data=body))
