"""What one webhook attempt did: a value of its own, so recording attempts (the API's
repository, the worker's sender) does not load the HTTP client that made them."""

from dataclasses import dataclass


@dataclass
class Outcome:
    """What one attempt did: a status code or an error, how long, and the start of the body."""

    status_code: int | None
    duration_ms: int
    error: str | None = None
    body: str | None = None
    retry_after: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
