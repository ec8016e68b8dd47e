"""Routing's leading few: the agents SQL leaves rank as the whole pool does, as far as they go."""

import json
import random
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.assignment import repository as agents
from app.assignment import routing, scoring
from app.db import unit_of_work
from app.sla.calendar import BusinessCalendar

NOW = datetime(2026, 3, 11, 14, 30, tzinfo=UTC)  # a Wednesday
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SHIFTS = [
    ("Europe/Berlin", "08:00", "17:00"),
    ("America/New_York", "09:00", "18:00"),
    ("Asia/Tokyo", "09:00", "18:00"),
    ("UTC", "00:00", "08:00"),
]
# Tags as stored: regular ones, and ones SQL cannot compare as scoring does (capitals, spaces,
# a sharp s that case-folds to "ss").
TAGS = ["retail", "sap", "web", "finance", "Retail", "s a p", "sap  ", "straße", "web  shop"]
ROLES = ["support_tier1", "support_tier1", "support_tier1", "support_tier3", "senior_pm"]
INSERT_AGENT = sa.text(
    """
    INSERT INTO agents (id, created_at, updated_at, version, name, email, role, expertise,
                        timezone, working_hours, capacity, active, open_ticket_count)
    VALUES (:id, :created_at, :created_at, 1, :name, :email, :role, :expertise, :timezone,
            CAST(:working_hours AS jsonb), :capacity, :active, :load)
    """
)
INSERT_TIME_OFF = sa.text(
    """
    INSERT INTO agent_time_off (id, created_at, updated_at, version, agent_id, starts_at,
                                ends_at)
    VALUES (:id, :at, :at, 1, :agent_id, :starts_at, :ends_at)
    """
)


def agent_values(rng: random.Random, index: int) -> dict:
    zone, start, end = rng.choice(SHIFTS)
    hours = {day: [[start, end]] if day not in ("sat", "sun") else [] for day in DAYS}
    capacity = rng.randint(1, 6)
    return {
        "id": uuid.uuid4(),
        # Some agents share an instant, so ties go on to the id.
        "created_at": NOW - timedelta(days=rng.randint(1, 5)),
        "name": f"Agent {index}",
        "email": f"agent{index}@desk.example",
        "role": rng.choice(ROLES),
        "expertise": rng.sample(TAGS, rng.randint(0, 3)),
        "timezone": zone,
        "working_hours": json.dumps(hours),
        "capacity": capacity,
        "active": rng.random() > 0.1,
        # Loads repeat a few shares (0, 1/2, 1/3 ...) so that scores tie.
        "load": rng.randint(0, capacity),
    }


async def seed_agents(sessions, rng: random.Random, count: int) -> None:
    rows = [agent_values(rng, index) for index in range(count)]
    away = [
        {
            "id": uuid.uuid4(),
            "at": NOW,
            "agent_id": row["id"],
            "starts_at": NOW - timedelta(hours=1),
            "ends_at": NOW + timedelta(hours=rng.choice([-0.5, 2])),
        }
        for row in rng.sample(rows, count // 10)
    ]
    async with unit_of_work(sessions) as session:
        await session.execute(INSERT_AGENT, rows)
        await session.execute(INSERT_TIME_OFF, away)


def need(roles: set[str], industry: str | None, platform: str | None, on_duty: bool):
    calendar = BusinessCalendar.from_dict(
        {
            "timezone": "Europe/London",
            "weekly_hours": {day: [["08:00", "18:00"]] for day in DAYS[:5]},
        }
    )
    return scoring.Need(
        roles=frozenset(roles),
        calendar=calendar,
        at=NOW,
        industry=industry,
        platform=platform,
        require_on_duty=on_duty,
    )


NEEDS = [
    need({"support_tier1"}, "Retail", "SAP", False),
    need({"support_tier1"}, "retail", None, False),
    need({"support_tier1"}, None, None, False),
    need({"support_tier1"}, "STRASSE", "web shop", False),
    need({"support_tier3", "senior_pm"}, "finance", "web", True),
    need({"support_tier1", "support_tier3"}, "Finance", "Web", True),
]


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_leading_few_rank_as_everyone_does_as_far_as_they_go(app, seed):
    await seed_agents(app.state.sessions, random.Random(seed), 160)
    async with unit_of_work(app.state.sessions) as session:
        for wanted in NEEDS:
            everyone = await agents.candidates(session, wanted.roles, NOW, for_tickets=True)
            full = scoring.rank(everyone, wanted) or scoring.rank(
                everyone, replace(wanted, require_on_duty=False)
            )
            head = await routing.leading_ranking(session, wanted)

            assert head, wanted
            assert [(r.position, r.candidate.id) for r in head] == [
                (r.position, r.candidate.id) for r in full[: len(head)]
            ]
            assert [r.score for r in head] == [r.score for r in full[: len(head)]]


async def test_no_one_with_room_leaves_no_leading_few(app):
    await seed_agents(app.state.sessions, random.Random(4), 20)
    async with unit_of_work(app.state.sessions) as session:
        await session.execute(sa.text("UPDATE agents SET open_ticket_count = capacity"))
        assert await routing.leading_ranking(session, NEEDS[0]) == []
