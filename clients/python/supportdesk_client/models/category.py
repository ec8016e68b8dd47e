from enum import StrEnum


class Category(StrEnum):
    ACCOUNT = "account"
    BILLING = "billing"
    BUG_REPORT = "bug_report"
    FEATURE_REQUEST = "feature_request"
    GENERAL = "general"
    PROJECT = "project"
    REQUEST = "request"
    TECHNICAL = "technical"

    def __str__(self) -> str:
        return str(self.value)
