"""/v1/api-keys"""

import uuid

from fastapi import Depends, Response

from app.api_keys import service
from app.api_keys.models import KeyKind
from app.api_keys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyList, ApiKeyOut
from app.db import get_session
from app.errors import problem_responses
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.schemas import Maybe
from app.security import Principal, requires

router = resource_router("/v1/api-keys", "api-keys")
Manager = Depends(requires(KeyKind.admin, KeyKind.integration))


@router.post(
    "",
    status_code=201,
    operation_id="create_api_key",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def create_api_key(
    body: ApiKeyCreate, principal: Principal = Manager, session=Depends(get_session)
) -> ApiKeyCreated:
    """Issue a key. The key is in this response only; it is stored hashed."""
    key, plaintext = await service.create(session, principal=principal, data=body)
    return ApiKeyCreated.model_validate(
        {**ApiKeyOut.model_validate(key).model_dump(), "key": plaintext}
    )


@router.get("", operation_id="list_api_keys", responses=problem_responses(401, 403, 422))
async def list_api_keys(
    kind: Maybe(KeyKind) = None,
    organization_id: Maybe(uuid.UUID) = None,
    include_revoked: bool = False,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Manager,
    session=Depends(get_session),
) -> ApiKeyList:
    """Keys you manage (integration keys: their organization's widget keys)."""
    rows, next_cursor = await service.list_keys(
        session,
        principal=principal,
        kind=kind,
        organization_id=organization_id,
        include_revoked=include_revoked,
        cursor=cursor,
        limit=limit,
    )
    return ApiKeyList(data=[ApiKeyOut.model_validate(row) for row in rows], next_cursor=next_cursor)


@router.delete(
    "/{key_id}",
    status_code=204,
    operation_id="revoke_api_key",
    responses=problem_responses(401, 403, 404, 422),
)
async def revoke_api_key(
    key_id: uuid.UUID, principal: Principal = Manager, session=Depends(get_session)
) -> Response:
    """Revoke a key; it stops working within seconds everywhere."""
    await service.revoke(session, principal=principal, key_id=key_id)
    return Response(status_code=204)
