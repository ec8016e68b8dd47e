"""What the widget posts."""

from pydantic import Field

from app.schemas import Email, Input, Name
from app.tickets.models import Category
from app.tickets.schemas import Body, Subject, TicketContext


class WidgetSubmission(Input):
    """A request typed into the "?" widget by someone of the key's organization."""

    email: Email = Field(description="Who is asking: a designated contact of the organization.")
    name: Name | None = None
    subject: Subject
    description: Body
    category: Category = Category.general
    context: TicketContext = Field(
        default_factory=TicketContext,
        description="Anything left out is filled in from the request: `url` from the Referer, "
        "`browser` and `os` from the User-Agent.",
    )
