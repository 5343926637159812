"""Action plan: completion of the 2018-2020 plan by action line, its deliverables, and the 2021-2023 plan."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, html, no_update

from dashboard import ids, years
from dashboard.cache import memoized
from dashboard.charts import ChartId, plan_data, render
from dashboard.components import (
    QUOTED_CELL,
    cached_layout,
    chart_block,
    colour_badge,
    curated,
    data_grid,
    discrepancy_notes,
    dropdown,
    dropdown_slot,
    page_frame,
    quoted,
    resolve_filters,
    source_note,
    stored_filters,
)
from dashboard.figures.action_plan import STATUS_LABELS
from dashboard.figures.style import STATUS_COLOURS, source_text
from dashboard.i18n import _
from db.queries import action_plan
from db.queries.common import plan_codes
from db.session import Session

dash.register_page(__name__, path="/action-plan", name="Action plan", title="Action plan · Metropolis dashboard",
                   order=4)


def _rows(items, line: str | None) -> list[dict]:
    leaves = items[items["level"].isin(["deliverable", "outcome"])]
    if line:
        leaves = leaves[leaves["line"] == line]
    titles = dict(zip(items["code"], items["title"]))
    statuses = {k: _(label) for k, label in STATUS_LABELS.items()}  # translated once, not once per row
    return [{"code": r.code, "measure": r.parent, "measure_title": titles.get(r.parent, ""), "title": r.title,
             "status": statuses[r.status], "status_key": r.status, "printed": r.printed or "–",
             "source": r.source} for r in leaves.itertuples()]


def _columns() -> list[dict]:
    return [
        {"field": "code", "headerName": _("Code"), "maxWidth": 110, "pinned": "left"},
        {"field": "title", "headerName": _("Deliverable"), "flex": 3, "minWidth": 260, **QUOTED_CELL},
        {"field": "measure", "headerName": _("Measure"), "maxWidth": 120, "tooltipField": "measure_title"},
        {"field": "status", "headerName": _("Status"), "maxWidth": 140,
         "cellStyle": {"styleConditions": [
             {"condition": f"params.data.status_key == '{k}'", "style": {"color": c, "fontWeight": "600"}}
             for k, c in STATUS_COLOURS.items()]}},
        {"field": "printed", "headerName": _("Printed mark"), "maxWidth": 130},
        {"field": "source", "headerName": _("Source"), "flex": 2, "minWidth": 200, **QUOTED_CELL},
    ]


def _status_badge(status: str) -> html.Span:
    return colour_badge(_(STATUS_LABELS[status]), STATUS_COLOURS[status])


def _future_plan(items) -> html.Div:
    """The 2021-2023 lines, axes and outcomes as an accordion (statuses to be recorded per year)."""
    # the items read once and grouped by (level, parent) in their order: boolean masks per line and per axis
    # cost more than the components they feed
    children = {}
    for item in items.itertuples():
        children.setdefault((item.level, item.parent), []).append(item)
    sections = []
    for line in (item for item in items.itertuples() if item.level == "line"):
        axes = []
        for axis in children.get(("axis", line.code), ()):
            axes.append(html.Div([
                html.H3([f"{axis.code} · ", quoted(axis.title)], className="h6 mt-2"),
                html.Ul([html.Li([html.Span(o.code, className="text-body-secondary me-2"), quoted(o.title), " ",
                                  _status_badge(o.status)])
                         for o in children.get(("outcome", axis.code), ())]),
            ]))
        # the line's title as the plan prints it (quoted in English, like its axes and outcomes)
        sections.append(dbc.AccordionItem(axes, title=html.Span([f"{line.code} · ", quoted(line.title)])))
    return dbc.Accordion(sections, start_collapsed=True, always_open=True, id=ids.ActionPlan.FUTURE)


def _marks_table(marks) -> dbc.Table:
    return dbc.Table([
        html.Thead(html.Tr([html.Th(_("Printed mark")), html.Th(_("Read as")), html.Th(_("Reading")),
                            html.Th(_("Evidence"))])),
        html.Tbody([html.Tr([html.Td(r.glyphs, className="fw-bold"),
                             html.Td(_status_badge(r.status)),
                             html.Td(curated(r.reading), className="small"),
                             html.Td(curated(r.evidence), className="small")])
                    for r in marks.itertuples()]),
    ], id=ids.ActionPlan.MARKS, size="sm", bordered=False, responsive=True, className="bg-white")


@memoized("action-plan")
def _plan_data(year: int):
    """The plan of `year`, its items with statuses, the marks' readings, and the next plan's items."""
    with Session() as session:
        plan, _completion, items = plan_data(year, session=session)  # what the page's charts read too
        marks = action_plan.status_marks(session)
        later = [p for p in plan_codes(session) if p > plan]
        future = action_plan.plan_items(session, plan=later[0]) if later else None
    return plan, items, marks, later, future


@cached_layout("action_plan")
def layout(region=None, year=None, lang=None, line=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    plan, items, marks, later, future = _plan_data(filters.year)
    # ?line=L1: the deliverables of one action line (the links of the charts' tables: a bar's drill-down)
    line = line if isinstance(line, str) and line in set(items["line"]) else None
    f = filters.with_options()
    gauges, bars = render(ChartId.ACTION_PLAN_COMPLETION, f), render(ChartId.ACTION_PLAN_STATUS, f)
    notes = discrepancy_notes(["action_plan.q3_code_L1M8D1", "action_plan.q3_code_L3M3D1"]) \
        if years.is_reported(filters.year) else []  # the reports' discrepancies belong to their year
    printed_marks = bool((items["mark"] != "").any())  # how the printed marks were read: only where some are shown
    children = [
        chart_block(ChartId.ACTION_PLAN_COMPLETION, gauges, f, graph_id=ids.ActionPlan.GAUGES),
        chart_block(ChartId.ACTION_PLAN_STATUS, bars, f, graph_id=ids.ActionPlan.STATUS_CHART),
        source_note(gauges.source, notes=notes),
        html.H2(_("Deliverables"), className="section-title"),
        _line_chooser(items, line),
        html.P(id=ids.ActionPlan.LINE_FILTER, children=_("Action line %(line)s only.", line=line) if line else
               _("All action lines. Choose a line, or click a bar above, to narrow the list."),
               className="small text-body-secondary"),
        data_grid(ids.ActionPlan.GRID, _rows(items, line), _columns(), height=520),
        *([html.H2(_("How the printed marks were read"), className="section-title"), _marks_table(marks)]
          if printed_marks else []),
    ]
    if future is not None:
        children += [html.H2(_("Strategic Action Plan %(plan)s", plan=later[0]), className="section-title"),
                     html.P(_("Lines, axes and outcomes as printed; statuses will be recorded per outcome and year."),
                            className="small text-body-secondary"),
                     _future_plan(future), source_note(source_text(future))]
    return page_frame(_("Action plan"), filters, children, scope_note=_(
        "The action plan is network-wide: the region filter does not apply to this page.") if filters.regions else "",
        page_path="/action-plan")


def _line_chooser(items, chosen: str | None = None) -> html.Div:
    """The keyboard's way to a bar's drill-down (the bars answer a click only): the action line to list."""
    lines = items[items["level"] == "line"]
    return html.Div([
        dbc.Label(_("Action line"), html_for=ids.ActionPlan.LINE_CHOOSER, className="small mb-0"),
        # each line's title as the plan prints it, quoted in English
        dropdown_slot(dropdown(ids.ActionPlan.LINE_CHOOSER,
                               [{"label": html.Span([f"{r.code} · ", quoted(r.title)]), "value": r.code,
                                 "search": f"{r.code} {r.title}"} for r in lines.itertuples()],
                               value=chosen, placeholder=_("All action lines"), clearable=True, searchable=False)),
    ], className="mb-2", style={"maxWidth": "40rem"})


@callback(Output(ids.ActionPlan.GRID, "rowData"), Output(ids.ActionPlan.LINE_FILTER, "children"),
          Output(ids.ActionPlan.LINE_CHOOSER, "value"),
          Input(ids.ActionPlan.STATUS_CHART, "clickData"), Input(ids.ActionPlan.LINE_CHOOSER, "value"),
          State(ids.Shell.PAGE_FILTERS, "data"), prevent_initial_call=True)
def update_deliverables(click, chosen, filters):
    """List the deliverables of the action line whose bar was clicked or which was chosen (none chosen: all)."""
    unchanged = no_update, no_update, no_update
    if ctx.triggered_id == ids.ActionPlan.LINE_CHOOSER:
        line = chosen
    else:
        try:
            line = click["points"][0]["customdata"][0]
        except (TypeError, KeyError, IndexError):
            return unchanged
        if not isinstance(line, str):
            return unchanged
    filters = stored_filters(filters)  # checked again: the browser sends them back
    if filters is None or (line is not None and not isinstance(line, str)):
        return unchanged
    _plan, items, _marks, _later, _future = _plan_data(filters.year)
    if line is None:
        return _rows(items, None), _("All action lines."), no_update
    if line not in set(items["line"]):
        return unchanged
    return _rows(items, line), _("Action line %(line)s only.", line=line), line
