"""Pages people open from mail (not part of the JSON API)."""

import uuid

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.mail.pages import satisfaction_page

router = APIRouter(tags=["pages"])


@router.get("/satisfaction/{ticket_id}", include_in_schema=False, response_class=HTMLResponse)
async def rate_page(ticket_id: uuid.UUID) -> HTMLResponse:
    """The page of the rating link mailed with a resolution (?token=…)."""
    return satisfaction_page()
