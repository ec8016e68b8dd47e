from enum import StrEnum


class SlaFilter(StrEnum):
    AT_RISK = "at_risk"
    BREACHED = "breached"
    ON_TRACK = "on_track"

    def __str__(self) -> str:
        return str(self.value)
