"""Sending claimed mails: compose each, hand it to SMTP, and turn the reply into what is
recorded (sent, retried later, failed) and which addresses now bounce."""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app.mail import compose, repository
from app.mail.metrics import count
from app.mail.models import NotificationStatus
from app.mail.retry import MAX_ATTEMPTS, next_wait
from app.mail.transport import Envelope, Outcome, SmtpPool, Verdict

log = logging.getLogger("supportdesk.mail")


async def send(pool: SmtpPool, row: Any, mail_from: str, start_by: datetime) -> Outcome | None:
    """One claimed mail to its recipient, if a connection is free by `start_by`; None when
    its address bounces meanwhile."""
    if row.bouncing:
        return None
    try:
        envelope = _envelope(row, mail_from)
    except Exception as error:  # a mail that cannot be built must not sink its batch
        log.exception("cannot compose mail %s", row.id)
        return Outcome(Verdict.failed, None, f"cannot compose: {type(error).__name__}")
    return await pool.send(envelope, start_by)


def _envelope(row: Any, mail_from: str) -> Envelope:
    data = compose.message(
        mail_from=mail_from,
        to=row.recipient,
        subject=row.subject,
        message_id=row.message_id,
        in_reply_to=row.in_reply_to,
        references=row.references,
        text=row.text_body,
        html=row.html_body,
        kind=row.kind,
        date=row.created_at,
    )
    return Envelope(parseaddr(mail_from)[1], [parseaddr(row.recipient)[1]], data)


@dataclass
class Results:
    """What a batch of attempts records: one update per mail, and the addresses that bounce."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    bouncing: dict[Any, str] = field(default_factory=dict)

    def add(self, row: Any, outcome: Outcome | None, now: datetime) -> None:
        if outcome is not None and outcome.verdict is Verdict.late:
            return  # not attempted: the next claim sends it
        status, reply, due = self._judge(row, outcome, now)
        count(row.kind, status)
        self.updates.append(
            {
                "notification_id": row.id,
                "claimed_attempts": row.attempts,
                "status": status,
                "smtp_code": outcome.code if outcome else None,
                "smtp_reply": reply[:1000] if reply else None,
                "sent_at": now if status is NotificationStatus.sent else None,
                "next_attempt_at": due,
                "updated_at": now,
            }
        )

    def _judge(
        self, row: Any, outcome: Outcome | None, now: datetime
    ) -> tuple[NotificationStatus, str | None, datetime | None]:
        if outcome is None:
            return NotificationStatus.skipped, "not sent: the address is bouncing", None
        if outcome.verdict is Verdict.sent:
            return NotificationStatus.sent, outcome.reply, None
        if outcome.verdict is Verdict.refused:
            self.bouncing[row.contact_id] = f"{outcome.code} {outcome.reply}"
            return NotificationStatus.failed, outcome.reply, None
        wait = next_wait(row.attempts) if outcome.verdict is Verdict.retry else None
        if wait is None:
            reply = outcome.reply
            if outcome.verdict is Verdict.retry:
                reply = f"gave up after {MAX_ATTEMPTS} attempts: {outcome.reply}"
            return NotificationStatus.failed, reply, None
        return NotificationStatus.pending, outcome.reply, now + wait

    async def save(self, session: AsyncSession, now: datetime) -> None:
        await repository.record(session, self.updates)
        for contact_id, reason in self.bouncing.items():
            await repository.mark_bouncing(
                session, contact_ids=[contact_id], reason=reason, now=now
            )
