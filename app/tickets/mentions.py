"""@mentions in comment bodies: pure parsing, no I/O."""

import re

# "@jane", "@jane.doe" or "@jane.doe@example.com"; not the middle of an email address.
_MENTION = re.compile(
    r"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9._-]*(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)"
)


def parse_mentions(body: str) -> list[str]:
    """The mentioned handles, lower-cased, first occurrence order, without duplicates."""
    # A dict keeps first-seen order with O(1) membership: a list made a comment of many
    # distinct handles quadratic in its length. The pattern itself never backtracks far:
    # its only optional part ends it, and `finditer` resumes after each match.
    handles: dict[str, None] = {}
    for match in _MENTION.finditer(body):
        handle = match.group(1).rstrip("._-").lower()
        if handle:
            handles.setdefault(handle)
    return list(handles)
