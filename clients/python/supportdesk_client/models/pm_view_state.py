from enum import StrEnum


class PmViewState(StrEnum):
    ASSIGNED = "assigned"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
