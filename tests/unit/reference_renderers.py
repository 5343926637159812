"""The implementations of a43c9e6 that the speed work of issue 14 replaced, verbatim (renamed where two share a
name), so test_same_output_as_before can check the new ones give the same figures, texts and rows."""


from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import ids
from dashboard.chart_tables import SHARE_SENTENCES, _figure_message, _missing, column_label
from dashboard.components import markdown_link, quoted
from dashboard.figures.events import KIND_LABELS, ROLE_COLOURS, ROLE_LABELS, ROLE_SYMBOLS, TIMELINE_SIZED_MAX, _jitter
from dashboard.figures.map import DIMENSIONS, MAP_SIZED_MAX, _hover, _size, _ticks
from dashboard.figures.overview import FUND_COLOURS, _pct
from dashboard.figures.style import (
    HONORARY_COLOUR,
    KIND_COLOURS,
    MUTED_COLOUR,
    REGION_COLOURS,
    SEQUENTIAL,
    _set_meta,
    as_list,
    base_layout,
    count_axis,
    empty_figure,
    new_figure,
    percent_ticks,
    update_layout,
    with_source,
)
from dashboard.grids import (
    _MARKDOWN_LINK,
    CELL_CHAR_PX,
    CELL_PADDING_PX,
    HEADER_CHAR_PX,
    HEADER_EXTRA_PX,
    LONGEST_WORD_CHARS,
)
from dashboard.i18n import (
    SHORT_DATE,
    _,
    country_name,
    format_date,
    format_number,
    format_percent,
    ngettext,
    region_label,
)
from dashboard.pages.action_plan import _status_badge
from dashboard.pages.members import _yes_no
from dashboard.translation import Translator

# dashboard/figures/map.py

def member_map_figure(df: pd.DataFrame, *, year: int, colour_by: str, zoom_to_data: bool, title: str,
                      subtitle: str, source: str, tr: Translator, show_fees: bool = True,
                      dimensions: int = DIMENSIONS) -> dict:
    """Scatter-geo map of `df` (member_engagement_summary rows).

    `dimensions` is what a breadth counts (11, or 10 when the fee is left out: `show_fees` False).
    colour_by 'region' draws one trace per region (legend); 'engagement' colours by breadth (0-dimensions) on a
    colour-blind-safe sequential scale. Marker size grows with breadth. customdata[0] is the member slug.
    zoom_to_data fits the view to the members shown (a region filter); otherwise the whole world.
    """
    if df.empty:
        return empty_figure(tr.gettext("No members in the selected regions."), title=title, subtitle=subtitle)
    fig = new_figure()
    many = len(df) > MAP_SIZED_MAX
    marker_line = {"width": 0 if many else 1, "color": "white"}
    if colour_by == "engagement":
        regular = df[~df["honorary"]]
        fig["data"].append(dict(
            type="scattergeo", lat=as_list(regular["latitude"]), lon=as_list(regular["longitude"]), mode="markers",
            name=tr.gettext("Members"), customdata=regular[["slug"]].to_numpy().tolist(), hovertext=_hover(regular, year, show_fees, dimensions, tr), hoverinfo="text",
            marker={"size": as_list(_size(regular["breadth"], many)), "color": as_list(regular["breadth"]),
                    "colorscale": SEQUENTIAL,
                    "cmin": 0, "cmax": dimensions, "line": {"width": 0.8, "color": "#495057"}, "opacity": 0.95,
                    "colorbar": {"title": {"text": tr.gettext("Dimensions<br>engaged"), "font": {"size": 12}},
                                 "tickvals": _ticks(dimensions), "thickness": 14, "len": 0.6}},
            showlegend=False))
    else:
        for region, group in df[~df["honorary"]].groupby("region", sort=False):
            fig["data"].append(dict(
                type="scattergeo", lat=as_list(group["latitude"]), lon=as_list(group["longitude"]), mode="markers",
                name=tr.region_label(region), customdata=group[["slug"]].to_numpy().tolist(), hovertext=_hover(group, year, show_fees, dimensions, tr), hoverinfo="text",
                marker={"size": as_list(_size(group["breadth"], many)), "color": REGION_COLOURS.get(region, MUTED_COLOUR),
                        "line": marker_line, "opacity": 0.9}))
    honorary = df[df["honorary"]]
    if not honorary.empty:
        fig["data"].append(dict(
            type="scattergeo", lat=as_list(honorary["latitude"]), lon=as_list(honorary["longitude"]), mode="markers",
            name=tr.gettext("Honorary member"), customdata=honorary[["slug"]].to_numpy().tolist(), hovertext=_hover(honorary, year, show_fees, dimensions, tr), hoverinfo="text",
            marker={"size": 11, "symbol": "diamond", "color": HONORARY_COLOUR, "line": marker_line}))
    base_layout(fig, title=title, subtitle=subtitle, plot_height=470)
    update_layout(fig, geo=dict(
        projection={"type": "natural earth"}, showland=True, landcolor="#E9ECEF", showcountries=True,
        countrycolor="#FFFFFF", countrywidth=0.6, showcoastlines=True, coastlinecolor="#ADB5BD", coastlinewidth=0.5,
        showocean=True, oceancolor="#F8FBFF", showlakes=False, showframe=False,
        resolution=50 if zoom_to_data else 110,  # finer shapes when zoomed to a region (both served locally)
        fitbounds="locations" if zoom_to_data else False,
    ))
    update_layout(fig, legend={"itemsizing": "constant"})  # in its own band under the title (lay_out)
    note = (tr.gettext("Marker size: number of the eleven engagement dimensions (annual report section 4.1) in which the "
              "member engaged in %(year)s.", year=year) if dimensions == DIMENSIONS else
            tr.gettext("Marker size: number of the engagement dimensions (annual report section 4.1) in which the member "
              "engaged in %(year)s, out of %(n)s: a member's fee payment is shown to signed-in users only.",
              year=year, n=dimensions))
    return with_source(fig, source, tr=tr, note=note)


# dashboard/figures/events.py

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


# dashboard/figures/overview.py

def funds_figure(df: pd.DataFrame, *, labels: dict, title: str, subtitle: str, source: str, tr: Translator,
                 note: str = "") -> dict:
    """100% bars of where the funds came from, as printed: cash funds, and funds including payments in kind.

    `df` is funds_breakdown; `labels` names each fund source and each basis (translated by the caller).
    """
    if df.empty:
        return empty_figure(tr.gettext("The documents give no funds figures for this year."), title=title, subtitle=subtitle)
    fig = new_figure()
    bases = list(dict.fromkeys(df["basis"]))[::-1]
    ylabels = {b: f"{labels[b]}<br><b>{tr.format_eur(df[df['basis'] == b]['total'].iloc[0])}</b>" for b in bases}
    for fund_source in FUND_COLOURS:
        part = df[df["fund_source"] == fund_source].set_index("basis")
        if part.empty:
            continue
        shares = [float(part.loc[b, "share_pct"]) if b in part.index else 0 for b in bases]
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


# dashboard/chart_tables.py

def _share_description(measure: str, data: object) -> str:
    message = _figure_message(data)
    if message:
        return message
    df = data.rows[data.rows["members"] > 0]
    if df.empty:
        return _("No members in the selected regions.")
    df = df.assign(share=df[measure] / df["members"])
    total, n = int(df["members"].sum()), int(df[measure].sum())
    network = str(SHARE_SENTENCES[measure]) % {"n": format_number(n), "total": format_number(total),
                                               "share": format_percent(n / total, decimals=1)}
    if len(df) == 1 or df["share"].nunique() == 1:
        return network
    best = df.sort_values("share", ascending=False, kind="stable").iloc[0]
    worst = df.sort_values("share", ascending=True, kind="stable").iloc[0]
    return network + " " + _(
        "%(best)s: %(n)s of %(total)s, the highest share (%(share)s); %(worst)s: %(wn)s of %(wtotal)s, the lowest "
        "(%(wshare)s).", best=region_label(best["region"]), n=format_number(int(best[measure])),
        total=format_number(int(best["members"])), share=format_percent(best["share"], decimals=1),
        worst=region_label(worst["region"]), wn=format_number(int(worst[measure])),
        wtotal=format_number(int(worst["members"])), wshare=format_percent(worst["share"], decimals=1))


def _map_description(data: object) -> str:
    df = data.rows
    if df.empty:
        return _("No members in the selected regions.")
    counts = df.groupby("region", sort=False).size()
    regions = ", ".join(_("%(region)s %(n)s", region=region_label(r), n=format_number(int(n))) for r, n in counts.items())
    active = int(df["activated"].map(lambda v: v is True or v == 1).sum())
    best = df.sort_values("breadth", ascending=False, kind="stable").iloc[0]
    head = _("%(n)s members on the map: %(regions)s; %(active)s active.", n=format_number(len(df)), regions=regions,
             active=format_number(active))
    if not int(best["breadth"]):
        return head
    return head + " " + _("The most engaged: %(member)s (%(k)s engagement dimensions).", member=best["name"],
                          k=format_number(int(best["breadth"])))


def _member_counts(df: pd.DataFrame, columns: list[str]) -> pd.Series:
    def count(v) -> int:
        if _missing(v) or v == "" or v is False:
            return 0
        return 1 if isinstance(v, bool | str) or (isinstance(v, int | float) and v > 0) else 0
    return df[columns].apply(lambda col: col.map(count)).sum(axis=1)


def _matrix_description(data: object, dimensions: list[str]) -> str:
    df = data.rows
    if df.empty:
        return _figure_message(data) or _("No members in the selected regions.")
    present = [c for c in dimensions if c in df]
    totals = _member_counts(df, present)
    per_column = {c: int(_member_counts(df, [c]).sum()) for c in present}
    top_col = max(present, key=lambda c: per_column[c])
    best = df.assign(_t=totals).sort_values("_t", ascending=False, kind="stable").iloc[0]
    if not int(best["_t"]):
        return ngettext("%(n)s member, %(k)s columns.", "%(n)s members, %(k)s columns.", len(df), k=len(present)) + \
            " " + _("Nothing is recorded in any column yet.")
    return (ngettext("%(n)s member, %(k)s columns.", "%(n)s members, %(k)s columns.", len(df), k=len(present)) + " "
            + _("Most members appear under %(column)s (%(count)s); the widest engagement is %(member)s's (%(m)s of "
                "%(k)s columns).", column=column_label(top_col), count=format_number(per_column[top_col]),
                member=best["member"], m=int(best["_t"]), k=len(present)))




# dashboard/pages/action_plan.py

def _future_plan(items) -> html.Div:
    """The 2021-2023 lines, axes and outcomes as an accordion (statuses to be recorded per year)."""
    sections = []
    for line in items[items["level"] == "line"].itertuples():
        axes = []
        for axis in items[(items["level"] == "axis") & (items["parent"] == line.code)].itertuples():
            outcomes = items[(items["level"] == "outcome") & (items["parent"] == axis.code)]
            axes.append(html.Div([
                html.H3([f"{axis.code} · ", quoted(axis.title)], className="h6 mt-2"),
                html.Ul([html.Li([html.Span(o.code, className="text-body-secondary me-2"), quoted(o.title), " ",
                                  _status_badge(o.status)])
                         for o in outcomes.itertuples()]),
            ]))
        # the line's title as the plan prints it (quoted in English, like its axes and outcomes)
        sections.append(dbc.AccordionItem(axes, title=html.Span([f"{line.code} · ", quoted(line.title)])))
    return dbc.Accordion(sections, start_collapsed=True, always_open=True, id=ids.ActionPlan.FUTURE)


# dashboard/pages/members.py (the frame passed in instead of read)

def members_rows(df, regions: tuple[str, ...] | None, year: int, show_fees: bool, q: str) -> pd.DataFrame:
    """The table's rows (SHOWN columns), with 'name' (plain, to sort the links by) and 'search' (what the search
    box looks in) for the rows paged from the server."""
    countries = pd.Series([country_name(c, n) for c, n in zip(df["country_code"], df["country"])], index=df.index,
                          dtype=object)  # the language's names; the search finds the English one too
    return pd.DataFrame({
        "member": [markdown_link(r.name, f"/members/{r.slug}{q}") + (" (" + _("honorary") + ")" if r.honorary else "")
                   for r in df.itertuples()],
        "region": df["region"].map(region_label), "country": countries, "official_name": df["official_name"],
        "active": [_yes_no(v) for v in df["activated"]],
        "fee": [_("unknown") if unknown else _yes_no(v) for v, unknown in zip(df["fee_paid"], df["fee_unknown"])]
        if show_fees else "",
        "breadth": df["breadth"].astype(int), "woman": [_yes_no(v) for v in df["governed_by_woman"]],
        "name": df["name"],
        "search": (df["name"] + " " + df["official_name"] + " " + df["country"] + " " + countries + " "
                   + df["region"] + " " + df["region"].map(region_label)).str.lower(),
    })


# dashboard/pages/events.py

def events_rows(df: pd.DataFrame, slugs: dict) -> list[dict]:
    rows = []
    for r in df.itertuples():
        names = [n for n in r.members.split("; ") if n]
        end = r.end_date if pd.notna(r.end_date) and r.end_date else None
        rows.append({
            # the days stay ISO (the grid sorts them as text: in time order); *_text is what the cells show
            "start": r.start_date.isoformat(), "start_text": format_date(r.start_date, format=SHORT_DATE),
            "end": end.isoformat() if end else "", "end_text": format_date(end, format=SHORT_DATE) if end else "",
            "title": r.title, "location": r.location, "kind": _(KIND_LABELS[r.kind]),
            "role": _(ROLE_LABELS[r.metropolis_role]), "count": int(r.member_count),
            "members": ", ".join(markdown_link(n, f"/members/{slugs[n]}") for n in names if n in slugs),
            "deliverables": r.deliverables.replace("; ", ", "), "source": r.source,
        })
    return rows


# dashboard/grids.py

def _longest_word(text: Any) -> int:
    """The characters of the longest word of a cell's text (a markdown link counts by its text)."""
    if text is None or isinstance(text, bool):
        return 0
    words = _MARKDOWN_LINK.sub(lambda m: m.group(1).replace("\\", ""), str(text)).split()
    return min(max((len(w) for w in words), default=0), LONGEST_WORD_CHARS)


def word_min_width(header: str, values: Sequence[Any] = ()) -> int:
    """The narrowest width (CSS px) at which a column shows its header and every value without cutting a word."""
    header_px = HEADER_CHAR_PX * _longest_word(header) + HEADER_EXTRA_PX
    cell_px = CELL_CHAR_PX * max((_longest_word(v) for v in values), default=0) + CELL_PADDING_PX
    return int(max(header_px, cell_px) + 0.5)
