"""The store's data version: every write bumps it in its own transaction; readers key caches on it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db import models as m
from db.history import write_version


def bump_data_version(session: Session, *, now: dt.datetime | None = None) -> int:
    """Increment the data version inside the caller's transaction; return the new version.

    The UPDATE takes a row lock, so concurrent writers are ordered and no increment is lost.
    """
    now = now or dt.datetime.now(dt.UTC)
    version = write_version(session)  # the version db.history stamped this transaction's rows with
    if session.info.get("bumped_to") == version:  # a second bump in the same transaction still moves on
        version = session.info["write_version"] = version + 1
    session.info["bumped_to"] = version
    session.execute(update(m.DataVersion).where(m.DataVersion.id == 1).values(version=version, changed_at=now))
    return version


def data_version(session: Session) -> tuple[int, dt.datetime | None]:
    """Return (version, changed_at) of the store; (0, None) before the first migration's row."""
    row = session.execute(select(m.DataVersion.version, m.DataVersion.changed_at).where(m.DataVersion.id == 1)).first()
    return (row.version, row.changed_at) if row else (0, None)
