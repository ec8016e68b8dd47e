from enum import StrEnum


class WidgetIntakeRefusedDataReason(StrEnum):
    NOT_DESIGNATED = "not_designated"
    UNKNOWN_CONTACT = "unknown_contact"

    def __str__(self) -> str:
        return str(self.value)
