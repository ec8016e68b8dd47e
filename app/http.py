"""HTTP conventions shared by every router: ETags and conditional updates."""

import re
from typing import Annotated

from fastapi import Header, Response

from app.errors import PreconditionFailed

IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", max_length=200, description="An ETag from a previous response."),
]

_ETAG = re.compile(r'^(?:W/)?"(\d{1,12})"$')


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def expected_version(if_match: str | None) -> int | None:
    """The version an If-Match header demands; None when any version will do."""
    if if_match is None or if_match.strip() == "*":
        return None
    match = _ETAG.match(if_match.strip())
    if match is None:
        raise PreconditionFailed('If-Match must be an ETag this API returned, like "3".')
    return int(match.group(1))
