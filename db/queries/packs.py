"""The Board pack of a meeting: the state of each of its files (the job making them) and their stored bytes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import models as m

PACK_FILE_FIELDS = ("id", "kind", "status", "progress", "total", "filename", "size", "error", "started_at",
                    "finished_at")


def pack_files(session: Session, meeting_id: int) -> dict[str, dict[str, Any]]:
    """The files of meeting `meeting_id`'s pack by kind (db.reference.PACK_KINDS; a kind never started is
    absent): PACK_FILE_FIELDS, `size` the stored file's bytes (None until it is done). Never the content."""
    f = m.BoardPackFile
    stmt = (select(f.id, f.kind, f.status, f.progress, f.total, f.filename, func.length(f.content).label("size"),
                   f.error, f.started_at, f.finished_at)
            .where(f.meeting_id == meeting_id).order_by(f.id))
    return {row.kind: dict(row._mapping) for row in session.execute(stmt)}


def pack_content(session: Session, meeting_id: int, kind: str) -> tuple[str, bytes] | None:
    """(filename, bytes) of a finished file of the pack, or None (never made, being made, or failed)."""
    f = m.BoardPackFile
    row = session.execute(select(f.filename, f.content).where(
        f.meeting_id == meeting_id, f.kind == kind, f.status == "done", f.content.is_not(None))).first()
    return (row.filename, row.content) if row else None
