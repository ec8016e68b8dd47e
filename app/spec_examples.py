"""An example request body per operation, as the spec shows them (app/spec.py puts each on its
operation's request body; tests/api/test_spec.py checks each against its schema)."""

from typing import Any

ORGANIZATION = "3f2b8c1e-7d4a-4c2e-9b1f-5a6d7e8f9012"
CONTACT = "8c9d0e1f-2a3b-4c5d-8e7f-901234abcdef"
AGENT = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f70812"
TICKET = "b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e"
OTHER_TICKET = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
ATTACHMENT = "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70"
CALENDAR = "e8f9a0b1-c2d3-4e4f-8a5b-6c7d8e9f0a1b"

OFFICE_HOURS = {day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
CONTEXT = {
    "url": "https://app.client.example/billing/invoices",
    "browser": "Firefox 132",
    "os": "macOS 15.1",
    "app_version": "4.12.0",
    "location": "office",
    "steps": "Open an invoice, press Export: the page goes blank.",
}
RAW_MAIL = (
    "From: Jane Doe <jane@client.example>\r\n"
    "To: support@supportdesk.dev\r\n"
    "Subject: Export fails\r\n"
    "Message-ID: <a1b2c3@client.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Exporting an invoice shows a blank page since this morning.\r\n"
)
FILE_PART = {"file": "(the file's bytes; its name is the part's filename)"}

EXAMPLES: dict[str, dict[str, Any] | str] = {
    "create_api_key": {"kind": "integration", "name": "CRM sync", "organization_id": ORGANIZATION},
    "create_organization": {
        "name": "Acme Logistics",
        "plan": "enterprise",
        "industry": "logistics",
        "platform": "web",
    },
    "update_organization": {"plan": "standard", "max_designated_contacts": 5},
    "set_organization_queue": {"ticket_ids": [TICKET, OTHER_TICKET]},
    "create_contact": {"email": "jane@client.example", "name": "Jane Doe", "designated": True},
    "update_contact": {"notification_preference": "digest"},
    "create_agent": {
        "name": "Sam Rivera",
        "email": "sam@supportdesk.dev",
        "role": "support_tier1",
        "expertise": ["billing", "integrations"],
        "timezone": "Europe/Lisbon",
        "working_hours": OFFICE_HOURS,
        "capacity": 12,
    },
    "update_agent": {"capacity": 15, "expertise": ["billing", "integrations", "exports"]},
    "create_time_off": {
        "starts_at": "2026-12-21T00:00:00Z",
        "ends_at": "2027-01-04T00:00:00Z",
        "reason": "Winter holidays",
    },
    "create_calendar": {
        "name": "Lisbon office",
        "timezone": "Europe/Lisbon",
        "weekly_hours": OFFICE_HOURS,
        "holiday_country": "PT",
        "closed_dates": ["2026-12-24"],
    },
    "update_calendar": {"closed_dates": ["2026-12-24", "2026-12-31"]},
    "replace_sla_policies": {
        "targets": [
            {
                "plan": "enterprise",
                "priority": "high",
                "metric": "first_response",
                "clock": "business",
                "target_minutes": 60,
                "at_risk_percent": 75,
            }
        ]
    },
    "create_ticket": {
        "subject": "Invoice export shows a blank page",
        "description": "Since this morning, exporting any invoice shows a blank page.",
        "priority": "high",
        "category": "bug_report",
        "requester_id": CONTACT,
        "context": CONTEXT,
    },
    "update_ticket": {"priority": "critical", "assignee_id": AGENT},
    "transition_ticket": {"to": "resolved", "reason": "Fixed in 4.12.1"},
    "split_ticket": {
        "parts": [
            {
                "subject": "Export fails for PDF invoices",
                "description": "The PDF export shows a blank page.",
                "category": "bug_report",
            }
        ]
    },
    "merge_ticket": {"into": OTHER_TICKET},
    "rate_ticket": {"score": 5, "comment": "Quick and clear, thank you."},
    "link_ticket": {"problem_id": OTHER_TICKET},
    "create_comment": {
        "body": "We found the cause and are shipping a fix this afternoon.",
        "visibility": "public",
        "attachment_ids": [ATTACHMENT],
    },
    "escalate_ticket": {"reason": "The client's month-end close depends on it."},
    "assign_organization_pm": {"agent_id": AGENT},
    "request_pm_change": {"reason": "We would like a PM in our time zone."},
    "create_webhook_endpoint": {
        "url": "https://hooks.client.example/supportdesk",
        "event_types": ["ticket.created", "ticket.status_changed"],
        "description": "CRM sync",
    },
    "update_webhook_endpoint": {"enabled": False},
    "replay_webhook_events": {"since": "2026-12-01T00:00:00Z", "until": "2026-12-02T00:00:00Z"},
    "set_presence": {"state": "replying"},
    "submit_widget_request": {
        "email": "jane@client.example",
        "name": "Jane Doe",
        "subject": "Export fails",
        "description": "Exporting an invoice shows a blank page.",
        "category": "bug_report",
        "context": CONTEXT,
    },
    "upload_widget_attachment": FILE_PART,
    "receive_email": {
        "from": "Jane Doe <jane@client.example>",
        "to": "support@supportdesk.dev",
        "subject": "Export fails",
        "text": "Exporting an invoice shows a blank page since this morning.",
        "message_id": "<a1b2c3@client.example>",
    },
    "upload_attachment": FILE_PART,
}
# Bodies of another media type than the operation's first.
RAW_EXAMPLES: dict[tuple[str, str], str] = {("receive_email", "message/rfc822"): RAW_MAIL}
