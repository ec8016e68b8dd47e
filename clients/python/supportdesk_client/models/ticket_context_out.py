from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.location import Location

T = TypeVar("T", bound="TicketContextOut")


@_attrs_define
class TicketContextOut:
    """The context as responses carry it: cut to TicketContext's limits, since contexts
    captured from browser headers were once stored as they came.

        Attributes:
            url (None | str):
            browser (None | str):
            os (None | str):
            app_version (None | str):
            users_affected (int | None):
            location (Location | None):
            steps (None | str):
            attachments (list[str]):
    """

    url: None | str
    browser: None | str
    os: None | str
    app_version: None | str
    users_affected: int | None
    location: Location | None
    steps: None | str
    attachments: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url: None | str
        url = self.url

        browser: None | str
        browser = self.browser

        os: None | str
        os = self.os

        app_version: None | str
        app_version = self.app_version

        users_affected: int | None
        users_affected = self.users_affected

        location: None | str
        if isinstance(self.location, Location):
            location = self.location.value
        else:
            location = self.location

        steps: None | str
        steps = self.steps

        attachments = self.attachments

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
                "browser": browser,
                "os": os,
                "app_version": app_version,
                "users_affected": users_affected,
                "location": location,
                "steps": steps,
                "attachments": attachments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        def _parse_browser(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        browser = _parse_browser(d.pop("browser"))

        def _parse_os(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        os = _parse_os(d.pop("os"))

        def _parse_app_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        app_version = _parse_app_version(d.pop("app_version"))

        def _parse_users_affected(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        users_affected = _parse_users_affected(d.pop("users_affected"))

        def _parse_location(data: object) -> Location | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                location_type_0 = Location(data)

                return location_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Location | None, data)

        location = _parse_location(d.pop("location"))

        def _parse_steps(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        steps = _parse_steps(d.pop("steps"))

        attachments = cast(list[str], d.pop("attachments"))

        ticket_context_out = cls(
            url=url,
            browser=browser,
            os=os,
            app_version=app_version,
            users_affected=users_affected,
            location=location,
            steps=steps,
            attachments=attachments,
        )

        ticket_context_out.additional_properties = d
        return ticket_context_out

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
