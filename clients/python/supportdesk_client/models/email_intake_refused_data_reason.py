from enum import StrEnum


class EmailIntakeRefusedDataReason(StrEnum):
    NOT_DESIGNATED = "not_designated"
    UNKNOWN_CONTACT = "unknown_contact"

    def __str__(self) -> str:
        return str(self.value)
