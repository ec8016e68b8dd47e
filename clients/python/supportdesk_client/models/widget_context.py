from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.location import Location
from ..types import UNSET, Unset

T = TypeVar("T", bound="WidgetContext")


@_attrs_define
class WidgetContext:
    """The page's environment: an allowlist of TicketContext's fields, so a field added there
    does not open up to publishable keys. No `users_affected`: a page must not be able to claim
    an impact that escalates at once.

        Attributes:
            url (None | str | Unset):
            browser (None | str | Unset):
            os (None | str | Unset):
            app_version (None | str | Unset):
            location (Location | None | Unset):
            steps (None | str | Unset):
            attachments (list[str] | Unset):
    """

    url: None | str | Unset = UNSET
    browser: None | str | Unset = UNSET
    os: None | str | Unset = UNSET
    app_version: None | str | Unset = UNSET
    location: Location | None | Unset = UNSET
    steps: None | str | Unset = UNSET
    attachments: list[str] | Unset = UNSET

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

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if browser is not UNSET:
            field_dict["browser"] = browser
        if os is not UNSET:
            field_dict["os"] = os
        if app_version is not UNSET:
            field_dict["app_version"] = app_version
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

        widget_context = cls(
            url=url,
            browser=browser,
            os=os,
            app_version=app_version,
            location=location,
            steps=steps,
            attachments=attachments,
        )

        return widget_context
