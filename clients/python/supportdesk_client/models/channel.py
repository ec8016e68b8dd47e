from enum import StrEnum


class Channel(StrEnum):
    API = "api"
    CHAT = "chat"
    EMAIL = "email"
    PHONE = "phone"
    PORTAL = "portal"
    WIDGET = "widget"

    def __str__(self) -> str:
        return str(self.value)
