"""Indicator queries on SQLite and PostgreSQL: the shipped store's printed network figures and (zero) coverage, then
a store with the synthetic fixture of per-member values imported (counts worked out from the fixture by hand)."""

import datetime as dt
import math

import pytest
from sqlalchemy import select

from db import models as m
from db.queries import indicators as q
from db.session import Session, make_engine
from seed.load import init_store
from tests.conftest import BACKENDS, temporary_database
from tests.indicator_data import import_fixture

MEMBERS = {"Africa": 25, "Asia-Pacific": 73, "Europe": 16, "Latin America and the Caribbean": 20, "North America": 7}
POVERTY, DENSITY = "observatory.poverty_pct", "observatory.population_density"


@pytest.fixture(scope="module", params=BACKENDS)
def imported(request, tmp_path_factory):
    """A seeded store with the synthetic fixture imported, plus two 2019 network figures (a test's own rows) so
    the year's results have a year to compare with."""
    with temporary_database(request.param, tmp_path_factory.mktemp("indicators")) as url:
        engine = make_engine(url)
        init_store(engine)
        import_fixture(engine)
        with Session(bind=engine) as s, s.begin():
            source = s.scalar(select(m.Source).where(m.Source.key == "AR2020"))
            for code, value, printed, qualifier, section in (
                    ("communication.videos", 10, "10 new videos", "", "2.1. Action Line 1"),
                    ("learning.participants", 900, "900+ people", "more_than", "2.2. Action Line 2")):
                indicator = s.scalar(select(m.Indicator).where(m.Indicator.code == code))
                s.add(m.IndicatorValue(indicator_id=indicator.id, scope="network", year=2019,
                                       period_start=dt.date(2019, 1, 1), period_end=dt.date(2020, 1, 1), value=value,
                                       qualifier=qualifier, printed=printed, note="test row", source_id=source.id,
                                       section=section, locator="test"))
        with Session(bind=engine) as s:
            yield s
        engine.dispose()


def test_shipped_store_prints_the_network_figures_and_has_no_member_values(session):
    df = q.metropolitan_indicators(session, year=2020).set_index("code")
    assert list(df.index) == ["observatory.gender_pay_gap_pct", DENSITY, POVERTY, "observatory.pm25",
                              "observatory.fiscal_autonomy_pct", "observatory.life_expectancy"]
    assert list(df["network_printed"]) == ["53%", "2,642", "8.9%", "35.1", "62%", "73.7"]
    assert df.loc[POVERTY, "network_value"] == 8.9 and df.loc[POVERTY, "network_year"] == 2020
    assert df.loc[POVERTY, "period_start"] == dt.date(2020, 11, 1)  # the plan's figures: as of November 2020
    assert "the reference years of the underlying data are not given" in df.loc[POVERTY, "network_note"]
    assert df.loc[POVERTY, "source"] == "Metropolis Strategic Action Plan 2021-2023, Metropolitan metrics, line 142"
    cov = q.coverage_by_region(session, year=2020)
    assert len(cov) == 6 * 5 and cov["with_values"].sum() == 0
    assert dict(zip(cov[cov["code"] == POVERTY]["region"], cov[cov["code"] == POVERTY]["members"])) == MEMBERS
    assert q.values_by_member(session, code=POVERTY).empty and q.member_value_history(session, code=POVERTY).empty


def test_a_later_year_shows_the_latest_network_figure_with_its_own_year(session):
    df = q.metropolitan_indicators(session, year=2023).set_index("code")
    assert df.loc[POVERTY, "network_printed"] == "8.9%" and df.loc[POVERTY, "network_year"] == 2020


def test_coverage_counts_members_with_values_by_region(imported):
    cov = q.coverage_by_region(imported, year=2021).set_index(["code", "region"])
    assert cov.loc[POVERTY, "with_values"].to_dict() == {"Africa": 12, "Asia-Pacific": 3, "Europe": 6,
                                                          "Latin America and the Caribbean": 5, "North America": 2}
    assert cov.loc[DENSITY, "with_values"].to_dict() == {"Africa": 4, "Asia-Pacific": 0, "Europe": 3,
                                                          "Latin America and the Caribbean": 3, "North America": 0}
    assert cov.loc[POVERTY, "members"].to_dict() == MEMBERS
    africa = q.coverage_by_region(imported, year=2020, regions=["Africa"], codes=[POVERTY])
    assert africa.to_dict("records") == [{"code": POVERTY, "region": "Africa", "members": 25, "with_values": 8}]


def test_values_by_member_are_ranked_and_compared_with_an_earlier_year(imported):
    df = q.values_by_member(imported, code=POVERTY, year=2021, regions=["Africa"], compare_year=2020)
    assert len(df) == 12 and list(df["value"]) == sorted(df["value"], reverse=True)
    first = df.iloc[0]
    assert (first["member"], first["slug"], first["value"], first["previous_value"]) == ("Cairo", "cairo", 39.9, 38.2)
    assert math.isnan(df.set_index("member").loc["Rabat", "previous_value"])  # no 2020 value
    assert df["source"].str.startswith("Entered in the dashboard, by Secretariat (Test import)").all()
    assert df["note"].str.startswith("SYNTHETIC test value").all()
    every_year = q.values_by_member(imported, code=POVERTY)
    assert len(every_year) == 28 + 8 and list(every_year["year"][:28]) == [2021] * 28


def test_history_gives_the_spread_per_year(imported):
    df = q.member_value_history(imported, code=POVERTY)
    assert df.to_dict("records")[0] == pytest.approx({"year": 2020, "members": 8, "lowest": 10.8,
                                                      "mean": (27.0 + 13.4 + 36.8 + 33.7 + 32.1 + 38.2 + 10.8 + 22.7) / 8,
                                                      "highest": 38.2})
    assert list(df["year"]) == [2020, 2021] and df.iloc[1]["members"] == 28
    assert list(q.member_value_history(imported, code=POVERTY, regions=["Europe"])["members"]) == [6]


def test_a_members_values_and_a_thousands_separator_as_imported(imported):
    df = q.member_indicator_values(imported, slug="abidjan")
    assert list(zip(df["code"], df["year"])) == [(DENSITY, 2021), (POVERTY, 2020), (POVERTY, 2021)]
    density = df[df["code"] == DENSITY].iloc[0]
    assert density["printed"] == "2,564" and density["value"] == 2564  # "2,564" read as thousands, kept as printed


def test_results_by_action_line_keep_their_qualifier_and_compare_years(imported):
    df = q.results_by_action_line(imported, year=2020).set_index("code")
    assert df.loc["events.participants", "printed"] == "2,100+"
    assert df.loc["events.participants", "qualifier"] == "more_than"
    assert "events.experts_ytd" not in df.index  # a progress report's year-to-date figure is not the year's result
    assert {"2.1. Action Line 1", "2.2. Action Line 2", "2.3. Action Line 3"} <= set(df["section"])
    assert df.loc["communication.videos", "previous_value"] == 10
    assert df.loc["learning.participants", "previous_qualifier"] == "more_than"
    assert df["previous_value"].isna().sum() == len(df) - 2
    assert q.action_line_titles(imported, year=2020)["L2"] == "Strengthening capacities for metropolitan governance"
    assert q.results_by_action_line(imported, year=2021).empty
