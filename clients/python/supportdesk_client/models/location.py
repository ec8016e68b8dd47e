from enum import StrEnum


class Location(StrEnum):
    HOME = "home"
    OFFICE = "office"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
