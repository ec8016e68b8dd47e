from enum import StrEnum


class AuthorType(StrEnum):
    AGENT = "agent"
    CONTACT = "contact"
    SYSTEM = "system"

    def __str__(self) -> str:
        return str(self.value)
