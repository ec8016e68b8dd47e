"""/v1/attachments and /v1/tickets/{ticket_id}/attachments: files on tickets and comments."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from app.attachments import ranges, repository, service
from app.attachments.multipart import FileField
from app.attachments.schemas import AttachmentList, AttachmentOut
from app.attachments.storage import Storage, content_disposition
from app.attachments.upload import refuse_by_length
from app.db import StreamingRoute, get_session, units
from app.errors import Problem, problem_responses
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.schemas import Maybe
from app.security import NOT_WIDGET, Principal, requires
from app.tickets import repository as tickets

router = resource_router("/v1", "attachments")
uploads = APIRouter(prefix="/v1", tags=["attachments"], route_class=StreamingRoute)
# Content is served as the type sniffed from its bytes at upload (octet-stream when unknown).
FILE_CONTENT = {"*/*": {"schema": {"type": "string", "format": "binary"}}}
# Widget keys upload through /v1/intake/widget/attachments (their Origin check and budgets).
Caller = Depends(requires(*NOT_WIDGET))

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The file, with its name as the part's filename.",
                        }
                    },
                }
            }
        },
    }
}


def _storage(request: Request) -> Storage:
    return request.app.state.storage


@uploads.post(
    "/attachments",
    status_code=201,
    operation_id="upload_attachment",
    openapi_extra=UPLOAD_BODY,
    responses={
        **problem_responses(401, 403, 413, 422),
        415: {
            "model": Problem,
            "description": "Not multipart, or a file type that is not accepted (executables)",
        },
    },
)
async def upload_attachment(request: Request, principal: Principal = Caller) -> AttachmentOut:
    """Upload one file (multipart/form-data, field `file`), streamed into storage. Its type is
    sniffed from the content; executables and scripts are refused (415), files over
    SUPPORTDESK_MAX_ATTACHMENT_BYTES too (413, nothing kept). Bind it with `attachment_ids`
    when creating a ticket or comment within 24 hours, or it is deleted."""
    return await receive_upload(request, principal)


async def receive_upload(request: Request, principal: Principal) -> AttachmentOut:
    """Streams the request's file into storage and records it, unbound, for `principal`."""
    limit = request.app.state.settings.max_attachment_bytes
    refuse_by_length(request.headers.get("content-length"), limit)
    field = FileField(request.headers.get("content-type", ""))
    start = await units(request)
    attachment = await service.store_upload(
        units=start,
        principal=principal,
        storage=_storage(request),
        chunks=field.chunks(request.stream()),
        filename=lambda: field.filename,
        limit=limit,
    )
    return AttachmentOut.model_validate(attachment)


@router.get(
    "/attachments/{attachment_id}",
    operation_id="get_attachment",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_attachment(
    attachment_id: uuid.UUID, principal: Principal = Caller, session=Depends(get_session)
) -> AttachmentOut:
    """An attachment's metadata (a deleted one's too, with `deleted_at`)."""
    found = await repository.get_visible(session, principal, attachment_id)
    return AttachmentOut.model_validate(found)


@router.get(
    "/attachments/{attachment_id}/content",
    operation_id="get_attachment_content",
    response_class=Response,
    responses={
        200: {"content": FILE_CONTENT, "description": "The bytes, as the file's content type"},
        206: {"content": FILE_CONTENT, "description": "The Range asked"},
        304: {"description": "If-None-Match matches: unchanged"},
        307: {"description": "S3 storage: a presigned URL valid for 5 minutes"},
        **problem_responses(401, 403, 404, 410, 416, 422),
    },
)
async def get_attachment_content(
    request: Request,
    attachment_id: uuid.UUID,
    range_: Annotated[Maybe(str), Header(alias="range", max_length=200)] = None,
    if_none_match: Annotated[Maybe(str), Header(max_length=1000)] = None,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> Response:
    """The file, as a download (`Content-Disposition: attachment`), with `Range` support for
    video; from S3 storage a 307 to a presigned URL instead."""
    found = await service.readable(session, principal, attachment_id)
    storage = _storage(request)
    presigned = await storage.presign(found.storage_key)
    if presigned is not None:
        return RedirectResponse(presigned, status_code=307, headers={"Cache-Control": "no-store"})
    headers = {
        "Content-Disposition": content_disposition(found.filename),
        "X-Content-Type-Options": "nosniff",
        "ETag": f'"{found.sha256}"',
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, max-age=0, must-revalidate",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if if_none_match and f'"{found.sha256}"' in if_none_match:
        return Response(status_code=304, headers=headers)
    wanted = ranges.parse(range_, found.size)
    start, end = wanted or (0, found.size)
    headers["Content-Length"] = str(end - start)
    status = 200
    if wanted is not None:
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{found.size}"
    body = await storage.read(found.storage_key, start, end)
    return StreamingResponse(body, status, headers, media_type=found.content_type)


@router.delete(
    "/attachments/{attachment_id}",
    operation_id="delete_attachment",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_attachment(
    request: Request,
    attachment_id: uuid.UUID,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> AttachmentOut:
    """Delete the content (staff; the uploader's key while unbound). The record stays, with
    `deleted_at`, so the timeline still names the file."""
    deleted = await service.delete(session, principal, _storage(request), attachment_id)
    return AttachmentOut.model_validate(deleted)


@router.get(
    "/tickets/{ticket_id}/attachments",
    operation_id="list_ticket_attachments",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_ticket_attachments(
    ticket_id: uuid.UUID,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> AttachmentList:
    """A ticket's files and its comments' files, oldest first; clients never see those on
    internal notes."""
    await tickets.get_visible(session, principal=principal, ticket_id=ticket_id)
    rows, next_cursor = await repository.on_ticket(session, principal, ticket_id, cursor, limit)
    return AttachmentList(
        data=[AttachmentOut.model_validate(row) for row in rows], next_cursor=next_cursor
    )
