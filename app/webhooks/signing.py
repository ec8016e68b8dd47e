"""The payload an event becomes and its Standard Webhooks signature headers."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from standardwebhooks.webhooks import Webhook

USER_AGENT = "SupportDesk-Webhooks/1.0"


def message_id(event_id: object) -> str:
    """The `webhook-id` and payload `id` of an event: the same on every retry."""
    return f"evt_{event_id}"


def payload(event: Any, event_id: object | None = None) -> bytes:
    """The JSON body for an event row (id, type, created_at, ticket, organization, actor, data)."""
    return orjson.dumps(
        {
            "id": message_id(event_id or event.id),
            "type": event.type,
            "created_at": event.created_at,
            "ticket_id": event.ticket_id,
            "organization_id": event.organization_id,
            "actor": event.actor,
            "data": event.data,
        },
        option=orjson.OPT_UTC_Z,
        default=str,  # asyncpg's own UUID type
    )


def headers(msg_id: str, body: bytes, secrets: Sequence[str], at: datetime) -> dict[str, str]:
    """Standard Webhooks headers; one signature per secret (two while a rotation overlaps)."""
    body_text = body.decode()
    signatures = " ".join(Webhook(secret).sign(msg_id, at, body_text) for secret in secrets)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signatures,
    }
