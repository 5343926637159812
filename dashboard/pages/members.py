"""Members: a searchable, sortable list of every member; each name opens the member's page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, Patch, callback

from dashboard import ids
from dashboard.auth import fees_visible
from dashboard.cache import memoized
from dashboard.components import data_grid, markdown_link, page_frame, query_string, resolve_filters, source_note
from dashboard.i18n import _
from db.queries.engagement import member_engagement_summary
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
        {"field": "country", "headerName": _("Country"), "minWidth": 120, "flex": 1},
        {"field": "official_name", "headerName": _("Official name"), "minWidth": 240, "flex": 3},
        {"field": "active", "headerName": _("Active in %(year)s", year=year), "maxWidth": 130},
        {"field": "fee", "headerName": _("%(year)s fee paid", year=year), "maxWidth": 130},
        {"field": "breadth", "headerName": _("Dimensions engaged (of 11)"), "maxWidth": 170,
         "filter": "agNumberColumnFilter", "sort": "desc"},
        {"field": "woman", "headerName": _("Governed by a woman"), "maxWidth": 170},
    ]
    return columns if show_fees else [c for c in columns if c["field"] != "fee"]


@memoized("member-summary")
def _summary(regions: tuple[str, ...] | None, year: int):
    with Session() as session:
        return member_engagement_summary(session, year=year, regions=list(regions) if regions else None)


def layout(region=None, year=None, **_unused_query_params):
    filters = resolve_filters(region, year)
    df = _summary(tuple(filters.regions) if filters.regions else None, filters.year)
    q = query_string(filters)
    rows = [{"member": markdown_link(r.name, f"/members/{r.slug}{q}") + (" (" + _("honorary") + ")" if r.honorary else ""),
             "region": r.region, "country": r.country, "official_name": r.official_name,
             "active": _yes_no(r.activated), "fee": _yes_no(r.fee_paid) if fees_visible() else "",
             "breadth": int(r.breadth),
             "woman": _yes_no(r.governed_by_woman)} for r in df.itertuples()]
    search = dbc.Input(id=ids.Members.SEARCH, type="search", placeholder=_("Filter the list: name, country, region…"),
                       className="mb-2", debounce=False)
    return page_frame(_("Members"), filters, [
        search,
        data_grid(ids.Members.GRID, rows, _columns(filters.year, fees_visible()), height=640),
        source_note(_("Strategic Action Plan 2021-2023, Appendix II (names); Progress Report July-September 2020, "
                      "'Who we are' (regions); Annual Report 2020, 4.1 and 5.IV (engagement, fees, members governed "
                      "by women).")),
    ], intro=_("%(n)s members in the selected regions. Type in the box to filter; click a column to sort; click a "
               "name to open the member's page.", n=int((~df["honorary"]).sum())))


@callback(Output(ids.Members.GRID, "dashGridOptions"), Input(ids.Members.SEARCH, "value"), prevent_initial_call=True)
def update_member_filter(text):
    """Filter the member list as the user types."""
    options = Patch()
    options["quickFilterText"] = (text or "")[:100]
    return options
