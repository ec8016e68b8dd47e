"""Support Desk: tickets, SLA clocks, assignment, escalation and signed webhooks."""
