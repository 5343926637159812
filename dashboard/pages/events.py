"""Events: the year's timeline by kind and Metropolis' role, events per month, and a sortable table."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids, years
from dashboard.cache import memoized
from dashboard.chart_tables import chart_state
from dashboard.charts import ChartFilters, ChartId, events_frame, render
from dashboard.components import (
    QUOTED_CELL,
    cached_layout,
    chart_block,
    chart_menu,
    data_grid,
    discrepancy_notes,
    lazy_grid,
    markdown_link,
    page_frame,
    resolve_filters,
    shown_cell,
    source_note,
    stored_filters,
)
from dashboard.figures.events import KIND_LABELS, ROLE_LABELS
from dashboard.grids import GRID_CLIENT_ROWS, rows_block
from dashboard.i18n import SHORT_DATE, _, current_translator, ngettext
from dashboard.validation import text_list
from db.queries.members import member_list
from db.reference import EVENT_KINDS
from db.session import Session

dash.register_page(__name__, path="/events", name="Events", title="Events · Metropolis dashboard", order=5)


@memoized("events-table")
def _load(filters: ChartFilters):
    """The events behind the charts and table, and member slugs for the table's links."""
    df = events_frame(filters.regions, filters.year, list(filters.options.get("kind") or []))
    with Session() as session:
        names = member_list(session)
    return df, dict(zip(names["name"], names["slug"]))


SHOWN = ["start", "start_text", "end", "end_text", "title", "location", "kind", "role", "count", "members", "deliverables", "source"]


@memoized("events-rows")
def _table(filters: ChartFilters) -> pd.DataFrame:
    """The table's rows for `filters` (SHOWN columns)."""
    df, slugs = _load(filters)
    return pd.DataFrame(_rows(df, slugs), columns=SHOWN)


def _paged(filters) -> bool:
    """Whether the table of these regions and year pages its rows from the server (too many events to send)."""
    every_kind = filters.with_options({"kind": list(EVENT_KINDS)})
    return len(_load(every_kind)[0]) > GRID_CLIENT_ROWS


def _rows(df: pd.DataFrame, slugs: dict) -> list[dict]:
    # the translator, the labels and each day's text taken once per table, not once per cell (the same texts)
    tr = current_translator()
    kinds = {k: tr.gettext(label) for k, label in KIND_LABELS.items()}
    roles = {k: tr.gettext(label) for k, label in ROLE_LABELS.items()}
    days: dict = {}

    def day_text(day) -> str:
        if day not in days:
            days[day] = tr.format_date(day, format=SHORT_DATE)
        return days[day]

    rows = []
    for r in df.itertuples():
        names = [n for n in r.members.split("; ") if n]
        end = r.end_date if pd.notna(r.end_date) and r.end_date else None
        rows.append({
            # the days stay ISO (the grid sorts them as text: in time order); *_text is what the cells show
            "start": r.start_date.isoformat(), "start_text": day_text(r.start_date),
            "end": end.isoformat() if end else "", "end_text": day_text(end) if end else "",
            "title": r.title, "location": r.location, "kind": kinds[r.kind],
            "role": roles[r.metropolis_role], "count": int(r.member_count),
            "members": ", ".join(markdown_link(n, f"/members/{slugs[n]}") for n in names if n in slugs),
            "deliverables": r.deliverables.replace("; ", ", "), "source": r.source,
        })
    return rows


def _columns() -> list[dict]:
    # no fixed widths: each column is at least as wide as its longest word (dashboard.grids.sized_columns) and the
    # long texts share the rest by their flex, so at 1440 px every column shows and no word is cut
    return [
        # a day on one line ('12 sept. 2020': 13 characters at about 7.8 px, and the cell's padding)
        {"field": "start", "headerName": _("Start"), "minWidth": 132, "maxWidth": 140, "wrapText": False,
         "sort": "asc", **shown_cell("start_text")},
        {"field": "end", "headerName": _("End"), "minWidth": 132, "maxWidth": 140, "wrapText": False,
         **shown_cell("end_text")},
        {"field": "title", "headerName": _("Event"), "flex": 3, **QUOTED_CELL},
        {"field": "location", "headerName": _("Location"), "flex": 1, **QUOTED_CELL},
        {"field": "kind", "headerName": _("Kind"), "flex": 1},
        {"field": "role", "headerName": _("Metropolis' role"), "flex": 1},
        {"field": "count", "headerName": _("Activated"), "maxWidth": 140, "filter": "agNumberColumnFilter"},
        {"field": "members", "headerName": _("Activated members"), "flex": 3, "cellRenderer": "markdown"},
        {"field": "deliverables", "headerName": _("Deliverables served"), "flex": 1},
        {"field": "source", "headerName": _("Source"), "flex": 2, **QUOTED_CELL},
    ]


def _count(df: pd.DataFrame) -> str:
    return ngettext("%(n)s event", "%(n)s events", len(df))


@cached_layout("events")
def layout(region=None, year=None, lang=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    kinds = list(EVENT_KINDS)
    f = filters.with_options({"kind": kinds})
    df, _slugs = _load(f)
    timeline, per_month = render(ChartId.EVENTS_TIMELINE, f), render(ChartId.EVENTS_PER_MONTH, f)
    checklist = dbc.Checklist(id=ids.Events.KINDS, value=kinds, inline=True, className="mb-2 no-print",
                              options=[{"label": _(KIND_LABELS[k]), "value": k} for k in kinds])
    reported = years.is_reported(filters.year)
    notes = discrepancy_notes(["events.calendar_categories", "wmd.events", "board.meetings_in_calendar"]) \
        if reported else []
    return page_frame(_("Events"), filters, [
        checklist,
        chart_block(ChartId.EVENTS_TIMELINE, timeline, f, graph_id=ids.Events.TIMELINE, options=f.options),
        chart_block(ChartId.EVENTS_PER_MONTH, per_month, f, graph_id=ids.Events.PER_MONTH, options=f.options),
        source_note(timeline.source, notes=notes),
        html.H2([_("All events"), " ", dbc.Badge(_count(df), id=ids.Events.COUNT, color="secondary")],
                className="section-title"),
        lazy_grid(ids.Events.GRID, _columns(), height=560, row_count=len(df)) if _paged(f) else
        data_grid(ids.Events.GRID, _table(f).to_dict("records"), _columns(), height=560),
    ], intro=(_("Every event of the annual report's calendar and of the July-September progress report. Kind and "
                "Metropolis' role are read from the titles and texts; the role is 'not stated' where no document "
                "says it. Events recorded in the dashboard since the report are listed with their own source.")
              if reported else
              _("The events recorded in the dashboard for this year so far, with the kind and role given when they "
                "were recorded.")),
        scope_note=(_("Events are linked to a region through the members they activated, and only the July-September "
                      "progress report names them, so with a region filter only those events appear.") if reported
                    else _("Events are linked to a region through the members they activated, so with a region "
                           "filter only events recorded with a member of the region appear."))
        if filters.regions else "", page_path="/events")


@callback(Output(ids.Events.TIMELINE, "figure"), Output(ids.Events.PER_MONTH, "figure"),
          Output(ids.Events.GRID, "rowData"), Output(ids.Events.COUNT, "children"),
          Output(ids.Charts.menu(ChartId.EVENTS_TIMELINE), "children"),
          Output(ids.Charts.menu(ChartId.EVENTS_PER_MONTH), "children"),
          Output(ids.Charts.state(ChartId.EVENTS_TIMELINE), "data"),
          Output(ids.Charts.state(ChartId.EVENTS_PER_MONTH), "data"),
          Input(ids.Events.KINDS, "value"), State(ids.Shell.PAGE_FILTERS, "data"), prevent_initial_call=True)
def update_events(kinds, filters):
    """Redraw the timeline, the monthly chart, the table and the export links for the chosen kinds."""
    filters = stored_filters(filters)  # checked again, as for the rows: the browser sends them back
    if filters is None:
        raise PreventUpdate
    f = _event_filters(filters, kinds)
    df, _slugs = _load(f)
    return (render(ChartId.EVENTS_TIMELINE, f).figure, render(ChartId.EVENTS_PER_MONTH, f).figure,
            no_update if _paged(f) else _table(f).to_dict("records"), _count(df),
            chart_menu(ChartId.EVENTS_TIMELINE, f, f.options), chart_menu(ChartId.EVENTS_PER_MONTH, f, f.options),
            chart_state(ChartId.EVENTS_TIMELINE, f, f.options), chart_state(ChartId.EVENTS_PER_MONTH, f, f.options))


def _event_filters(filters: ChartFilters, kinds) -> ChartFilters:
    """The chart filters for the chosen event kinds (unknown values sent by the browser are dropped)."""
    chosen = text_list(kinds)
    return filters.with_options({"kind": [k for k in EVENT_KINDS if k in chosen]})


clientside_callback(ClientsideFunction(namespace="metropolis", function_name="purgeGrid"),
                    Input(ids.Events.KINDS, "value"), State(ids.Events.GRID, "id"), prevent_initial_call=True)


@callback(Output(ids.Events.GRID, "getRowsResponse"), Input(ids.Events.GRID, "getRowsRequest"),
          State(ids.Events.KINDS, "value"), State(ids.Shell.PAGE_FILTERS, "data"), prevent_initial_call=True)
def update_event_rows(request, kinds, stored):
    """Send the block of rows a long events table asks for, filtered and sorted."""
    filters = stored_filters(stored)
    if not request or filters is None:
        raise PreventUpdate
    f = _event_filters(filters, kinds)
    return rows_block(_table(f), request, shown=SHOWN)
