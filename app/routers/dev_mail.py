"""/dev/mail: the mail `supportdesk dev`'s SMTP sink received (app/mail/devsink.py).

Only served when SUPPORTDESK_DEV_MAIL_DIR is set, which only `supportdesk dev` does; no key,
and not part of the API contract.
"""

import asyncio
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.errors import NotFound
from app.mail import devsink

router = APIRouter(prefix="/dev/mail", tags=["dev"], include_in_schema=False)

DevLimit = Annotated[int, Query(ge=1, le=500, description="How many (default 50, max 500).")]


def _folder(request: Request) -> Path:
    return Path(request.app.state.settings.dev_mail_dir)


@router.get("")
async def list_dev_mail(request: Request, limit: DevLimit = 50) -> devsink.DevMailList:
    """The mail the sink received, newest first, parsed for reading."""
    found = await asyncio.to_thread(devsink.newest, _folder(request), limit)
    return devsink.DevMailList(data=found)


@router.get("/{mail_id}")
async def get_dev_mail(request: Request, mail_id: str) -> Response:
    """One message exactly as the worker sent it (message/rfc822, opens in a mail client)."""
    raw = await asyncio.to_thread(devsink.read, _folder(request), mail_id)
    if raw is None:
        raise NotFound("No mail with that id.")
    headers = {"Content-Disposition": f'inline; filename="{mail_id}{devsink.SUFFIX}"'}
    return Response(raw, media_type="message/rfc822", headers=headers)
