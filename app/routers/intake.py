"""/v1/intake: tickets from outside the API (the "?" widget), and the widget's script."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import HTMLResponse

from app import timesource
from app.attachments.schemas import AttachmentOut
from app.db import get_session
from app.errors import AppError, Problem, problem_response, problem_responses
from app.http import set_etag
from app.intake import assets, cors
from app.intake import widget as widget_service
from app.intake.schemas import WidgetReceipt, WidgetSubmission
from app.organizations import availability
from app.organizations.availability import Availability
from app.routers.attachments import UPLOAD_BODY, receive_upload
from app.security import Principal

router = APIRouter()

# --- widget ----------------------------------------------------------------------------------

widget = APIRouter(prefix="/v1/intake", tags=["intake"], route_class=cors.WidgetRoute)


@widget.post(
    "/widget",
    status_code=201,
    operation_id="submit_widget_request",
    response_model=WidgetReceipt,
    responses=problem_responses(401, 403, 409, 413, 422, 429),
)
async def submit_widget_request(
    request: Request,
    body: WidgetSubmission,
    response: Response,
    principal: Principal = Depends(cors.widget_caller),
    session=Depends(get_session),
) -> WidgetReceipt | Response:
    """Raise a ticket from the in-product "?" widget, for a designated contact named by email.

    Called by browsers cross-origin with a publishable widget key (bearer or `?key=`), from the
    key's allowed origins only; rate limited per client address and per key (429 with
    Retry-After). Anyone else gets a 422 sending them to their designated contacts. The answer
    is a receipt: the ticket's number for the person to quote, nothing more — and for a live
    chat (`"mode": "chat"`, while support is there) the conversation token.
    """
    outcome = await widget_service.submit(
        session,
        principal=principal,
        data=body,
        user_agent=request.headers.get("user-agent"),
        referer=request.headers.get("referer"),
    )
    if isinstance(outcome, AppError):
        return problem_response(outcome, request.url.path)
    set_etag(response, 1)
    response.headers["Location"] = f"/v1/tickets/{outcome.id}"
    return outcome


@widget.get(
    "/widget/availability",
    operation_id="get_widget_availability",
    responses=problem_responses(401, 403, 422, 429),
)
async def get_widget_availability(
    principal: Principal = Depends(cors.widget_reader), session=Depends(get_session)
) -> Availability:
    """What the widget shows under its button: whether support is there now ("We're online"),
    or when a request sent now would be answered ("We'll reply by Tue 11:00"). Same answer as
    GET /v1/availability, for the widget key's organization."""
    assert principal.organization_id is not None
    return await availability.of_organization(session, principal.organization_id, timesource.now())


widget_uploads = APIRouter(prefix="/v1/intake", tags=["intake"], route_class=cors.WidgetUploadRoute)


@widget_uploads.post(
    "/widget/attachments",
    status_code=201,
    operation_id="upload_widget_attachment",
    openapi_extra=UPLOAD_BODY,
    responses={
        **problem_responses(401, 403, 413, 422, 429),
        415: {"model": Problem, "description": "Not multipart, or a refused file type"},
    },
)
async def upload_widget_attachment(
    request: Request, principal: Principal = Depends(cors.widget_caller)
) -> AttachmentOut:
    """Upload a file from the widget (a screenshot, a recording) before sending the request:
    multipart/form-data, field `file`, with the same types and size limit as
    POST /v1/attachments and the widget's origin check and rate limits. Only this widget key
    can bind it, with `attachment_ids` on POST /v1/intake/widget, within 24 hours."""
    return await receive_upload(request, principal)


cors.add_preflights(widget, cors.preflight, "/widget", "/widget/attachments")

widget_assets = APIRouter(tags=["intake"])


@widget_assets.get("/widget.js", include_in_schema=False)
async def widget_script(
    if_none_match: Annotated[str | None, Header(alias="If-None-Match")] = None,
) -> Response:
    """The embeddable "?" widget."""
    return assets.script_response(if_none_match)


@widget_assets.get("/widget/demo", include_in_schema=False, response_class=HTMLResponse)
async def widget_demo(key: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """A page embedding the widget with `?key=` (this server's origin must be allowed)."""
    return assets.demo_response(key)


router.include_router(widget)
router.include_router(widget_uploads)
router.include_router(widget_assets)
