"""The widget's static files: the embeddable script and a demo page that embeds it."""

import hashlib
import html
from functools import cache
from pathlib import Path
from string import Template

from fastapi import Response
from fastapi.responses import HTMLResponse

STATIC = Path(__file__).parent / "static"
# Embedding pages load /widget.js by a fixed URL, so it is cached briefly and revalidated
# with its ETag (a 304 costs nothing); a new release reaches every page within the hour.
SCRIPT_CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400"
DEMO_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@cache
def _script() -> tuple[bytes, str]:
    body = (STATIC / "widget.js").read_bytes()
    return body, f'"{hashlib.sha256(body).hexdigest()[:20]}"'


def script_response(if_none_match: str | None) -> Response:
    """widget.js, or 304 when the browser's copy is current."""
    body, etag = _script()
    headers = {
        "ETag": etag,
        "Cache-Control": SCRIPT_CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
        # Pages that isolate themselves (COEP) may still embed it.
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if if_none_match and etag in (
        tag.strip().removeprefix("W/") for tag in if_none_match.split(",")
    ):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


@cache
def _demo_template() -> Template:
    return Template((STATIC / "demo.html").read_text())


def demo_response(key: str | None) -> HTMLResponse:
    """The demo page, embedding the widget with `key` when one is given."""
    if key:
        embed = (
            f'<script src="/widget.js" data-key="{html.escape(key)}" '
            'data-app-version="demo-1.0" async></script>'
        )
    else:
        embed = (
            '<p class="hint">Add <code>?key=sd_pk_…</code> (a widget key whose allowed origins '
            "include this server's) to the address to try the widget.</p>"
        )
    page = _demo_template().substitute(embed=embed)
    return HTMLResponse(page, headers={"Content-Security-Policy": DEMO_POLICY})
