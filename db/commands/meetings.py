"""Recording a Board meeting: the Secretariat freezes the store as it stands (db/asof.py reads it back)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import audit_text as audit
from db import models as m
from db.commands.base import Actor, Change, Invalid, require_secretariat
from db.messages import Msg
from db.versioning import data_version

NAME_LIMIT, NOTE_LIMIT = 200, 2000
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _slug(session: Session, held_on: dt.date) -> str:
    base = held_on.isoformat()
    taken = set(session.scalars(select(m.BoardMeeting.slug).where(m.BoardMeeting.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def record_meeting(session: Session, actor: Actor | None, *, name: object, held_on: object,
                   note: object = "") -> dict:
    """Freeze the store for a Board meeting `name` held on `held_on` (a date or 'YYYY-MM-DD'); return its slug.

    What is frozen is the store as it stands when this runs (the write lock is held, so no write is half in)."""
    actor = require_secretariat(actor, Msg("record a Board meeting"))
    problems = {}
    name_text = name.strip() if isinstance(name, str) else ""  # a number or a list is no name (JSON bodies)
    if not name_text:
        problems["name"] = Msg("Give the meeting a name.")
    elif len(name) > NAME_LIMIT:
        problems["name"] = Msg("The name is too long (at most %(n)s characters).", n=NAME_LIMIT)
    day = None
    if isinstance(held_on, dt.date):
        day = held_on
    else:
        text = held_on if isinstance(held_on, str) else ""
        try:
            if not _ISO_DATE.fullmatch(text):  # fromisoformat also reads 20210312 and week dates
                raise ValueError(text)
            day = dt.date.fromisoformat(text)
        except ValueError:
            problems["held_on"] = Msg("Enter the meeting's date as YYYY-MM-DD.")
    if not isinstance(note, str):
        problems["note"] = Msg("Write the note as text.")
    note_text = note.strip() if isinstance(note, str) else ""
    if isinstance(note, str) and len(note) > NOTE_LIMIT:
        problems["note"] = Msg("The note is too long (at most %(n)s characters).", n=NOTE_LIMIT)
    if problems:
        raise Invalid(problems)
    change = Change(session, actor)
    version, changed_at = data_version(session)
    position = session.scalar(select(func.max(m.AuditEntry.id))) or 0
    meeting = m.BoardMeeting(slug=_slug(session, day), name=name_text, held_on=day, note=note_text,
                             data_version=version, data_changed_at=changed_at, audit_position=position,
                             frozen_at=change.at, recorded_by_id=actor.user_id, recorded_by=actor.label)
    session.add(meeting)
    session.flush()
    change.record("create", meeting, summary=Msg(audit.BOARD_MEETING_RECORDED, name=name_text, date=day.isoformat()))
    change.finish()
    return {"slug": meeting.slug, "data_version": version, "change_set": change.change_set}


MEETING_FIELDS = ("name", "held_on", "note")


def record_meeting_from(session: Session, actor: Actor | None, data: dict) -> dict:
    """record_meeting from the fields of a JSON body (MEETING_FIELDS); an unknown field is refused, after the
    permission check, as the other write endpoints do."""
    require_secretariat(actor, Msg("record a Board meeting"))
    unknown = {str(name)[:60]: Msg("Unknown field.") for name in data if name not in MEETING_FIELDS}
    if unknown:
        raise Invalid(unknown)
    return record_meeting(session, actor, name=data.get("name"), held_on=data.get("held_on"),
                          note=data.get("note", ""))
