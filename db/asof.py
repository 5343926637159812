"""Reading the store as it stood at a Board meeting (`?as_of=<meeting>`): the reading side of db/history.py.

`reading_as_of(frozen)` makes every session opened from db.session.Session inside it read through a second engine
on the same database, whose connections see, under the versioned tables' own names, views of the rows as they
stood at the meeting's data version: `row_version <= V` in the table, plus the history rows with
`row_version <= V < valid_to`. `data_version` answers the meeting's version (so caches key on it), `audit_entry` only
the entries written before the meeting. Every query of db/queries runs unchanged, in SQL.

- SQLite: TEMP views on each connection of the as-of engine (temp names come first in SQLite's name lookup; the
  views read `main.<table>`), and the meeting's values in a TEMP table set at the start of each transaction.
- PostgreSQL: views in the `asof` schema (made by the migration, `create_postgres_views`), found first through the
  as-of engine's search_path, reading the meeting's values from transaction-local settings.

The as-of engine never writes: its views are not updatable, and the dashboard refuses a write with `as_of`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from sqlalchemy import DateTime, Engine, bindparam, event, inspect, text
from sqlalchemy.engine import Connection

from db import models as m

PG_SCHEMA = "asof"


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
        event.listen(engine, "connect", _sqlite_views)
        event.listen(engine, "begin", _sqlite_values)
    else:
        engine = make_engine(url.render_as_string(hide_password=False),
                             connect_args={"options": f"-c search_path={PG_SCHEMA},public"})
        event.listen(engine, "begin", _postgres_values)
    _engines[id(base)] = engine
    return engine


def _columns(table) -> str:
    return ", ".join(f'"{c.name}"' for c in table.columns)


def _current() -> Frozen:
    meeting = _frozen.get()
    if meeting is None:  # a session of the as-of engine is only opened inside reading_as_of
        raise RuntimeError("the as-of engine was used outside reading_as_of()")
    return meeting


# -- SQLite

def _sqlite_views(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("CREATE TEMP TABLE asof_values (version INTEGER, changed_at TEXT, audit_position INTEGER)")
    version = "(SELECT version FROM temp.asof_values)"
    for name, table in m.VERSIONED_TABLES.items():
        cols = _columns(table)
        cursor.execute(
            f'CREATE TEMP VIEW "{name}" AS SELECT {cols} FROM main."{name}" WHERE row_version <= {version} '
            f'UNION ALL SELECT {cols} FROM main."{name}_history" WHERE row_version <= {version} '
            f'AND valid_to > {version}')
    cursor.execute("CREATE TEMP VIEW data_version AS SELECT 1 AS id, version, changed_at FROM temp.asof_values")
    cursor.execute("CREATE TEMP VIEW audit_entry AS SELECT * FROM main.audit_entry "
                   "WHERE id <= (SELECT audit_position FROM temp.asof_values)")
    cursor.close()


_SQLITE_VALUES = text("INSERT INTO temp.asof_values VALUES (:version, :changed_at, :audit_position)").bindparams(
    bindparam("changed_at", type_=DateTime(timezone=True)))


def _sqlite_values(connection: Connection) -> None:
    meeting = _current()
    connection.exec_driver_sql("DELETE FROM temp.asof_values")
    connection.execute(_SQLITE_VALUES, {"version": meeting.version, "changed_at": meeting.changed_at,
                                        "audit_position": meeting.audit_position})


# -- PostgreSQL

def _postgres_values(connection: Connection) -> None:
    meeting = _current()
    connection.execute(text("SELECT set_config('dashboard.as_of_version', :version, true), "
                            "set_config('dashboard.as_of_changed_at', :changed_at, true), "
                            "set_config('dashboard.as_of_audit', :audit, true)"),
                       {"version": str(meeting.version), "audit": str(meeting.audit_position),
                        "changed_at": meeting.changed_at.isoformat() if meeting.changed_at else ""})


def create_postgres_views(connection: Connection) -> None:
    """(Re)create the `asof` schema's views from the tables as they are in the database (migrations call this
    after changing a versioned table)."""
    version = "current_setting('dashboard.as_of_version', true)::integer"
    schema = connection.exec_driver_sql("SELECT current_schema()").scalar()
    connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
    connection.exec_driver_sql(f"CREATE SCHEMA {PG_SCHEMA}")
    found = inspect(connection)
    for name in m.VERSIONED_TABLES:
        cols = ", ".join(f'"{c["name"]}"' for c in found.get_columns(name))
        connection.exec_driver_sql(
            f'CREATE VIEW {PG_SCHEMA}."{name}" AS SELECT {cols} FROM "{schema}"."{name}" WHERE row_version <= {version} '
            f'UNION ALL SELECT {cols} FROM "{schema}"."{name}_history" WHERE row_version <= {version} '
            f'AND valid_to > {version}')
    connection.exec_driver_sql(
        f"CREATE VIEW {PG_SCHEMA}.data_version AS SELECT 1 AS id, {version} AS version, "
        "NULLIF(current_setting('dashboard.as_of_changed_at', true), '')::timestamptz AS changed_at")
    connection.exec_driver_sql(
        f'CREATE VIEW {PG_SCHEMA}.audit_entry AS SELECT * FROM "{schema}".audit_entry '
        "WHERE id <= current_setting('dashboard.as_of_audit', true)::integer")
