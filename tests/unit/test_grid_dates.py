"""The grids show days and numbers in the page's language (issue 15) while they sort in time and number order: the
events' start and end days ('12 mars 2021', '12 mar 2021', '12 Mar 2021') over their ISO values, an indicator's
values over the numbers."""

from __future__ import annotations

import re

import pytest

from db.reference import EVENT_KINDS

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.mark.parametrize("lang, month", [("fr", "sept."), ("es", "sept"), ("en", "Sep")])
def test_the_events_grid_shows_days_in_the_language_and_sorts_them_in_time_order(dash_app, app_store, lang, month):
    from dashboard.charts import ChartFilters
    from dashboard.pages import events

    with dash_app.server.test_request_context(f"/events?lang={lang}"):
        rows = events._table(ChartFilters(None, 2020, {"kind": list(EVENT_KINDS)},
                                          lang=lang)).to_dict("records")
        columns = {c["field"]: c for c in events._columns()}
    assert rows and all(ISO_DAY.match(r["start"]) for r in rows)  # the value the grid sorts: in time order
    assert columns["start"]["cellRenderer"] == "ShownText" and columns["start"]["cellRendererParams"] == {
        "shown": "start_text"}
    assert columns["end"]["cellRendererParams"] == {"shown": "end_text"}
    shown = [r["start_text"] for r in rows]
    assert not any(ISO_DAY.match(s) for s in shown)
    september = [r for r in rows if r["start"][5:7] == "09"]
    assert september and all(re.fullmatch(rf"\d{{1,2}} {re.escape(month)} 2020", r["start_text"])
                             for r in september), september[0]["start_text"]
    assert set(events.SHOWN) >= {"start_text", "end_text"}  # sent with the blocks of a long table too


def test_an_indicators_member_grid_shows_values_in_the_language(dash_app, app_store):
    import pandas as pd

    from dashboard.components import resolve_filters
    from dashboard.grids import sized_columns
    from dashboard.pages import indicator

    df = pd.DataFrame([{"member": "Madrid", "slug": "madrid", "region": "Europe", "year": 2021, "value": 5432.1,
                        "note": "", "source": "Recorded"}])
    with dash_app.server.test_request_context("/indicators/observatory.population_density?lang=fr"):
        grid = indicator._members_grid(df, "persons", resolve_filters(None, None, "fr"))
    value = {c["field"]: c for c in grid.columnDefs}["value"]
    assert value["cellRenderer"] == "ShownText" and value["cellRendererParams"] == {"shown": "shown"}
    assert grid.rowData[0]["value"] == 5432.1  # the number the grid sorts
    assert "5\u202f432" in grid.rowData[0]["shown"], grid.rowData[0]["shown"]  # what the cell shows, in French
    assert sized_columns([value], grid.rowData)[0]["minWidth"] >= value.get("minWidth", 0)
