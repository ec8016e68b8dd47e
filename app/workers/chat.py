"""Chat jobs: live chats nobody wrote in for 30 minutes end (the client gets the transcript)."""

import logging
from typing import Any

from app import timesource
from app.chat import service as chat
from app.db import unit_of_work

log = logging.getLogger("supportdesk.worker")


async def end_idle_chats(ctx: dict[str, Any]) -> int:
    """Ends idle chats, a batch per transaction, until none is left."""
    ended = 0
    while True:
        async with unit_of_work(ctx["sessions"]) as session:
            batch = await chat.end_idle(session, timesource.now())
        ended += batch
        if batch < chat.IDLE_BATCH:
            break
    if ended:
        log.info("ended %d idle chats", ended)
    return ended
