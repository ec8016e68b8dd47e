"""The one check that a response is an RFC 9457 problem document."""

from typing import Any

import httpx

PROBLEM = "application/problem+json"
PROBLEM_FIELDS = {"type", "title", "status", "detail"}


def assert_problem(
    response: httpx.Response, status: int, slug: str | None = None
) -> dict[str, Any]:
    """The response is a problem document with this status (and, if given, type slug)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    problem = response.json()
    assert problem.keys() >= PROBLEM_FIELDS, problem
    assert problem["status"] == status
    assert problem["title"] and problem["detail"], problem
    if slug is not None:
        assert problem["type"].endswith(slug), problem["type"]
    return problem
