"""API keys as the API shows them; the secret appears only in the create response."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.api_keys.models import KeyKind
from app.schemas import CURSOR_LENGTH, PAGE_MAX, Input, Listed, Name, Output, Text

Origin = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        max_length=300,
        pattern=r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$",
    ),
]


class ApiKeyCreate(Input):
    kind: KeyKind
    name: Name
    organization_id: uuid.UUID | None = Field(
        default=None, description="Required for integration and widget keys."
    )
    contact_id: uuid.UUID | None = Field(default=None, description="Required for contact keys.")
    agent_id: uuid.UUID | None = Field(default=None, description="Required for agent keys.")
    allowed_origins: list[Origin] = Field(
        default_factory=list,
        max_length=20,
        description="Widget keys: the browser origins allowed to use the key.",
        examples=[["https://app.example.com"]],
    )
    keep_url_query: bool = Field(
        default=False,
        description="Widget keys: record the page URL's query string on tickets. Off by "
        "default, as query strings may carry sign-in links and tokens.",
    )


class ApiKeyOut(Output):
    kind: KeyKind
    name: Text(200)
    prefix: Text(24) = Field(description="The first characters of the key, to recognise it.")
    organization_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    agent_id: uuid.UUID | None
    allowed_origins: Listed(Text(300), 20)
    keep_url_query: bool
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    # sd_<kind>_<43 characters>: 58 at most (app.security.new_key).
    key: Text(64) = Field(description="The key itself. Shown once: store it now.")


class ApiKeyList(BaseModel):
    data: Listed(ApiKeyOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None
