from enum import StrEnum


class State(StrEnum):
    AT_RISK = "at_risk"
    BREACHED = "breached"
    MET = "met"
    ON_TRACK = "on_track"
    PAUSED = "paused"
    STOPPED = "stopped"

    def __str__(self) -> str:
        return str(self.value)
