from enum import StrEnum


class NotificationPreference(StrEnum):
    ALL = "all"
    DIGEST = "digest"
    IMPORTANT = "important"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
