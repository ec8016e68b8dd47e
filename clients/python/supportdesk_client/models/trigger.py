from enum import StrEnum


class Trigger(StrEnum):
    AGENT = "agent"
    CLIENT = "client"
    IMPACT = "impact"
    SLA_BREACH = "sla_breach"

    def __str__(self) -> str:
        return str(self.value)
