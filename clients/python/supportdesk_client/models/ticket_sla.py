from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sla_clock_out import SlaClockOut


T = TypeVar("T", bound="TicketSla")


@_attrs_define
class TicketSla:
    """
    Attributes:
        first_response (None | SlaClockOut):
        next_update (None | SlaClockOut): Armed by the first public reply, for priorities that have it.
        resolution (None | SlaClockOut):
        escalation_review (None | SlaClockOut): Started by an escalation; met by the next public reply.
    """

    first_response: None | SlaClockOut
    next_update: None | SlaClockOut
    resolution: None | SlaClockOut
    escalation_review: None | SlaClockOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.sla_clock_out import SlaClockOut  # noqa: PLC0415

        first_response: dict[str, Any] | None
        if isinstance(self.first_response, SlaClockOut):
            first_response = self.first_response.to_dict()
        else:
            first_response = self.first_response

        next_update: dict[str, Any] | None
        if isinstance(self.next_update, SlaClockOut):
            next_update = self.next_update.to_dict()
        else:
            next_update = self.next_update

        resolution: dict[str, Any] | None
        if isinstance(self.resolution, SlaClockOut):
            resolution = self.resolution.to_dict()
        else:
            resolution = self.resolution

        escalation_review: dict[str, Any] | None
        if isinstance(self.escalation_review, SlaClockOut):
            escalation_review = self.escalation_review.to_dict()
        else:
            escalation_review = self.escalation_review

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "first_response": first_response,
                "next_update": next_update,
                "resolution": resolution,
                "escalation_review": escalation_review,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sla_clock_out import SlaClockOut  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_first_response(data: object) -> None | SlaClockOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                first_response_type_0 = SlaClockOut.from_dict(data)

                return first_response_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SlaClockOut, data)

        first_response = _parse_first_response(d.pop("first_response"))

        def _parse_next_update(data: object) -> None | SlaClockOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_update_type_0 = SlaClockOut.from_dict(data)

                return next_update_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SlaClockOut, data)

        next_update = _parse_next_update(d.pop("next_update"))

        def _parse_resolution(data: object) -> None | SlaClockOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                resolution_type_0 = SlaClockOut.from_dict(data)

                return resolution_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SlaClockOut, data)

        resolution = _parse_resolution(d.pop("resolution"))

        def _parse_escalation_review(data: object) -> None | SlaClockOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                escalation_review_type_0 = SlaClockOut.from_dict(data)

                return escalation_review_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SlaClockOut, data)

        escalation_review = _parse_escalation_review(d.pop("escalation_review"))

        ticket_sla = cls(
            first_response=first_response,
            next_update=next_update,
            resolution=resolution,
            escalation_review=escalation_review,
        )

        ticket_sla.additional_properties = d
        return ticket_sla

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
