"""Queries about the audit log: who changed what, when, before and after."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import models as m
from db.queries.common import frame

AUDIT_COLUMNS = ["id", "change_set", "at", "user_label", "action", "table_name", "row_id", "member", "summary",
                 "before", "after", "reverted_by"]


def audit_log(session: Session, *, member_slug: str | None = None, limit: int = 500) -> pd.DataFrame:
    """The latest audit entries (newest first), optionally only those about one member. Columns: AUDIT_COLUMNS."""
    a = m.AuditEntry
    stmt = (select(a.id, a.change_set, a.at, a.user_label, a.action, a.table_name, a.row_id,
                   func.coalesce(m.Member.name, "").label("member"), a.summary, a.before, a.after, a.reverted_by)
            .outerjoin(m.Member, m.Member.id == a.member_id)
            .order_by(a.id.desc()).limit(limit))
    if member_slug is not None:
        stmt = stmt.where(m.Member.slug == member_slug)
    return frame(session, stmt)


def change_sets(session: Session, *, limit: int = 200) -> pd.DataFrame:
    """One row per change set (newest first): change_set, at, user_label, action, rows, summary (the first entry's),
    reverted_by. Refusals are listed too (action 'refused')."""
    a = m.AuditEntry
    first = (select(a.change_set, func.min(a.id).label("first_id"), func.count(a.id).label("rows"),
                    func.max(a.reverted_by).label("reverted_by"))
             .group_by(a.change_set).subquery())
    stmt = (select(a.change_set, a.at, a.user_label, a.action, first.c.rows, a.summary, first.c.reverted_by)
            .join(first, first.c.first_id == a.id)
            .order_by(a.id.desc()).limit(limit))
    return frame(session, stmt)
