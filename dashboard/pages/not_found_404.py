"""The page of an address the dashboard does not have, in the reader's language (Dash's own 404 page says
'404 - Page not found' in English on every page). Dash Pages serves the module named not_found_404."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import ids, urls
from dashboard.components import page_frame, resolve_filters
from dashboard.i18n import _

dash.register_page(__name__, path="/404", name="Page not found", title="Page not found · Metropolis dashboard")


def layout(region=None, year=None, lang=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    return page_frame(_("Page not found"), None, [
        html.P(_("The dashboard has no page at this address."), id=ids.NotFound.MESSAGE),
        dcc.Link(_("Go to the overview"), href=urls.page("/", filters)),
    ])
