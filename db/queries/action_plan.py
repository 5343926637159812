"""Queries about the action plans: items with their status, completion counts per line."""

from __future__ import annotations

import functools

import pandas as pd
from sqlalchemy import Integer, String, and_, bindparam, func, literal, select
from sqlalchemy.orm import Session, aliased

from db import models as m
from db.queries.common import frame, source_columns

ITEM_COLUMNS = ["code", "level", "parent", "line", "title", "position", "code_printed", "status", "mark",
                "printed", "status_year", "note"]


def _status_for_year(latest: bool):
    """Subquery: each item's status row for the year bound as "year", or its latest year when `latest`."""
    s = m.PlanItemStatus
    if latest:
        latest = select(s.plan_item_id, func.max(s.year).label("year")).group_by(s.plan_item_id).subquery()
        cond = and_(latest.c.plan_item_id == s.plan_item_id, latest.c.year == s.year)
        return (select(s.plan_item_id, s.year, s.status, s.printed, s.mark_id, s.comment)
                .join(latest, cond).subquery())
    return (select(s.plan_item_id, s.year, s.status, s.printed, s.mark_id, s.comment)
            .where(s.year == bindparam("year", type_=Integer)).subquery())


def plan_items(session: Session, *, plan: str, year: int | None = None) -> pd.DataFrame:
    """Every item of `plan` (lines, measures/axes, deliverables/outcomes) with its status.

    Status is that of `year`, or the latest recorded; items without one get 'unknown'. Columns: ITEM_COLUMNS +
    status_comment + source columns; rows in plan order (line, then parent position, then position).
    """
    params = {"plan": plan} if year is None else {"plan": plan, "year": year}
    return frame(session, _plan_items_stmt(year is None).params(params))


# The two statements below are built once (plan and year are bound parameters): building their aliases cost
# about half of each call (issue 14).
@functools.cache
def _plan_items_stmt(latest: bool):
    parent = aliased(m.PlanItem)
    grand = aliased(m.PlanItem)
    status = _status_for_year(latest)
    src_cols, src = source_columns(m.PlanItem)
    line_code = func.coalesce(grand.code, parent.code, m.PlanItem.code)
    return (
        select(m.PlanItem.code, m.PlanItem.level, func.coalesce(parent.code, "").label("parent"),
               line_code.label("line"), m.PlanItem.title, m.PlanItem.position, m.PlanItem.code_printed,
               func.coalesce(status.c.status, literal("unknown")).label("status"),
               func.coalesce(m.StatusMark.mark, "").label("mark"), func.coalesce(status.c.printed, "").label("printed"),
               status.c.year.label("status_year"), m.PlanItem.note,
               func.coalesce(status.c.comment, "").label("status_comment"), *src_cols)
        .join(m.ActionPlan, m.ActionPlan.id == m.PlanItem.plan_id)
        .join(src, src.id == m.PlanItem.source_id)
        .outerjoin(parent, parent.id == m.PlanItem.parent_id)
        .outerjoin(grand, grand.id == parent.parent_id)
        .outerjoin(status, status.c.plan_item_id == m.PlanItem.id)
        .outerjoin(m.StatusMark, m.StatusMark.id == status.c.mark_id)
        .where(m.ActionPlan.code == bindparam("plan", type_=String))
        .order_by(m.PlanItem.id)
    )


def completion_by_line(session: Session, *, plan: str, year: int | None = None) -> pd.DataFrame:
    """Status counts of the leaf items (deliverables or outcomes) of `plan`, per action line.

    Columns: line, line_title, done, in_progress, not_done, unknown, total (ints); lines in order.
    """
    params = {"plan": plan} if year is None else {"plan": plan, "year": year}
    df = frame(session, _completion_stmt(year is None).params(params))
    return df.astype({c: "int64" for c in ("done", "in_progress", "not_done", "unknown", "total")})


@functools.cache
def _completion_stmt(latest: bool):
    parent = aliased(m.PlanItem)
    line = aliased(m.PlanItem)
    status = _status_for_year(latest)
    st = func.coalesce(status.c.status, literal("unknown"))
    leaf = m.PlanItem
    return (
        select(line.code.label("line"), line.title.label("line_title"),
               *[func.count(leaf.id).filter(st == s).label(s) for s in ("done", "in_progress", "not_done", "unknown")],
               func.count(leaf.id).label("total"))
        .select_from(leaf)
        .join(m.ActionPlan, m.ActionPlan.id == leaf.plan_id)
        .join(parent, parent.id == leaf.parent_id)
        .join(line, line.id == parent.parent_id)
        .outerjoin(status, status.c.plan_item_id == leaf.id)
        .where(m.ActionPlan.code == bindparam("plan", type_=String), leaf.level.in_(("deliverable", "outcome")))
        .group_by(line.code, line.title, line.position)
        .order_by(line.position)
    )


def status_marks(session: Session) -> pd.DataFrame:
    """How each printed mark was read. Columns: mark, glyphs, status, reading, evidence."""
    stmt = select(m.StatusMark.mark, m.StatusMark.glyphs, m.StatusMark.status, m.StatusMark.reading,
                  m.StatusMark.evidence).order_by(m.StatusMark.id)
    return frame(session, stmt)


def plan_source(session: Session, plan: str) -> str | None:
    """The document and section that print the action plan `plan`'s statuses, as the charts cite them
    ('Metropolis Annual Report 2020, 3. Implementation of the Action Plan 2018-2020'), or None."""
    src = aliased(m.Source)
    row = session.execute(select(src.citation, m.ActionPlan.section).join(src, src.id == m.ActionPlan.source_id)
                          .where(m.ActionPlan.code == plan)).first()
    return f"{row.citation}, {row.section.split(':')[0].strip()}" if row else None


def plan_for_year(session: Session, year: int) -> str | None:
    """Return the code of the action plan whose mandate includes `year`, or None."""
    return session.scalar(select(m.ActionPlan.code)
                          .where(m.ActionPlan.start_year <= year, m.ActionPlan.end_year >= year)
                          .order_by(m.ActionPlan.start_year.desc()).limit(1))


def plan_item_choices(session: Session) -> pd.DataFrame:
    """The deliverables and outcomes a write may name. Columns: code, title, plan (its action plan's code);
    newest plan first, then in the plan's order."""
    stmt = (select(m.PlanItem.code, m.PlanItem.title, m.ActionPlan.code.label("plan"))
            .join(m.ActionPlan, m.ActionPlan.id == m.PlanItem.plan_id)
            .where(m.PlanItem.level.in_(("deliverable", "outcome")))
            .order_by(m.ActionPlan.start_year.desc(), m.PlanItem.id))
    return frame(session, stmt, ["code", "title", "plan"])
