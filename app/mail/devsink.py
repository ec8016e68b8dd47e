"""`supportdesk dev`'s SMTP sink: every mail the worker sends becomes an .eml file in one folder,
which `GET /dev/mail` lists, so a developer sees the demo's mail without a mail server.

The folder is the whole interface between the two processes: the sink writes
`<arrival in ns>-<random>.eml` (names sort by arrival), the API reads them. Nothing starts on
import; `DevSink(folder).start()` does.
"""

import asyncio
import os
import re
import secrets
import time
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

from aiosmtpd.controller import Controller
from pydantic import BaseModel, ConfigDict, Field

from app.embedded import free_port

SUFFIX = ".eml"
# Zero-padded nanoseconds since the epoch, so that sorting names sorts by arrival.
_ID = re.compile(r"\d{20}-[0-9a-f]{8}")


def new_id() -> str:
    """A file name stem that sorts by arrival time and never collides."""
    return f"{time.time_ns():020d}-{secrets.token_hex(4)}"


def save(folder: Path, raw: bytes) -> str:
    """Writes one message whole or not at all (a reader never sees half a file); its id."""
    mail_id = new_id()
    partial = folder / f".{mail_id}.part"
    partial.write_bytes(raw)
    os.replace(partial, folder / f"{mail_id}{SUFFIX}")
    return mail_id


class FolderHandler:
    """aiosmtpd handler: accepts every recipient and keeps each message as a file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        mail_id = await asyncio.to_thread(save, self.folder, raw)
        return f"250 2.0.0 Ok: kept as {mail_id}"


class DevSink:
    """An SMTP server on a free loopback port, in a thread of the process that starts it."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "DevSink":
        self.folder.mkdir(parents=True, exist_ok=True)
        controller = Controller(
            FolderHandler(self.folder),
            hostname="127.0.0.1",
            port=self.port,
            enable_SMTPUTF8=True,
        )
        controller.start()
        self.controller = controller
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class DevMail(BaseModel):
    """One kept message, as `GET /dev/mail` shows it."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    from_: str | None = Field(alias="from")
    to: str | None
    subject: str | None
    date: datetime | None
    message_id: str | None
    in_reply_to: str | None
    references: list[str]
    text: str | None
    html: str | None


class DevMailList(BaseModel):
    data: list[DevMail]


def _header(message: EmailMessage, name: str) -> str | None:
    value = message[name]
    return str(value) if value is not None else None


def _body(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else None


def _date(message: EmailMessage) -> datetime | None:
    header = message["Date"]
    return getattr(header, "datetime", None) if header is not None else None


def read(folder: Path, mail_id: str) -> bytes | None:
    """The raw message kept under `mail_id`; None for an id that is not one the sink wrote
    (so no other file, in the folder or outside it, can be read)."""
    if not _ID.fullmatch(mail_id):
        return None
    path = folder / f"{mail_id}{SUFFIX}"
    return path.read_bytes() if path.is_file() else None


def present(mail_id: str, raw: bytes) -> DevMail:
    # SMTP's CRLF line ends, as kept in the file, would show up in every text field.
    readable = raw.replace(b"\r\n", b"\n")
    message = cast(EmailMessage, message_from_bytes(readable, policy=policy.default))
    return DevMail(
        id=mail_id,
        from_=_header(message, "From"),
        to=_header(message, "To"),
        subject=_header(message, "Subject"),
        date=_date(message),
        message_id=_header(message, "Message-ID"),
        in_reply_to=_header(message, "In-Reply-To"),
        references=(_header(message, "References") or "").split(),
        text=_body(message, "plain"),
        html=_body(message, "html"),
    )


def newest(folder: Path, limit: int) -> list[DevMail]:
    """The last `limit` messages kept, newest first."""
    if not folder.is_dir():
        return []
    ids = sorted(
        (path.stem for path in folder.glob(f"*{SUFFIX}") if _ID.fullmatch(path.stem)),
        reverse=True,
    )
    found = []
    for mail_id in ids[:limit]:
        raw = read(folder, mail_id)
        if raw is not None:
            found.append(present(mail_id, raw))
    return found
