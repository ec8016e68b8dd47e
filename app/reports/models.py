"""The SLA report's daily roll-ups, and what tells a stale one from a fresh one.

A closed UTC day's tickets rarely change, so their figures are summed once per grouping and
kept (`ReportRollup`); the report reads those instead of the day's tickets and clocks. The
database itself counts every change that could alter a closed day's figures (`ReportDay`, bumped
by triggers on `tickets` and `ticket_clocks`, see migration 0021), so no code path can forget to
say so; a roll-up counts only while it was built from the day's current version
(`ReportBuild.version`) and is read only at the instants it judged alike (`judged_from` to
`judged_until`: no running clock fell due between the build and the report's `now`).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from app.base import TIMESTAMP


class ReportChange(SQLModel, table=True):
    """A transaction (`xid`) changed a closed day's tickets or clocks since its last build."""

    __tablename__ = "report_changes"

    day: date = Field(primary_key=True)
    xid: int = Field(primary_key=True, sa_type=sa.BigInteger)


class ReportBuild(SQLModel, table=True):
    """The day's roll-ups were summed judging running clocks at `built_at`."""

    __tablename__ = "report_builds"

    day: date = Field(primary_key=True)
    built_at: datetime = Field(sa_type=TIMESTAMP, nullable=False)
    judged_from: datetime = Field(sa_type=TIMESTAMP, nullable=False)
    judged_until: datetime = Field(sa_type=TIMESTAMP, nullable=False)


class ReportRollup(SQLModel, table=True):
    """One group's figures for one metric of one day, as the report's live query sums them."""

    __tablename__ = "report_rollups"
    __table_args__ = (sa.Index("ix_report_rollups_grouping_day", "grouping", "day"),)

    id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.Identity(), primary_key=True)
    )
    grouping: str = Field(sa_type=sa.String(16), nullable=False)
    day: date = Field(foreign_key="report_builds.day", ondelete="CASCADE", nullable=False)
    key: str | None = Field(default=None, sa_type=sa.String(64))
    metric: str | None = Field(default=None, sa_type=sa.String(24))
    rows: int = Field(nullable=False)
    met: int = Field(nullable=False)
    breached: int = Field(nullable=False)
    minutes: list[float] = Field(sa_type=ARRAY(sa.Double), nullable=False)
    escalations: int = Field(sa_type=sa.BigInteger, nullable=False)
    csat_sum: int = Field(sa_type=sa.BigInteger, nullable=False)
    csat_count: int = Field(sa_type=sa.BigInteger, nullable=False)
