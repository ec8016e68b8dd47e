"""/v1/webhook-endpoints and /v1/webhook-deliveries"""

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.api_keys.models import KeyKind
from app.db import DetachedRoute, Endpoint, UnitOfWorkRoute, get_session, units
from app.errors import problem_responses
from app.http import IfMatch, expected_version, set_etag
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.ratelimit import limiter_of
from app.routers import resource_router
from app.schemas import Maybe, NoNulText
from app.security import Principal, requires
from app.webhooks import service
from app.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from app.webhooks.pings import ping_client
from app.webhooks.schemas import (
    ReplayRequest,
    ReplayResult,
    WebhookAttemptOut,
    WebhookDeliveryList,
    WebhookDeliveryOut,
    WebhookEndpointCreate,
    WebhookEndpointList,
    WebhookEndpointOut,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
)

router = resource_router("/v1/webhook-endpoints", "webhooks")
deliveries = APIRouter(
    prefix="/v1/webhook-deliveries", tags=["webhooks"], route_class=UnitOfWorkRoute
)
Manager = Depends(requires(KeyKind.admin, KeyKind.integration))


def _detached(path: str, method: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
    """Registers a route that waits on the network (a test ping, a DNS check): it runs in
    short units of work of its own, not in one transaction around the request."""

    def register(endpoint: Endpoint) -> Endpoint:
        router.add_api_route(
            path, endpoint, methods=[method], route_class_override=DetachedRoute, **options
        )
        return endpoint

    return register


def _with_secret(endpoint: WebhookEndpoint, secret: str) -> WebhookEndpointWithSecret:
    return WebhookEndpointWithSecret.model_validate(
        {**WebhookEndpointOut.model_validate(endpoint).model_dump(), "secret": secret}
    )


async def _present(session, rows: list[WebhookDelivery]) -> list[WebhookDeliveryOut]:
    return _shown(rows, await service.attempts_of(session, [row.id for row in rows]))


def _shown(
    rows: list[WebhookDelivery], attempts: dict[uuid.UUID, list[WebhookAttempt]]
) -> list[WebhookDeliveryOut]:
    return [
        WebhookDeliveryOut.model_validate(
            {
                **{
                    name: getattr(row, name)
                    for name in WebhookDeliveryOut.model_fields
                    if name not in ("attempts", "webhook_id")
                },
                "webhook_id": service.webhook_id(row),
                "attempts": [WebhookAttemptOut.model_validate(a) for a in attempts[row.id]],
            }
        )
        for row in rows
    ]


@_detached(
    "",
    "POST",
    status_code=201,
    operation_id="create_webhook_endpoint",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def create_webhook_endpoint(
    body: WebhookEndpointCreate,
    request: Request,
    response: Response,
    principal: Principal = Manager,
) -> WebhookEndpointWithSecret:
    """Subscribe a URL to events. The URL must reach a public address; the signing secret
    is in this response only."""
    endpoint, secret = await service.create(await units(request), principal=principal, data=body)
    set_etag(response, endpoint.version)
    return _with_secret(endpoint, secret)


@router.get("", operation_id="list_webhook_endpoints", responses=problem_responses(401, 403, 422))
async def list_webhook_endpoints(
    enabled: Maybe(bool) = None,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Manager,
    session=Depends(get_session),
) -> WebhookEndpointList:
    """Endpoints you manage (integration keys: their organization's), newest first."""
    rows, next_cursor = await service.list_visible(
        session, principal=principal, enabled=enabled, cursor=cursor, limit=limit
    )
    return WebhookEndpointList(
        data=[WebhookEndpointOut.model_validate(row) for row in rows], next_cursor=next_cursor
    )


@router.get(
    "/{endpoint_id}",
    operation_id="get_webhook_endpoint",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_webhook_endpoint(
    endpoint_id: uuid.UUID,
    response: Response,
    principal: Principal = Manager,
    session=Depends(get_session),
) -> WebhookEndpointOut:
    """One endpoint (never its secret)."""
    endpoint = await service.get_visible(session, principal=principal, endpoint_id=endpoint_id)
    set_etag(response, endpoint.version)
    return WebhookEndpointOut.model_validate(endpoint)


@_detached(
    "/{endpoint_id}",
    "PATCH",
    operation_id="update_webhook_endpoint",
    responses=problem_responses(401, 403, 404, 412, 413, 422),
)
async def update_webhook_endpoint(
    endpoint_id: uuid.UUID,
    body: WebhookEndpointUpdate,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
    principal: Principal = Manager,
) -> WebhookEndpointOut:
    """Change the URL, event types or description; `enabled: true` re-enables a disabled
    endpoint and resumes its pending deliveries."""
    endpoint = await service.update(
        await units(request),
        principal=principal,
        endpoint_id=endpoint_id,
        data=body,
        expected_version=expected_version(if_match),
    )
    set_etag(response, endpoint.version)
    return WebhookEndpointOut.model_validate(endpoint)


@router.delete(
    "/{endpoint_id}",
    status_code=204,
    operation_id="delete_webhook_endpoint",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_webhook_endpoint(
    endpoint_id: uuid.UUID, principal: Principal = Manager, session=Depends(get_session)
) -> Response:
    """Delete the endpoint and its delivery log."""
    await service.delete(session, principal=principal, endpoint_id=endpoint_id)
    return Response(status_code=204)


@router.post(
    "/{endpoint_id}/rotate-secret",
    operation_id="rotate_webhook_secret",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def rotate_webhook_secret(
    endpoint_id: uuid.UUID,
    response: Response,
    principal: Principal = Manager,
    session=Depends(get_session),
) -> WebhookEndpointWithSecret:
    """A new signing secret, shown once; for 24 hours deliveries carry signatures by both
    the new and the old secret, so receivers can switch without dropping any."""
    endpoint, secret = await service.rotate_secret(
        session, principal=principal, endpoint_id=endpoint_id
    )
    set_etag(response, endpoint.version)
    return _with_secret(endpoint, secret)


@_detached(
    "/{endpoint_id}/test",
    "POST",
    operation_id="test_webhook_endpoint",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 429),
)
async def test_webhook_endpoint(
    endpoint_id: uuid.UUID, request: Request, principal: Principal = Manager
) -> WebhookDeliveryOut:
    """Send a signed `webhook.test` ping now; the answer is the logged attempt (a test ping
    is not retried). Test pings and retries share a budget per endpoint a minute (429)."""
    delivery, attempt = await service.send_test(
        await units(request),
        principal=principal,
        endpoint_id=endpoint_id,
        client=ping_client(request.app.state),
        limiter=limiter_of(request),
    )
    return _shown([delivery], {delivery.id: [attempt]})[0]


@router.post(
    "/{endpoint_id}/replay",
    status_code=202,
    operation_id="replay_webhook_events",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 429),
)
async def replay_webhook_events(
    endpoint_id: uuid.UUID,
    body: ReplayRequest,
    principal: Principal = Manager,
    session=Depends(get_session),
) -> ReplayResult:
    """Resend every event this endpoint would receive since a time, in order, with their
    original `webhook-id`s (receivers that dedupe drop what they already have). An endpoint
    is replayed at most once per cooldown (429), and never into more pending deliveries than
    the cap (409)."""
    count = await service.replay(
        session, principal=principal, endpoint_id=endpoint_id, since=body.since, until=body.until
    )
    return ReplayResult(deliveries=count)


@router.get(
    "/{endpoint_id}/deliveries",
    operation_id="list_webhook_deliveries",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_webhook_deliveries(
    endpoint_id: uuid.UUID,
    status: Maybe(DeliveryStatus) = None,
    event_type: Annotated[Maybe(NoNulText), Query(max_length=40)] = None,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Manager,
    session=Depends(get_session),
) -> WebhookDeliveryList:
    """The delivery log, newest first: each delivery with every attempt (time, status code,
    duration, error, the start of the response)."""
    rows, next_cursor = await service.list_deliveries(
        session,
        principal=principal,
        endpoint_id=endpoint_id,
        status=status,
        event_type=event_type,
        cursor=cursor,
        limit=limit,
    )
    return WebhookDeliveryList(data=await _present(session, rows), next_cursor=next_cursor)


@deliveries.get(
    "/{delivery_id}",
    operation_id="get_webhook_delivery",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_webhook_delivery(
    delivery_id: uuid.UUID, principal: Principal = Manager, session=Depends(get_session)
) -> WebhookDeliveryOut:
    """One delivery with its attempts."""
    delivery = await service.get_delivery(session, principal=principal, delivery_id=delivery_id)
    return (await _present(session, [delivery]))[0]


@deliveries.post(
    "/{delivery_id}/retry",
    status_code=202,
    operation_id="retry_webhook_delivery",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 429),
)
async def retry_webhook_delivery(
    delivery_id: uuid.UUID,
    request: Request,
    principal: Principal = Manager,
    session=Depends(get_session),
) -> WebhookDeliveryOut:
    """Send a delivery again now (delivered, failed or waiting), same `webhook-id`. Retries
    share the endpoint's budget with test pings (429) and respect its pending cap (409)."""
    delivery = await service.retry(
        session, principal=principal, delivery_id=delivery_id, limiter=limiter_of(request)
    )
    return (await _present(session, [delivery]))[0]
