"""Events: the year's timeline by kind and Metropolis' role, events per month, and a sortable table."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.components import (
    data_grid,
    discrepancy_notes,
    graph,
    markdown_link,
    page_frame,
    resolve_filters,
    source_note,
)
from dashboard.figures.events import KIND_LABELS, ROLE_LABELS, events_per_month_figure, events_timeline_figure
from dashboard.figures.style import source_text
from dashboard.i18n import _, ngettext
from db.queries import events
from db.queries.members import member_list
from db.reference import EVENT_KINDS
from db.session import Session

dash.register_page(__name__, path="/events", name="Events", title="Events · Metropolis dashboard", order=5)


def _words(filters: dict) -> str:
    return f"{', '.join(filters['regions']) if filters['regions'] else _('All regions')} · {filters['year']}"


def _load(filters: dict, kinds: list[str]):
    with Session() as session:
        df = events.events_in_year(session, year=filters["year"], regions=filters["regions"], kinds=kinds or None)
        names = member_list(session)
    slugs = dict(zip(names["name"], names["slug"]))
    if not kinds:
        df = df.iloc[0:0]
    return df, slugs


def _figures(df: pd.DataFrame, filters: dict):
    source = source_text(df)
    timeline = events_timeline_figure(df, year=filters["year"], title=_("Events of %(year)s", year=filters["year"]),
                                      subtitle=_words(filters), source=source,
                                      note=_("Marker size: members the reports name as activated by the event."))
    per_month = events_per_month_figure(df, title=_("Events per month, by kind"), subtitle=_words(filters),
                                        source=source)
    return timeline, per_month


def _rows(df: pd.DataFrame, slugs: dict) -> list[dict]:
    rows = []
    for r in df.itertuples():
        names = [n for n in r.members.split("; ") if n]
        rows.append({
            "start": r.start_date.isoformat(), "end": r.end_date.isoformat() if pd.notna(r.end_date) and r.end_date else "",
            "title": r.title, "location": r.location, "kind": str(KIND_LABELS[r.kind]),
            "role": str(ROLE_LABELS[r.metropolis_role]), "count": int(r.member_count),
            "members": ", ".join(markdown_link(n, f"/members/{slugs[n]}") for n in names if n in slugs),
            "deliverables": r.deliverables.replace("; ", ", "), "source": r.source,
        })
    return rows


def _columns() -> list[dict]:
    return [
        {"field": "start", "headerName": _("Start"), "minWidth": 115, "maxWidth": 125, "sort": "asc"},
        {"field": "end", "headerName": _("End"), "minWidth": 115, "maxWidth": 125},
        {"field": "title", "headerName": _("Event"), "flex": 3, "minWidth": 260},
        {"field": "location", "headerName": _("Location"), "maxWidth": 170},
        {"field": "kind", "headerName": _("Kind"), "maxWidth": 190},
        {"field": "role", "headerName": _("Metropolis' role"), "maxWidth": 210},
        {"field": "count", "headerName": _("Activated"), "minWidth": 115, "maxWidth": 130,
         "filter": "agNumberColumnFilter"},
        {"field": "members", "headerName": _("Activated members"), "flex": 3, "minWidth": 240,
         "cellRenderer": "markdown"},
        {"field": "deliverables", "headerName": _("Deliverables served"), "flex": 1, "minWidth": 150},
        {"field": "source", "headerName": _("Source"), "flex": 2, "minWidth": 200},
    ]


def _count(df: pd.DataFrame) -> str:
    return ngettext("%(n)s event", "%(n)s events", len(df))


def layout(region=None, year=None, **_unused_query_params):
    filters = resolve_filters(region, year)
    f = {"regions": filters.regions, "year": filters.year}
    kinds = list(EVENT_KINDS)
    df, slugs = _load(f, kinds)
    timeline, per_month = _figures(df, f)
    checklist = dbc.Checklist(id=ids.Events.KINDS, value=kinds, inline=True, className="mb-2",
                              options=[{"label": str(KIND_LABELS[k]), "value": k} for k in kinds])
    notes = discrepancy_notes(["events.calendar_categories", "wmd.events", "board.meetings_in_calendar"])
    return page_frame(_("Events"), filters, [
        checklist,
        graph(ids.Events.TIMELINE, timeline, filename="metropolis-events-timeline"),
        graph(ids.Events.PER_MONTH, per_month, filename="metropolis-events-per-month"),
        source_note(source_text(df), notes=notes),
        html.H2([_("All events"), " ", dbc.Badge(_count(df), id=ids.Events.COUNT, color="secondary")],
                className="section-title"),
        data_grid(ids.Events.GRID, _rows(df, slugs), _columns(), height=560),
    ], intro=_("Every event of the annual report's calendar and of the July-September progress report. Kind and "
               "Metropolis' role are read from the titles and texts; the role is 'not stated' where no document "
               "says it."),
        scope_note=_("Events are linked to a region through the members they activated, and only the July-September "
                     "progress report names them, so with a region filter only those events appear.")
        if filters.regions else "")


@callback(Output(ids.Events.TIMELINE, "figure"), Output(ids.Events.PER_MONTH, "figure"),
          Output(ids.Events.GRID, "rowData"), Output(ids.Events.COUNT, "children"),
          Input(ids.Events.KINDS, "value"), State(ids.Shell.PAGE_FILTERS, "data"), prevent_initial_call=True)
def update_events(kinds, filters):
    """Redraw the timeline, the monthly chart and the table for the chosen kinds."""
    if not filters:
        raise PreventUpdate
    kinds = [k for k in (kinds or []) if k in EVENT_KINDS]
    df, slugs = _load(filters, kinds)
    timeline, per_month = _figures(df, filters)
    return timeline, per_month, _rows(df, slugs), _count(df)
