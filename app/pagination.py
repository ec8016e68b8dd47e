"""Cursor pagination for every list: opaque cursors, keyset pages and the list parameters."""

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar

import sqlalchemy as sa
from fastapi import Query

from app.errors import invalid
from app.schemas import EARLIEST, LATEST, PAGE_MAX

PAGE_DEFAULT = 50
Limit = Annotated[
    int,
    Query(
        ge=1,
        le=PAGE_MAX,
        description=f"Page size (default {PAGE_DEFAULT}, max {PAGE_MAX}).",
    ),
]
Cursor = Annotated[
    str | None,
    Query(max_length=512, description="`next_cursor` from the previous page."),
]

T = TypeVar("T")


def opaque(value: Any) -> str:
    """A JSON value as an opaque cursor."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def unwrap(cursor: str, read: Callable[[Any], T]) -> T:
    """`read` applied to the JSON value inside a cursor; anything malformed is a 422."""
    try:
        return read(json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))))
    except (
        ValueError,
        TypeError,
        LookupError,
        AttributeError,
        OverflowError,
        binascii.Error,
    ) as error:
        raise not_ours() from error


def not_ours() -> Exception:
    return invalid("query.cursor", "The cursor is not one this API returned.")


def encode_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    """An opaque cursor for keyset pagination on (created_at, id)."""
    return opaque([created_at.isoformat(), str(row_id)])


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The position a cursor points at; a malformed cursor is a 422."""
    position = unwrap(cursor, lambda value: (datetime.fromisoformat(value[0]), uuid.UUID(value[1])))
    if position[0].tzinfo is None or not EARLIEST <= position[0] <= LATEST:
        raise not_ours()
    return position


def encode_seq_cursor(seq: int) -> str:
    """An opaque cursor for pagination on a monotonic sequence number."""
    return opaque({"seq": seq})


def decode_seq_cursor(cursor: str) -> int:
    """The sequence number a cursor points after; a malformed cursor is a 422."""
    seq = unwrap(cursor, lambda value: value["seq"])
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2**63:
        raise not_ours()
    return seq


def keyset(
    statement: sa.Select[Any],
    created_at: sa.ColumnElement[datetime],
    row_id: sa.ColumnElement[uuid.UUID],
    cursor: str | None,
    limit: int,
    *,
    newest_first: bool = True,
) -> sa.Select[Any]:
    """Orders by (created_at, id), starts after the cursor, fetches one extra row."""
    if cursor is not None:
        position = decode_cursor(cursor)
        key = sa.tuple_(created_at, row_id)
        statement = statement.where(key < position if newest_first else key > position)
    order = (created_at.desc(), row_id.desc()) if newest_first else (created_at, row_id)
    return statement.order_by(*order).limit(limit + 1)


def page(rows: Sequence[T], limit: int) -> tuple[list[T], str | None]:
    """Splits the extra row off a keyset query into the next cursor."""
    items = list(rows[:limit])
    if len(rows) <= limit:
        return items, None
    last: Any = items[-1]
    return items, encode_cursor(last.created_at, last.id)
