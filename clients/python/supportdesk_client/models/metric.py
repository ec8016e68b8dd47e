from enum import StrEnum


class Metric(StrEnum):
    ESCALATION_REVIEW = "escalation_review"
    FIRST_RESPONSE = "first_response"
    NEXT_UPDATE = "next_update"
    RESOLUTION = "resolution"

    def __str__(self) -> str:
        return str(self.value)
