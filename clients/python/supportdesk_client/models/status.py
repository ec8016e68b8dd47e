from enum import StrEnum


class Status(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    CANCELLED = "cancelled"
    CLOSED = "closed"
    NEW = "new"
    ON_HOLD = "on_hold"
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"

    def __str__(self) -> str:
        return str(self.value)
