"""The service's notion of "now": UTC, injectable so tests control time."""

from collections.abc import Callable
from datetime import UTC, datetime

_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return _source()


def iso(moment: datetime) -> str:
    """An instant as the API writes it: ISO 8601 in UTC with a `Z`."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def set_source(source: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests); None restores the wall clock."""
    global _source
    _source = source or (lambda: datetime.now(UTC))
