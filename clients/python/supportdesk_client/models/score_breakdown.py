from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.reference_week import ReferenceWeek
    from ..models.score_parts import ScoreParts


T = TypeVar("T", bound="ScoreBreakdown")


@_attrs_define
class ScoreBreakdown:
    """Why an agent was chosen (app/assignment/scoring.py): the ranked candidate's score,
    every component in 0..1, combined as a weighted average.

        Attributes:
            position (int): 1 for the best eligible agent.
            agent_id (UUID):
            summary (str): The breakdown in one line.
            total (float):
            expertise (float): Share of `expertise_wanted` in the agent's tags.
            expertise_wanted (list[str]): The organization's industry and platform, normalised.
            expertise_matched (list[str]):
            overlap_minutes_per_week (int):
            agent_minutes_per_week (int):
            organization_minutes_per_week (int):
            overlap_share (float):
            load (int): Work the agent held when chosen.
            capacity (int):
            load_share (float): `load / capacity` (1 at no capacity).
            weights (ScoreParts): One number per component of the score: expertise, overlap, low load.
            contributions (ScoreParts): One number per component of the score: expertise, overlap, low load.
            reference_week (ReferenceWeek): The organization's local Monday-to-Monday week the overlap was measured over
                (UTC).
    """

    position: int
    agent_id: UUID
    summary: str
    total: float
    expertise: float
    expertise_wanted: list[str]
    expertise_matched: list[str]
    overlap_minutes_per_week: int
    agent_minutes_per_week: int
    organization_minutes_per_week: int
    overlap_share: float
    load: int
    capacity: int
    load_share: float
    weights: ScoreParts
    contributions: ScoreParts
    reference_week: ReferenceWeek
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        position = self.position

        agent_id = str(self.agent_id)

        summary = self.summary

        total = self.total

        expertise = self.expertise

        expertise_wanted = self.expertise_wanted

        expertise_matched = self.expertise_matched

        overlap_minutes_per_week = self.overlap_minutes_per_week

        agent_minutes_per_week = self.agent_minutes_per_week

        organization_minutes_per_week = self.organization_minutes_per_week

        overlap_share = self.overlap_share

        load = self.load

        capacity = self.capacity

        load_share = self.load_share

        weights = self.weights.to_dict()

        contributions = self.contributions.to_dict()

        reference_week = self.reference_week.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "position": position,
                "agent_id": agent_id,
                "summary": summary,
                "total": total,
                "expertise": expertise,
                "expertise_wanted": expertise_wanted,
                "expertise_matched": expertise_matched,
                "overlap_minutes_per_week": overlap_minutes_per_week,
                "agent_minutes_per_week": agent_minutes_per_week,
                "organization_minutes_per_week": organization_minutes_per_week,
                "overlap_share": overlap_share,
                "load": load,
                "capacity": capacity,
                "load_share": load_share,
                "weights": weights,
                "contributions": contributions,
                "reference_week": reference_week,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reference_week import ReferenceWeek  # noqa: PLC0415
        from ..models.score_parts import ScoreParts  # noqa: PLC0415

        d = dict(src_dict)
        position = d.pop("position")

        agent_id = UUID(d.pop("agent_id"))

        summary = d.pop("summary")

        total = d.pop("total")

        expertise = d.pop("expertise")

        expertise_wanted = cast(list[str], d.pop("expertise_wanted"))

        expertise_matched = cast(list[str], d.pop("expertise_matched"))

        overlap_minutes_per_week = d.pop("overlap_minutes_per_week")

        agent_minutes_per_week = d.pop("agent_minutes_per_week")

        organization_minutes_per_week = d.pop("organization_minutes_per_week")

        overlap_share = d.pop("overlap_share")

        load = d.pop("load")

        capacity = d.pop("capacity")

        load_share = d.pop("load_share")

        weights = ScoreParts.from_dict(d.pop("weights"))

        contributions = ScoreParts.from_dict(d.pop("contributions"))

        reference_week = ReferenceWeek.from_dict(d.pop("reference_week"))

        score_breakdown = cls(
            position=position,
            agent_id=agent_id,
            summary=summary,
            total=total,
            expertise=expertise,
            expertise_wanted=expertise_wanted,
            expertise_matched=expertise_matched,
            overlap_minutes_per_week=overlap_minutes_per_week,
            agent_minutes_per_week=agent_minutes_per_week,
            organization_minutes_per_week=organization_minutes_per_week,
            overlap_share=overlap_share,
            load=load,
            capacity=capacity,
            load_share=load_share,
            weights=weights,
            contributions=contributions,
            reference_week=reference_week,
        )

        score_breakdown.additional_properties = d
        return score_breakdown

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
