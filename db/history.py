"""Earlier states of the versioned tables, kept on every write (the reading side is db/asof.py).

In every transaction that writes, each flush stamps new and changed rows of
a versioned table with the write's data version (`row_version`), and copies the state a change replaces or a
delete removes into the table's `<name>_history` twin with `valid_to` = that version. The store as it stood at
version V is then, per table: the rows whose `row_version <= V`, plus the history rows with
`row_version <= V < valid_to`. Only changed rows are copied, so history grows with the writes, not with the store.

This is SQLAlchemy's documented "versioned rows with history tables" pattern (examples/versioned_history), kept to
one before_flush listener: every write of the dashboard goes through the ORM in a write session (db.commands),
never through bulk UPDATE/DELETE statements, which a test checks (tests/db/test_meetings.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from db import models as m

_VERSION_KEY = "write_version"


def write_version(session: Session) -> int:
    """The data version the current write transaction will have: the store's version + 1, read once (the
    write lock is held, so no other writer can take it); bump_data_version sets exactly this value."""
    if _VERSION_KEY not in session.info:
        current = session.execute(select(m.DataVersion.version).where(m.DataVersion.id == 1)).scalar()
        session.info[_VERSION_KEY] = (current or 0) + 1
    return session.info[_VERSION_KEY]


def pending_version(session: Session) -> int | None:
    """The version chosen for this transaction's rows, if any row was stamped yet."""
    return session.info.get(_VERSION_KEY)


def _old_state(obj: Any) -> dict[str, Any]:
    """The column values `obj` had when loaded (before this flush's changes)."""
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        column = attr.columns[0]
        values[column.name] = hist.deleted[0] if hist.deleted else (
            hist.unchanged[0] if hist.unchanged else getattr(obj, attr.key))
    return values


def _has_column_changes(obj: Any) -> bool:
    state = inspect(obj)
    return any(state.attrs[attr.key].history.has_changes() for attr in state.mapper.column_attrs
               if attr.key != "row_version")


@event.listens_for(Session, "before_flush")
def _keep_history(session: Session, _flush_context, _instances) -> None:
    rows: dict[str, list[dict[str, Any]]] = {}

    def keep(obj: Any, version: int) -> None:
        old = _old_state(obj)
        if old.get("row_version") != version:  # a row written earlier in this same write: nothing to keep
            rows.setdefault(obj.__table__.name, []).append({**old, "valid_to": version})

    for obj in list(session.new):
        if isinstance(obj, m.Versioned):
            obj.row_version = write_version(session)
    for obj in list(session.dirty):
        if isinstance(obj, m.Versioned) and _has_column_changes(obj):
            keep(obj, write_version(session))
            obj.row_version = write_version(session)
    for obj in list(session.deleted):
        if isinstance(obj, m.Versioned):
            keep(obj, write_version(session))
    for table_name, values in rows.items():
        session.execute(insert(m.HISTORY_TABLES[table_name]), values)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_version(session: Session) -> None:
    session.info.pop(_VERSION_KEY, None)
    session.info.pop("bumped_to", None)
