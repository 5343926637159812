"""The store's data version: every write bumps it in its own transaction; readers key caches on it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db import models as m


def bump_data_version(session: Session, *, now: dt.datetime | None = None) -> int:
    """Increment the data version inside the caller's transaction; return the new version.

    The UPDATE takes a row lock, so concurrent writers are ordered and no increment is lost.
    """
    now = now or dt.datetime.now(dt.UTC)
    session.execute(update(m.DataVersion).where(m.DataVersion.id == 1)
                    .values(version=m.DataVersion.version + 1, changed_at=now))
    return session.scalar(select(m.DataVersion.version).where(m.DataVersion.id == 1))


def data_version(session: Session) -> tuple[int, dt.datetime | None]:
    """Return (version, changed_at) of the store; (0, None) before the first migration's row."""
    row = session.execute(select(m.DataVersion.version, m.DataVersion.changed_at).where(m.DataVersion.id == 1)).first()
    return (row.version, row.changed_at) if row else (0, None)
