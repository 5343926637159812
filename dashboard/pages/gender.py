"""Gender parity: women's share of speakers, participants, experts, the Board, staff and member leaders."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import ids, years
from dashboard.charts import ChartId, render
from dashboard.components import (
    cached_layout,
    chart_block,
    discrepancy_notes,
    page_frame,
    quoted,
    resolve_filters,
    source_note,
)
from dashboard.gender_rules import SMALL_NUMBER
from dashboard.i18n import _, format_number, format_percent

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
        share = format_percent(r.women_pct / 100, decimals=0 if float(r.women_pct).is_integer() else 1)
        rows.append(html.Tr([html.Td(r.name), html.Td(share), html.Td(quoted(r.total_printed) or "–"),
                             html.Td(counts), html.Td(quoted(r.source), className="small")]))
    return dbc.Table([header, html.Tbody(rows)], id=ids.Gender.TABLE, bordered=False, hover=True, size="sm",
                     responsive=True, className="bg-white")


@cached_layout("gender")
def layout(region=None, year=None, lang=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    f = filters.with_options()
    parity, governed = render(ChartId.GENDER_PARITY, f), render(ChartId.GOVERNED_BY_WOMEN, f)
    recorded = render(ChartId.GENDER_RECORDED, f)
    notes = discrepancy_notes(["board.representatives.women_pct"]) if years.is_reported(filters.year) else []
    return page_frame(_("Gender parity"), filters, [
        chart_block(ChartId.GENDER_PARITY, parity, f, graph_id=ids.Gender.CHART),
        source_note(parity.source, notes=notes),
        chart_block(ChartId.GENDER_RECORDED, recorded, f, graph_id=ids.Gender.RECORDED),
        source_note(recorded.source),
        chart_block(ChartId.GOVERNED_BY_WOMEN, governed, f, graph_id=ids.Gender.BY_REGION),
        source_note(governed.source),
        html.H2(_("The figures as printed"), className="section-title"),
        _table(parity.rows) if not parity.rows.empty else html.P(
            _("No report printed gender figures for %(year)s.", year=filters.year), id=ids.Gender.TABLE,
            className="text-body-secondary"),
    ], intro=_("Each bar is a group of people the reports break down by gender; the dashed line marks parity. "
               "Counts are shown where the documents print them; otherwise only the printed share. The events "
               "recorded in the dashboard are a series of their own, never mixed with the reports' figures; on "
               "public pages a recorded count of fewer than %(n)s people is not shown.", n=SMALL_NUMBER),
        scope_note=_("The reports give these gender figures for the whole network only, so the region filter applies "
                     "to the second chart (members governed by women) and not to the first.") if filters.regions else "",
        page_path="/gender")
