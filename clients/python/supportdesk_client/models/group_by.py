from enum import StrEnum


class GroupBy(StrEnum):
    AGENT = "agent"
    ORGANIZATION = "organization"
    PRIORITY = "priority"

    def __str__(self) -> str:
        return str(self.value)
