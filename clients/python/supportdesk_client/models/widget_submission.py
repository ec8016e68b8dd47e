from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.widget_submission_mode import WidgetSubmissionMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.widget_context import WidgetContext


T = TypeVar("T", bound="WidgetSubmission")


@_attrs_define
class WidgetSubmission:
    """A request typed into the "?" widget by someone of the key's organization.

    Anything else (`priority`, `emergency`, `channel`, `created_at`, …) is refused with 422:
    the ticket gets the defaults, so a page cannot page the on-call team.

        Attributes:
            email (str): Who is asking: a designated contact of the organization.
            subject (str):
            description (str):
            name (None | str | Unset):
            category (Category | Unset):
            context (WidgetContext | Unset): The page's environment: an allowlist of TicketContext's fields, so a field
                added there
                does not open up to publishable keys. No `users_affected`: a page must not be able to claim
                an impact that escalates at once.
            mode (WidgetSubmissionMode | Unset): `chat` opens a live chat (channel `chat`) while support is there — see GET
                /v1/intake/widget/availability; otherwise a 409 says to send the form. Default: WidgetSubmissionMode.FORM.
            attachment_ids (list[UUID] | Unset): Files uploaded by this widget key (POST /v1/intake/widget/attachments),
                such as a screenshot; up to 20.
    """

    email: str
    subject: str
    description: str
    name: None | str | Unset = UNSET
    category: Category | Unset = UNSET
    context: WidgetContext | Unset = UNSET
    mode: WidgetSubmissionMode | Unset = WidgetSubmissionMode.FORM
    attachment_ids: list[UUID] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        subject = self.subject

        description = self.description

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category.value

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        attachment_ids: list[str] | Unset = UNSET
        if not isinstance(self.attachment_ids, Unset):
            attachment_ids = []
            for attachment_ids_item_data in self.attachment_ids:
                attachment_ids_item = str(attachment_ids_item_data)
                attachment_ids.append(attachment_ids_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "subject": subject,
                "description": description,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if category is not UNSET:
            field_dict["category"] = category
        if context is not UNSET:
            field_dict["context"] = context
        if mode is not UNSET:
            field_dict["mode"] = mode
        if attachment_ids is not UNSET:
            field_dict["attachment_ids"] = attachment_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.widget_context import WidgetContext  # noqa: PLC0415

        d = dict(src_dict)
        email = d.pop("email")

        subject = d.pop("subject")

        description = d.pop("description")

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        _category = d.pop("category", UNSET)
        category: Category | Unset
        if isinstance(_category, Unset):
            category = UNSET
        else:
            category = Category(_category)

        _context = d.pop("context", UNSET)
        context: WidgetContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = WidgetContext.from_dict(_context)

        _mode = d.pop("mode", UNSET)
        mode: WidgetSubmissionMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = WidgetSubmissionMode(_mode)

        _attachment_ids = d.pop("attachment_ids", UNSET)
        attachment_ids: list[UUID] | Unset = UNSET
        if _attachment_ids is not UNSET:
            attachment_ids = []
            for attachment_ids_item_data in _attachment_ids:
                attachment_ids_item = UUID(attachment_ids_item_data)

                attachment_ids.append(attachment_ids_item)

        widget_submission = cls(
            email=email,
            subject=subject,
            description=description,
            name=name,
            category=category,
            context=context,
            mode=mode,
            attachment_ids=attachment_ids,
        )

        return widget_submission
