"""Metropolitan indicators: members' values on a map, ranked against the network figure, their distribution;
and the year's headline results by action line as cards (pure: frames in, figures or card data out)."""

from __future__ import annotations

import math
import re

import pandas as pd

from dashboard.figures.style import (
    MUTED_COLOUR,
    PARITY_COLOUR,
    REGION_COLOURS,
    SEQUENTIAL,
    _set_meta,
    add_annotation,
    add_line,
    as_list,
    base_layout,
    count_axis,
    empty_figure,
    new_figure,
    update_layout,
    with_source,
)
from dashboard.translation import Translator

BREAKDOWN_SUFFIXES = ("women_pct", "men_pct", "women", "men")
# Light to dark blue, starting above white so the lowest value still shows on the map's pale land and ocean.
VALUE_SCALE = [[0.0, "#C6DBEF"], *SEQUENTIAL[2:]]
REGION_LEGEND = {"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1.0, "yanchor": "top",
                 "traceorder": "normal"}


def _with_source_below_axis(fig: dict, source: str, *, tr: Translator, note: str = "") -> dict:
    """with_source: lay_out places it below the x axis' tick labels and title, so they never overlap."""
    return with_source(fig, source, tr=tr, note=note)


def unit_label(unit: str, *, tr: Translator) -> str:
    """The unit in words for a reader: 'percent' -> '%', 'inhabitants_per_km2' -> 'inhabitants per km²'."""
    labels = {"percent": "%", "inhabitants_per_km2": tr.gettext("inhabitants per km²"), "ug_per_m3": tr.gettext("µg/m³"),
              "years": tr.gettext("years"), "eur": tr.gettext("euros"), "persons": tr.gettext("people"), "count": ""}
    return labels.get(unit, unit.replace("_", " "))


def _decimals(value: float) -> int:
    return 0 if float(value).is_integer() else (1 if abs(value) >= 10 or round(value, 1) == value else 2)


def format_value(value, unit: str, qualifier: str = "", *, tr: Translator) -> str:
    """A value with its unit as a reader expects it: '8.9%', '2,642 inhabitants per km²', '2,100+', 'almost 75'.
    A value the documents give as "more than" keeps its '+': it is never shown as an exact number."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = tr.format_number(value, decimals=_decimals(float(value)))
    if qualifier == "more_than":
        number += "+"
    elif qualifier == "almost":
        number = tr.gettext("almost %(n)s", n=number)
    elif qualifier == "approximately":
        number = tr.gettext("about %(n)s", n=number)
    if unit == "percent":
        return number + tr.percent_suffix()
    if unit == "eur":
        return number + " €"
    label = unit_label(unit, tr=tr)
    return f"{number} {label}" if label and unit not in ("count", "persons") else number


def _network_line(fig: dict, value: float | None, label: str) -> None:
    """The network figure as a dashed line across the plot, labelled above it (in a row of its own under the
    subtitle, so the two never overlap)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    add_line(fig, x=value, line={"color": PARITY_COLOUR, "width": 2, "dash": "dash"})
    add_annotation(fig, x=value, y=1.0, yref="paper", yanchor="bottom", text=label, showarrow=False,
                   font={"size": 12, "color": PARITY_COLOUR}, bgcolor="rgba(255,255,255,0.85)")
    _set_meta(fig, top_extra=22)  # lay_out keeps a row for it between the legend or subtitle and the plot


def _empty(message: str, *, title: str, subtitle: str, source: str, tr: Translator) -> dict:
    """The empty state: the message instead of axes, under the (wrapped) title, with the source line."""
    fig = empty_figure(message, title=title, subtitle=subtitle)  # lay_out wraps the title to the canvas
    return with_source(fig, source, tr=tr)


def _layout(fig: dict, *, title: str, subtitle: str, height: int) -> dict:
    """base_layout (lay_out wraps a long title to the canvas and sizes the bands around the plot)."""
    base_layout(fig, title=title, subtitle=subtitle, plot_height=height - 170)
    return fig


def _by_region(df: pd.DataFrame):
    """(region, rows) in the canonical region order (the order of REGION_COLOURS), so legends read the same
    everywhere."""
    order = {r: i for i, r in enumerate(REGION_COLOURS)}
    for region in sorted(df["region"].unique(), key=lambda r: (order.get(r, len(order)), r)):
        yield region, df[df["region"] == region]


def _hover(df: pd.DataFrame, unit: str, network_text: str, tr: Translator) -> list[str]:
    texts = []
    for r in df.itertuples():
        lines = [f"<b>{r.member}</b> · {r.region}", tr.gettext("%(year)s: %(value)s", year=r.year, value=format_value(r.value, unit, tr=tr))]
        if pd.notna(r.previous_value):
            lines.append(tr.gettext("%(year)s: %(value)s", year=int(r.previous_year), value=format_value(r.previous_value, unit, tr=tr)))
        if network_text:
            lines.append(network_text)
        lines.append("<i>" + tr.gettext("Click to open the member's page") + "</i>")
        texts.append("<br>".join(lines))
    return texts


def indicator_map_figure(df: pd.DataFrame, *, unit: str, network_value: float | None, network_text: str,
                         zoom_to_data: bool, title: str, subtitle: str, source: str, empty_message: str,
                         tr: Translator) -> dict:
    """Members with a value (values_by_member rows for one year) on a world map, coloured by the value on a
    colour-blind-safe sequential scale; customdata[0] is the member's slug. An empty frame gives `empty_message`."""
    if df.empty:
        return _empty(empty_message, title=title, subtitle=subtitle, source=source, tr=tr)
    low, high = float(df["value"].min()), float(df["value"].max())
    if network_value is not None and not math.isnan(network_value):
        low, high = min(low, network_value), max(high, network_value)
    fig = new_figure([dict(
        type="scattergeo", lat=as_list(df["latitude"]), lon=as_list(df["longitude"]), mode="markers",
        name=tr.gettext("Members"), customdata=df[["slug"]].to_numpy().tolist(),
        hovertext=_hover(df, unit, network_text, tr), hoverinfo="text",
        marker={"size": 13, "color": as_list(df["value"]), "colorscale": VALUE_SCALE, "cmin": low,
                "cmax": high if high > low else low + 1, "line": {"width": 0.8, "color": "#495057"}, "opacity": 0.95,
                "colorbar": {"title": {"text": unit_label(unit, tr=tr) or tr.gettext("value"), "font": {"size": 12}},
                             "thickness": 14, "len": 0.6}},
        showlegend=False)])
    _layout(fig, title=title, subtitle=subtitle, height=560)
    update_layout(fig, geo=dict(
        projection={"type": "natural earth"}, showland=True, landcolor="#E9ECEF", showcountries=True,
        countrycolor="#FFFFFF", countrywidth=0.6, showcoastlines=True, coastlinecolor="#ADB5BD", coastlinewidth=0.5,
        showocean=True, oceancolor="#F8FBFF", showlakes=False, showframe=False,
        resolution=50 if zoom_to_data else 110, fitbounds="locations" if zoom_to_data else False))
    return with_source(fig, source, tr=tr, note=tr.gettext("Colour: the member's value; darker is higher. Click a dot to open the "
                                           "member's page."))


def indicator_ranking_figure(df: pd.DataFrame, *, unit: str, network_value: float | None, network_label: str,
                             title: str, subtitle: str, source: str, empty_message: str, tr: Translator) -> dict:
    """Horizontal bars: each member's value (values_by_member rows for one year), highest at the top, coloured
    by region, against the network figure (a dashed line); the previous year's value, where the member has one,
    as a hollow diamond. customdata[0] is the member's slug."""
    if df.empty:
        return _empty(empty_message, title=title, subtitle=subtitle, source=source, tr=tr)
    df = df.sort_values(["value", "member"], ascending=[True, False], kind="stable")  # plotly draws bottom-up
    fig = new_figure()
    for region, group in _by_region(df):
        fig["data"].append(dict(
            type="bar", y=as_list(group["member"]), x=as_list(group["value"]), orientation="h",
            name=tr.region_label(region), marker={"color": REGION_COLOURS.get(region, MUTED_COLOUR)},
            customdata=group[["slug"]].to_numpy().tolist(),
            text=[format_value(v, unit if unit == "percent" else "count", tr=tr) for v in group["value"]],
            textposition="outside", cliponaxis=False,
            hovertext=_hover(group, unit, "", tr), hoverinfo="text"))
    previous = df[df["previous_value"].notna()]
    if not previous.empty:
        year = int(previous["previous_year"].iloc[0])
        fig["data"].append(dict(
            type="scatter", y=as_list(previous["member"]), x=as_list(previous["previous_value"].astype(float)),
            mode="markers", name=str(year), customdata=previous[["slug"]].to_numpy().tolist(),
            marker={"symbol": "diamond-open", "size": 11, "color": PARITY_COLOUR, "line": {"width": 2}},
            hovertext=[f"{m}: {format_value(v, unit, tr=tr)} ({year})" for m, v in zip(previous["member"],
                                                                               previous["previous_value"])],
            hoverinfo="text"))
    _layout(fig, title=title, subtitle=subtitle, height=260 + 26 * len(df))
    _network_line(fig, network_value, network_label)
    highest = max(float(df["value"].max()), float(network_value or 0),
                  float(previous["previous_value"].max()) if not previous.empty else 0.0)
    axis_title = unit_label(unit, tr=tr)
    update_layout(fig, barmode="overlay", bargap=0.25, showlegend=True, legend=REGION_LEGEND,
                  yaxis={"categoryorder": "array", "categoryarray": list(df["member"]), "automargin": True,
                         "tickfont": {"size": 12}},
                  xaxis={"range": [0, highest * 1.15 if highest > 0 else 1], "showgrid": True,
                         **({"title": {"text": axis_title}} if axis_title else {})})
    note = (tr.gettext("Hollow diamonds: the member's value in %(year)s.", year=int(previous["previous_year"].iloc[0]))
            if not previous.empty else "")
    return _with_source_below_axis(fig, source, tr=tr, note=note)


def indicator_distribution_figure(df: pd.DataFrame, *, unit: str, network_value: float | None, network_label: str,
                                  title: str, subtitle: str, source: str, empty_message: str,
                                  tr: Translator) -> dict:
    """How the members' values spread: a histogram stacked by region, with the network figure as a dashed line."""
    if df.empty:
        return _empty(empty_message, title=title, subtitle=subtitle, source=source, tr=tr)
    fig = new_figure()
    low, high = float(df["value"].min()), float(df["value"].max())
    size = _bin_size(low, high)
    start = math.floor(low / size) * size
    for region, group in _by_region(df):
        fig["data"].append(dict(type="histogram", x=as_list(group["value"]), name=tr.region_label(region),
                                xbins={"start": start, "size": size},
                                marker={"color": REGION_COLOURS.get(region, MUTED_COLOUR)},
                                hovertemplate="%{x}: %{y}<extra>" + tr.region_label(region) + "</extra>"))
    _layout(fig, title=title, subtitle=subtitle, height=460)
    _network_line(fig, network_value, network_label)
    per_bin = ((df["value"].astype(float) - start) // size).value_counts()  # members per bar, all regions stacked
    update_layout(fig, barmode="stack", bargap=0.08, showlegend=True, legend=REGION_LEGEND,
                  xaxis={"title": {"text": unit_label(unit, tr=tr) or tr.gettext("value")}},
                  yaxis={"title": {"text": tr.gettext("members")},
                         **count_axis(int(per_bin.max()) if len(per_bin) else 1)})
    return _with_source_below_axis(fig, source, tr=tr)


def _bin_size(low: float, high: float) -> float:
    """A round bin width giving about eight bins over [low, high]."""
    span = high - low
    if span <= 0:
        return 1.0
    raw = span / 8
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= raw)


# ---- the year's results by action line -----------------------------------------------------------

LINE_PATTERN = re.compile(r"Action Line (\d+)")
NUMBERING = re.compile(r"^[\d.]+\s*")  # '2.4. Gender equality highlights' -> 'Gender equality highlights'



def _change(r, tr: Translator) -> str:
    """'+12 (+5.1%) on 2019', or the earlier figure alone when either is approximate (never a made-up difference)."""
    if r.previous_value is None or (isinstance(r.previous_value, float) and math.isnan(r.previous_value)):
        return ""
    year = int(r.previous_year)
    before = format_value(r.previous_value, r.unit, r.previous_qualifier or "", tr=tr)
    if r.qualifier or r.previous_qualifier:
        return tr.gettext("%(year)s: %(value)s (approximate figures: no change computed)", year=year, value=before)
    diff = float(r.value) - float(r.previous_value)
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    if r.unit == "percent":  # a difference of percentages is in points
        text = sign + tr.gettext("%(n)s pt", n=tr.format_number(abs(diff), decimals=_decimals(abs(diff))))
    else:
        text = sign + format_value(abs(diff), r.unit, tr=tr)
    if r.unit != "percent" and r.previous_value:
        share = abs(diff) / abs(float(r.previous_value))
        text += f" ({sign}{tr.format_percent(share, decimals=1)})"
    return tr.gettext("%(change)s on %(year)s (%(value)s)", change=text, year=year, value=before)


def result_cards(df: pd.DataFrame, *, line_titles: dict[str, str], tr: Translator) -> list[dict]:
    """The year's results (results_by_action_line) grouped by action line, as card data.

    Returns [{"line": "L1" ('' for the main results and highlights), "title": "Action Line 1 · <title>", "label"
    ('Action Line 1' in the language, '' for the others), "quoted" (the document's text of the title: the line's
    title or the section's heading), "order",
    "cards": [{"code", "name", "value" (the figure
    with its unit and qualifier: '2,100+'), "printed" (as the document prints it), "unit", "source", "change"
    ('' without an earlier year), "details" (the gender breakdown printed with it), "section", "subsection" (the
    part of the section after its action line, e.g. 'World Metropolitan Day 2020', or '')}]}], lines in order.
    A gender breakdown (code.women_pct, ...) becomes a detail of its population's card when that card is shown.
    """
    if df.empty:
        return []
    codes = set(df["code"])
    groups: dict[str, dict] = {}
    details: dict[str, list[str]] = {}
    for r in df.itertuples():
        base, _dot, suffix = r.code.rpartition(".")
        if suffix in BREAKDOWN_SUFFIXES and base in codes:
            details.setdefault(base, []).append(r.printed)
            continue
        found = LINE_PATTERN.search(r.section)
        top = NUMBERING.sub("", r.section.split(":", 1)[0]).strip()
        line = f"L{found.group(1)}" if found else top
        label = tr.gettext("Action Line %(n)s", n=found.group(1)) if found else ""
        title_quoted = (line_titles.get(line, "") if found else top)  # document text: the line's title, a section
        group = groups.setdefault(line, {
            "line": line if found else "", "cards": [], "order": len(groups), "label": label, "quoted": title_quoted,
            "title": (label + (f" · {title_quoted}" if title_quoted else "")) if found else top})
        group["cards"].append({"code": r.code, "name": r.name, "value": format_value(r.value, r.unit, r.qualifier, tr=tr),
                               "printed": r.printed, "unit": r.unit, "source": r.source, "change": _change(r, tr),
                               "section": r.section, "details": [],
                               "subsection": r.section.split(":", 1)[1].strip() if ":" in r.section else ""})
    for group in groups.values():
        for card in group["cards"]:
            card["details"] = details.get(card["code"], [])
    # the main results first, then the action lines in order, then the rest (highlights) as printed
    return sorted(groups.values(), key=lambda g: (0 if "main results" in g["title"].lower() else 1 if g["line"] else 2,
                                                  g["line"], g["order"]))
