"""Escalations as the API shows them."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.escalation.models import Trigger
from app.schemas import Input


class EscalationCreate(Input):
    reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
        | None
    ) = Field(default=None, description="Required for contacts: why it must go higher.")


class EscalationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    ticket_id: uuid.UUID
    level: int
    reason: str
    trigger: Trigger
    actor: dict[str, Any]
    assignee_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class EscalationList(BaseModel):
    data: list[EscalationOut]
    next_cursor: str | None = None
