"""Board meetings: the list, one meeting, and what it froze (db.asof.Frozen)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models as m
from db.asof import Frozen

MEETING_FIELDS = ("slug", "name", "held_on", "note", "data_version", "frozen_at", "recorded_by")


def frozen_of(meeting: m.BoardMeeting) -> Frozen:
    return Frozen(meeting.slug, meeting.data_version, meeting.data_changed_at, meeting.audit_position,
                  meeting.frozen_at, meeting.name, meeting.held_on)


def meeting_rows(session: Session, *, as_of: Frozen | None = None) -> list[dict[str, Any]]:
    """Every meeting, latest first: MEETING_FIELDS. With `as_of` (a meeting), only the meetings recorded up to it
    (the list as it stood then: a meeting recorded later is a later write)."""
    stmt = select(m.BoardMeeting).order_by(m.BoardMeeting.held_on.desc(), m.BoardMeeting.id.desc())
    if as_of is not None:
        stmt = stmt.where(m.BoardMeeting.frozen_at <= as_of.frozen_at)
    rows = session.scalars(stmt)
    return [{f: getattr(row, f) for f in MEETING_FIELDS} for row in rows]


def meeting(session: Session, slug: str) -> dict[str, Any] | None:
    """One meeting by slug (MEETING_FIELDS + `frozen`, a Frozen), or None."""
    row = session.scalar(select(m.BoardMeeting).where(m.BoardMeeting.slug == slug))
    if row is None:
        return None
    return {**{f: getattr(row, f) for f in MEETING_FIELDS}, "frozen": frozen_of(row), "id": row.id}


def previous_meeting(session: Session, slug: str | None = None) -> dict[str, Any] | None:
    """The latest meeting (before the one named `slug`, when given), or None."""
    stmt = select(m.BoardMeeting.slug).order_by(m.BoardMeeting.frozen_at.desc(), m.BoardMeeting.id.desc())
    if slug is not None:
        current = session.scalar(select(m.BoardMeeting).where(m.BoardMeeting.slug == slug))
        if current is None:
            return None
        stmt = stmt.where(m.BoardMeeting.frozen_at < current.frozen_at)
    found = session.scalar(stmt.limit(1))
    return meeting(session, found) if found else None
