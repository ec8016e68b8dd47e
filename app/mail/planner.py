"""The mail planner: reads the change feed after its last position and turns each event that
speaks to the client into one rendered notification per recipient, in one transaction with
its new position. The (source, contact) key makes a replanned batch add nothing twice.

Recipients are the ticket's requester and the designated contacts who wrote in its thread
(never CC'd end users); an organization's news goes to its designated contacts. A mail a
contact does not want, one to a bouncing address, and every mail while SMTP is off are kept
as `skipped`, so staff can see what was not sent and why.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app.chat.models import IDLE_MINUTES
from app.config import Settings
from app.events import repository as feed
from app.events.models import Event
from app.mail import compose, repository, rows
from app.mail.kinds import MAILED_TYPES, ORGANIZATION_KINDS, kind_of
from app.mail.models import Kind
from app.organizations.models import Contact
from app.tickets.satisfaction import satisfaction_url

log = logging.getLogger("supportdesk.mail")
# Feed positions one planning transaction reads. Rendering is CPU on the worker's event
# loop (~0.5 ms a mail): 100 keeps each stretch near 50 ms, so sending and the webhook
# pump keep going while a backlog is planned (bench/mail.py).
BATCH = 100

ROLES = {
    "pm": "your project manager",
    "senior_pm": "a senior project manager",
    "ops_manager": "our operations manager",
    "leadership": "our leadership team",
    "support_tier1": "our support team",
    "support_tier2": "a senior support engineer",
    "support_tier3": "a specialist engineer",
}


@dataclass
class Lookups:
    """What one batch's mails need, loaded once for the batch."""

    organizations: dict[uuid.UUID, Any]
    agents: dict[uuid.UUID, Any]
    contacts: dict[uuid.UUID, Contact]
    writers: dict[uuid.UUID, dict[uuid.UUID, datetime]]
    designated: dict[uuid.UUID, list[Contact]]
    threads: dict[uuid.UUID, list[str]]


async def plan(session: AsyncSession, *, settings: Settings, now: datetime) -> int | None:
    """Plans the next batch of the feed; the mails planned, or None while another planner
    holds the feed."""
    last = await repository.lock_state(session)
    if last is None:
        return None
    end = await feed.feed_end(session)
    if end <= last:
        return 0
    upto = min(end, last + BATCH)
    events = await repository.events_between(session, last, upto, MAILED_TYPES)
    mailed = [(event, kind) for event in events if (kind := _kind(event)) is not None]
    planned = await _rows(session, mailed, settings, now) if mailed else []
    await repository.insert_notifications(session, planned)
    await repository.set_state(session, upto)
    return len(planned)


def _kind(event: Event) -> Kind | None:
    return kind_of(str(event.type), str(event.visibility), event.data)


async def _lookups(session: AsyncSession, mailed: list[tuple[Event, Kind]]) -> Lookups:
    events = [event for event, _ in mailed]
    ticket_ids = [event.ticket_id for event in events if event.ticket_id]
    organization_ids = [event.organization_id for event in events if event.organization_id]
    writers = await repository.designated_writers(session, ticket_ids)
    requesters = [_uuid((event.data.get("ticket") or {}).get("requester_id")) for event in events]
    wanted = [*filter(None, requesters), *(c for ids in writers.values() for c in ids)]
    return Lookups(
        organizations=await repository.organizations(session, organization_ids),
        agents=await repository.agents(session, _agent_ids(events)),
        contacts=await repository.contacts(session, wanted),
        writers=writers,
        designated=await repository.designated_contacts(
            session, [e.organization_id for e, k in mailed if k in ORGANIZATION_KINDS]
        ),
        threads=await repository.thread_ids(session, ticket_ids),
    )


def _agent_ids(events: list[Event]) -> list[uuid.UUID]:
    ids = []
    for event in events:
        data = event.data
        ids.append((data.get("comment") or {}).get("author_id"))
        ids.append((data.get("organization") or {}).get("pm_id"))
        ids.append((data.get("previous") or {}).get("pm_id"))
    return [agent_id for agent_id in map(_uuid, ids) if agent_id]


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


async def _rows(
    session: AsyncSession, mailed: list[tuple[Event, Kind]], settings: Settings, now: datetime
) -> list[dict[str, Any]]:
    lookups = await _lookups(session, mailed)
    planned: list[dict[str, Any]] = []
    for event, kind in mailed:
        try:
            planned += _plan_event(event, kind, lookups, settings, now)
        except Exception:
            # One event that cannot be mailed must not hold up every mail after it.
            log.exception("cannot plan mail for event %s (%s)", event.id, event.type)
    return planned


def _recipients(event: Event, kind: Kind, lookups: Lookups) -> list[Contact]:
    if kind in ORGANIZATION_KINDS:
        return lookups.designated.get(event.organization_id, [])  # type: ignore[arg-type]
    requester = _uuid(event.data["ticket"].get("requester_id"))
    writers = lookups.writers.get(event.ticket_id, {})  # type: ignore[arg-type]
    earlier = [writer for writer, first in writers.items() if first <= event.created_at]
    ids = dict.fromkeys([requester, *earlier])
    return [lookups.contacts[i] for i in ids if i in lookups.contacts]


def _plan_event(
    event: Event, kind: Kind, lookups: Lookups, settings: Settings, now: datetime
) -> list[dict[str, Any]]:
    recipients = _recipients(event, kind, lookups)
    if not recipients:
        return []
    context = _context(event, kind, lookups, settings)
    thread = _thread(event, lookups, compose.domain_of(settings.mail_from))
    return [
        rows.row(
            source=str(event.id),
            kind=kind,
            contact=contact,
            context=context,
            thread=thread,
            settings=settings,
            now=now,
            event_id=event.id,
            ticket_id=event.ticket_id,
        )
        for contact in recipients
    ]


def _thread(event: Event, lookups: Lookups, domain: str) -> rows.Thread:
    if event.ticket_id is None:
        source = f"org-{event.organization_id}.{event.id}"
        return rows.Thread(compose.other_message_id(source, domain))
    number = int(str(event.data["ticket"]["number"]).removeprefix("SUP-"))
    message_id = compose.ticket_message_id(number, event.id, domain)
    earlier = lookups.threads.setdefault(event.ticket_id, [])
    in_reply_to, references = compose.thread(earlier)
    earlier.append(message_id)  # the next mail of this batch follows this one
    return rows.Thread(message_id, in_reply_to, references)


def _context(event: Event, kind: Kind, lookups: Lookups, settings: Settings) -> dict[str, Any]:
    organization = lookups.organizations[event.organization_id]  # type: ignore[index]
    context: dict[str, Any] = {
        "kind": kind.value,
        "support": rows.support(settings),
        "organization": {"name": organization.name, "timezone": organization.timezone},
    }
    data = event.data
    if kind in ORGANIZATION_KINDS:
        context["pm"] = _agent(lookups, (data.get("organization") or {}).get("pm_id"), settings)
        previous = (data.get("previous") or {}).get("pm_id")
        context["previous_pm"] = _agent(lookups, previous, settings) if previous else None
        return context
    ticket = data["ticket"]
    context["ticket"] = ticket
    context["first_response_due"] = ((ticket.get("sla") or {}).get("first_response") or {}).get(
        "due_at"
    )
    if "comment" in data:
        context["comment"] = data["comment"]
        context["author"] = _agent(lookups, data["comment"].get("author_id"), settings)["name"]
    context["reason"] = data.get("reason")
    context["transcript"] = data.get("transcript") or []
    context["idle_minutes"] = IDLE_MINUTES
    context["split_from"] = data.get("split_from") or {}
    role = (data.get("escalation") or {}).get("role")
    context["role"] = ROLES.get(role or "", "a senior member of our team")
    if kind is Kind.resolved:
        context["satisfaction_url"] = satisfaction_url(settings, event.ticket_id)  # type: ignore[arg-type]
    return context


def _agent(lookups: Lookups, agent_id: Any, settings: Settings) -> dict[str, str]:
    agent = lookups.agents.get(_uuid(agent_id))  # type: ignore[arg-type]
    if agent is None:
        sender = rows.support(settings)
        return {"name": sender["name"], "email": sender["address"]}
    return {"name": agent.name, "email": agent.email}
