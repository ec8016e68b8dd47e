from enum import StrEnum


class KeyKind(StrEnum):
    ADMIN = "admin"
    AGENT = "agent"
    CONTACT = "contact"
    INTEGRATION = "integration"
    WIDGET = "widget"

    def __str__(self) -> str:
        return str(self.value)
