"""The page a mailed rating link opens: five buttons that post the rating with the link's
token (POST /v1/tickets/{id}/satisfaction). Static: the ticket and token are read from the
address by the page's own script, so nothing from the request is written into the HTML."""

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from fastapi.responses import HTMLResponse

PAGE = Path(__file__).parent / "static" / "satisfaction.html"


@cache
def _page() -> tuple[str, str]:
    page = PAGE.read_text()
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    policy = (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
        "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    )
    return page, policy


def satisfaction_page() -> HTMLResponse:
    page, policy = _page()
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": policy,
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
        },
    )
