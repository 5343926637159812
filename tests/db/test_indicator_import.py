"""The per-member import of indicator values on both backends: each field checked against the indicator's unit and
the store's years, each problem named by row and field, and all rows written or none."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from db import models as m
from db.commands import imports
from db.commands.base import Actor
from db.session import Session, make_engine
from seed.load import init_store
from tests.conftest import BACKENDS, temporary_database
from tests.indicator_data import FIXTURE, import_fixture

SECRETARIAT = Actor(user_id=None, name="Ana", role="secretariat")
NEXT_YEAR = dt.date.today().year + 1


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    with temporary_database(request.param, tmp_path_factory.mktemp("indicator-import")) as url:
        engine = make_engine(url)
        init_store(engine)
        yield engine
        engine.dispose()


def member_values(engine) -> int:
    with Session(bind=engine) as s:
        return s.scalar(select(func.count()).select_from(m.IndicatorValue).where(m.IndicatorValue.scope == "member"))


def check(engine, rows, *, commit=False):
    with Session(bind=engine) as session, session.begin():
        return imports.run_import(session, SECRETARIAT, "indicators", list(enumerate(rows, start=2)), commit=commit)


def row(indicator="observatory.poverty_pct", member="Madrid", year="2021", value="7.5"):
    return {"indicator": indicator, "member": member, "year": year, "value": value}


@pytest.mark.parametrize("bad,message", [
    (row(value="250"), "value: 250 is out of range: People living below the poverty line must be a share between 0 "
                       "and 100."),
    (row(value="-0.5"), "value: -0.5 is out of range: People living below the poverty line must be a share"),
    (row(indicator="observatory.population_density", value="0"),
     "value: 0 is out of range: Population density must be a density above 0 inhabitants per km²."),
    (row(indicator="observatory.population_density", value="-12"), "must be a density above 0"),
    (row(indicator="observatory.life_expectancy", value="130"),
     "value: 130 is out of range: Life expectancy must be a number of years above 0 and at most 125."),
    (row(indicator="observatory.pm25", value="-1"), "must be a concentration of 0 µg/m³ or more"),
    (row(value="7,5"), "value: '7,5' is not a number (write decimals with a point: 7.5)."),
    (row(value="seven"), "value: 'seven' is not a number."),
    (row(value="nan"), "value: 'nan' is not a number."),
    (row(value="inf"), "value: 'inf' is not a number."),
    (row(value=""), "value: required."),
    (row(year="2019"), f"year: 2019 is outside the years the dashboard records: enter a year from 2020 to {NEXT_YEAR}."),
    (row(year=str(NEXT_YEAR + 1)), f"year: {NEXT_YEAR + 1} is outside the years the dashboard records"),
    (row(year="2021.5"), "year: '2021.5' is not a year."),
    (row(year="20x1"), "year: '20x1' is not a year."),
    (row(indicator="observatory.areas"), "indicator: observatory.areas is a figure for the whole network, not per "
                                         "member."),
    (row(indicator="people.happiness"), "indicator: unknown indicator 'people.happiness'. Known: "
                                        "observatory.gender_pay_gap_pct, observatory.population_density"),
    (row(member="Atlantis"), "member: unknown member 'Atlantis' (use a name or alias)."),
    (row(member=""), "member: required."),
])
def test_each_problem_names_its_row_and_field(store, bad, message):
    before = member_values(store)
    report = check(store, [row(member="Berlin"), bad], commit=True)
    assert not report.committed and [p.line for p in report.problems] == [3]
    assert message in report.problems[0].message
    assert member_values(store) == before  # the good row is not written either


def test_a_row_with_several_problems_names_every_field(store):
    report = check(store, [row(member="Atlantis", year="1999", value="101")])
    (problem,) = report.problems
    assert problem.message.startswith("member: unknown member 'Atlantis'")
    assert "year: 1999 is outside" in problem.message and "value: 101 is out of range" in problem.message


def test_the_same_value_twice_in_a_file_names_both_rows(store):
    report = check(store, [row(), row(value="8")])
    assert [(p.line, p.message) for p in report.problems] == [
        (3, "indicator, member, year: Madrid observatory.poverty_pct 2021 appears twice in the file (first on line 2).")]


def test_boundaries_are_accepted(store):
    report = check(store, [row(value="0"), row(member="Berlin", value="100"),
                           row(indicator="observatory.pm25", value="0"),
                           row(indicator="observatory.life_expectancy", value="125"),
                           row(indicator="observatory.population_density", value="12,345.5"),
                           row(member="Torino", year="2020"), row(member="Lisbon", year=str(NEXT_YEAR))])
    assert not report.problems and len(report.rows) == 7


def test_the_fixture_file_imports_all_rows_or_none(store, tmp_path):
    lines = FIXTURE.read_text().splitlines()
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join([*lines, "observatory.population_density,Dakar,2021,0,bad row"]) + "\n")
    before = member_values(store)
    with pytest.raises(AssertionError):
        import_fixture(store, broken)
    assert member_values(store) == before
    report = import_fixture(store)
    assert report.committed and len(report.rows) == len(lines) - 1
    assert member_values(store) == before + len(lines) - 1
