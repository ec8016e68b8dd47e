from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.location import Location
from ..types import UNSET, Unset

T = TypeVar("T", bound="TicketContextOut")


@_attrs_define
class TicketContextOut:
    """The context as responses carry it (no input validation on the way out).

    Attributes:
        url (None | str | Unset):
        browser (None | str | Unset):
        os (None | str | Unset):
        app_version (None | str | Unset):
        users_affected (int | None | Unset):
        location (Location | None | Unset):
        steps (None | str | Unset):
        attachments (list[str] | Unset):
    """

    url: None | str | Unset = UNSET
    browser: None | str | Unset = UNSET
    os: None | str | Unset = UNSET
    app_version: None | str | Unset = UNSET
    users_affected: int | None | Unset = UNSET
    location: Location | None | Unset = UNSET
    steps: None | str | Unset = UNSET
    attachments: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        browser: None | str | Unset
        if isinstance(self.browser, Unset):
            browser = UNSET
        else:
            browser = self.browser

        os: None | str | Unset
        if isinstance(self.os, Unset):
            os = UNSET
        else:
            os = self.os

        app_version: None | str | Unset
        if isinstance(self.app_version, Unset):
            app_version = UNSET
        else:
            app_version = self.app_version

        users_affected: int | None | Unset
        if isinstance(self.users_affected, Unset):
            users_affected = UNSET
        else:
            users_affected = self.users_affected

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        elif isinstance(self.location, Location):
            location = self.location.value
        else:
            location = self.location

        steps: None | str | Unset
        if isinstance(self.steps, Unset):
            steps = UNSET
        else:
            steps = self.steps

        attachments: list[str] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = self.attachments

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if browser is not UNSET:
            field_dict["browser"] = browser
        if os is not UNSET:
            field_dict["os"] = os
        if app_version is not UNSET:
            field_dict["app_version"] = app_version
        if users_affected is not UNSET:
            field_dict["users_affected"] = users_affected
        if location is not UNSET:
            field_dict["location"] = location
        if steps is not UNSET:
            field_dict["steps"] = steps
        if attachments is not UNSET:
            field_dict["attachments"] = attachments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        def _parse_browser(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        browser = _parse_browser(d.pop("browser", UNSET))

        def _parse_os(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        os = _parse_os(d.pop("os", UNSET))

        def _parse_app_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        app_version = _parse_app_version(d.pop("app_version", UNSET))

        def _parse_users_affected(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        users_affected = _parse_users_affected(d.pop("users_affected", UNSET))

        def _parse_location(data: object) -> Location | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                location_type_0 = Location(data)

                return location_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Location | None | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        def _parse_steps(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        steps = _parse_steps(d.pop("steps", UNSET))

        attachments = cast(list[str], d.pop("attachments", UNSET))

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
