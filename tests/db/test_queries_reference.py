"""The data layer's faster rewrites (issue 14) give what the implementations they replaced gave, on the seeded store
of both backends: each old implementation is kept here, verbatim but for names, as the reference."""

import datetime as dt

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy import and_, func, literal, or_, select, union
from sqlalchemy.orm import aliased

from db import models as m
from db.queries import action_plan, engagement, indicators, members, reconciliation, years
from db.queries.common import available_years, frame, region_names, source_columns


@pytest.fixture
def store_years(session):
    return [*available_years(session), 2019, 2031]  # and years without data


def same(actual, expected):
    """Equal frames: columns, dtypes, index and values (None stays None, NaN stays NaN)."""
    assert_frame_equal(actual, expected, check_exact=True)
    for col in expected.columns:
        assert [type(v) for v in actual[col].tolist()] == [type(v) for v in expected[col].tolist()], col


# ---- indicators -------------------------------------------------------------------------------------------

def old_gender_breakdown(session, *, year):
    suffixes = ("women_pct", "men_pct", "women", "men")
    df = indicators.indicator_values(session, scope="network", year=year)
    if df.empty:
        return None
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
            "women_pct": women_pct, "women": values.get("women"), "men": values.get("men"),
            "source": first["source"], "source_citation": first["source_citation"],
            "source_document": first["source_document"],
            "source_section": first["source_section"], "source_locator": first["source_locator"],
        })
    return pd.DataFrame(rows).sort_values("women_pct", kind="stable").reset_index(drop=True)


def test_gender_breakdown_as_before(session, store_years):
    compared = 0
    for year in store_years:
        expected = old_gender_breakdown(session, year=year)
        actual = indicators.gender_breakdown(session, year=year)
        if expected is None:
            assert actual.empty
            continue
        same(actual, expected)
        compared += len(expected)
    assert compared > 0  # the seed has gender figures


def old_funds_breakdown(session, *, year):
    df = indicators.indicator_values(session, scope="network", year=year, topic="funds")
    rows = []
    for basis, total_code, prefix in (("cash", "funds.total", "funds."),
                                      ("with_in_kind", "funds.total_with_in_kind", "funds.with_in_kind.")):
        total = df[df["code"] == total_code]
        if total.empty:
            continue
        for fund_source in indicators.FUND_SOURCES:
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


def test_funds_breakdown_as_before(session, store_years):
    compared = 0
    for year in store_years:
        expected = old_funds_breakdown(session, year=year)
        same(indicators.funds_breakdown(session, year=year), expected)
        compared += len(expected)
    assert compared > 0


def old_indicator_values(session, *, scope=None, year=None, topic=None, codes=None, regions=None):
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
        .order_by(m.Indicator.code, v.period_start, v.period_end, v.id))
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


def test_indicator_values_as_before(session, store_years):
    names = region_names(session)
    codes = list(session.scalars(select(m.Indicator.code).order_by(m.Indicator.id).limit(5)))
    filters = [{}, {"scope": "network"}, {"scope": "member"}, {"topic": "funds"}, {"codes": codes},
               {"regions": names[:1]}, {"regions": names[1:3], "scope": "member"}, {"codes": []}]
    for year in [None, *store_years]:
        for f in filters:
            same(indicators.indicator_values(session, year=year, **f), old_indicator_values(session, year=year, **f))
    assert len(indicators.indicator_values(session)) > 0


def test_source_columns_are_built_once_and_handed_out_as_copies():
    cols, src = source_columns(m.Member)
    again, src_again = source_columns(m.Member)
    assert src is src_again and cols == again and cols is not again
    cols.clear()
    assert len(source_columns(m.Member)[0]) == 5
    assert source_columns(m.Event)[1] is not src  # one alias per model


# ---- reconciliation ---------------------------------------------------------------------------------------

def test_reconciliation_report_as_its_checks_run_one_by_one(session, store_years):
    """Within a report the printed values and each table's aggregates are read in one statement each; run alone,
    every check reads its own statements, as all did before: both give the same rows."""
    recorded = set(session.scalars(select(m.Discrepancy.code)))
    compared = 0
    for year in store_years:
        expected = pd.DataFrame(reconciliation._run_checks(session, year, recorded),
                                columns=reconciliation.REPORT_COLUMNS)
        same(reconciliation.reconciliation_report(session, year=year), expected)
        compared += len(expected)
    assert compared > 10


def test_reconciliation_figures_as_the_old_statements_read_them(session):
    """The batched aggregates and printed values against the statements the checks used to run, on the seed's
    reported year."""
    E, W = m.Engagement, m.WebsitePresence
    year = max(years.reported_years(session))

    def scalar(stmt):
        return float(session.scalar(stmt) or 0)

    def printed(code):
        return session.execute(select(m.IndicatorValue.value, m.IndicatorValue.period_start, m.IndicatorValue.period_end)
                               .join(m.Indicator, m.Indicator.id == m.IndicatorValue.indicator_id)
                               .where(m.Indicator.code == code, m.IndicatorValue.year == year,
                                      m.IndicatorValue.scope == "network")
                               .order_by(m.IndicatorValue.period_end.desc()).limit(1)).first()

    expected = {
        "engagement.activated.members": scalar(select(func.count(E.id)).where(E.year == year, E.activated.is_(True))),
        "engagement.bilateral.total": reconciliation.Recomputed(
            scalar(select(func.sum(E.bilateral_meetings)).where(E.year == year)),
            int(scalar(select(func.count(E.id)).where(E.year == year, E.bilateral_meetings.is_(None))))),
        "engagement.board_meetings.members": reconciliation.Recomputed(
            scalar(select(func.count(E.id)).where(E.year == year, E.board_meetings > 0)),
            int(scalar(select(func.count(E.id)).where(E.year == year, E.board_meetings.is_(None))))),
        "website.news.total": scalar(select(func.sum(W.news)).where(W.year == year)),
        "website.use_cases.members": scalar(select(func.count(W.id).filter(W.use_cases > 0)).where(W.year == year)),
    }
    checks = {c.code: c for c in reconciliation.CHECKS}
    token = reconciliation._PREFETCHED.set((session, year, reconciliation._printed_values(session, year),
                                            reconciliation._aggregate_values(session, year)))
    try:
        inside = {code: checks[code].recompute(session, year) for code in expected}
        printed_inside = {c: reconciliation._printed_value(session, c, year)
                          for check in reconciliation.CHECKS for c in check.printed}
    finally:
        reconciliation._PREFETCHED.reset(token)
    alone = {code: checks[code].recompute(session, year) for code in expected}
    assert inside == expected and alone == expected
    assert any(v is not None for v in printed_inside.values())
    for code, row in printed_inside.items():
        old = printed(code)
        assert (None if row is None else tuple(row[1:])) == (None if old is None else tuple(old)), code


# ---- engagement -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("include_fees", [True, False])
def test_engagement_unknown_cells_as_before(session, store_years, include_fees):
    for year in store_years:
        df = engagement.engagement_by_member(session, year=year, include_fees=include_fees)
        fee_id = frame(session, select(m.Member.slug, m.FeePayment.id).join(m.FeePayment, and_(
            m.FeePayment.member_id == m.Member.id, m.FeePayment.fee_year == year)))
        has_fee = set(fee_id["slug"]) if include_fees else set()
        fee_unknown = df["slug"].isin(has_fee) & df["fee_paid"].isna()
        unknown = [(col, df[col].isna()) for col in (*engagement.UNKNOWN_COUNT_COLUMNS, *engagement.UNKNOWN_FLAG_COLUMNS)]
        expected = [",".join([*(["fee_paid"] if fee_unknown.iloc[i] else []),
                              *(col for col, isna in unknown if isna.iloc[i])]) for i in range(len(df))]
        assert df["unknown_cells"].tolist() == expected


# ---- action plans -----------------------------------------------------------------------------------------

def _old_status_for_year(year):
    s = m.PlanItemStatus
    if year is None:
        latest = select(s.plan_item_id, func.max(s.year).label("year")).group_by(s.plan_item_id).subquery()
        cond = and_(latest.c.plan_item_id == s.plan_item_id, latest.c.year == s.year)
        return (select(s.plan_item_id, s.year, s.status, s.printed, s.mark_id, s.comment)
                .join(latest, cond).subquery())
    return select(s.plan_item_id, s.year, s.status, s.printed, s.mark_id, s.comment).where(s.year == year).subquery()


def old_plan_items(session, *, plan, year=None):
    parent, grand = aliased(m.PlanItem), aliased(m.PlanItem)
    status = _old_status_for_year(year)
    src_cols, src = source_columns(m.PlanItem)
    line_code = func.coalesce(grand.code, parent.code, m.PlanItem.code)
    stmt = (
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
        .where(m.ActionPlan.code == plan)
        .order_by(m.PlanItem.id))
    return frame(session, stmt)


def old_completion_by_line(session, *, plan, year=None):
    parent, line = aliased(m.PlanItem), aliased(m.PlanItem)
    status = _old_status_for_year(year)
    st = func.coalesce(status.c.status, literal("unknown"))
    leaf = m.PlanItem
    stmt = (
        select(line.code.label("line"), line.title.label("line_title"),
               *[func.count(leaf.id).filter(st == s).label(s) for s in ("done", "in_progress", "not_done", "unknown")],
               func.count(leaf.id).label("total"))
        .select_from(leaf)
        .join(m.ActionPlan, m.ActionPlan.id == leaf.plan_id)
        .join(parent, parent.id == leaf.parent_id)
        .join(line, line.id == parent.parent_id)
        .outerjoin(status, status.c.plan_item_id == leaf.id)
        .where(m.ActionPlan.code == plan, leaf.level.in_(("deliverable", "outcome")))
        .group_by(line.code, line.title, line.position)
        .order_by(line.position))
    return frame(session, stmt).astype({c: "int64" for c in ("done", "in_progress", "not_done", "unknown", "total")})


def test_plan_items_and_completion_as_before(session, store_years):
    plans = list(session.scalars(select(m.ActionPlan.code)))
    assert plans
    rows = 0
    for plan in [*plans, "no-such-plan"]:
        for year in [None, *store_years]:
            expected = old_plan_items(session, plan=plan, year=year)
            same(action_plan.plan_items(session, plan=plan, year=year), expected)
            same(action_plan.completion_by_line(session, plan=plan, year=year),
                 old_completion_by_line(session, plan=plan, year=year))
            rows += (expected["status"] != "unknown").sum()
    assert rows > 0  # some statuses were compared, not only 'unknown'


# ---- years ------------------------------------------------------------------------------------------------

def old_year_coverage(session, *, year, regions=None):
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    dashboard = years.dashboard_source_id(session)
    members = years._region_members(regions)
    ev = m.Event
    in_year = (ev.start_date >= start, ev.start_date < end, years._event_in_regions(regions))
    events = session.execute(select(
        func.count(ev.id), func.count(ev.id).filter(ev.source_id == dashboard),
        func.count(ev.id).filter(func.coalesce(ev.speakers_women, ev.speakers_men, ev.speakers_unrecorded,
                                               ev.participants_women, ev.participants_men,
                                               ev.participants_unrecorded).is_not(None)),
        func.max(ev.entered_at)).where(*in_year)).one()
    fees = session.execute(select(
        func.count(m.FeePayment.id), func.count(m.FeePayment.id).filter(m.FeePayment.paid.is_(True)),
        func.count(m.FeePayment.id).filter(m.FeePayment.paid.is_(True), m.FeePayment.source_id == dashboard),
        func.max(m.FeePayment.entered_at))
        .where(m.FeePayment.fee_year == year, m.FeePayment.member_id.in_(members))).one()
    bilateral = session.execute(select(func.count(m.BilateralMeeting.id), func.max(m.BilateralMeeting.entered_at))
                                .where(m.BilateralMeeting.month >= start, m.BilateralMeeting.month < end,
                                       m.BilateralMeeting.member_id.in_(members))).one()
    links = session.scalar(select(func.max(m.EventMember.entered_at)).join(ev, ev.id == m.EventMember.event_id)
                           .where(ev.start_date >= start, ev.start_date < end, m.EventMember.member_id.in_(members)))
    statuses = session.execute(select(func.count(m.PlanItemStatus.id), func.max(m.PlanItemStatus.entered_at))
                               .where(m.PlanItemStatus.year == year)).one()
    values = session.execute(select(func.count(m.IndicatorValue.id), func.max(m.IndicatorValue.entered_at))
                             .where(m.IndicatorValue.year == year, m.IndicatorValue.scope == "member",
                                    m.IndicatorValue.member_id.in_(members))).one()
    active = union(
        select(m.EventMember.member_id.label("member_id")).join(ev, ev.id == m.EventMember.event_id)
        .where(ev.start_date >= start, ev.start_date < end),
        select(m.BilateralMeeting.member_id).where(m.BilateralMeeting.month >= start, m.BilateralMeeting.month < end),
        select(m.MemberActivation.member_id).where(m.MemberActivation.period_start >= start,
                                                   m.MemberActivation.period_start < end),
    ).subquery()
    members_activated = session.scalar(select(func.count()).select_from(active).where(active.c.member_id.in_(members)))
    stamps = [s for s in (events[3], fees[3], bilateral[1], links, statuses[1], values[1]) if s is not None]
    kind = years.year_kind(session, year)
    return {
        "kind": kind, "members": int(session.scalar(select(func.count()).select_from(members.subquery()))),
        "events": int(events[0]), "events_printed": int(events[0] - events[1]), "events_recorded": int(events[1]),
        "members_activated": int(members_activated or 0), "fee_records": int(fees[0]), "fees_paid": int(fees[1]),
        "bilateral_meetings": int(bilateral[0]), "plan_statuses": int(statuses[0]), "gender_events": int(events[2]),
        "indicator_values": int(values[0]),
        "activated_added": years.recorded_activation_additions(session, year=year, regions=regions)
        if kind == "reported" else 0,
        "fees_paid_added": int(fees[2]), "as_of": max(stamps) if stamps else None,
        "report": years.report_citation(session, year) if kind == "reported" else "",
        "last_event": session.scalar(select(func.max(ev.start_date)).where(*in_year)),
    }


def test_year_coverage_as_before(session, store_years):
    names = region_names(session)
    kinds = set()
    for year in store_years:
        for regions in (None, names[:1], names[1:3], []):
            expected = old_year_coverage(session, year=year, regions=regions)
            actual = years.year_coverage(session, year=year, regions=regions)
            assert actual == expected, (year, regions)
            assert {k: type(v) for k, v in actual.items()} == {k: type(v) for k, v in expected.items()}
            kinds.add(actual["kind"])
    assert kinds == {"reported", "in_progress"}


# ---- members ----------------------------------------------------------------------------------------------

def old_profile_frames(session, member_id):
    def sourced(model, *columns, order=None):
        src_cols, src = source_columns(model)
        stmt = (select(*columns, *src_cols).join(src, src.id == model.source_id).where(model.member_id == member_id))
        return frame(session, stmt.order_by(*(order or [])))

    pilots_src, psrc = source_columns(m.PilotProjectMember)
    return {
        "leadership": sourced(m.MemberLeadership, m.MemberLeadership.as_of, m.MemberLeadership.governed_by_woman,
                              order=[m.MemberLeadership.as_of]),
        "aliases": sourced(m.MemberAlias, m.MemberAlias.alias, order=[m.MemberAlias.alias]),
        "board_seats": sourced(m.BoardSeat, m.BoardSeat.mandate, m.BoardSeat.position, m.BoardSeat.holder,
                               m.BoardSeat.title, m.BoardSeat.note, order=[m.BoardSeat.mandate]),
        "fee": sourced(m.FeePayment, m.FeePayment.fee_year, m.FeePayment.paid, m.FeePayment.amount_eur,
                       m.FeePayment.note, order=[m.FeePayment.fee_year]),
        "pilot_projects": frame(session, select(m.PilotProject.name, m.PilotProject.ongoing_2020,
                                                m.PilotProject.workshops, m.PilotProjectMember.role, *pilots_src)
                                .join(m.PilotProject, m.PilotProject.id == m.PilotProjectMember.project_id)
                                .join(psrc, psrc.id == m.PilotProjectMember.source_id)
                                .where(m.PilotProjectMember.member_id == member_id).order_by(m.PilotProject.name)),
    }


def test_member_profile_frames_as_before(session):
    year = max(years.reported_years(session))
    found = {key: 0 for key in ("leadership", "aliases", "board_seats", "fee", "pilot_projects")}
    # the members with the rarer rows (pilot projects, board seats, aliases) and a few others: every member would
    # take minutes
    rare = union(select(m.PilotProjectMember.member_id), select(m.BoardSeat.member_id),
                 select(m.MemberAlias.member_id))
    rare = sorted(i for i in session.scalars(rare) if i is not None)[:12]
    chosen = session.execute(select(m.Member.id, m.Member.slug).order_by(m.Member.id)).all()
    chosen = [(i, slug) for n, (i, slug) in enumerate(chosen) if n < 4 or i in rare]
    for n, (member_id, slug) in enumerate(chosen):
        expected = old_profile_frames(session, member_id)
        for include_fees in (True, False) if n < 2 else (True,):
            profile = members.member_profile(session, slug, year=year, include_fees=include_fees)
            for key, old in expected.items():
                same(profile[key], old if include_fees or key != "fee" else old.iloc[0:0])
        for key, old in expected.items():
            found[key] += len(old)
    assert all(found.values()), found  # every frame had rows for some member
