from enum import StrEnum


class Kind(StrEnum):
    ACKNOWLEDGMENT = "acknowledgment"
    AWAITING_APPROVAL = "awaiting_approval"
    BROADCAST = "broadcast"
    CANCELLED = "cancelled"
    CHAT_TRANSCRIPT = "chat_transcript"
    ESCALATION = "escalation"
    PENDING = "pending"
    PM_CHANGED = "pm_changed"
    PM_WELCOME = "pm_welcome"
    REOPENED = "reopened"
    REPLY = "reply"
    RESOLVED = "resolved"
    SPLIT = "split"
    WEEKLY_SUMMARY = "weekly_summary"

    def __str__(self) -> str:
        return str(self.value)
