"""Queries against real SQL on both backends: a tiny store whose totals are worked out by hand, then the seed."""

import datetime as dt

import pytest

from db import models as m
from db.commands.users import create_user
from db.migrate import upgrade
from db.queries import action_plan, engagement, events, indicators, members, provenance, reconciliation, users
from db.queries.common import available_years, region_names
from db.reference import REGIONS
from db.session import Session, make_engine


@pytest.fixture
def tiny(empty_database):
    """Three members (two in Europe, one in Africa), one honorary member, two events, a small plan."""
    engine = make_engine(empty_database)
    with engine.begin() as conn:
        upgrade(conn)
    with Session(bind=engine) as s, s.begin():
        src = m.Source(key="T", file="t.txt", title="Test", citation="Test report", publisher="p", published="2020",
                       description="d", reading_notes="r")
        s.add(src)
        regions = {n: m.Region(name=n, slug=n.lower().replace(" ", "-"), position=i) for i, n in enumerate(REGIONS, 1)}
        s.add_all(regions.values())
        s.flush()
        p = {"source_id": src.id, "section": "s", "locator": "line 1"}

        def member(name, region, honorary=False):
            obj = m.Member(name=name, slug=name.lower(), official_name=name, region_id=regions[region].id,
                           region_ref="r", country="X", country_code="XX", latitude=1.0, longitude=2.0,
                           coord_source="hand", honorary=honorary, **p)
            s.add(obj)
            return obj

        berlin, madrid, dakar = member("Berlin", "Europe"), member("Madrid", "Europe"), member("Dakar", "Africa")
        member("Honorary", "Asia-Pacific", honorary=True)
        s.flush()
        s.add(m.MemberAlias(member_id=madrid.id, alias="Madrid City", **p))
        for obj, act, learn, fee in [(berlin, True, 2, True), (madrid, True, 0, False), (dakar, False, 1, True)]:
            s.add(m.Engagement(member_id=obj.id, year=2020, activated=act, board_meetings=0, annual_meeting=act,
                               bilateral_meetings=0, pilot_projects=0, learning_activities=learn, wmd_organiser=0,
                               wmd_participation=0, call_endorsement=False, **p))
            s.add(m.FeePayment(member_id=obj.id, fee_year=2020, paid=fee, **p))
        e1 = m.Event(slug="e1", title="Workshop", start_date=dt.date(2020, 3, 5), location="Online", online=True,
                     kind="learning", kind_basis="k", metropolis_role="organised", role_basis="r", **p)
        e2 = m.Event(slug="e2", title="Forum", start_date=dt.date(2020, 3, 20), end_date=dt.date(2020, 3, 21),
                     location="Dakar", online=False, kind="global_event", kind_basis="k",
                     metropolis_role="not_stated", role_basis="r", **p)
        e3 = m.Event(slug="e3", title="Old", start_date=dt.date(2019, 12, 31), location="Online", online=True,
                     kind="webinar", kind_basis="k", metropolis_role="not_stated", role_basis="r", **p)
        s.add_all([e1, e2, e3])
        s.flush()
        s.add_all([m.EventMember(event_id=e1.id, member_id=berlin.id, **p),
                   m.EventMember(event_id=e1.id, member_id=madrid.id, **p),
                   m.EventMember(event_id=e2.id, member_id=dakar.id, **p),
                   m.EventMember(event_id=e2.id, member_id=berlin.id, **p)])
        plan = m.ActionPlan(code="P", title="Plan", start_year=2018, end_year=2020, **p)
        s.add(plan)
        s.flush()
        line = m.PlanItem(plan_id=plan.id, level="line", code="L1", title="Line", position=1, **p)
        s.add(line)
        s.flush()
        measure = m.PlanItem(plan_id=plan.id, parent_id=line.id, level="measure", code="L1M1", title="M", position=1, **p)
        s.add(measure)
        s.flush()
        ds = [m.PlanItem(plan_id=plan.id, parent_id=measure.id, level="deliverable", code=f"L1M1D{i}", title=f"D{i}",
                         position=i, **p) for i in (1, 2, 3)]
        s.add_all(ds)
        s.flush()
        s.add(m.PlanItemStatus(plan_item_id=ds[0].id, year=2020, status="done", **p))
        s.add(m.PlanItemStatus(plan_item_id=ds[1].id, year=2019, status="not_done", **p))
        s.add(m.PlanItemStatus(plan_item_id=ds[1].id, year=2020, status="in_progress", **p))
    with Session(bind=engine) as s:
        yield s
    engine.dispose()


def test_engagement_by_region_counts_by_hand(tiny):
    df = engagement.engagement_by_region(tiny, year=2020)
    assert list(df["region"]) == list(REGIONS)
    europe = df.set_index("region").loc["Europe"]
    assert (europe["members"], europe["activated"], europe["fee_paid"], europe["learning"]) == (2, 2, 1, 1)
    africa = df.set_index("region").loc["Africa"]
    assert (africa["members"], africa["activated"], africa["fee_paid"]) == (1, 0, 1)
    assert df.set_index("region").loc["Asia-Pacific", "members"] == 0  # the honorary member is not counted


def test_engagement_by_region_filters_regions(tiny):
    df = engagement.engagement_by_region(tiny, year=2020, regions=["Africa"])
    assert list(df["region"]) == ["Africa"]


def test_events_in_year_is_half_open_and_filters_by_region(tiny):
    df = events.events_in_year(tiny, year=2020)
    assert list(df["slug"]) == ["e1", "e2"]  # 2019-12-31 is not in 2020
    assert df.set_index("slug").loc["e1", "members"] == "Berlin; Madrid"
    africa = events.events_in_year(tiny, year=2020, regions=["Africa"])
    assert list(africa["slug"]) == ["e2"]
    assert africa.iloc[0]["members"] == "Berlin; Dakar"  # every activated member, not only Africa's
    assert events.events_in_year(tiny, year=2020, kinds=["learning"])["slug"].tolist() == ["e1"]


def test_activations_by_region_month(tiny):
    df = events.activations_by_region_month(tiny, year=2020)
    got = {(r.region, r.month): (r.activations, r.members) for r in df.itertuples()}
    assert got == {("Africa", 3): (1, 1), ("Europe", 3): (3, 2)}


def test_completion_by_line_uses_the_year_or_latest(tiny):
    row = action_plan.completion_by_line(tiny, plan="P").iloc[0]
    assert (row["done"], row["in_progress"], row["not_done"], row["unknown"], row["total"]) == (1, 1, 0, 1, 3)
    row = action_plan.completion_by_line(tiny, plan="P", year=2019).iloc[0]
    assert (row["done"], row["not_done"], row["unknown"]) == (0, 1, 2)


def test_plan_items_line_and_status(tiny):
    df = action_plan.plan_items(tiny, plan="P").set_index("code")
    assert df.loc["L1M1D2", "line"] == "L1" and df.loc["L1M1D2", "status"] == "in_progress"
    assert df.loc["L1M1D3", "status"] == "unknown" and df.loc["L1", "line"] == "L1"


def test_member_list_and_resolution(tiny):
    df = members.member_list(tiny, regions=["Europe"])
    assert list(df["name"]) == ["Berlin", "Madrid"]
    assert df.set_index("name").loc["Madrid", "aliases"] == "Madrid City"
    assert members.resolve_member(tiny, "madrid city") == "madrid"
    assert members.resolve_member(tiny, "Atlantis") is None
    assert len(members.member_list(tiny, include_honorary=False)) == 3


# ---- the seeded store -----------------------------------------------------------------------

def test_seeded_regions_and_years(session):
    assert region_names(session) == list(REGIONS)
    assert available_years(session) == [2020]


def test_seeded_member_list(session):
    df = members.member_list(session)
    assert len(df) == 142 and df["honorary"].sum() == 1
    bogota = df.set_index("name").loc["Bogota"]
    assert bogota["region"] == "Latin America and the Caribbean" and "Bogotá" in bogota["aliases"]
    assert bool(bogota["governed_by_woman"]) and bogota["source"].startswith("Metropolis Strategic Action Plan")


def test_seeded_engagement_by_region(session):
    df = engagement.engagement_by_region(session, year=2020).set_index("region")
    assert df["members"].sum() == 141 and df["activated"].sum() == 108 and df["fee_paid"].sum() == 77
    assert df.loc["Europe", "members"] == 16


def test_seeded_engagement_row_carries_its_source(session):
    df = engagement.engagement_by_member(session, year=2020, regions=["Asia-Pacific"]).set_index("member")
    tehran = df.loc["Tehran"]
    assert tehran["source_locator"] == "line 460" and tehran["source_document"] == "003_c46091e9c04f2c0f.txt"
    assert df.loc["Taipei", "activated"] and df.loc["Taipei", "fee_paid"]


def test_seeded_events_and_activations(session):
    df = events.events_in_year(session, year=2020)
    assert len(df) == 109 and (df["kind"] == "wmd").sum() == 18
    culture = df[df["title"].str.startswith("Culture as a Dimension")].iloc[0]
    assert culture["member_count"] == 22 and "L1M7D2" in culture["deliverables"]
    act = events.activations_by_region_month(session, year=2020)
    assert act["activations"].sum() == 163


def test_seeded_completion(session):
    df = action_plan.completion_by_line(session, plan="2018-2020")
    assert df["total"].tolist() == [17, 27, 21] and df["done"].sum() == 50
    later = action_plan.completion_by_line(session, plan="2021-2023")
    assert later["total"].sum() == 35 and later["unknown"].sum() == 35


def test_seeded_gender_breakdown(session):
    df = indicators.gender_breakdown(session, year=2020).set_index("population")
    assert df.loc["events.speakers", "women_pct"] == 36 and df.loc["events.speakers", "total"] == 160
    assert df.loc["secretariat.professionals", "women"] == 9
    assert df.loc["regional_secretaries", "women_pct"] == pytest.approx(60)
    assert df.loc["members.heads", "women_pct"] == pytest.approx(15.6)


def test_seeded_indicator_filters(session):
    fees = indicators.indicator_values(session, topic="fees")
    assert fees.set_index("code").loc["fees.cashed", "printed"] == "346,021.63 €"
    assert fees["period_end"].iloc[0] == dt.date(2020, 10, 1)


def test_reconciliation_has_no_unexplained_mismatch(session):
    df = reconciliation.reconciliation_report(session, year=2020)
    assert len(df) >= 50
    assert (df["status"] == "unexplained").sum() == 0
    status = df.set_index("code")["status"]
    assert status["engagement.activated.members"] == "reconciled"
    assert status["website.news.total"] == "reconciled"
    assert status["fees.paid.members"] == "discrepancy"
    recorded = set(provenance.discrepancies_table(session)["code"])
    assert set(df.loc[df["status"] == "discrepancy", "code"]) <= recorded


def test_reconciliation_flags_an_unrecorded_mismatch(session, monkeypatch):
    bogus = reconciliation.Check("test.bogus", "Bogus", ("members.total",), lambda s, y: 140.0)
    monkeypatch.setattr(reconciliation, "CHECKS", (*reconciliation.CHECKS, bogus))
    df = reconciliation.reconciliation_report(session, year=2020)
    assert df.set_index("code").loc["test.bogus", "status"] == "unexplained"


def test_member_engagement_summary_breadth(tiny, session):
    df = engagement.member_engagement_summary(tiny, year=2020).set_index("name")
    # Berlin: activated, fee, annual meeting, learning = 4 of 11; Dakar: fee, learning = 2
    assert df.loc["Berlin", "breadth"] == 4 and df.loc["Dakar", "breadth"] == 2
    assert df.loc["Honorary", "breadth"] == 0 and df.loc["Honorary", "activated"] is None
    seeded = engagement.member_engagement_summary(session, year=2020).set_index("name")
    assert seeded.loc["Montréal", "breadth"] == 11 and len(seeded) == 142
    assert bool(seeded.loc["Bogota", "governed_by_woman"])


def test_governed_by_women_by_region(session):
    df = members.governed_by_women_by_region(session, year=2020).set_index("region")
    assert df["members"].sum() == 141 and df["women"].sum() == 22
    assert df.loc["Europe", "women"] == 4 and df.loc["North America", "women"] == 3
    assert members.governed_by_women_by_region(session, year=2021).empty


def test_member_profile_gathers_everything_with_sources(session):
    profile = members.member_profile(session, "madrid", year=2020)
    assert profile["member"].iloc[0]["official_name"] == "Ayuntamiento de Madrid"
    assert profile["engagement"].iloc[0]["learning_activities"] == 4
    assert profile["fee"].iloc[0]["paid"]
    assert profile["board_seats"].iloc[0]["holder"] == "José Luis Martínez-Almeida"
    assert "Live Learning Experience: Thematic session - Food Systems" in set(profile["events"]["title"])
    assert list(profile["pilot_projects"]["role"]) == ["partner"]
    assert set(profile["bilateral"]["month"].map(str)) == set()  # Madrid is not in the Q3 bilateral lists
    assert profile["activations"].iloc[0]["source_locator"] == "line 542"
    bogota = members.member_profile(session, "bogota", year=2020)
    assert len(bogota["bilateral"]) == 2 and all(bogota["bilateral"]["source"].str.contains("Progress Report"))
    assert members.member_profile(session, "atlantis", year=2020) is None


def test_member_filters_of_the_event_queries(session):
    df = events.events_in_year(session, year=2020, member_slug="tehran")
    assert len(df) == 5 and all("Tehran" in m for m in df["members"])  # 5 rows of event_members.csv
    assert len(events.bilateral_meetings_by_month(session, year=2020, member_slug="brussels")) == 2
    assert events.member_activations(session, year=2020, member_slug="gwangju").empty


def test_plan_for_year(session):
    assert action_plan.plan_for_year(session, 2020) == "2018-2020"
    assert action_plan.plan_for_year(session, 2022) == "2021-2023"
    assert action_plan.plan_for_year(session, 1999) is None


def test_funds_breakdown(session):
    df = indicators.funds_breakdown(session, year=2020)
    cash = df[df["basis"] == "cash"].set_index("fund_source")
    assert cash["share_pct"].to_dict() == {"membership_fees": 52, "partnerships_members": 46, "partnerships_others": 2}
    assert cash["total"].iloc[0] == 936463
    assert df[df["basis"] == "with_in_kind"]["share_pct"].sum() == 101  # as printed (rounding)
    assert indicators.funds_breakdown(session, year=2021).empty


def test_queries_return_their_documented_columns(session):
    from db.queries.common import SOURCE_COLUMNS

    assert list(members.member_list(session).columns) == members.MEMBER_COLUMNS + SOURCE_COLUMNS
    assert list(engagement.engagement_by_member(session, year=2020).columns) == engagement.ENGAGEMENT_COLUMNS + SOURCE_COLUMNS
    assert list(engagement.website_presence_by_member(session, year=2020).columns) == (
        engagement.WEBSITE_COLUMNS + SOURCE_COLUMNS)
    assert list(events.events_in_year(session, year=2020).columns) == (
        events.EVENT_COLUMNS + ["kind_basis", "role_basis", "note"] + SOURCE_COLUMNS)
    assert list(action_plan.plan_items(session, plan="2018-2020").columns) == (
        action_plan.ITEM_COLUMNS + ["status_comment"] + SOURCE_COLUMNS)
    assert list(indicators.indicator_values(session).columns) == indicators.INDICATOR_COLUMNS + SOURCE_COLUMNS


# ---- unknown cells (NULL: unreadable in the report) on both backends ---------------------------------------------

UNKNOWN_CELLS = ["fee_paid", "board_meetings", "bilateral_meetings", "learning_activities", "wmd_participation",
                 "call_endorsement"]


def test_unknown_cells_come_back_as_none_not_zero(session):
    df = engagement.engagement_by_member(session, year=2020).set_index("member")
    tehran = df.loc["Tehran"]
    assert tehran["unknown_cells"].split(",") == UNKNOWN_CELLS
    assert all(tehran[c] is None for c in UNKNOWN_CELLS), [tehran[c] for c in UNKNOWN_CELLS]
    assert (bool(tehran["activated"]), bool(tehran["annual_meeting"]), int(tehran["indicators_year"])) == (True, True, 2019)
    # the known rows keep Python ints and bools, and say nothing is unknown
    madrid = df.loc["Madrid"]
    assert madrid["unknown_cells"] == "" and madrid["bilateral_meetings"] == 3 and type(madrid["bilateral_meetings"]) is int
    assert madrid["call_endorsement"] is False and madrid["fee_paid"] is True
    assert (df["unknown_cells"] != "").sum() == 1
    assert sum(v for v in df["learning_activities"] if v is not None) == 138


def test_counts_by_region_skip_unknown_cells_and_count_them_apart(session):
    df = engagement.engagement_by_region(session, year=2020).set_index("region")
    assert int(df["fee_paid"].sum()) == 77 and int(df["fee_unknown"].sum()) == 1
    assert df.loc["Asia-Pacific", "fee_unknown"] == 1 and df.loc["Europe", "fee_unknown"] == 0
    assert int(df["learning"].sum()) == 55 and int(df["endorsed"].sum()) == 15


def test_member_summary_keeps_unknown_cells_apart_from_the_breadth(session):
    df = engagement.member_engagement_summary(session, year=2020).set_index("name")
    tehran = df.loc["Tehran"]
    # activated, annual meeting, indicators: 3 known; the six unreadable cells are neither engaged nor 0
    assert (tehran["breadth"], tehran["unknown"], bool(tehran["fee_unknown"])) == (3, 6, True)
    assert tehran["learning_activities"] is None and tehran["fee_paid"] is None
    assert df.loc["CPAFFC", "learning_activities"] == 0 and df.loc["CPAFFC", "unknown"] == 0
    assert int(df["unknown"].sum()) == 6 and int(df["fee_unknown"].sum()) == 1


def test_reconciliation_counts_unknown_cells_apart(session):
    df = reconciliation.reconciliation_report(session, year=2020).set_index("code")
    assert (df.loc["fees.paid.members", "recomputed"], df.loc["fees.paid.members", "unknown"]) == (77, 1)
    assert df.loc["fees.paid.members", "recomputed_text"] == "77 known + 1 unknown"
    assert df.loc["engagement.learning.total", "recomputed_text"] == "138 known + 1 unknown"
    assert df.loc["board.attendance_pct", "unknown"] == 1
    assert df.loc["board.attendance_pct", "recomputed_text"] == "67.9% from the known cells, 1 unknown"
    assert df.loc["engagement.activated.members", "unknown"] == 0
    assert df.loc["engagement.activated.members", "recomputed_text"] == "108"
    resting = set(df.index[df["unknown"] > 0])
    assert resting == {"fees.paid.members", "engagement.board_meetings.members", "engagement.bilateral.members",
                       "engagement.bilateral.total", "engagement.learning.members", "engagement.learning.total",
                       "engagement.wmd_participation.members", "engagement.wmd_participation.total",
                       "engagement.call_endorsement.members", "wmd.member_participants", "learning.members",
                       "board.attendance_pct", "call.members"}
    assert set(df.loc[list(resting), "status"]) == {"discrepancy"}  # every one of them has its explanation
    # the plan's figure is printed as of November 2020, the reports' for the year
    assert (df.loc["members.countries", "period_start"], df.loc["members.countries", "period_end"]) == (
        dt.date(2020, 11, 1), dt.date(2020, 12, 1))
    assert df.loc["members.total", "period_start"] == dt.date(2020, 1, 1)


def test_unknown_cells_in_a_tiny_store_are_not_summed_as_zero(tiny):
    """Set Berlin's learning count and Dakar's fee to unknown: the counts and the summary skip them."""
    from sqlalchemy import update

    with tiny.begin():
        berlin = tiny.scalar(select_member_id("Berlin"))
        dakar = tiny.scalar(select_member_id("Dakar"))
        tiny.execute(update(m.Engagement).where(m.Engagement.member_id == berlin).values(learning_activities=None))
        tiny.execute(update(m.FeePayment).where(m.FeePayment.member_id == dakar).values(paid=None))
    by_region = engagement.engagement_by_region(tiny, year=2020).set_index("region")
    assert by_region.loc["Europe", "learning"] == 0  # Madrid 0, Berlin unknown
    assert (by_region.loc["Africa", "fee_paid"], by_region.loc["Africa", "fee_unknown"]) == (0, 1)
    rows = engagement.engagement_by_member(tiny, year=2020).set_index("member")
    assert rows.loc["Berlin", "learning_activities"] is None and rows.loc["Berlin", "unknown_cells"] == "learning_activities"
    assert rows.loc["Dakar", "fee_paid"] is None and rows.loc["Dakar", "unknown_cells"] == "fee_paid"
    summary = engagement.member_engagement_summary(tiny, year=2020).set_index("name")
    # Berlin: activated, fee, annual meeting known (3), learning unknown; Dakar: learning known (1), fee unknown
    assert (summary.loc["Berlin", "breadth"], summary.loc["Berlin", "unknown"]) == (3, 1)
    assert (summary.loc["Dakar", "breadth"], summary.loc["Dakar", "unknown"]) == (1, 1)


def select_member_id(name: str):
    from sqlalchemy import select

    return select(m.Member.id).where(m.Member.name == name)


def test_account_queries(tiny):
    """The accounts the sign-in and `python -m dashboard.users list` read (db/queries/users.py)."""
    ana = create_user(tiny, email="Ana@Metropolis.example", name="Ana", role="secretariat", region=None,
                      password_hash="x")
    bea = create_user(tiny, email="bea@berlin.example", name="Bea", role="regional_secretary", region="Europe",
                      password_hash="x")
    assert users.account_by_email(tiny, "ana@metropolis.example") is ana
    assert users.account_by_email(tiny, "nobody@metropolis.example") is None
    assert users.account_by_id(tiny, bea.id) is bea and users.account_by_id(tiny, 10_000) is None
    assert (users.account_region(tiny, ana), users.account_region(tiny, bea)) == (None, "Europe")
    assert [row._asdict() for row in users.account_list(tiny)] == [
        {"email": "ana@metropolis.example", "name": "Ana", "role": "secretariat", "region": None, "active": True},
        {"email": "bea@berlin.example", "name": "Bea", "role": "regional_secretary", "region": "Europe",
         "active": True}]
    tiny.rollback()


def test_record_form_choices(tiny):
    """The Record page's deliverable list and the exact-name slug lookup of its member form."""
    items = action_plan.plan_item_choices(tiny)
    assert items.to_dict(orient="records") == [{"code": f"L1M1D{i}", "title": f"D{i}", "plan": "P"} for i in (1, 2, 3)]
    assert (members.member_slug(tiny, "Madrid"), members.member_slug(tiny, "Madrid City")) == ("madrid", None)
