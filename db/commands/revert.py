"""Reverting a change set from the audit log: the rows go back to their state before it (Secretariat only)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Date, DateTime, select
from sqlalchemy.orm import Session

from db import audit_text as audit
from db import models as m
from db.commands.base import Actor, Change, Conflict, NotFound, require_secretariat, snapshot
from db.messages import Msg

_MODELS = {mapper.class_.__tablename__: mapper.class_ for mapper in m.Base.registry.mappers}


def _restore(model, values: dict) -> dict:
    """JSON values -> column values (dates back to date objects)."""
    out = {}
    for column in model.__table__.columns:
        if column.key not in values:
            continue
        value = values[column.key]
        if value is not None and isinstance(column.type, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = dt.date.fromisoformat(value)
        out[column.key] = value
    return out


def _same(current: dict, expected: dict) -> bool:
    """Whether a row still holds what the change wrote (times compared as text, to the second)."""
    def norm(v):
        return str(v)[:19] if isinstance(v, str) and len(v) >= 19 and v[4] == "-" else v
    return all(norm(current.get(k)) == norm(v) for k, v in expected.items())


def revert_change(session: Session, actor: Actor | None, change_set: str) -> dict:
    """Undo every row of `change_set`, newest first; refuse if a row changed since (revert the later change first)."""
    actor = require_secretariat(actor, Msg("revert a change"))
    entries = list(session.scalars(select(m.AuditEntry).where(m.AuditEntry.change_set == change_set)
                                   .order_by(m.AuditEntry.id.desc())))
    if not entries:
        raise NotFound(Msg("There is no change %(change)s.", change=change_set[:40]))
    if entries[0].action in ("refused", "revert"):
        raise Conflict(Msg("This entry cannot be reverted (refusals and reverts are not changes to the data)."))
    if any(e.reverted_by for e in entries):
        raise Conflict(Msg("This change was already reverted."))
    change = Change(session, actor)
    for entry in entries:
        model = _MODELS[entry.table_name]
        row = session.get(model, entry.row_id)
        before = json.loads(entry.before) if entry.before else None
        after = json.loads(entry.after) if entry.after else None
        if entry.action == "create":
            if row is None:
                continue  # already gone
            if not _same(snapshot(row), after):
                raise Conflict(Msg("%(change)s: the row changed since; revert the later change first.", change=audit.summary_message(entry.summary)))
            state = snapshot(row)
            session.delete(row)
            session.flush()
            change.record("revert", row, summary=Msg(audit.REVERTED, change=entry.summary), before=state, member_id=entry.member_id)
        elif entry.action == "update":
            if row is None or not _same(snapshot(row), after):
                raise Conflict(Msg("%(change)s: the row changed since; revert the later change first.", change=audit.summary_message(entry.summary)))
            state = snapshot(row)
            for key, value in _restore(model, before).items():
                setattr(row, key, value)
            session.flush()
            change.record("revert", row, summary=Msg(audit.REVERTED, change=entry.summary), before=state, member_id=entry.member_id)
        elif entry.action == "delete":
            row = model(**_restore(model, before))
            session.add(row)
            session.flush()
            change.record("revert", row, summary=Msg(audit.REVERTED, change=entry.summary), member_id=entry.member_id)
        entry.reverted_by = change.change_set
    return {"change_set": change.finish(), "reverted": change_set}
