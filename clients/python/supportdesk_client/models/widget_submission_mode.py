from enum import StrEnum


class WidgetSubmissionMode(StrEnum):
    CHAT = "chat"
    FORM = "form"

    def __str__(self) -> str:
        return str(self.value)
