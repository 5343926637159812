"""The page for an address no page serves (Dash uses a page module named not_found_404 for it): said in the
reader's language (Dash's own is an English "404 - Page not found", unmarked on a French page: WCAG 3.1.2), with
the way to the pages there are, keeping the address's language and filters."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import ids, urls
from dashboard.components import page_frame, resolve_filters
from dashboard.i18n import _

dash.register_page(__name__, path="/404", name="Page not found", title="Page not found · Metropolis dashboard",
                   order=98)


def layout(region=None, year=None, lang=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)  # the way on keeps the address's language and filters
    return page_frame(_("Page not found"), None, [
        html.P(_("No page of the dashboard has this address. Check it, or start from one of the pages in the menu."),
               id=ids.NotFound.MESSAGE),
        dcc.Link(_("Open the overview"), href=urls.page("/", filters)),
    ])
