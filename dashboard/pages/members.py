"""Members: a searchable, sortable list of every member; each name opens the member's page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ClientsideFunction, Input, Output, Patch, State, callback, clientside_callback
from dash.exceptions import PreventUpdate

from dashboard import ids, urls, years
from dashboard.auth import fees_visible
from dashboard.cache import memoized
from dashboard.components import (
    QUOTED_CELL,
    cached_layout,
    data_grid,
    lazy_grid,
    markdown_link,
    page_frame,
    resolve_filters,
    source_note,
    stored_filters,
)
from dashboard.grids import GRID_CLIENT_ROWS, rows_block
from dashboard.i18n import _, current_translator, format_number
from dashboard.validation import text_value
from db.queries.engagement import dimension_count, member_engagement_summary
from db.session import Session

dash.register_page(__name__, path="/members", name="Members", title="Members · Metropolis dashboard", order=6)


def _yes_no(value) -> str:
    if value is None or pd.isna(value):
        return "–"
    return _("yes") if bool(value) else _("no")


def _columns(year: int, show_fees: bool) -> list[dict]:
    columns = [
        {"field": "member", "headerName": _("Member"), "cellRenderer": "markdown",
         "minWidth": 180, "flex": 2, "pinned": "left"},
        {"field": "region", "headerName": _("Region"), "minWidth": 150, "flex": 1},
        {"field": "country", "headerName": _("Country"), "minWidth": 120, "flex": 1, **QUOTED_CELL},
        {"field": "official_name", "headerName": _("Official name"), "minWidth": 240, "flex": 3, **QUOTED_CELL},
        {"field": "active", "headerName": _("Active in %(year)s", year=year), "maxWidth": 130},
        {"field": "fee", "headerName": _("%(year)s fee paid", year=year), "maxWidth": 130},
        {"field": "breadth", "headerName": _("Dimensions engaged (of %(n)s)", n=dimension_count(include_fees=show_fees)),
         "maxWidth": 170,
         "filter": "agNumberColumnFilter", "sort": "desc"},
        {"field": "woman", "headerName": _("Governed by a woman"), "maxWidth": 170},
    ]
    return columns if show_fees else [c for c in columns if c["field"] != "fee"]


SHOWN = ["member", "region", "country", "official_name", "active", "fee", "breadth", "woman"]


@memoized("member-summary")
def _summary(regions: tuple[str, ...] | None, year: int, include_fees: bool):
    """member_engagement_summary; without fees its breadth does not count the fee (cached apart)."""
    with Session() as session:
        return member_engagement_summary(session, year=year, regions=list(regions) if regions else None,
                                         include_fees=include_fees)


@memoized("member-rows")
def _rows(regions: tuple[str, ...] | None, year: int, show_fees: bool, q: str) -> pd.DataFrame:
    """The table's rows (SHOWN columns), with 'name' (plain, to sort the links by) and 'search' (what the search
    box looks in) for the rows paged from the server."""
    df = _summary(regions, year, show_fees)
    tr = current_translator()  # once, not once per cell (the texts are the same: i18n's functions use it)
    countries = pd.Series([tr.country_name(c, n) for c, n in zip(df["country_code"], df["country"])], index=df.index,
                          dtype=object)  # the language's names; the search finds the English one too
    regions_shown = df["region"].map(tr.region_label)
    words = {True: tr.gettext("yes"), False: tr.gettext("no")}

    def yes_no(value) -> str:  # _yes_no with the words translated once
        return "–" if value is None or pd.isna(value) else words[bool(value)]

    honorary = " (" + tr.gettext("honorary") + ")"
    unknown_text = tr.gettext("unknown")
    return pd.DataFrame({
        "member": [markdown_link(name, f"/members/{slug}{q}") + (honorary if h else "")
                   for name, slug, h in zip(df["name"], df["slug"], df["honorary"])],
        "region": regions_shown, "country": countries, "official_name": df["official_name"],
        "active": [yes_no(v) for v in df["activated"]],
        "fee": [unknown_text if unknown else yes_no(v) for v, unknown in zip(df["fee_paid"], df["fee_unknown"])]
        if show_fees else "",
        "breadth": df["breadth"].astype(int), "woman": [yes_no(v) for v in df["governed_by_woman"]],
        "name": df["name"],
        "search": (df["name"] + " " + df["official_name"] + " " + df["country"] + " " + countries + " "
                   + df["region"] + " " + regions_shown).str.lower(),
    })


def _table_rows(filters) -> pd.DataFrame:
    return _rows(tuple(filters.regions) if filters.regions else None, filters.year, fees_visible(),
                 urls.query(filters))


@cached_layout("members")
def layout(region=None, year=None, lang=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    rows = _table_rows(filters)
    columns = _columns(filters.year, fees_visible())
    grid = (data_grid(ids.Members.GRID, rows[SHOWN].to_dict("records"), columns, height=640)
            if len(rows) <= GRID_CLIENT_ROWS else lazy_grid(ids.Members.GRID, columns, height=640, row_count=len(rows)))
    search = dbc.Input(id=ids.Members.SEARCH, type="search", placeholder=_("Filter the list: name, country, region…"),
                       className="mb-2", debounce=False)
    members = int((~_summary(tuple(filters.regions) if filters.regions else None, filters.year,
                             fees_visible())["honorary"]).sum())
    return page_frame(_("Members"), filters, [
        search,
        grid,
        source_note(_("Strategic Action Plan 2021-2023, Appendix II (names); Progress Report July-September 2020, "
                      "'Who we are' (regions); Annual Report 2020, 4.1 and 5.IV (engagement, fees, members governed "
                      "by women).") if years.is_reported(filters.year) else
                    _("Strategic Action Plan 2021-2023, Appendix II (names); Progress Report July-September 2020, "
                      "'Who we are' (regions); the records entered in the dashboard for %(year)s so far (engagement, "
                      "fees).", year=filters.year)),
    ], intro=_("%(n)s members in the selected regions. Type in the box to filter; click a column to sort; click a "
               "name to open the member's page.", n=format_number(members)))


@callback(Output(ids.Members.GRID, "dashGridOptions"), Input(ids.Members.SEARCH, "value"), prevent_initial_call=True)
def update_member_filter(text):
    """Filter the member list as the user types (a list paged from the server is filtered there)."""
    options = Patch()
    options["quickFilterText"] = text_value(text)
    return options


clientside_callback(ClientsideFunction(namespace="metropolis", function_name="purgeGrid"),
                    Input(ids.Members.SEARCH, "value"), State(ids.Members.GRID, "id"), prevent_initial_call=True)


@callback(Output(ids.Members.GRID, "getRowsResponse"), Input(ids.Members.GRID, "getRowsRequest"),
          State(ids.Members.SEARCH, "value"), State(ids.Shell.PAGE_FILTERS, "data"), prevent_initial_call=True)
def update_member_rows(request, text, stored):
    """Send the block of rows a long member list asks for, searched, filtered and sorted."""
    filters = stored_filters(stored)
    if not request or filters is None:
        raise PreventUpdate
    rows = _table_rows(filters)
    words = str(text or "").strip().lower()[:100]
    if words:
        rows = rows[rows["search"].str.contains(words, regex=False)]
    return rows_block(rows, request, shown=SHOWN, search_columns={"member": "name"}, sort_columns={"member": "name"})
