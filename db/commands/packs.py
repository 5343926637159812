"""Making a Board pack: the Secretariat claims the job in the store, so that one worker makes it, once.

The claim is a write like any other (db.commands.base.run_command: the write lock is held, so two claims are
ordered): it finds the meeting's pack rows (one per kind, unique (meeting_id, kind)) and, unless a job is making
them, gives each kind not yet made a new `queued` row. The worker that claimed them makes the files and moves
each row on with the functions below, each an UPDATE of that row's id in the state it expects: `begin_file`
(queued -> running) succeeds for one caller only, and a job whose rows were taken over (it ran too long and a new
claim replaced them, with new ids) finds nothing to update and stops.

A pack file is bookkeeping, not data: the claim writes no audit entry and does not bump the data version (a
refused claim is logged, as every refusal is).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db import models as m
from db.commands.base import Actor, Forbidden, NotFound
from db.messages import Msg
from db.reference import PACK_KINDS

ACTIVE = ("queued", "running")
ERROR_LIMIT = 2000


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored moment as an aware UTC datetime (SQLite gives them back naive)."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def expired(started_at: dt.datetime | None, now: dt.datetime, timeout: dt.timedelta) -> bool:
    """Whether a job that began at `started_at` has run longer than `timeout` (a job stops itself by then: one
    still marked queued or running is one whose worker died)."""
    begun = _utc(started_at)
    return begun is None or now - begun > timeout


def claim_pack(session: Session, actor: Actor | None, slug: object, *, timeout: dt.timedelta,
               now: dt.datetime | None = None) -> dict:
    """Claim the making of meeting `slug`'s Board pack (the Secretariat only).

    Returns {"meeting_id", "claimed": {kind: file id} (the rows the caller now makes, in PACK_KINDS order),
    "busy": [kinds a job is making]}: nothing is claimed while a job makes any of the pack (unless it has run
    longer than `timeout`), and a file already made is kept. A failed or expired file's row gives way to a new
    one. Raises Forbidden, or NotFound for an unknown meeting."""
    if actor is None:
        raise Forbidden(Msg("Sign in to make a Board pack."))
    if actor.role != "secretariat":  # the Board reads the pack; only the Secretariat makes one
        raise Forbidden(Msg("Only the Secretariat can %(what)s.", what=Msg("make a Board pack")))
    name = str(slug or "")[:80]
    meeting = session.scalar(select(m.BoardMeeting).where(m.BoardMeeting.slug == name))
    if meeting is None:
        raise NotFound(Msg("There is no Board meeting %(meeting)s.", meeting=name))
    now = now or dt.datetime.now(dt.UTC)
    rows = {f.kind: f for f in session.scalars(select(m.BoardPackFile).where(m.BoardPackFile.meeting_id == meeting.id))}
    busy = [k for k in PACK_KINDS if k in rows and rows[k].status in ACTIVE
            and not expired(rows[k].started_at, now, timeout)]
    if busy:
        return {"meeting_id": meeting.id, "claimed": {}, "busy": busy}
    for old in rows.values():
        if old.status != "done":
            session.delete(old)  # a new row (a new id): the old job, if it still runs, finds nothing to update
    session.flush()
    new = {kind: m.BoardPackFile(meeting_id=meeting.id, kind=kind, status="queued", progress=0, total=0,
                                 started_at=now)
           for kind in PACK_KINDS if kind not in rows or rows[kind].status != "done"}
    session.add_all(new.values())
    session.flush()
    return {"meeting_id": meeting.id, "claimed": {kind: row.id for kind, row in new.items()}, "busy": []}


# ---- the job's own updates (no actor: the claim was the Secretariat's) -------------------------------------------
# BoardPackFile is not a versioned table, so these single-row UPDATEs keep no history (db/history.py).

def _set(session: Session, file_id: int, states: tuple[str, ...], **values) -> bool:
    result = session.execute(update(m.BoardPackFile)
                             .where(m.BoardPackFile.id == file_id, m.BoardPackFile.status.in_(states))
                             .values(**values))
    return result.rowcount == 1


def begin_file(session: Session, file_id: int, *, now: dt.datetime | None = None) -> bool:
    """Move a queued file to running; False if it is not (another worker began it, or a new claim replaced it)."""
    return _set(session, file_id, ("queued",), status="running", started_at=now or dt.datetime.now(dt.UTC))


def report_progress(session: Session, file_id: int, progress: int, total: int) -> bool:
    """Record how far a running file is (`progress` of `total` steps); False if the row is no longer this job's."""
    return _set(session, file_id, ("running",), progress=max(0, progress), total=max(0, total))


def finish_file(session: Session, file_id: int, *, filename: str, content: bytes,
                now: dt.datetime | None = None) -> bool:
    """Store a made file; False if the row is no longer this job's (nothing stored)."""
    return _set(session, file_id, ("running",), status="done", filename=filename[:200], content=content,
                finished_at=now or dt.datetime.now(dt.UTC), error="")


def fail_file(session: Session, file_id: int, error: str, *, now: dt.datetime | None = None) -> bool:
    """Mark a queued or running file failed, with the reason (a claim can then make it again)."""
    return _set(session, file_id, ACTIVE, status="failed", error=error[:ERROR_LIMIT],
                finished_at=now or dt.datetime.now(dt.UTC))
