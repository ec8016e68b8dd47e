from enum import StrEnum


class PresenceState(StrEnum):
    REPLYING = "replying"
    VIEWING = "viewing"

    def __str__(self) -> str:
        return str(self.value)
