"""Helpers shared by the query modules: frames, provenance columns, year ranges, available values."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import ColumnElement, Integer, Select, and_, cast, extract, func, literal, select, union
from sqlalchemy.orm import Session, aliased

from db import models as m
from db.queries.years import default_year, write_window

SOURCE_COLUMNS = ["source", "source_citation", "source_document", "source_section", "source_locator"]


def frame(session: Session, stmt: Select, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Execute `stmt` and return its rows as a DataFrame with the statement's column labels."""
    result = session.execute(stmt)
    return pd.DataFrame(result.all(), columns=list(columns or result.keys()))


def source_columns(model) -> tuple[list[ColumnElement], type[m.Source]]:
    """Return labelled provenance columns of `model` and the Source alias the query must join on.

    Built once per model (an aliased Source and its adapted columns cost ~1 ms a call, issue 14): a statement may
    therefore use one model's source columns only once (no query needs them twice)."""
    cols, src = _source_columns(model)
    return list(cols), src


@functools.lru_cache(maxsize=64)  # keyed by model class; bounded in case an alias is ever passed
def _source_columns(model) -> tuple[tuple[ColumnElement, ...], type[m.Source]]:
    src = aliased(m.Source)
    citation = src.citation + literal(", ") + model.section + literal(", ") + model.locator
    cols = [citation.label("source"), src.citation.label("source_citation"), src.file.label("source_document"),
            model.section.label("source_section"), model.locator.label("source_locator")]
    return tuple(cols), src


def restrict(stmt: Select, *, regions: Sequence[str] | None = None, member_slug: str | None = None) -> Select:
    """Limit a statement that joins Member and Region to some regions and/or one member (None = no limit)."""
    if regions is not None:
        stmt = stmt.where(m.Region.name.in_(regions))
    if member_slug is not None:
        stmt = stmt.where(m.Member.slug == member_slug)
    return stmt


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """Return the half-open date range [1 Jan year, 1 Jan year+1)."""
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def region_names(session: Session) -> list[str]:
    """Return the region names in canonical order."""
    return list(session.scalars(select(m.Region.name).order_by(m.Region.position)))


def available_years(session: Session) -> list[int]:
    """Return every year the store holds member-level data or indicators for, ascending, within the window writes
    accept (db.queries.years.write_window): a row written for another year before the window existed is ignored."""
    first, last = write_window(session)
    stmt = union(
        select(m.Engagement.year),
        select(m.WebsitePresence.year),
        select(m.IndicatorValue.year),
        select(m.FeePayment.fee_year),
        select(m.PlanItemStatus.year),
        select(cast(extract("year", m.Event.start_date), Integer)),
    )
    return sorted(int(y) for y in session.scalars(stmt) if first <= int(y) <= last)


def year_choices(session: Session) -> tuple[list[int], int | None]:
    """Return (available_years, the default year among them: db.queries.years.default_year)."""
    years = available_years(session)
    return years, default_year(session, years)


def plan_codes(session: Session) -> list[str]:
    return list(session.scalars(select(m.ActionPlan.code).order_by(m.ActionPlan.start_year)))


def latest_leadership():
    """Subquery: each member's most recent leadership row."""
    latest = (select(m.MemberLeadership.member_id, func.max(m.MemberLeadership.as_of).label("as_of"))
              .group_by(m.MemberLeadership.member_id).subquery())
    return (select(m.MemberLeadership.member_id, m.MemberLeadership.as_of, m.MemberLeadership.governed_by_woman)
            .join(latest, and_(latest.c.member_id == m.MemberLeadership.member_id,
                               latest.c.as_of == m.MemberLeadership.as_of))
            .subquery())
