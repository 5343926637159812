"""Queries about indicators: printed aggregates by scope, year and topic, and gender breakdowns."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from db import models as m
from db.queries.common import frame, source_columns, year_bounds

INDICATOR_COLUMNS = ["code", "name", "unit", "topic", "scope", "region", "member", "year", "period_start",
                     "period_end", "value", "qualifier", "printed", "note"]


def indicator_values(session: Session, *, scope: str | None = None, year: int | None = None,
                     topic: str | None = None, codes: Sequence[str] | None = None,
                     regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Indicator values, optionally filtered.

    With `regions`, network values are kept and region/member values are limited to those regions.
    Columns: INDICATOR_COLUMNS + source columns; ordered by code, period.
    """
    src_cols, src = source_columns(m.IndicatorValue)
    v = m.IndicatorValue
    member_region = aliased(m.Region)
    stmt = (
        select(m.Indicator.code, m.Indicator.name, m.Indicator.unit, m.Indicator.topic, v.scope,
               func.coalesce(m.Region.name, member_region.name, "").label("region"),
               func.coalesce(m.Member.name, "").label("member"), v.year, v.period_start, v.period_end, v.value,
               v.qualifier, v.printed, v.note, *src_cols)
        .join(m.Indicator, m.Indicator.id == v.indicator_id)
        .join(src, src.id == v.source_id)
        .outerjoin(m.Region, m.Region.id == v.region_id)
        .outerjoin(m.Member, m.Member.id == v.member_id)
        .outerjoin(member_region, member_region.id == m.Member.region_id)
        .order_by(m.Indicator.code, v.period_start, v.period_end, v.id)
    )
    if scope is not None:
        stmt = stmt.where(v.scope == scope)
    if year is not None:
        stmt = stmt.where(v.year == year)
    if topic is not None:
        stmt = stmt.where(m.Indicator.topic == topic)
    if codes is not None:
        stmt = stmt.where(m.Indicator.code.in_(codes))
    if regions is not None:
        stmt = stmt.where(or_(v.scope == "network", m.Region.name.in_(regions), member_region.name.in_(regions)))
    return frame(session, stmt)


def gender_breakdown(session: Session, *, year: int) -> pd.DataFrame:
    """Women's share of each population the documents break down by gender, network scope, in `year`.

    A population is an indicator code P with a value for P.women_pct or P.women. Columns: population (code),
    name, total, total_printed, total_qualifier, women_pct (0-100), women, men (counts where printed, else
    NaN), source (of the women figure), source_citation, source_document, source_section, source_locator.
    Ordered by women_pct.
    """
    suffixes = ("women_pct", "men_pct", "women", "men")
    df = indicator_values(session, scope="network", year=year)
    if df.empty:
        return pd.DataFrame(columns=["population", "name", "total", "total_printed", "total_qualifier",
                                     "women_pct", "women", "men", "source", "source_citation", "source_document",
                                     "source_section", "source_locator"])
    parts = df["code"].str.rsplit(".", n=1, expand=True)
    df = df.assign(base=parts[0], suffix=parts[1])
    breakdown = df[df["suffix"].isin(suffixes)]
    rows = []
    for base, grp in breakdown.groupby("base", sort=False):
        values = dict(zip(grp["suffix"], grp["value"]))
        total_row = df[df["code"] == base].head(1)
        total = float(total_row["value"].iloc[0]) if not total_row.empty else None
        women_pct = values.get("women_pct")
        if women_pct is None and "women" in values and total:
            women_pct = 100.0 * values["women"] / total
        first = grp[grp["suffix"].isin(("women_pct", "women"))].iloc[0]
        rows.append({
            "population": base,
            "name": total_row["name"].iloc[0] if not total_row.empty else first["name"].split(":")[0],
            "total": total,
            "total_printed": total_row["printed"].iloc[0] if not total_row.empty else "",
            "total_qualifier": total_row["qualifier"].iloc[0] if not total_row.empty else "",
            "women_pct": women_pct,
            "women": values.get("women"),
            "men": values.get("men"),
            "source": first["source"], "source_citation": first["source_citation"],
            "source_document": first["source_document"],
            "source_section": first["source_section"], "source_locator": first["source_locator"],
        })
    return pd.DataFrame(rows).sort_values("women_pct", kind="stable").reset_index(drop=True)


def latest_value(session: Session, code: str, *, year: int | None = None) -> dict | None:
    """Return the network value of indicator `code` (for `year`, else the latest), as a dict, or None."""
    df = indicator_values(session, scope="network", codes=[code], year=year)
    if df.empty:
        return None
    return df.sort_values(["period_end", "period_start"]).iloc[-1].to_dict()


FUND_SOURCES = ("membership_fees", "partnerships_members", "partnerships_others", "in_kind")


def funds_breakdown(session: Session, *, year: int) -> pd.DataFrame:
    """Where the year's funds came from, as printed: one row per basis and source of funds.

    Columns: basis ('cash' or 'with_in_kind'), total (EUR), total_printed, fund_source (one of FUND_SOURCES),
    share_pct (0-100, as printed) + source columns. Empty when the year has no funds figures.
    """
    df = indicator_values(session, scope="network", year=year, topic="funds")
    rows = []
    for basis, total_code, prefix in (("cash", "funds.total", "funds."),
                                      ("with_in_kind", "funds.total_with_in_kind", "funds.with_in_kind.")):
        total = df[df["code"] == total_code]
        if total.empty:
            continue
        for fund_source in FUND_SOURCES:
            share = df[df["code"] == f"{prefix}{fund_source}_pct"]
            if share.empty:
                continue
            r = share.iloc[0]
            rows.append({"basis": basis, "total": float(total.iloc[0]["value"]), "total_printed": total.iloc[0]["printed"],
                         "fund_source": fund_source, "share_pct": float(r["value"]),
                         **{c: r[c] for c in ("source", "source_citation", "source_document", "source_section",
                                              "source_locator")}})
    return pd.DataFrame(rows, columns=["basis", "total", "total_printed", "fund_source", "share_pct", "source",
                                       "source_citation", "source_document", "source_section", "source_locator"])


def recorded_gender(session: Session, *, year: int) -> pd.DataFrame:
    """Speakers and participants by gender summed over the events recorded in the dashboard in `year`.

    Columns as gender_breakdown, and events (how many events gave the counts); women_pct is the share of women
    among those whose gender was recorded, and total counts everyone (recorded or not). Empty when no event of
    the year has gender counts.
    """
    start, end = year_bounds(year)
    e = m.Event
    sums = session.execute(select(
        func.count(e.id).filter(func.coalesce(e.speakers_women, e.speakers_men, e.speakers_unrecorded).is_not(None)),
        func.sum(e.speakers_women), func.sum(e.speakers_men), func.sum(e.speakers_unrecorded),
        func.count(e.id).filter(func.coalesce(e.participants_women, e.participants_men,
                                              e.participants_unrecorded).is_not(None)),
        func.sum(e.participants_women), func.sum(e.participants_men), func.sum(e.participants_unrecorded))
        .where(e.start_date >= start, e.start_date < end)).one()
    rows = []
    for population, name, (n_events, women, men, unrecorded) in (
            ("recorded.speakers", "Speakers at the events recorded", sums[0:4]),
            ("recorded.participants", "Participants in the events recorded", sums[4:8])):
        women, men, unrecorded = int(women or 0), int(men or 0), int(unrecorded or 0)
        if not n_events or women + men == 0:
            continue
        total = women + men + unrecorded
        rows.append({"population": population, "name": name, "total": float(total),
                     "total_printed": f"{total:,}" + (f" ({unrecorded:,} not recorded)" if unrecorded else ""),
                     "total_qualifier": "", "women_pct": 100.0 * women / (women + men), "women": float(women),
                     "men": float(men), "events": int(n_events),
                     "source": f"Entered in the dashboard: {n_events} events of {year}",
                     "source_citation": "Entered in the dashboard", "source_document": "",
                     "source_section": f"{year} events", "source_locator": ""})
    return pd.DataFrame(rows)
