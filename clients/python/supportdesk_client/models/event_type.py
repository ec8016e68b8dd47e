from enum import StrEnum


class EventType(StrEnum):
    INTAKE_REFUSED = "intake.refused"
    ORGANIZATION_PM_ASSIGNED = "organization.pm_assigned"
    ORGANIZATION_PM_CHANGED = "organization.pm_changed"
    ORGANIZATION_PM_UNASSIGNED = "organization.pm_unassigned"
    TICKET_ASSIGNED = "ticket.assigned"
    TICKET_CHAT_ENDED = "ticket.chat_ended"
    TICKET_COMMENT_ADDED = "ticket.comment_added"
    TICKET_CREATED = "ticket.created"
    TICKET_EMERGENCY = "ticket.emergency"
    TICKET_ESCALATED = "ticket.escalated"
    TICKET_LINKED = "ticket.linked"
    TICKET_MERGED = "ticket.merged"
    TICKET_SATISFACTION_RATED = "ticket.satisfaction_rated"
    TICKET_SLA_AT_RISK = "ticket.sla_at_risk"
    TICKET_SLA_BREACHED = "ticket.sla_breached"
    TICKET_SPLIT = "ticket.split"
    TICKET_STATUS_CHANGED = "ticket.status_changed"
    TICKET_UNASSIGNED = "ticket.unassigned"
    TICKET_UPDATED = "ticket.updated"
    WEBHOOK_ENDPOINT_DISABLED = "webhook_endpoint.disabled"

    def __str__(self) -> str:
        return str(self.value)
