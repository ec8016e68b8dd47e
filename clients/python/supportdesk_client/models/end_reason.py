from enum import StrEnum


class EndReason(StrEnum):
    AGENT = "agent"
    CLOSED = "closed"
    IDLE = "idle"

    def __str__(self) -> str:
        return str(self.value)
