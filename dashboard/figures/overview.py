"""Overview figures: shares of members by region."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.style import (
    REGION_COLOURS,
    _set_meta,
    as_list,
    base_layout,
    empty_figure,
    new_figure,
    percent_ticks,
    update_layout,
    with_source,
)
from dashboard.translation import Translator


def share_by_region_figure(df: pd.DataFrame, *, measure: str, title: str, subtitle: str, source: str,
                           tr: Translator, note: str = "", unknown: str | None = None) -> dict:
    """Horizontal bars: share of each region's members counted in `measure` (a column of counts).

    `df` has columns region, members and `measure` (engagement_by_region). Labels read '15 of 16 · 94%'; with
    `unknown` (a column counting members whose cell is unreadable) a region with some reads '43 of 73 · 59% ·
    1 unknown', and the bar counts only the known.
    """
    df = df[df["members"] > 0]
    if df.empty:
        return empty_figure(tr.gettext("No members in the selected regions."), title=title, subtitle=subtitle)
    df = df.iloc[::-1]  # first region at the top
    share = df[measure] / df["members"]
    unknowns = df[unknown] if unknown else pd.Series(0, index=df.index)
    labels = [tr.gettext("%(n)s of %(total)s · %(share)s", n=n, total=t, share=tr.format_percent(s))
              + (" · " + tr.ngettext("%(n)s unknown", "%(n)s unknown", int(u)) if u else "")
              for n, t, s, u in zip(df[measure], df["members"], share, unknowns)]
    fig = new_figure([dict(
        type="bar", x=as_list(share), y=[tr.region_label(r) for r in df["region"]], orientation="h", text=labels,
        textposition="outside", cliponaxis=False,
        marker={"color": [REGION_COLOURS.get(r, "#6C757D") for r in df["region"]]},
        # the share as the language writes it ('94 %'): plotly's '%{x:.0%}' writes '94%' in every locale
        customdata=[[int(n), int(t), tr.format_percent(s)] for n, t, s in zip(df[measure], df["members"], share)],
        # plotly fills %{...}; the words around them are translated
        hovertemplate=tr.gettext("%(region)s: %(n)s of %(total)s members (%(share)s)", region="%{y}", n="%{customdata[0]}",
                        total="%{customdata[1]}", share="%{customdata[2]}") + "<extra></extra>",
    )])
    # a row of 60 px per region (one region: a bar of 40 px, its label beside it), the bands of text added by lay_out
    base_layout(fig, title=title, subtitle=subtitle, plot_height=20 + 60 * len(df), bar_rows=len(df))
    update_layout(fig, xaxis={"range": [0, 1.25], "showgrid": True}, yaxis={"automargin": True}, margin={"r": 30},
                  bargap=0.35)
    _set_meta(fig, x_ticks=percent_ticks(tr))  # lay_out keeps those that fit apart
    return with_source(fig, source, tr=tr, note=note)


def _pct(share_pct: float, tr: Translator) -> str:
    """A printed percentage (0-100) as the language writes it, with its printed decimals: 52 -> '52 %' (fr)."""
    return tr.format_percent(share_pct / 100, decimals=0 if float(share_pct).is_integer() else 1)


FUND_COLOURS = {"membership_fees": "#0072B2", "partnerships_members": "#56B4E9", "partnerships_others": "#009E73",
                "in_kind": "#E69F00"}


def funds_figure(df: pd.DataFrame, *, labels: dict, title: str, subtitle: str, source: str, tr: Translator,
                 note: str = "") -> dict:
    """100% bars of where the funds came from, as printed: cash funds, and funds including payments in kind.

    `df` is funds_breakdown; `labels` names each fund source and each basis (translated by the caller).
    """
    if df.empty:
        return empty_figure(tr.gettext("The documents give no funds figures for this year."), title=title, subtitle=subtitle)
    fig = new_figure()
    # the columns read once as lists (a boolean mask per basis and per source cost more than the figure)
    basis, total, fund_sources, share_pct = (df[c].tolist() for c in ("basis", "total", "fund_source", "share_pct"))
    bases = list(dict.fromkeys(basis))[::-1]
    first_total = {}
    for b, t in zip(basis, total):
        first_total.setdefault(b, t)
    ylabels = {b: f"{labels[b]}<br><b>{tr.format_eur(first_total[b])}</b>" for b in bases}
    share_of = {}  # fund source -> basis -> its printed share
    for b, s, pct in zip(basis, fund_sources, share_pct):
        share_of.setdefault(s, {})[b] = pct
    for fund_source in FUND_COLOURS:
        part = share_of.get(fund_source)
        if not part:
            continue
        shares = [float(part[b]) if b in part else 0 for b in bases]
        fig["data"].append(dict(
            type="bar", y=[ylabels[b] for b in bases], x=[s / 100 for s in shares], orientation="h",
            name=labels[fund_source], marker={"color": FUND_COLOURS[fund_source]}, text=[_pct(s, tr) if s >= 4 else "" for s in shares],  # slivers: hover
            textposition="inside", insidetextanchor="middle", textangle=0, textfont={"color": "white", "size": 14},
            customdata=[_pct(s, tr) for s in shares],
            hovertemplate="%{y}<br>" + labels[fund_source] + ": %{customdata}<extra></extra>"))
    base_layout(fig, title=title, subtitle=subtitle, plot_height=40 + 60 * len(bases), bar_rows=len(bases))
    # the legend in its own band under the subtitle (lay_out)
    update_layout(fig, barmode="stack", bargap=0.35, legend={"traceorder": "normal"}, xaxis={"range": [0, 1.02]},
                  yaxis={"automargin": True})
    _set_meta(fig, x_ticks=percent_ticks(tr))
    return with_source(fig, source, tr=tr, note=note)
