"""The SLA report as the API shows it."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from app.schemas import CURSOR_LENGTH, PAGE_MAX, Count, Listed, Text


class GroupBy(StrEnum):
    priority = "priority"
    organization = "organization"
    agent = "agent"


class ClockStats(BaseModel):
    """One metric (first response or resolution) over a group's tickets."""

    met: Count = Field(description="Clocks met within their target.")
    breached: Count = Field(
        description="Clocks breached: a breach was recorded, a met clock counted more than its "
        "target, or a running clock is past due."
    )
    excluded: Count = Field(
        description="Clocks without an outcome yet (running and not yet due, paused, or "
        "stopped by a cancellation without a breach); left out of the compliance."
    )
    compliance_percent: float | None = Field(
        description="met / (met + breached) x 100; null when no clock has an outcome."
    )
    median_minutes: float | None = Field(
        description="Median time to meet the clock, over met clocks (business minutes on a "
        "business clock, calendar minutes otherwise; paused time does not count)."
    )
    p90_minutes: float | None = Field(description="90th percentile of the same times.")


class Csat(BaseModel):
    average: float | None = Field(description="Mean satisfaction score (1-5) of rated tickets.")
    count: Count = Field(description="Rated tickets.")


class SlaReportRow(BaseModel):
    """The figures of one group (or of all tickets in the range, for the total)."""

    key: Text(64) | None = Field(
        description="The priority, the organization id or the assignee's agent id; null for "
        "unassigned tickets (by agent) and for the total.",
        examples=["high"],
    )
    name: Text(200) | None = Field(
        description="The organization's or agent's name (the priority for priorities).",
        examples=["high"],
    )
    tickets: Count = Field(description="Tickets created in the range.")
    first_response: ClockStats
    resolution: ClockStats
    breaches: Count = Field(description="Breached first-response and resolution clocks.")
    escalations: Count = Field(description="Escalations of these tickets, any trigger.")
    csat: Csat


class SlaReport(BaseModel):
    """SLA compliance and timings of the tickets created in [from, to), by group."""

    from_: datetime = Field(alias="from")
    to: datetime
    group_by: GroupBy
    generated_at: datetime = Field(
        description="The instant running clocks were judged at (past due means breached)."
    )
    total: SlaReportRow = Field(description="All tickets in the range, whatever the page.")
    data: Listed(SlaReportRow, PAGE_MAX) = Field(
        description="A page of the groups: priorities from urgent down; organizations and "
        "agents by name (unassigned tickets last)."
    )
    next_cursor: Text(CURSOR_LENGTH) | None
