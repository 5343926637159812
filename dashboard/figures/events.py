"""Event figures: a timeline of the year's events by kind, and events per month."""

from __future__ import annotations

import datetime as dt
import zlib
from collections import Counter

import pandas as pd

from dashboard.figures.style import (
    KIND_COLOURS,
    ROLE_COLOURS,
    ROLE_SYMBOLS,
    _set_meta,
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
    # the columns read once as lists, each role's trace then picks its events' rows (a frame masked and walked per
    # role cost more than the figure)
    slug, title_of, start_of, end_of, location, kind_of, role_of, count = (df[c].tolist() for c in (
        "slug", "title", "start_date", "end_date", "location", "kind", "metropolis_role", "member_count"))
    kinds = [k for k in KIND_LABELS if k in set(kind_of)]
    lane = {k: i for i, k in enumerate(kinds[::-1])}
    sized = len(df) <= TIMELINE_SIZED_MAX
    size = (9 + 1.1 * df["member_count"].clip(upper=30)).tolist() if sized else None
    fig = new_figure()
    for role in ROLE_LABELS:
        rows = [i for i, r in enumerate(role_of) if r == role]
        if not rows:
            continue
        y = [lane[kind_of[i]] + _jitter(slug[i]) for i in rows]
        span_x, span_y = [], []  # one trace of line segments (None-separated) per role, not one per event
        for i, yy in zip(rows, y):
            start, end = start_of[i], end_of[i]
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
                 for t, s, e, loc, k, r, n in ((title_of[i], start_of[i], end_of[i], location[i], kind_of[i],
                                                role_of[i], count[i]) for i in rows)]
        fig["data"].append(dict(
            type="scatter", x=[start_of[i] for i in rows], y=y, mode="markers", name=tr.gettext(ROLE_LABELS[role]),
            marker={"size": [size[i] for i in rows] if sized else 5,
                    "color": ROLE_COLOURS[role], "symbol": ROLE_SYMBOLS[role],
                    "line": {"width": 1 if sized else 0, "color": "white"} if role != "not_stated" else
                    {"width": 2, "color": "#6C757D"},
                    "opacity": 0.9 if sized else 0.5},
            customdata=[[slug[i]] for i in rows], hovertext=hover, hoverinfo="text"))
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
    if isinstance(day, dt.datetime):  # a Timestamp too
        day = day.date()
    elif not isinstance(day, dt.date):  # a text: read as pandas reads it
        day = pd.Timestamp(day).date()
    return tr.format_date(day, format="d MMM y")


def events_per_month_figure(df: pd.DataFrame, *, title: str, subtitle: str, source: str, tr: Translator,
                            note: str = "") -> dict:
    """Stacked bars: number of events starting each month, by kind."""
    if df.empty:
        return empty_figure(tr.gettext("No events in the selected regions, kinds and year."), title=title, subtitle=subtitle)
    months = pd.to_datetime(df["start_date"]).dt.month
    # events per (month, kind) and per month counted in Python (a groupby and unstack cost more than the figure);
    # a missing month or kind is left out, as groupby leaves it out
    counts = Counter((m, k) for m, k in zip(months.tolist(), df["kind"].tolist()) if not (pd.isna(m) or pd.isna(k)))
    kinds_present = {k for _m, k in counts}
    totals = Counter()
    for (m, _k), n in counts.items():
        totals[m] += n
    fig = new_figure()
    names = tr.month_abbreviations()
    for kind in KIND_LABELS:
        if kind not in kinds_present:
            continue
        values = [int(counts.get((i, kind), 0)) for i in range(1, 13)]
        kind_label = tr.gettext(KIND_LABELS[kind])
        fig["data"].append(dict(type="bar", x=names, y=values, name=kind_label, marker={"color": KIND_COLOURS[kind]},
                             hovertemplate=tr.gettext("%(month)s: %(n)s %(kind)s", month="%{x}", n="%{y}", kind=kind_label)
                             + "<extra></extra>"))
    fig["data"].append(dict(type="scatter", x=names, y=[int(totals.get(i, 0)) for i in range(1, 13)], mode="text",
                             text=[str(int(totals.get(i, 0))) if totals.get(i, 0) else "" for i in range(1, 13)], textposition="top center",
                             showlegend=False, hoverinfo="skip", textfont={"size": 13}))
    base_layout(fig, title=title, subtitle=subtitle, plot_height=280)
    top = int(max(totals.values())) if totals else 1
    # whole events only, and room above the highest bar for its total
    update_layout(fig, barmode="stack", bargap=0.25, legend={"traceorder": "normal"},
                  yaxis={"title": {"text": tr.gettext("Events")}, **count_axis(top), "range": [0, top * 1.18 + 0.5]})
    _set_meta(fig, y_count=top)
    return with_source(fig, source, tr=tr, note=note)
