from enum import StrEnum


class EmailAction(StrEnum):
    COMMENTED = "commented"
    CREATED = "created"
    DUPLICATE = "duplicate"
    ESCALATED = "escalated"
    IGNORED = "ignored"
    REFUSED = "refused"

    def __str__(self) -> str:
        return str(self.value)
