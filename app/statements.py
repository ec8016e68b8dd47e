"""Statements of few shapes: prebuilt multi-row INSERTs for hot paths, batches cut into a
few sizes, lists of values as one array parameter.

SQLAlchemy recompiles a multi-row INSERT built per request; a text statement built once per
shape, with typed bind parameters, is compiled once and only bound afterwards. And every
shape is a statement SQLAlchemy compiles and asyncpg prepares on each pooled connection, kept
in both caches: a shape per row count or per list length grew a worker's memory for as long
as new counts came.
"""

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from app.events.models import Event, OutboxEntry
from app.sla.models import TicketClock
from app.tickets.models import Ticket

Columns = tuple[str, ...]
Row = TypeVar("Row")

# A worker recording batches of every size from 1 to 200 filled the caches with hundreds of
# large statements (+120 MiB an hour). Batches are cut into the sizes below (a batch of up to
# SMALL rows goes whole), so a few shapes serve any batch.
SMALL = 8
LADDER = (128, 64, 32, 16, 8)


def insert_sql(
    table: sa.Table, prefix: str, columns: Columns, rows: int
) -> tuple[str, list[sa.BindParameter[Any]]]:
    """`INSERT INTO table (columns) VALUES (...), ...` with parameters prefix<row>_<column>."""
    values, binds = [], []
    for row in range(rows):
        names = [f"{prefix}{row}_{column}" for column in columns]
        values.append("(" + ", ".join(f":{name}" for name in names) + ")")
        binds += [
            sa.bindparam(name, type_=table.c[column].type)
            for name, column in zip(names, columns, strict=True)
        ]
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES {', '.join(values)}"
    return sql, binds


def bind_rows(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The parameters for `insert_sql(table, prefix, columns, len(rows))`."""
    return {
        f"{prefix}{index}_{name}": value
        for index, row in enumerate(rows)
        for name, value in row.items()
    }


def among(column: Any, values: Iterable[Any]) -> sa.ColumnElement[bool]:
    """`column = ANY(:values)`, the values as one array parameter: one statement whatever
    their number, where `IN (...)` is a statement of its own for each number of values."""
    return column == sa.any_(sa.literal(list(values), ARRAY(column.type)))


def chunks(rows: Sequence[Row]) -> Iterator[Sequence[Row]]:
    """The rows in pieces of a LADDER size, largest first, and a last piece of under SMALL."""
    start = 0
    for size in LADDER:
        while len(rows) - start > SMALL and len(rows) - start >= size:
            yield rows[start : start + size]
            start += size
    if start < len(rows):
        yield rows[start:]


@lru_cache(maxsize=64)
def recording(
    event_columns: Columns,
    events: int,
    ticket_columns: Columns = (),
    clock_columns: Columns = (),
    clocks: int = 0,
) -> sa.TextClause:
    """Events and their outbox rows in one statement, with a new ticket and its clocks if given.

    Parameters: e<row>_<column> for events, t0_<column> for the ticket, c<row>_<column> for
    clocks, and outbox_created_at.
    """
    parts, binds = [], []
    for name, table, prefix, columns, count in (
        ("new_ticket", Ticket.__table__, "t", ticket_columns, 1 if ticket_columns else 0),
        ("new_clocks", TicketClock.__table__, "c", clock_columns, clocks),
        ("new_events", Event.__table__, "e", event_columns, events),
    ):
        if count:
            sql, table_binds = insert_sql(table, prefix, columns, count)
            returning = " RETURNING id" if name == "new_events" else ""
            parts.append(f"{name} AS ({sql}{returning})")
            binds += table_binds
    sql = (
        f"WITH {', '.join(parts)} INSERT INTO {OutboxEntry.__table__.name} (event_id, created_at) "
        "SELECT id, :outbox_created_at FROM new_events"
    )
    binds.append(sa.bindparam("outbox_created_at", type_=sa.DateTime(timezone=True)))
    return sa.text(sql).bindparams(*binds)
