from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.category import Category
from ..models.channel import Channel
from ..models.priority import Priority
from ..models.status import Status

if TYPE_CHECKING:
    from ..models.ticket_context_out import TicketContextOut
    from ..models.ticket_sla import TicketSla


T = TypeVar("T", bound="TicketSnapshot")


@_attrs_define
class TicketSnapshot:
    """The ticket as it stood after the event: what GET /v1/tickets/{id} returned then, but for
    `attachments` (`ticket.created` lists the files beside it).

        Attributes:
            id (UUID):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            number (str):
            subject (str):
            description (str):
            priority (Priority):
            category (Category):
            channel (Channel):
            status (Status):
            organization_id (UUID):
            requester_id (UUID):
            assignee_id (None | UUID):
            emergency (bool):
            context (TicketContextOut): The context as responses carry it: cut to TicketContext's limits, since contexts
                captured from browser headers were once stored as they came.
            escalation_level (int):
            queue_position (int | None):
            resolved_at (datetime.datetime | None):
            closed_at (datetime.datetime | None):
            split_from_id (None | UUID): The ticket this one was split from.
            merged_into_id (None | UUID): Set on a duplicate: the ticket it was merged into.
            problem_id (None | UUID): Set on an incident: the problem ticket it is linked to.
            revision_count (int): Times the client sent the work back from awaiting_approval. Default: 0.
            satisfaction_score (int | None): CSAT 1-5, once rated.
            satisfaction_comment (None | str):
            satisfaction_rated_at (datetime.datetime | None):
            sla (TicketSla):
    """

    id: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    number: str
    subject: str
    description: str
    priority: Priority
    category: Category
    channel: Channel
    status: Status
    organization_id: UUID
    requester_id: UUID
    assignee_id: None | UUID
    emergency: bool
    context: TicketContextOut
    escalation_level: int
    queue_position: int | None
    resolved_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    split_from_id: None | UUID
    merged_into_id: None | UUID
    problem_id: None | UUID
    satisfaction_score: int | None
    satisfaction_comment: None | str
    satisfaction_rated_at: datetime.datetime | None
    sla: TicketSla
    revision_count: int = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        number = self.number

        subject = self.subject

        description = self.description

        priority = self.priority.value

        category = self.category.value

        channel = self.channel.value

        status = self.status.value

        organization_id = str(self.organization_id)

        requester_id = str(self.requester_id)

        assignee_id: None | str
        if isinstance(self.assignee_id, UUID):
            assignee_id = str(self.assignee_id)
        else:
            assignee_id = self.assignee_id

        emergency = self.emergency

        context = self.context.to_dict()

        escalation_level = self.escalation_level

        queue_position: int | None
        queue_position = self.queue_position

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        split_from_id: None | str
        if isinstance(self.split_from_id, UUID):
            split_from_id = str(self.split_from_id)
        else:
            split_from_id = self.split_from_id

        merged_into_id: None | str
        if isinstance(self.merged_into_id, UUID):
            merged_into_id = str(self.merged_into_id)
        else:
            merged_into_id = self.merged_into_id

        problem_id: None | str
        if isinstance(self.problem_id, UUID):
            problem_id = str(self.problem_id)
        else:
            problem_id = self.problem_id

        revision_count = self.revision_count

        satisfaction_score: int | None
        satisfaction_score = self.satisfaction_score

        satisfaction_comment: None | str
        satisfaction_comment = self.satisfaction_comment

        satisfaction_rated_at: None | str
        if isinstance(self.satisfaction_rated_at, datetime.datetime):
            satisfaction_rated_at = self.satisfaction_rated_at.isoformat()
        else:
            satisfaction_rated_at = self.satisfaction_rated_at

        sla = self.sla.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "updated_at": updated_at,
                "number": number,
                "subject": subject,
                "description": description,
                "priority": priority,
                "category": category,
                "channel": channel,
                "status": status,
                "organization_id": organization_id,
                "requester_id": requester_id,
                "assignee_id": assignee_id,
                "emergency": emergency,
                "context": context,
                "escalation_level": escalation_level,
                "queue_position": queue_position,
                "resolved_at": resolved_at,
                "closed_at": closed_at,
                "split_from_id": split_from_id,
                "merged_into_id": merged_into_id,
                "problem_id": problem_id,
                "revision_count": revision_count,
                "satisfaction_score": satisfaction_score,
                "satisfaction_comment": satisfaction_comment,
                "satisfaction_rated_at": satisfaction_rated_at,
                "sla": sla,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_context_out import TicketContextOut  # noqa: PLC0415
        from ..models.ticket_sla import TicketSla  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        number = d.pop("number")

        subject = d.pop("subject")

        description = d.pop("description")

        priority = Priority(d.pop("priority"))

        category = Category(d.pop("category"))

        channel = Channel(d.pop("channel"))

        status = Status(d.pop("status"))

        organization_id = UUID(d.pop("organization_id"))

        requester_id = UUID(d.pop("requester_id"))

        def _parse_assignee_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assignee_id_type_0 = UUID(data)

                return assignee_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        assignee_id = _parse_assignee_id(d.pop("assignee_id"))

        emergency = d.pop("emergency")

        context = TicketContextOut.from_dict(d.pop("context"))

        escalation_level = d.pop("escalation_level")

        def _parse_queue_position(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        queue_position = _parse_queue_position(d.pop("queue_position"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        def _parse_split_from_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                split_from_id_type_0 = UUID(data)

                return split_from_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        split_from_id = _parse_split_from_id(d.pop("split_from_id"))

        def _parse_merged_into_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                merged_into_id_type_0 = UUID(data)

                return merged_into_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        merged_into_id = _parse_merged_into_id(d.pop("merged_into_id"))

        def _parse_problem_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                problem_id_type_0 = UUID(data)

                return problem_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        problem_id = _parse_problem_id(d.pop("problem_id"))

        revision_count = d.pop("revision_count")

        def _parse_satisfaction_score(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        satisfaction_score = _parse_satisfaction_score(d.pop("satisfaction_score"))

        def _parse_satisfaction_comment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        satisfaction_comment = _parse_satisfaction_comment(d.pop("satisfaction_comment"))

        def _parse_satisfaction_rated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                satisfaction_rated_at_type_0 = datetime.datetime.fromisoformat(data)

                return satisfaction_rated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        satisfaction_rated_at = _parse_satisfaction_rated_at(d.pop("satisfaction_rated_at"))

        sla = TicketSla.from_dict(d.pop("sla"))

        ticket_snapshot = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            number=number,
            subject=subject,
            description=description,
            priority=priority,
            category=category,
            channel=channel,
            status=status,
            organization_id=organization_id,
            requester_id=requester_id,
            assignee_id=assignee_id,
            emergency=emergency,
            context=context,
            escalation_level=escalation_level,
            queue_position=queue_position,
            resolved_at=resolved_at,
            closed_at=closed_at,
            split_from_id=split_from_id,
            merged_into_id=merged_into_id,
            problem_id=problem_id,
            revision_count=revision_count,
            satisfaction_score=satisfaction_score,
            satisfaction_comment=satisfaction_comment,
            satisfaction_rated_at=satisfaction_rated_at,
            sla=sla,
        )

        ticket_snapshot.additional_properties = d
        return ticket_snapshot

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
