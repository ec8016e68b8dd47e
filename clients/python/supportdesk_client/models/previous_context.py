from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.location import Location
from ..types import UNSET, Unset

T = TypeVar("T", bound="PreviousContext")


@_attrs_define
class PreviousContext:
    """A ticket's context as it was stored: only the values that were given.

    Attributes:
        url (str | Unset):
        browser (str | Unset):
        os (str | Unset):
        app_version (str | Unset):
        users_affected (int | Unset):
        location (Location | Unset):
        steps (str | Unset):
        attachments (list[str] | Unset):
    """

    url: str | Unset = UNSET
    browser: str | Unset = UNSET
    os: str | Unset = UNSET
    app_version: str | Unset = UNSET
    users_affected: int | Unset = UNSET
    location: Location | Unset = UNSET
    steps: str | Unset = UNSET
    attachments: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        browser = self.browser

        os = self.os

        app_version = self.app_version

        users_affected = self.users_affected

        location: str | Unset = UNSET
        if not isinstance(self.location, Unset):
            location = self.location.value

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
        url = d.pop("url", UNSET)

        browser = d.pop("browser", UNSET)

        os = d.pop("os", UNSET)

        app_version = d.pop("app_version", UNSET)

        users_affected = d.pop("users_affected", UNSET)

        _location = d.pop("location", UNSET)
        location: Location | Unset
        if isinstance(_location, Unset):
            location = UNSET
        else:
            location = Location(_location)

        steps = d.pop("steps", UNSET)

        attachments = cast(list[str], d.pop("attachments", UNSET))

        previous_context = cls(
            url=url,
            browser=browser,
            os=os,
            app_version=app_version,
            users_affected=users_affected,
            location=location,
            steps=steps,
            attachments=attachments,
        )

        previous_context.additional_properties = d
        return previous_context

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
