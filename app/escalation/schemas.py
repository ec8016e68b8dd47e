"""Escalations as the API shows them."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.escalation.models import Trigger
from app.schemas import CURSOR_LENGTH, Input, Listed, Shown, Text, Whole

# A ticket's escalation level is 1 to 4 (its table's check); one escalation per level.
LEVELS = 4


class EscalationCreate(Input):
    reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
        | None
    ) = Field(default=None, description="Required for contacts: why it must go higher.")


class EscalationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    ticket_id: uuid.UUID
    level: Whole(1, LEVELS)
    reason: Text(2000)
    trigger: Trigger
    actor: dict[str, Any]
    assignee_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class EscalationList(Shown):
    data: Listed(EscalationOut, LEVELS)
    next_cursor: Text(CURSOR_LENGTH) | None = None
