"""Every chart in words and as a table (issue 16): each registered chart has a description drawn from its data and a
table whose rows are exactly its CSV export's rows (so the same fee privacy), with numbers in the page's language,
member names linking to the member and action lines to their deliverables; the table is built by a callback, only
when opened, and follows the chart's options."""

from __future__ import annotations

import csv
import io
import json
from contextvars import copy_context

import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict
from flask_login import login_user
from sqlalchemy import select

from db import models as m
from db.session import Session
from tests.components import texts
from tests.conftest import create_user

STAFF = "tables.board@metropolis.example"
FILTER_SETS = [(None, 2020), (["Europe"], 2020), (None, 2021), (["Africa", "Europe"], 2021)]


def _options(chart) -> dict:
    return {k: (list(v) if k in chart.multi_options else v[0]) for k, v in chart.options.items()}



def _find(component, kind: str) -> list:
    """Every component of type `kind` (e.g. 'Tr') in a tree."""
    found = []
    if isinstance(component, list | tuple):
        for c in component:
            found += _find(c, kind)
    elif hasattr(component, "children"):
        if type(component).__name__ == kind:
            found.append(component)
        found += _find(component.children, kind)
    return found


def _csv_rows(chart_id: str, filters) -> tuple[list[str], list[list[str]]]:
    from dashboard.export import ExportRequest, chart_csv

    text = chart_csv(ExportRequest(chart_id, "csv", filters, 1920), data_as_of=None, base_url="http://x")
    rows = list(csv.reader(io.StringIO("".join(line + "\n" for line in text.splitlines() if not line.startswith("# ")))))
    return rows[0], rows[1:]


def _csv_value(value) -> str:
    from dashboard.responses import neutralise_cell

    return "" if value is None else str(neutralise_cell(value))


@pytest.fixture
def staff_store(app_store_copy):
    create_user(app_store_copy, email=STAFF, role="board")
    return app_store_copy


def _sign_in_staff():
    from dashboard.auth import _load_user

    with Session() as session:
        user = session.scalar(select(m.UserAccount).where(m.UserAccount.email == STAFF))
    login_user(_load_user(f"{user.id}:{user.session_generation}"))


def test_every_chart_has_a_description_from_its_data(dash_app, app_store):
    from dashboard.chart_tables import describe
    from dashboard.charts import CHARTS, ChartFilters, render

    for lang in ("en", "fr", "es"):
        with dash_app.server.test_request_context(f"/?lang={lang}"):
            for regions, year in FILTER_SETS:
                for chart_id, chart in CHARTS.items():
                    text = describe(chart_id, render(chart_id, ChartFilters(regions, year, _options(chart), lang=lang)))
                    assert text.strip() and len(text) < 600, (chart_id, regions, year, lang, text)
                    assert "%(" not in text and "nan" not in text.split(), (chart_id, text)


def test_a_description_reads_the_data_it_describes(dash_app, app_store):
    """The overview's bars: the network's count and the regions with the highest and lowest share, from the rows."""
    from dashboard.chart_tables import describe
    from dashboard.charts import ChartFilters, ChartId, render

    with dash_app.server.test_request_context("/"):
        data = render(ChartId.ACTIVE_BY_REGION, ChartFilters(None, 2020))
        rows = data.rows.assign(s=data.rows["activated"] / data.rows["members"]).sort_values("s")
        best, worst = rows.iloc[-1], rows.iloc[0]
        text = describe(ChartId.ACTIVE_BY_REGION, data)
        assert text.startswith(f"{int(data.rows['activated'].sum())} of {int(data.rows['members'].sum())} members active")
        assert f"{best['region']}: {best['activated']} of {best['members']}, the highest share" in text
        assert f"{worst['region']}: {worst['activated']} of {worst['members']}, the lowest" in text
        europe = describe(ChartId.ACTIVE_BY_REGION, render(ChartId.ACTIVE_BY_REGION, ChartFilters(["Europe"], 2020)))
        assert europe == "14 of 16 members active (87.5%)."
    with dash_app.server.test_request_context("/?lang=fr"):
        fr = describe(ChartId.ACTIVE_BY_REGION, render(ChartId.ACTIVE_BY_REGION, ChartFilters(["Europe"], 2020, lang="fr")))
        assert "87,5\u00a0%" in fr  # numbers in the page's language


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_every_table_holds_the_csv_rows(dash_app, staff_store, signed_in):
    """Same columns, same order, same values as the CSV export, for an anonymous visitor (no per-member fee) and a
    signed-in user (with it)."""
    from dashboard.chart_tables import cell_text, column_label, data_table, table_records
    from dashboard.charts import CHARTS, ChartFilters, render

    with dash_app.server.test_request_context("/"):
        if signed_in:
            _sign_in_staff()
        for regions, year in [(None, 2020), (["Europe"], 2020)]:
            for chart_id, chart in CHARTS.items():
                f = ChartFilters(regions, year, _options(chart))
                data = render(chart_id, f)
                columns, records = table_records(data)
                header, rows = _csv_rows(chart_id, f)
                assert columns == header, chart_id
                assert [[_csv_value(r[c]) for c in columns] for r in records] == rows, chart_id
                table = data_table(chart_id, data, f)
                body = _find(table, "Tbody")
                if not records:
                    assert body == [] and texts(table), chart_id  # says there are no rows
                    continue
                assert [texts(th)[0] for th in _find(_find(table, "Thead")[0], "Th")] == [column_label(c) for c in columns]
                trs = _find(body[0], "Tr")
                assert len(trs) == len(records), chart_id
                for tr, record in zip(trs, records):
                    cells = tr.children
                    assert cells[0].scope == "row" and type(cells[0]).__name__ == "Th"
                    assert ["".join(texts(c.children)) for c in cells] == [cell_text(c, record[c]) for c in columns]
        fee_columns = {c for c in render("members-map", ChartFilters(None, 2020, {"colour": "region"})).rows.columns
                       if c.startswith("fee")}
        assert fee_columns == ({"fee_paid", "fee_unknown"} if signed_in else set())
        matrix = table_records(render("engagement-matrix", ChartFilters(None, 2020, {"sort": "region"})))[0]
        assert ("fee_paid" in matrix) is signed_in


def test_member_names_link_to_the_member_and_lines_to_their_deliverables(dash_app, app_store):
    from dash import dcc

    from dashboard.chart_tables import data_table
    from dashboard.charts import ChartFilters, ChartId, render

    with dash_app.server.test_request_context("/"):
        f = ChartFilters(["Europe"], 2020, {"colour": "region"})
        links = _find(data_table(ChartId.MEMBERS_MAP, render(ChartId.MEMBERS_MAP, f), f), "Link")
        hrefs = {link.children: link.href for link in links}
        assert hrefs["Berlin"] == "/members/berlin?region=Europe&year=2020"
        assert len(hrefs) == 16 and all(isinstance(link, dcc.Link) for link in links)
        f = ChartFilters(None, 2020)
        status = data_table(ChartId.ACTION_PLAN_STATUS, render(ChartId.ACTION_PLAN_STATUS, f), f)
        lines = {link.href for link in _find(status, "Link")}
        assert "/action-plan?year=2020&line=L1#action-plan-grid" in lines


def test_the_action_plan_page_opens_on_one_lines_deliverables(dash_app, app_store):
    from dashboard import ids
    from dashboard.pages import action_plan

    with dash_app.server.test_request_context("/action-plan?year=2020&line=L2"):
        page = action_plan.layout(year="2020", line="L2")
        grid = next(c for c in _all(page) if getattr(c, "id", None) == ids.ActionPlan.GRID)
        assert grid.rowData and all(r["code"].startswith("L2") for r in grid.rowData)
        everything = action_plan.layout(year="2020", line="not-a-line")  # an unknown line: every line, no error
        grid = next(c for c in _all(everything) if getattr(c, "id", None) == ids.ActionPlan.GRID)
        assert {r["code"][:2] for r in grid.rowData} == {"L1", "L2", "L3"}


def _all(component) -> list:
    out = [component]
    children = getattr(component, "children", None)
    for c in children if isinstance(children, list | tuple) else [children] if children is not None else []:
        if hasattr(c, "to_plotly_json"):
            out += _all(c)
    return out


def _run(prop_id: str, func, *args):
    def run():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": None}]))
        return func(*args)
    return copy_context().run(run)


def _prop(component_id: dict, prop: str) -> str:
    return json.dumps(component_id, sort_keys=True, separators=(",", ":")) + "." + prop


def test_the_table_is_built_when_opened_and_follows_the_options(dash_app, app_store):
    from dashboard import ids
    from dashboard.chart_tables import chart_state, describe
    from dashboard.charts import ChartFilters, ChartId, render
    from dashboard.components import update_chart_table

    chart = ChartId.EVENTS_TIMELINE
    with dash_app.server.test_request_context("/"):
        f = ChartFilters(None, 2020, {"kind": ["wmd"]})
        state = chart_state(chart, f, f.options)
        table, hidden, expanded, label, description, name = _run(
            _prop(ids.Charts.table_toggle(chart), "n_clicks"), update_chart_table, 1, state, True)
        assert (hidden, expanded, label) == (False, "true", "Hide the table")
        assert len(_find(table, "Tr")) == 1 + len(render(chart, f).rows)
        assert description == describe(chart, render(chart, f))
        closed = _run(_prop(ids.Charts.table_toggle(chart), "n_clicks"), update_chart_table, 2, state, False)
        assert closed[:3] == ([], True, "false")
        # the options change while the table is open: the table and the description follow
        every = ChartFilters(None, 2020, {"kind": ["wmd", "learning"]})
        table, hidden, *_rest, description, _name = _run(
            _prop(ids.Charts.state(chart), "data"), update_chart_table, 2, chart_state(chart, every, every.options), False)
        assert hidden is False and len(_find(table, "Tr")) == 1 + len(render(chart, every).rows)
        assert description == describe(chart, render(chart, every)) != describe(chart, render(chart, f))
        # what the browser sends back is checked again: an unknown option or year changes nothing
        from dash.exceptions import PreventUpdate
        for bad in ({**state, "options": {"kind": ["fireworks"]}}, {**state, "year": 1850}, "nonsense"):
            with pytest.raises(PreventUpdate):
                _run(_prop(ids.Charts.table_toggle(chart), "n_clicks"), update_chart_table, 1, bad, True)
