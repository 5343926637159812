"""Event figures: a timeline of the year's events by kind, and events per month."""

from __future__ import annotations

import datetime as dt
import zlib

import pandas as pd

from dashboard.figures.style import (
    KIND_COLOURS,
    ROLE_COLOURS,
    ROLE_SYMBOLS,
    _set_meta,
    as_list,
    base_layout,
    count_axis,
    empty_figure,
    new_figure,
    update_layout,
    with_source,
)
from dashboard.translation import N_, Translator

# msgids: translated by whoever draws them (tr.gettext here, _ on the pages)
KIND_LABELS = {
    "statutory": N_("Statutory meetings"),
    "wmd": N_("World Metropolitan Day"),
    "learning": N_("Learning"),
    "global_event": N_("Global events"),
    "webinar": N_("Webinars and debates"),
    "other": N_("Other activities"),
}
ROLE_LABELS = {
    "organised": N_("Organised by Metropolis"),
    "co_organised": N_("Co-organised"),
    "participated": N_("Metropolis participated"),
    "not_stated": N_("Role not stated in the reports"),
}


TIMELINE_SIZED_MAX = 300  # more events than this: small dots of one size, or the lanes turn into a solid mass


def _jitter(slug: str) -> float:
    """A stable vertical offset in [-0.32, 0.32] so events of one day and lane do not hide each other."""
    return (zlib.crc32(slug.encode()) % 1000) / 1000 * 0.64 - 0.32


def events_timeline_figure(df: pd.DataFrame, *, year: int, title: str, subtitle: str, source: str, tr: Translator,
                           note: str = "") -> dict:
    """Timeline: one lane per kind, one marker per event at its start (a line to its end date), coloured by
    Metropolis' role; marker size grows with the activated members the reports name (up to TIMELINE_SIZED_MAX
    events; beyond, small translucent dots of one size). customdata[0] = slug."""
    if df.empty:
        return empty_figure(tr.gettext("No events in the selected regions, kinds and year."), title=title, subtitle=subtitle)
    kinds = [k for k in KIND_LABELS if k in set(df["kind"])]
    lane = {k: i for i, k in enumerate(kinds[::-1])}
    sized = len(df) <= TIMELINE_SIZED_MAX
    fig = new_figure()
    for role in ROLE_LABELS:
        group = df[df["metropolis_role"] == role]
        if group.empty:
            continue
        y = [lane[k] + _jitter(s) for k, s in zip(group["kind"], group["slug"])]
        span_x, span_y = [], []  # one trace of line segments (None-separated) per role, not one per event
        for (start, end, yy) in zip(group["start_date"], group["end_date"], y):
            if end is not None and not pd.isna(end) and end > start:
                span_x += [start, end, None]
                span_y += [yy, yy, None]
        if span_x:
            fig["data"].append(dict(type="scatter", x=span_x, y=span_y, mode="lines", hoverinfo="skip",
                                    connectgaps=False, line={"color": ROLE_COLOURS[role], "width": 3},
                                    showlegend=False))
        hover = [f"<b>{t}</b><br>{_day(s, tr)}" + (f" – {_day(e, tr)}" if e is not None and not pd.isna(e) and e != s else "")
                 + f"<br>{loc}<br>{tr.gettext(KIND_LABELS[k])} · {tr.gettext(ROLE_LABELS[r])}"
                 + (("<br>" + tr.gettext("%(n)s activated members", n=n)) if n else "")
                 for t, s, e, loc, k, r, n in zip(group["title"], group["start_date"], group["end_date"],
                                                  group["location"], group["kind"], group["metropolis_role"],
                                                  group["member_count"])]
        fig["data"].append(dict(
            type="scatter", x=as_list(group["start_date"]), y=y, mode="markers", name=tr.gettext(ROLE_LABELS[role]),
            marker={"size": as_list(9 + 1.1 * group["member_count"].clip(upper=30)) if sized else 5,
                    "color": ROLE_COLOURS[role], "symbol": ROLE_SYMBOLS[role],
                    "line": {"width": 1 if sized else 0, "color": "white"} if role != "not_stated" else
                    {"width": 2, "color": "#6C757D"},
                    "opacity": 0.9 if sized else 0.5},
            customdata=group[["slug"]].to_numpy().tolist(), hovertext=hover, hoverinfo="text"))
    base_layout(fig, title=title, subtitle=subtitle, plot_height=60 + 70 * len(kinds))
    update_layout(fig, yaxis={"tickvals": list(lane.values()), "ticktext": [tr.gettext(KIND_LABELS[k]) for k in lane],
                              "range": [-0.6, len(kinds) - 0.4], "showgrid": True, "zeroline": False,
                              "automargin": True, "tickfont": {"size": 13}},
                  xaxis={"range": [dt.date(year, 1, 1), dt.date(year, 12, 31)], "showgrid": True},
                  legend={"itemsizing": "constant"})
    # the months named by the language (a static export has no plotly.js locale: '%b' would write 'Jan', 'May');
    # lay_out keeps every other month where they would touch (a phone's frame)
    _set_meta(fig, x_ticks=([dt.date(year, m, 1).isoformat() for m in range(1, 13)], tr.month_abbreviations()))
    return with_source(fig, source, tr=tr, note=note)


def _day(day, tr: Translator) -> str:
    """A day of an event in the hover, as the language writes it: '4 Mar 2020', '4 mars 2020', '4 mar 2020'."""
    return tr.format_date(pd.Timestamp(day).date(), format="d MMM y")


def events_per_month_figure(df: pd.DataFrame, *, title: str, subtitle: str, source: str, tr: Translator,
                            note: str = "") -> dict:
    """Stacked bars: number of events starting each month, by kind."""
    if df.empty:
        return empty_figure(tr.gettext("No events in the selected regions, kinds and year."), title=title, subtitle=subtitle)
    months = pd.to_datetime(df["start_date"]).dt.month
    counts = df.assign(month=months).groupby(["month", "kind"]).size().unstack(fill_value=0)
    fig = new_figure()
    names = tr.month_abbreviations()
    for kind in KIND_LABELS:
        if kind not in counts:
            continue
        values = [int(counts[kind].get(i, 0)) for i in range(1, 13)]
        kind_label = tr.gettext(KIND_LABELS[kind])
        fig["data"].append(dict(type="bar", x=names, y=values, name=kind_label, marker={"color": KIND_COLOURS[kind]},
                             hovertemplate=tr.gettext("%(month)s: %(n)s %(kind)s", month="%{x}", n="%{y}", kind=kind_label)
                             + "<extra></extra>"))
    totals = counts.sum(axis=1)
    fig["data"].append(dict(type="scatter", x=names, y=[int(totals.get(i, 0)) for i in range(1, 13)], mode="text",
                             text=[str(int(totals.get(i, 0))) if totals.get(i, 0) else "" for i in range(1, 13)], textposition="top center",
                             showlegend=False, hoverinfo="skip", textfont={"size": 13}))
    base_layout(fig, title=title, subtitle=subtitle, plot_height=280)
    top = int(totals.max()) if len(totals) else 1
    # whole events only, and room above the highest bar for its total
    update_layout(fig, barmode="stack", bargap=0.25, legend={"traceorder": "normal"},
                  yaxis={"title": {"text": tr.gettext("Events")}, **count_axis(top), "range": [0, top * 1.18 + 0.5]})
    _set_meta(fig, y_count=top)
    return with_source(fig, source, tr=tr, note=note)
