from enum import StrEnum


class TicketSort(StrEnum):
    NEWEST = "newest"
    URGENCY = "urgency"

    def __str__(self) -> str:
        return str(self.value)
