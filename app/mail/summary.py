"""The weekly summary: Monday from 09:00 in each organization's calendar time zone, one mail
per contact who wants it, listing the organization's open requests in queue order with their
status and next due time — only when it has at least SUPPORTDESK_SUMMARY_MIN_OPEN of them.
Each (organization, ISO week, contact) is planned once, whichever worker gets there first."""

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.mail import compose, repository, rows
from app.mail.kinds import wants
from app.mail.models import Kind
from app.tickets import repository as tickets
from app.tickets.present import present

LISTED = 100  # at most this many requests in one summary


async def plan_summaries(session: AsyncSession, *, settings: Settings, now: datetime) -> int:
    """Plans this week's summaries that are due and not planned yet; how many mails."""
    planned = 0
    for organization in await repository.summaries_due(
        session, now=now, min_open=settings.summary_min_open
    ):
        rows = await _summary_rows(session, organization, settings, now)
        planned += await repository.insert_notifications(session, rows)
    return planned


async def _summary_rows(
    session: AsyncSession, organization: Any, settings: Settings, now: datetime
) -> list[dict[str, Any]]:
    recipients = [
        contact
        for contact in await repository.organization_contacts(session, organization.id)
        if wants(contact.notification_preference, Kind.weekly_summary)
    ]
    if not recipients:
        return []
    listed = await present(
        session, await tickets.open_in_queue_order(session, organization.id, LISTED)
    )
    context = {
        "kind": Kind.weekly_summary.value,
        "support": rows.support(settings),
        "organization": {"name": organization.name, "timezone": organization.timezone},
        "tickets": [_line(ticket.model_dump(mode="json")) for ticket in listed],
    }
    domain = compose.domain_of(settings.mail_from)
    thread = rows.Thread(compose.other_message_id(organization.source, domain))
    return [
        rows.row(
            source=organization.source,
            kind=Kind.weekly_summary,
            contact=contact,
            context=context,
            thread=thread,
            settings=settings,
            now=now,
        )
        for contact in recipients
    ]


def _line(ticket: dict[str, Any]) -> dict[str, Any]:
    clocks = (ticket.get("sla") or {}).values()
    due = sorted(clock["due_at"] for clock in clocks if clock and clock.get("due_at"))
    return {**ticket, "due_at": due[0] if due else None}
