from enum import StrEnum


class Role(StrEnum):
    LEADERSHIP = "leadership"
    OPS_MANAGER = "ops_manager"
    PM = "pm"
    SENIOR_PM = "senior_pm"
    SUPPORT_TIER1 = "support_tier1"
    SUPPORT_TIER2 = "support_tier2"
    SUPPORT_TIER3 = "support_tier3"

    def __str__(self) -> str:
        return str(self.value)
