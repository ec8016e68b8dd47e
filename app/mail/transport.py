"""SMTP through aiosmtplib: the URL that configures it, a few kept-open connections, and what
each reply means for the mail (sent, try again later, or refused for good)."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from app import timesource

log = logging.getLogger("supportdesk.mail")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class BadSmtpUrl(ValueError):
    """SUPPORTDESK_SMTP_URL cannot be understood."""


@dataclass(frozen=True)
class SmtpServer:
    hostname: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False  # smtps://: TLS from the first byte
    start_tls: bool | None = None  # None: STARTTLS when the server offers it
    validate_certs: bool = True

    def describe(self) -> str:
        """Where mail goes, without the credentials (for /readyz and logs)."""
        scheme = "smtps" if self.use_tls else "smtp"
        return f"{scheme}://{self.hostname}:{self.port}"


def parse_smtp_url(url: str) -> SmtpServer:
    """smtp://user:pass@host:587?starttls=true, smtps://… or smtp://host:port."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise BadSmtpUrl("SUPPORTDESK_SMTP_URL must look like smtp://[user:pass@]host[:port]")
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    use_tls = parts.scheme == "smtps"
    return SmtpServer(
        hostname=parts.hostname,
        port=parts.port or (465 if use_tls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
        start_tls=_flag(query.get("starttls")),
        validate_certs=_flag(query.get("verify")) is not False,
    )


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadSmtpUrl(f"SUPPORTDESK_SMTP_URL: {value!r} is not true or false")


class Verdict(StrEnum):
    sent = "sent"
    retry = "retry"  # a connection error or a 4xx: the server may take it later
    refused = "refused"  # a 5xx for the recipient (RCPT): the address is bouncing
    failed = "failed"  # a 5xx that is not the address's fault (our sender, the message)
    late = "late"  # not attempted: no connection was free before its lease ran short


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    code: int | None
    reply: str


def _classify(error: Exception) -> Outcome:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        first = error.recipients[0]
        return _recipient(first.code, first.message)
    if isinstance(error, aiosmtplib.SMTPRecipientRefused):
        return _recipient(error.code, error.message)
    if isinstance(error, aiosmtplib.SMTPConnectResponseError | aiosmtplib.SMTPHeloError):
        # The relay refuses us (a blocklist, an outage): no recipient's fault; try again later.
        return Outcome(Verdict.retry, error.code, error.message)
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        # Our credentials, not the mail: keep it for when they are fixed.
        return Outcome(Verdict.retry, error.code, error.message)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        # The sender or the message refused (552 too large, 554 content): final, no bounce.
        verdict = Verdict.failed if error.code >= 500 else Verdict.retry
        return Outcome(verdict, error.code, error.message)
    return Outcome(Verdict.retry, None, f"{type(error).__name__}: {error}"[:1000])


def _recipient(code: int, message: str) -> Outcome:
    """The server's answer to RCPT: a 5xx means the address bounces, a 4xx try later."""
    if 500 <= code < 600:
        return Outcome(Verdict.refused, code, message)
    return Outcome(Verdict.retry, code, message)


@dataclass(frozen=True)
class Envelope:
    """What SMTP carries: the return path, the recipients, and the message's bytes."""

    sender: str
    recipients: list[str]
    data: bytes


class SmtpPool:
    """Up to `size` SMTP connections kept open and shared by the sends of one worker."""

    def __init__(self, server: SmtpServer, size: int, timeout: float) -> None:
        self.server, self.timeout = server, timeout
        self.idle: asyncio.Queue[aiosmtplib.SMTP | None] = asyncio.Queue()
        for _ in range(size):
            self.idle.put_nowait(None)  # a slot without a connection yet

    def _client(self) -> aiosmtplib.SMTP:
        server = self.server
        return aiosmtplib.SMTP(
            hostname=server.hostname,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.use_tls,
            start_tls=server.start_tls,
            validate_certs=server.validate_certs,
            timeout=self.timeout,
        )

    async def send(self, message: Envelope, start_by: datetime) -> Outcome:
        """Sends one message on a pooled connection (opened, or reopened, as needed), if one
        is free by `start_by`."""
        smtp = await self.idle.get()
        if timesource.now() > start_by:
            self.idle.put_nowait(smtp)
            return Outcome(Verdict.late, None, "no connection free before the lease ran short")
        try:
            smtp, outcome = await self._send(smtp, message)
        finally:
            self.idle.put_nowait(smtp)
        return outcome

    async def _send(
        self, smtp: aiosmtplib.SMTP | None, message: Envelope
    ) -> tuple[aiosmtplib.SMTP | None, Outcome]:
        reused = smtp is not None and smtp.is_connected
        try:
            if not reused:
                smtp = self._client()
                await smtp.connect()
            assert smtp is not None
            try:
                return smtp, await _deliver(smtp, message)
            except aiosmtplib.SMTPServerDisconnected:
                if not reused:
                    raise
                # The server closed a connection that sat idle: the message never went out.
                smtp = self._client()
                await smtp.connect()
                return smtp, await _deliver(smtp, message)
        except Exception as error:
            outcome = _classify(error)
            if outcome.verdict is Verdict.retry and smtp is not None:
                await _close(smtp)
                smtp = None
            return smtp, outcome

    async def close(self) -> None:
        while not self.idle.empty():
            smtp = self.idle.get_nowait()
            if smtp is not None:
                await _close(smtp)


async def _deliver(smtp: aiosmtplib.SMTP, message: Envelope) -> Outcome:
    errors, reply = await smtp.sendmail(message.sender, message.recipients, message.data)
    if errors:
        first = next(iter(errors.values()))
        return _recipient(first.code, first.message)
    return Outcome(Verdict.sent, 250, reply)


async def _close(smtp: aiosmtplib.SMTP) -> None:
    with contextlib.suppress(Exception):
        if smtp.is_connected:
            await asyncio.wait_for(smtp.quit(), 2)
    with contextlib.suppress(Exception):
        smtp.close()
