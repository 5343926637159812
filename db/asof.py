"""Reading the store as it stood at a Board meeting (`?as_of=<meeting>`): the reading side of db/history.py.

`reading_as_of(frozen)` makes every session opened from db.session.Session inside it read through a second engine
on the same database, whose connections see, under the versioned tables' own names, views of the rows as they
stood at the meeting's data version: `row_version <= V` in the table, plus the history rows with
`row_version <= V < valid_to`. `data_version` answers the meeting's version (so caches key on it), `audit_entry` only
the entries written before the meeting. Every query of db/queries runs unchanged, in SQL.

Each connection of the as-of engine gets TEMPORARY views named as the tables (temporary names are looked up
first, on SQLite and on PostgreSQL), made when it is checked out for a meeting (`_make_views`).

The as-of engine never writes: its views are not updatable, and the dashboard refuses a write with `as_of`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from sqlalchemy import DateTime, Engine, event
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect

from db import models as m


class Frozen(NamedTuple):
    """What a meeting froze: its slug (caches and links name it), the data version, when that version was written,
    the last audit entry then, and the moment of the freeze (the pages' "today"); its name and date."""

    slug: str
    version: int
    changed_at: dt.datetime | None
    audit_position: int
    frozen_at: dt.datetime
    name: str = ""
    held_on: dt.date | None = None


_frozen: contextvars.ContextVar[Frozen | None] = contextvars.ContextVar("frozen_store", default=None)


def frozen() -> Frozen | None:
    """The meeting the current request reads the store as of, or None (the store as it is)."""
    return _frozen.get()


@contextmanager
def reading_as_of(meeting: Frozen | None) -> Iterator[Frozen | None]:
    """Read the store as of `meeting` (None: as it is) in this context."""
    token = _frozen.set(meeting)
    try:
        yield meeting
    finally:
        _frozen.reset(token)


def enter(meeting: Frozen | None) -> contextvars.Token:
    """Start reading as of `meeting` until `leave(token)` (for request hooks; code uses reading_as_of)."""
    return _frozen.set(meeting)


def leave(token: contextvars.Token) -> None:
    _frozen.reset(token)


def viewed_meeting_slug() -> str | None:
    """The slug of the meeting read in this context, or None (what links and caches carry)."""
    meeting = _frozen.get()
    return meeting.slug if meeting else None


def today() -> dt.date:
    """Today's date, or the meeting's when reading as of one (year-in-progress texts say what the Board read)."""
    meeting = _frozen.get()
    return meeting.frozen_at.date() if meeting else dt.date.today()


# ---- the as-of engine ----------------------------------------------------------------------------------------

_engines: dict[int, Engine] = {}


def asof_engine(base: Engine, make_engine: Callable[..., Engine]) -> Engine:
    """The as-of engine of `base` (one per engine, made on first use with `make_engine`)."""
    engine = _engines.get(id(base))
    if engine is not None and engine.url == base.url:
        return engine
    url = base.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise RuntimeError("a store in memory cannot be read as of a Board meeting")
        engine = make_engine(url.render_as_string(hide_password=False))
    else:
        # JIT compiling the long statements over the views costs seconds and saves nothing at this size
        engine = make_engine(url.render_as_string(hide_password=False), connect_args={"options": "-c jit=off"})
    event.listen(engine, "checkout", _make_views)
    _engines[id(base)] = engine
    return engine


def _current() -> Frozen:
    meeting = _frozen.get()
    if meeting is None:  # a session of the as-of engine is only opened inside reading_as_of
        raise RuntimeError("the as-of engine was used outside reading_as_of()")
    return meeting


def _make_views(dbapi_connection, record, _proxy) -> None:
    """On checkout, outside any transaction: give the connection TEMPORARY views, named as the tables (temporary
    names are looked up first, on SQLite and PostgreSQL alike), of the store as of the meeting read, with its
    values written in as constants so the planner estimates them from the statistics. A table none of whose
    earlier states is valid at the meeting's version gets a plain filtered view (`row_version <= V`), which the
    planner folds into the query as the table itself (its keys and statistics kept); the others the union with
    their history. The views are kept for the next checkout of the same meeting at the same store version."""
    meeting = _current()
    postgres = not hasattr(dbapi_connection, "create_function")  # sqlite3 connections have it
    autocommit = dbapi_connection.autocommit if postgres else None
    if postgres:
        dbapi_connection.autocommit = True
    cursor = dbapi_connection.cursor()
    try:
        if "store_schema" not in record.info:  # where the tables live (SQLite: main), read once
            if postgres:
                cursor.execute("SELECT current_schema()")
                record.info["store_schema"] = f'"{cursor.fetchone()[0]}"'
            else:
                record.info["store_schema"] = "main"
        schema = record.info["store_schema"]
        cursor.execute(f"SELECT version FROM {schema}.data_version")
        store_version = (cursor.fetchone() or (0,))[0]
        if record.info.get("asof_views") == (meeting, store_version):
            return
        version = int(meeting.version)
        temp = "CREATE OR REPLACE TEMP VIEW" if postgres else "CREATE TEMP VIEW"

        def view(name: str, body: str) -> None:
            if not postgres:
                cursor.execute(f'DROP VIEW IF EXISTS temp."{name}"')
            cursor.execute(f'{temp} "{name}" AS {body}')

        for name, table in m.VERSIONED_TABLES.items():
            cols = _columns(table)
            current = f'SELECT {cols} FROM {schema}."{name}" WHERE row_version <= {version}'
            earlier = (f'SELECT {cols} FROM {schema}."{name}_history" WHERE row_version <= {version} '
                       f'AND valid_to > {version}')
            cursor.execute(f"SELECT 1 FROM ({earlier}) AS kept LIMIT 1")
            view(name, f"{current} UNION ALL {earlier}" if cursor.fetchone() else current)
        changed_at = _literal_time(meeting.changed_at, postgres)
        view("data_version", f"SELECT 1 AS id, {version} AS version, {changed_at} AS changed_at")
        view("audit_entry", f"SELECT * FROM {schema}.audit_entry WHERE id <= {int(meeting.audit_position)}")
        record.info["asof_views"] = (meeting, store_version)
    finally:
        cursor.close()
        if postgres:
            dbapi_connection.autocommit = autocommit


def _columns(table) -> str:
    return ", ".join(f'"{c.name}"' for c in table.columns)


def _literal_time(moment: dt.datetime | None, postgres: bool) -> str:
    """A time as SQL text, stored as each backend stores DateTime(timezone=True) (SQLite: SQLAlchemy's text)."""
    if moment is None:
        return "NULL"
    if postgres:
        return f"'{moment.isoformat()}'::timestamptz"
    stored = DateTime(timezone=True).dialect_impl(_SQLITE_DIALECT).bind_processor(_SQLITE_DIALECT)(moment)
    return f"'{stored}'"


_SQLITE_DIALECT = sqlite_dialect()
