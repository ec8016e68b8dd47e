"""Organizations and contacts as the API shows them."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, computed_field
from pydantic.json_schema import SkipJsonSchema

from app.organizations.models import NotificationPreference, Plan
from app.schemas import (
    CURSOR_LENGTH,
    PAGE_MAX,
    Email,
    Input,
    Listed,
    Name,
    Output,
    ShortText,
    Text,
    Whole,
)

# The most designated contacts an organization may have (also the setting's maximum).
DESIGNATED_MAX = 1000


class OrganizationCreate(Input):
    name: Name
    plan: Plan = Plan.standard
    industry: ShortText | None = None
    platform: ShortText | None = None
    calendar_id: uuid.UUID | None = Field(
        default=None, description="Business calendar; the default calendar when null."
    )
    max_designated_contacts: int | None = Field(
        default=None, ge=1, le=DESIGNATED_MAX, description="Defaults to the service setting (5)."
    )


class OrganizationUpdate(Input):
    name: Name | SkipJsonSchema[None] = None
    plan: Plan | SkipJsonSchema[None] = None
    industry: ShortText | None = None
    platform: ShortText | None = None
    calendar_id: uuid.UUID | None = None
    max_designated_contacts: (
        Annotated[int, Field(ge=1, le=DESIGNATED_MAX)] | SkipJsonSchema[None]
    ) = None


class OrganizationOut(Output):
    name: Text(200)
    plan: Plan
    industry: Text(100) | None
    platform: Text(100) | None
    calendar_id: uuid.UUID | None
    pm_id: uuid.UUID | None
    max_designated_contacts: Whole(1, DESIGNATED_MAX)
    designated_count: Whole(0, DESIGNATED_MAX)


class OrganizationList(BaseModel):
    data: Listed(OrganizationOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None


PREFERENCE = (
    "Which mail the contact gets: `all`; `important` (acknowledgments, replies, status "
    "changes, escalations, outage updates); `digest` (the weekly summary and what needs "
    "their action); `none`."
)


class ContactCreate(Input):
    email: Email
    name: Name
    designated: bool = False
    notification_preference: NotificationPreference = Field(
        default=NotificationPreference.all, description=PREFERENCE
    )


class ContactUpdate(Input):
    """Admin and integration keys change any field; a contact's own key changes only its
    `notification_preference`; only an admin clears a bouncing address."""

    email: Email | SkipJsonSchema[None] = None
    name: Name | SkipJsonSchema[None] = None
    designated: bool | SkipJsonSchema[None] = None
    notification_preference: NotificationPreference | SkipJsonSchema[None] = Field(
        default=None, description=PREFERENCE
    )
    email_bouncing: Literal[False] | SkipJsonSchema[None] = Field(
        default=None,
        description="`false` (admin only) clears a bouncing address so mail goes to it again; "
        "changing `email` clears it too.",
    )


class ContactOut(Output):
    organization_id: uuid.UUID
    email: Text(320)
    name: Text(200)
    designated: bool
    notification_preference: NotificationPreference = Field(description=PREFERENCE)
    email_bounced_at: datetime | None = Field(
        default=None,
        validation_alias="email_bouncing_at",
        description="When mail to the address bounced; no mail goes to it until cleared.",
    )
    email_bounce_reason: Text(500) | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def email_bouncing(self) -> bool:
        """Whether mail to this address bounced and is held back."""
        return self.email_bounced_at is not None


class ContactList(BaseModel):
    data: Listed(ContactOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None
