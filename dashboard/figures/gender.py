"""Gender parity: women's share of each population the documents break down by gender."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.style import (
    MEN_COLOUR,
    PARITY_COLOUR,
    WOMEN_COLOUR,
    _set_meta,
    add_line,
    as_list,
    base_layout,
    empty_figure,
    new_figure,
    update_layout,
    with_source,
)
from dashboard.translation import Translator


def _share(women_pct: float, tr: Translator) -> str:
    """Women's share (0-100) as the language writes it, to a decimal at most: 15.6 -> '15,6 %' (fr), 21 -> '21 %'."""
    rounded = round(float(women_pct), 1)
    return tr.format_percent(rounded / 100, decimals=0 if rounded.is_integer() else 1)


def _label(row, tr: Translator) -> str:
    share = _share(row.women_pct, tr)
    if pd.notna(row.women) and pd.notna(row.total):
        return tr.gettext("%(share)s · %(women)s of %(total)s", share=share, women=tr.format_number(row.women),
                 total=tr.format_number(row.total))
    total = getattr(row, "total", None)
    if total is not None and pd.notna(total):
        # the printed total ('Almost 75 participants') in a sentence of the language, its number as the language
        # writes it (the document's English words would be glued into a French sentence otherwise)
        qualifier = getattr(row, "total_qualifier", "") or ""
        number = tr.format_number(total)
        if qualifier == "almost":
            return tr.gettext("%(share)s of almost %(total)s", share=share, total=number)
        if qualifier == "more_than":
            return tr.gettext("%(share)s of more than %(total)s", share=share, total=number)
        return tr.gettext("%(share)s of %(total)s", share=share, total=number)
    return share


def gender_parity_figure(df: pd.DataFrame, *, title: str, subtitle: str, source: str, tr: Translator, note: str = "",
                         empty_message: str | None = None) -> dict:
    """100% bars: women (and men where the documents give them) for each population, against a 50% parity line.

    `df` is gender_breakdown: population, name, total, total_printed, women_pct, women, men, source.
    `empty_message` says why there is nothing to draw (default: the documents give no breakdown).
    Where only the women's share is printed, the rest of the bar is drawn as 'men or not recorded'.
    """
    df = df.dropna(subset=["women_pct"])
    if df.empty:
        return empty_figure(empty_message or tr.gettext("The documents give no gender breakdown for this year."), title=title,
                            subtitle=subtitle)
    df = df.sort_values("women_pct", ascending=True, kind="stable")
    women = df["women_pct"] / 100
    rest = 1 - women
    fig = new_figure()
    fig["data"].append(dict(type="bar", y=as_list(df["name"]), x=as_list(women), orientation="h", name=tr.gettext("Women"),
                            marker={"color": WOMEN_COLOUR},
                         text=[_label(r, tr) for r in df.itertuples()], textposition="inside", insidetextanchor="start",
                         textfont={"color": "#212529", "size": 13},
                         customdata=[[s, _share(p, tr)] for s, p in zip(df["source"], df["women_pct"])],
                         hovertemplate="<b>%{y}</b><br>" + tr.gettext("Women") + ": %{customdata[1]}<br>"
                         + tr.gettext("Source") + ": %{customdata[0]}<extra></extra>"))
    fig["data"].append(dict(type="bar", y=as_list(df["name"]), x=as_list(rest), orientation="h",
                            name=tr.gettext("Men or not recorded"), marker={"color": MEN_COLOUR}, opacity=0.55,
                            hoverinfo="skip"))
    # the parity line is named under its tick (above the plot it ran into the legend)
    add_line(fig, x=0.5, line={"color": PARITY_COLOUR, "width": 2, "dash": "dash"})
    base_layout(fig, title=title, subtitle=subtitle, plot_height=20 + 46 * len(df), bar_rows=len(df))
    update_layout(fig, barmode="stack", bargap=0.3, legend={"traceorder": "normal"}, xaxis={"range": [0, 1]},
                  yaxis={"automargin": True, "tickfont": {"size": 13}})
    ticks = [0, 0.25, 0.5, 0.75, 1]
    _set_meta(fig, x_ticks=(ticks, [tr.format_percent(t) + ("<br>" + tr.gettext("parity") if t == 0.5 else "")
                                    for t in ticks]))  # lay_out keeps those that fit apart
    return with_source(fig, source, tr=tr, note=note)
