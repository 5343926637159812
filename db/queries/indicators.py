"""Queries about indicators: printed aggregates by scope, year and topic, and gender breakdowns."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from db import models as m
from db.queries.common import SOURCE_COLUMNS, frame, region_names, source_columns, year_bounds
from db.reference import METROPOLITAN_INDICATORS

INDICATOR_COLUMNS = ["code", "name", "unit", "topic", "scope", "region", "member", "year", "period_start",
                     "period_end", "value", "qualifier", "printed", "note"]


def indicator_values(session: Session, *, scope: str | None = None, year: int | None = None,
                     topic: str | None = None, codes: Sequence[str] | None = None,
                     regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Indicator values, optionally filtered.

    With `regions`, network values are kept and region/member values are limited to those regions.
    Columns: INDICATOR_COLUMNS + source columns; ordered by code, period.
    """
    v = m.IndicatorValue
    stmt, member_region = _indicator_values_stmt()
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


@functools.cache
def _indicator_values_stmt():
    """indicator_values' statement before its filters, and the alias of the member's region; built once (its
    aliases cost about half of a call, issue 14)."""
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
    return stmt, member_region


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
    # plain Python over the frame's columns: a boolean filter per population cost ~10 ms a call (issue 14)
    col = {c: df[c].tolist() for c in ("code", "name", "value", "printed", "qualifier", *SOURCE_COLUMNS)}
    first_of_code: dict[str, int] = {}
    groups: dict[str, list[tuple[int, str]]] = {}  # population -> its breakdown rows (index, suffix), in order
    for i, code in enumerate(col["code"]):
        first_of_code.setdefault(code, i)
        if "." in code:
            base, suffix = code.rsplit(".", 1)
            if suffix in suffixes:
                groups.setdefault(base, []).append((i, suffix))
    rows = []
    for base, grp in groups.items():
        values = {suffix: col["value"][i] for i, suffix in grp}
        t = first_of_code.get(base)
        total = float(col["value"][t]) if t is not None else None
        women_pct = values.get("women_pct")
        if women_pct is None and "women" in values and total:
            women_pct = 100.0 * values["women"] / total
        firsts = [i for i, suffix in grp if suffix in ("women_pct", "women")]
        if not firsts:
            raise IndexError("single positional indexer is out-of-bounds")  # as the pandas version did
        first = firsts[0]
        rows.append({
            "population": base,
            "name": col["name"][t] if t is not None else col["name"][first].split(":")[0],
            "total": total,
            "total_printed": col["printed"][t] if t is not None else "",
            "total_qualifier": col["qualifier"][t] if t is not None else "",
            "women_pct": women_pct,
            "women": values.get("women"),
            "men": values.get("men"),
            **{c: col[c][first] for c in SOURCE_COLUMNS},
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
    col = {c: df[c].tolist() for c in ("code", "value", "printed", *SOURCE_COLUMNS)}
    first_of_code: dict[str, int] = {}  # plain Python lookups: a boolean filter per code cost ~5 ms a call
    for i, code in enumerate(col["code"]):
        first_of_code.setdefault(code, i)
    rows = []
    for basis, total_code, prefix in (("cash", "funds.total", "funds."),
                                      ("with_in_kind", "funds.total_with_in_kind", "funds.with_in_kind.")):
        t = first_of_code.get(total_code)
        if t is None:
            continue
        for fund_source in FUND_SOURCES:
            r = first_of_code.get(f"{prefix}{fund_source}_pct")
            if r is None:
                continue
            rows.append({"basis": basis, "total": float(col["value"][t]), "total_printed": col["printed"][t],
                         "fund_source": fund_source, "share_pct": float(col["value"][r]),
                         **{c: col[c][r] for c in SOURCE_COLUMNS}})
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


# ---- the Observatory's metropolitan indicators, per member ------------------------------------------------

def metropolitan_indicators(session: Session, *, year: int,
                            codes: Sequence[str] = METROPOLITAN_INDICATORS) -> pd.DataFrame:
    """Each metropolitan indicator with its network figure as printed, for `year`.

    The network figure is the latest printed for a year up to `year` (the earliest one when all are later), with
    its own year and period, so a page can say how old it is. Columns: code, name, unit, description, then
    network_value, network_printed, network_qualifier, network_note, network_year, period_start, period_end and the
    source columns (NaN/None when the documents print no network figure). Ordered as `codes`.
    """
    ind = frame(session, select(m.Indicator.code, m.Indicator.name, m.Indicator.unit, m.Indicator.description)
                .where(m.Indicator.code.in_(codes)))
    network = indicator_values(session, scope="network", codes=list(codes))
    rows = []
    for code in codes:
        found = ind[ind["code"] == code]
        if found.empty:
            continue
        values = network[network["code"] == code].sort_values(["year", "period_end"])
        upto = values[values["year"] <= year]
        chosen = upto.iloc[-1] if not upto.empty else (values.iloc[0] if not values.empty else None)
        row = found.iloc[0].to_dict()
        row.update({"network_value": None, "network_printed": "", "network_qualifier": "", "network_note": "",
                    "network_year": None, "period_start": None, "period_end": None,
                    **{c: "" for c in SOURCE_COLUMNS}})
        if chosen is not None:
            row.update({"network_value": float(chosen["value"]), "network_printed": chosen["printed"],
                        "network_qualifier": chosen["qualifier"], "network_note": chosen["note"],
                        "network_year": int(chosen["year"]), "period_start": chosen["period_start"],
                        "period_end": chosen["period_end"], **{c: chosen[c] for c in SOURCE_COLUMNS}})
        rows.append(row)
    return pd.DataFrame(rows, columns=["code", "name", "unit", "description", "network_value", "network_printed",
                                       "network_qualifier", "network_note", "network_year", "period_start",
                                       "period_end", *SOURCE_COLUMNS])


def coverage_by_region(session: Session, *, year: int, regions: Sequence[str] | None = None,
                       codes: Sequence[str] = METROPOLITAN_INDICATORS) -> pd.DataFrame:
    """How many members of each region have a value of each indicator in `year`.

    Members are the regular members (the honorary member is not a metropolitan space). Columns: code, region,
    members (int), with_values (int, members with a member-scope value); one row per code and region (zeros
    included), codes in the order given, regions in canonical order.
    """
    members = dict(session.execute(
        select(m.Region.name, func.count(m.Member.id)).join(m.Member, m.Member.region_id == m.Region.id)
        .where(m.Member.honorary.is_(False)).group_by(m.Region.name)).all())
    v = m.IndicatorValue
    counted = session.execute(
        select(m.Indicator.code, m.Region.name, func.count(func.distinct(v.member_id)))
        .join(m.Indicator, m.Indicator.id == v.indicator_id)
        .join(m.Member, m.Member.id == v.member_id).join(m.Region, m.Region.id == m.Member.region_id)
        .where(v.scope == "member", v.year == year, m.Indicator.code.in_(codes), m.Member.honorary.is_(False))
        .group_by(m.Indicator.code, m.Region.name)).all()
    with_values = {(code, region): n for code, region, n in counted}
    chosen = [r for r in region_names(session) if regions is None or r in regions]
    rows = [(code, region, int(members.get(region, 0)), int(with_values.get((code, region), 0)))
            for code in codes for region in chosen]
    return pd.DataFrame(rows, columns=["code", "region", "members", "with_values"])


MEMBER_VALUE_COLUMNS = ["member", "slug", "region", "country", "latitude", "longitude", "year", "value", "printed",
                        "note", "previous_year", "previous_value", *SOURCE_COLUMNS]


def values_by_member(session: Session, *, code: str, year: int | None = None, regions: Sequence[str] | None = None,
                     compare_year: int | None = None) -> pd.DataFrame:
    """The members' values of indicator `code` (member scope), in `year` (every year if None).

    With `compare_year`, each row also carries the same member's value of that year (previous_value, NaN if it has
    none). Columns: MEMBER_VALUE_COLUMNS (value in the indicator's unit; source columns say who entered it, or the
    document). Ordered by year (latest first), value (highest first), member.
    """
    v = m.IndicatorValue
    prev = aliased(m.IndicatorValue)
    src_cols, src = source_columns(v)
    stmt = (
        select(m.Member.name.label("member"), m.Member.slug, m.Region.name.label("region"), m.Member.country,
               m.Member.latitude, m.Member.longitude, v.year, v.value, v.printed, v.note,
               prev.year.label("previous_year"), prev.value.label("previous_value"), *src_cols)
        .join(m.Indicator, m.Indicator.id == v.indicator_id)
        .join(m.Member, m.Member.id == v.member_id).join(m.Region, m.Region.id == m.Member.region_id)
        .join(src, src.id == v.source_id)
        .outerjoin(prev, and_(prev.indicator_id == v.indicator_id, prev.member_id == v.member_id,
                              prev.scope == "member", prev.year == (compare_year if compare_year is not None else -1)))
        .where(v.scope == "member", m.Indicator.code == code)
        .order_by(v.year.desc(), v.value.desc(), m.Member.name)
    )
    if year is not None:
        stmt = stmt.where(v.year == year)
    if regions is not None:
        stmt = stmt.where(m.Region.name.in_(regions))
    return frame(session, stmt, MEMBER_VALUE_COLUMNS)


def member_value_history(session: Session, *, code: str, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Per year, how many members have a value of `code` and the spread of their values.

    Columns: year (int), members (int), lowest, mean, highest (floats, the indicator's unit); oldest year first.
    """
    v = m.IndicatorValue
    stmt = (select(v.year, func.count(func.distinct(v.member_id)).label("members"), func.min(v.value).label("lowest"),
                   func.avg(v.value).label("mean"), func.max(v.value).label("highest"))
            .join(m.Indicator, m.Indicator.id == v.indicator_id)
            .join(m.Member, m.Member.id == v.member_id).join(m.Region, m.Region.id == m.Member.region_id)
            .where(v.scope == "member", m.Indicator.code == code)
            .group_by(v.year).order_by(v.year))
    if regions is not None:
        stmt = stmt.where(m.Region.name.in_(regions))
    df = frame(session, stmt, ["year", "members", "lowest", "mean", "highest"])
    return df.astype({"year": int, "members": int, "lowest": float, "mean": float, "highest": float})


def indicator_details(session: Session, code: str) -> dict | None:
    """What indicator `code` is (code, name, unit, topic, description), or None when there is no such indicator."""
    row = session.execute(select(m.Indicator.code, m.Indicator.name, m.Indicator.unit, m.Indicator.topic,
                                 m.Indicator.description).where(m.Indicator.code == code)).first()
    return dict(row._mapping) if row is not None else None


def member_indicator_values(session: Session, *, slug: str) -> pd.DataFrame:
    """The indicator values recorded for the member `slug`. Columns: code, name, unit, year, value, printed, note +
    source columns; ordered by code, year."""
    v = m.IndicatorValue
    src_cols, src = source_columns(v)
    stmt = (select(m.Indicator.code, m.Indicator.name, m.Indicator.unit, v.year, v.value, v.printed, v.note, *src_cols)
            .join(m.Indicator, m.Indicator.id == v.indicator_id).join(m.Member, m.Member.id == v.member_id)
            .join(src, src.id == v.source_id)
            .where(v.scope == "member", m.Member.slug == slug).order_by(m.Indicator.code, v.year))
    return frame(session, stmt, ["code", "name", "unit", "year", "value", "printed", "note", *SOURCE_COLUMNS])


# ---- the year's results by action line ------------------------------------------------------------------

RESULT_COLUMNS = ["section", "topic", "code", "name", "unit", "year", "value", "printed", "qualifier", "note",
                  "previous_year", "previous_value", "previous_printed", "previous_qualifier", *SOURCE_COLUMNS]
# The sections where the annual report gives the year's headline results: its main results, one per action line,
# and its highlights (gender equality).
RESULT_SECTIONS = ("%Main results%", "%Action Line%", "%highlights%")


def results_by_action_line(session: Session, *, year: int) -> pd.DataFrame:
    """The network's headline results of `year` (figures for the whole calendar year, printed under the main
    results, an action line or the highlights), with the same figure of the year before where the store has it.

    Columns: RESULT_COLUMNS (section as printed, e.g. '2.1. Action Line 1'; previous_* NaN/None without a figure
    for year - 1); ordered by section, then as the document prints them. Year-to-date figures (a progress report's)
    are left out: they are not the year's results.
    """
    v = m.IndicatorValue
    prev = aliased(m.IndicatorValue)
    src_cols, src = source_columns(v)
    start, end = year_bounds(year)
    prev_start, _prev_end = year_bounds(year - 1)
    in_sections = or_(*(v.section.like(p) for p in RESULT_SECTIONS))
    stmt = (
        select(v.section, m.Indicator.topic, m.Indicator.code, m.Indicator.name, m.Indicator.unit, v.year, v.value,
               v.printed, v.qualifier, v.note, prev.year, prev.value, prev.printed, prev.qualifier, *src_cols)
        .join(m.Indicator, m.Indicator.id == v.indicator_id)
        .join(src, src.id == v.source_id)
        .outerjoin(prev, and_(prev.indicator_id == v.indicator_id, prev.scope == "network", prev.year == year - 1,
                              prev.period_start == prev_start, prev.period_end == start,
                              or_(*(prev.section.like(p) for p in RESULT_SECTIONS))))
        .where(v.scope == "network", v.year == year, v.period_start == start, v.period_end == end, in_sections)
        .order_by(v.section, v.id)
    )
    df = frame(session, stmt, RESULT_COLUMNS)
    return df.drop_duplicates(subset=["section", "code"], keep="first").reset_index(drop=True)


def action_line_titles(session: Session, *, year: int) -> dict[str, str]:
    """{'L1': title, ...}: the lines of the action plan whose mandate includes `year` (empty if none)."""
    plan = session.scalar(select(m.ActionPlan.id).where(m.ActionPlan.start_year <= year, m.ActionPlan.end_year >= year)
                          .order_by(m.ActionPlan.start_year.desc()).limit(1))
    if plan is None:
        return {}
    return dict(session.execute(select(m.PlanItem.code, m.PlanItem.title)
                                .where(m.PlanItem.plan_id == plan, m.PlanItem.level == "line")).all())
