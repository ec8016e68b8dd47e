"""Organizations and contacts as the API shows them."""

import uuid
from typing import Annotated

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from app.organizations.models import Plan
from app.schemas import Email, Input, Name, Output, ShortText


class OrganizationCreate(Input):
    name: Name
    plan: Plan = Plan.standard
    industry: ShortText | None = None
    platform: ShortText | None = None
    calendar_id: uuid.UUID | None = Field(
        default=None, description="Business calendar; the default calendar when null."
    )
    max_designated_contacts: int | None = Field(
        default=None, ge=1, le=1000, description="Defaults to the service setting (5)."
    )


class OrganizationUpdate(Input):
    name: Name | SkipJsonSchema[None] = None
    plan: Plan | SkipJsonSchema[None] = None
    industry: ShortText | None = None
    platform: ShortText | None = None
    calendar_id: uuid.UUID | None = None
    max_designated_contacts: Annotated[int, Field(ge=1, le=1000)] | SkipJsonSchema[None] = None


class OrganizationOut(Output):
    name: str
    plan: Plan
    industry: str | None
    platform: str | None
    calendar_id: uuid.UUID | None
    pm_id: uuid.UUID | None
    max_designated_contacts: int
    designated_count: int


class OrganizationList(BaseModel):
    data: list[OrganizationOut]
    next_cursor: str | None


class ContactCreate(Input):
    email: Email
    name: Name
    designated: bool = False


class ContactUpdate(Input):
    email: Email | SkipJsonSchema[None] = None
    name: Name | SkipJsonSchema[None] = None
    designated: bool | SkipJsonSchema[None] = None


class ContactOut(Output):
    organization_id: uuid.UUID
    email: str
    name: str
    designated: bool


class ContactList(BaseModel):
    data: list[ContactOut]
    next_cursor: str | None
