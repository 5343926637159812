"""Gender parity: women's share of speakers, participants, experts, the Board, staff and member leaders."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import ids
from dashboard.components import discrepancy_notes, graph, page_frame, resolve_filters, source_note
from dashboard.figures.gender import gender_parity_figure
from dashboard.figures.overview import share_by_region_figure
from dashboard.figures.style import source_text
from dashboard.i18n import _, format_number
from db.queries.indicators import gender_breakdown
from db.queries.members import governed_by_women_by_region
from db.session import Session

dash.register_page(__name__, path="/gender", name="Gender parity", title="Gender parity · Metropolis dashboard",
                   order=3)


def _table(df: pd.DataFrame) -> dbc.Table:
    header = html.Thead(html.Tr([html.Th(_("Population")), html.Th(_("Women")), html.Th(_("Total")),
                                 html.Th(_("Counts printed")), html.Th(_("Source"))]))
    rows = []
    for r in df.itertuples():
        counts = (_("%(w)s women, %(m)s men", w=format_number(r.women), m=format_number(r.men))
                  if pd.notna(r.women) and pd.notna(r.men) else
                  (_("%(w)s women", w=format_number(r.women)) if pd.notna(r.women) else "–"))
        rows.append(html.Tr([html.Td(r.name), html.Td(f"{r.women_pct:.1f}".rstrip("0").rstrip(".") + "%"),
                             html.Td(r.total_printed or "–"), html.Td(counts), html.Td(r.source, className="small")]))
    return dbc.Table([header, html.Tbody(rows)], id=ids.Gender.TABLE, bordered=False, hover=True, size="sm",
                     responsive=True, className="bg-white")


def layout(region=None, year=None, **_unused_query_params):
    filters = resolve_filters(region, year)
    with Session() as session:
        df = gender_breakdown(session, year=filters.year)
        by_region = governed_by_women_by_region(session, year=filters.year, regions=filters.regions)
    words = f"{', '.join(filters.regions) if filters.regions else _('All regions')} · {filters.year}"
    fig = gender_parity_figure(df, title=_("Women's share, against parity, in %(year)s", year=filters.year),
                               subtitle=_("Whole network · %(year)s", year=filters.year), source=source_text(df))
    region_fig = share_by_region_figure(
        by_region.rename(columns={"women": "governed"}), measure="governed",
        title=_("Members governed by women, by region"), subtitle=words, source=source_text(by_region),
        note=_("As of 31 December %(year)s.", year=filters.year))
    notes = discrepancy_notes(["board.representatives.women_pct"])
    return page_frame(_("Gender parity"), filters, [
        graph(ids.Gender.CHART, fig, filename="metropolis-gender-parity"),
        source_note(source_text(df), notes=notes),
        graph(ids.Gender.BY_REGION, region_fig, filename="metropolis-members-governed-by-women"),
        source_note(source_text(by_region)),
        html.H2(_("The figures as printed"), className="section-title"),
        _table(df),
    ], intro=_("Each bar is a group of people the reports break down by gender; the dashed line marks parity. "
               "Counts are shown where the documents print them; otherwise only the printed share."),
        scope_note=_("The reports give these gender figures for the whole network only, so the region filter applies "
                     "to the second chart (members governed by women) and not to the first.") if filters.regions else "")
