from enum import StrEnum


class ClockKind(StrEnum):
    BUSINESS = "business"
    CALENDAR = "calendar"

    def __str__(self) -> str:
        return str(self.value)
