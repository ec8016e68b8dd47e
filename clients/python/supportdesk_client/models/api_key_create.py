from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.key_kind import KeyKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKeyCreate")


@_attrs_define
class ApiKeyCreate:
    """
    Attributes:
        kind (KeyKind):
        name (str):
        organization_id (None | Unset | UUID): Required for integration and widget keys.
        contact_id (None | Unset | UUID): Required for contact keys.
        agent_id (None | Unset | UUID): Required for agent keys.
        allowed_origins (list[str] | Unset): Widget keys: the browser origins allowed to use the key.
        keep_url_query (bool | Unset): Widget keys: record the page URL's query string on tickets. Off by default, as
            query strings may carry sign-in links and tokens. Default: False.
    """

    kind: KeyKind
    name: str
    organization_id: None | Unset | UUID = UNSET
    contact_id: None | Unset | UUID = UNSET
    agent_id: None | Unset | UUID = UNSET
    allowed_origins: list[str] | Unset = UNSET
    keep_url_query: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        name = self.name

        organization_id: None | str | Unset
        if isinstance(self.organization_id, Unset):
            organization_id = UNSET
        elif isinstance(self.organization_id, UUID):
            organization_id = str(self.organization_id)
        else:
            organization_id = self.organization_id

        contact_id: None | str | Unset
        if isinstance(self.contact_id, Unset):
            contact_id = UNSET
        elif isinstance(self.contact_id, UUID):
            contact_id = str(self.contact_id)
        else:
            contact_id = self.contact_id

        agent_id: None | str | Unset
        if isinstance(self.agent_id, Unset):
            agent_id = UNSET
        elif isinstance(self.agent_id, UUID):
            agent_id = str(self.agent_id)
        else:
            agent_id = self.agent_id

        allowed_origins: list[str] | Unset = UNSET
        if not isinstance(self.allowed_origins, Unset):
            allowed_origins = self.allowed_origins

        keep_url_query = self.keep_url_query

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "name": name,
            }
        )
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id
        if contact_id is not UNSET:
            field_dict["contact_id"] = contact_id
        if agent_id is not UNSET:
            field_dict["agent_id"] = agent_id
        if allowed_origins is not UNSET:
            field_dict["allowed_origins"] = allowed_origins
        if keep_url_query is not UNSET:
            field_dict["keep_url_query"] = keep_url_query

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = KeyKind(d.pop("kind"))

        name = d.pop("name")

        def _parse_organization_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                organization_id_type_0 = UUID(data)

                return organization_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        organization_id = _parse_organization_id(d.pop("organization_id", UNSET))

        def _parse_contact_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                contact_id_type_0 = UUID(data)

                return contact_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        contact_id = _parse_contact_id(d.pop("contact_id", UNSET))

        def _parse_agent_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                agent_id_type_0 = UUID(data)

                return agent_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        agent_id = _parse_agent_id(d.pop("agent_id", UNSET))

        allowed_origins = cast(list[str], d.pop("allowed_origins", UNSET))

        keep_url_query = d.pop("keep_url_query", UNSET)

        api_key_create = cls(
            kind=kind,
            name=name,
            organization_id=organization_id,
            contact_id=contact_id,
            agent_id=agent_id,
            allowed_origins=allowed_origins,
            keep_url_query=keep_url_query,
        )

        return api_key_create
