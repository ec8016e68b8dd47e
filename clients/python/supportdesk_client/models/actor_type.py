from enum import StrEnum


class ActorType(StrEnum):
    ADMIN = "admin"
    AGENT = "agent"
    BOOTSTRAP = "bootstrap"
    CONTACT = "contact"
    INTEGRATION = "integration"
    SYSTEM = "system"
    WIDGET = "widget"

    def __str__(self) -> str:
        return str(self.value)
