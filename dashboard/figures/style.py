"""Shared look of every figure: colours (one per region, colour-blind safe), fonts, titles, source lines."""

from __future__ import annotations

import base64
import json
import re
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import plotly.graph_objects as go  # the module only (Dash imports it too): lay_out also takes a go.Figure

from dashboard.translation import Translator

# Okabe-Ito palette (safe for the common colour-vision deficiencies); one colour per region everywhere.
REGION_COLOURS: dict[str, str] = {
    "Africa": "#E69F00",
    "Asia-Pacific": "#0072B2",
    "Europe": "#009E73",
    "Latin America and the Caribbean": "#CC79A7",
    "North America": "#D55E00",
}
HONORARY_COLOUR = "#6C757D"

STATUS_COLOURS: dict[str, str] = {
    "done": "#009E73",
    "in_progress": "#E69F00",
    "not_done": "#D55E00",
    "unknown": "#ADB5BD",
}

# Metropolis' role at an event: shades of ink, darker the more the event is Metropolis' own, with a marker shape
# each, so that on the events page a hue always means an event's kind (KIND_COLOURS) and never its role
ROLE_COLOURS: dict[str, str] = {
    "organised": "#212529",
    "co_organised": "#5C636A",
    "participated": "#8A9299",
    "not_stated": "#CED4DA",
}
ROLE_SYMBOLS: dict[str, str] = {"organised": "circle", "co_organised": "diamond", "participated": "square",
                                "not_stated": "circle-open"}

KIND_COLOURS: dict[str, str] = {
    "statutory": "#0072B2",
    "wmd": "#D55E00",
    "learning": "#009E73",
    "global_event": "#E69F00",
    "webinar": "#CC79A7",
    "other": "#56B4E9",
}

WOMEN_COLOUR = "#CC79A7"
MEN_COLOUR = "#56B4E9"
PARITY_COLOUR = "#212529"
# A cell the report prints unreadably (unknown, not zero): a mid grey unlike any value of SEQUENTIAL
UNKNOWN_COLOUR = "#ADB5BD"

# Sequential scale for counts: white to dark blue (readable in grey, safe for colour-vision deficiencies).
SEQUENTIAL = [[0.0, "#F7FBFF"], [0.15, "#DEEBF7"], [0.4, "#9ECAE1"], [0.7, "#4292C6"], [1.0, "#08306B"]]

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"
TEXT_COLOUR = "#212529"
MUTED_COLOUR = "#6C757D"
BASE_FONT_SIZE = 14


# The house template: plotly_white with our fonts, kept to the trace types the figures draw
# (house_template.json; tests/unit/test_figure_schema.py checks it against plotly's plotly_white, and its
# write_template() writes it again). Every figure carries it in layout.template: the builders return plain figure dicts
# (what dcc.Graph and kaleido take), so a page is served without plotly's graph objects and their validation
# (tens of milliseconds a figure, and the validators' memory); the unit tests validate the dicts with go.Figure.
HOUSE_TEMPLATE = "metropolis"
TEMPLATE_PATH = Path(__file__).with_name("house_template.json")
TEMPLATE: dict = json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))


def new_figure(data: list[dict] | None = None, **layout) -> dict:
    """A plain figure dict with the house template: {"data": [trace dicts with "type"], "layout": {...}}."""
    return {"data": list(data or []), "layout": merge({"template": TEMPLATE}, layout)}


def merge(target: dict, changes: dict) -> dict:
    """`changes` merged into `target` as plotly's update does: nested dicts merged key by key, anything else
    (values, lists) replaced. Dicts are copied in, never shared (the template is never changed)."""
    for key, value in changes.items():
        if isinstance(value, dict) and value is not TEMPLATE:
            current = target.get(key)
            target[key] = merge(dict(current) if isinstance(current, dict) else {}, value)
        else:
            target[key] = value
    return target


def update_layout(fig: dict, **changes) -> dict:
    """fig.update_layout for a figure dict (no magic underscores: nested properties are written as dicts)."""
    merge(fig["layout"], changes)
    return fig


def add_annotation(fig: dict, **annotation) -> dict:
    fig["layout"].setdefault("annotations", []).append(annotation)
    return fig


def add_line(fig: dict, *, x: float | None = None, y: float | None = None, line: dict, xref: str = "x",
             yref: str = "y") -> dict:
    """fig.add_vline (x) or fig.add_hline (y): a line across the plot (`xref`, `yref`: the axes of a subplot)."""
    if x is not None:
        shape = {"type": "line", "x0": x, "x1": x, "xref": xref, "y0": 0, "y1": 1, "yref": f"{yref} domain"}
    else:
        shape = {"type": "line", "x0": 0, "x1": 1, "xref": f"{xref} domain", "y0": y, "y1": y, "yref": yref}
    fig["layout"].setdefault("shapes", []).append({**shape, "line": dict(line)})
    return fig


def as_list(series) -> list:
    """A column (or any sequence) as a plain list of Python values, as the figure dict holds it."""
    return series.tolist() if hasattr(series, "tolist") else list(series)


BASE_MARGIN = {"l": 20, "r": 20, "t": 60, "b": 90}  # base_layout's margins, before lay_out computes them


def base_layout(fig: dict, *, title: str, subtitle: str = "", height: int | None = None,
                plot_height: int | None = None, bar_rows: int | None = None) -> dict:
    """Apply the house style (the house template: white background, readable fonts), title and subtitle (the
    filters in words). `plot_height`: the plot's own height (rows x a row's height), to which lay_out adds the
    bands of text; `height`, the figure's whole height instead. `bar_rows`: the number of bars of a bar chart
    (lay_out keeps a few bars their shape on a tall canvas)."""
    update_layout(
        fig,
        title={"text": title, "x": 0.0, "xanchor": "left", "pad": {"l": EDGE}, "font": {"size": TITLE_SIZE},
               "subtitle": {"text": subtitle, "font": {"size": SUBTITLE_SIZE, "color": MUTED_COLOUR}}},
        margin={**BASE_MARGIN, "t": 80 if subtitle else 60},
    )
    if plot_height is not None:
        height = plot_height + 170
    if height is not None:
        fig["layout"]["height"] = height
    _set_meta(fig, title=title, subtitle=subtitle, plot_height=plot_height, bar_rows=bar_rows)
    return fig


# the medium a figure is laid out for when it is built: every text drawn (source, note and page hint)
BUILT = None  # set below, once Medium is defined


def with_source(fig: dict, source: str, *, tr: Translator, note: str = "", hint: str = "") -> dict:
    """Give the figure its source line, an optional note and an optional page hint ('Click a bar ...', drawn
    only where one can click), and lay it out (lay_out places them under the x axis, wrapped to the canvas).
    Margins the figure set itself after base_layout are kept as minimums."""
    layout = fig["layout"]
    if not _meta(layout):  # a figure without base_layout: the title is whatever it set
        _set_meta(fig, title=((layout.get("title") or {}).get("text") or ""), subtitle="")
    margin = layout.get("margin") or {}
    own = {k: margin.get(k) for k in ("l", "r", "t", "b")}
    base = {**BASE_MARGIN, "t": 80 if _meta(layout).get("subtitle") else 60}
    min_margin = {k: v for k, v in own.items() if v is not None and v != base[k]}
    _set_meta(fig, source=tr.gettext("Source: %(source)s", source=source), note=note, hint=hint,
              separators=tr.number_separators(), min_margin=min_margin)
    return lay_out(fig, BUILT)


def empty_figure(message: str, *, title: str = "", subtitle: str = "") -> dict:
    """A figure that says in words why there is nothing to plot (no empty axes)."""
    fig = new_figure()
    base_layout(fig, title=title, subtitle=subtitle, plot_height=200)
    update_layout(fig, xaxis={"visible": False}, yaxis={"visible": False})
    add_annotation(fig, text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, name=MESSAGE_NAME,
                   font={"size": MESSAGE_SIZE, "color": MUTED_COLOUR})
    _set_meta(fig, message=message)  # wrapped to the canvas by lay_out
    return lay_out(fig, BUILT)


def source_text(df) -> str:
    """Return the documents and top-level sections behind the rows of `df` (source_citation, source_section):
    'Metropolis Annual Report 2020, 4.1 Engagement of our membership; Metropolis Progress Report ..., Activities'."""
    if df is None or df.empty or "source_citation" not in df:
        return ""
    sections: dict[str, list[str]] = {}
    for citation, section in zip(df["source_citation"], df["source_section"]):
        top = str(section).split(":")[0].strip()
        found = sections.setdefault(citation, [])
        if top not in found:
            found.append(top)
    return "; ".join(f"{citation}, {', '.join(tops)}" for citation, tops in sections.items())


def _luminance(colour: str) -> float:
    """The relative luminance (WCAG 2) of a #RRGGBB colour."""
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two #RRGGBB colours (1 to 21; text needs at least 4.5)."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(fill: str) -> str:
    """The text colour (near-black or white) that reads best on `fill`: the one with the higher contrast."""
    return TEXT_COLOUR if contrast_ratio(TEXT_COLOUR, fill) >= contrast_ratio("#FFFFFF", fill) else "#FFFFFF"


# ---- the layout engine ------------------------------------------------------------------------
# A figure is built once (pure, for any medium) and laid out for the medium it is drawn in by `lay_out`: the
# title and subtitle wrapped to the canvas, the legend in its own band under them, the notes and the source
# line under the x-axis ticks and title, each band's height computed from its lines, so that none overlaps another
# or leaves the canvas. The texts to place are kept in the figure's layout.meta (LAYOUT_META), so a figure laid out
# for one medium can be laid out again for another.

LAYOUT_META = "metropolis_layout"
SOURCE_NAME, NOTE_NAME, HINT_NAME = "source", "note", "hint"  # annotation names lay_out owns
MESSAGE_NAME, MESSAGE_SIZE = "message", 16  # an empty figure's message, wrapped by lay_out
OWN_ANNOTATIONS = frozenset({SOURCE_NAME, NOTE_NAME, HINT_NAME})
# a note a figure draws over its plot, where the reader looks (why months look empty); a slide prints it as text
KEY_NAME, KEY_LINE = "key-note", 15  # its annotation's name; px per line of it

TITLE_SIZE, SUBTITLE_SIZE, SOURCE_SIZE, LEGEND_SIZE, TICK_SIZE = 20, 14, 11, 13, BASE_FONT_SIZE
CHAR_WIDTH = 0.6  # a character's width in em, generous for the house fonts (DejaVu Sans, the widest, is ~0.55)
LINE_HEIGHT = 1.3  # a text line's height in em
EDGE = 12  # px kept free at each edge of the canvas
GAP = 8  # px between two bands
MAX_BAND = 90  # px: a bar's band (bar and gap) at most, so a one-bar chart keeps a bar's shape on a tall canvas


@dataclass(frozen=True)
class Medium:
    """Where a figure is drawn: `width` x `height` CSS pixels of layout (None: not known in advance, the page's
    column or the frame decides), whether the reader can interact (`static`: no page hints such as 'Click a
    bar'), whether the source line is drawn in the figure (`source_inside`: exports, slides; pages and embeds
    print it in HTML under the chart, where it wraps) and the sizes of its title texts."""

    name: str
    width: int | None = None
    height: int | None = None
    static: bool = False
    source_inside: bool = False
    hints: bool = False  # page hints ('Click a bar to list ...'): only where the page answers the click
    notes_inside: bool = True  # the figure's notes drawn in it (an embed prints them in its footer instead)
    wrap_width: int = 640  # px the texts are wrapped to when the width is not known
    title_size: int = TITLE_SIZE
    subtitle_size: int = SUBTITLE_SIZE

    def sized(self, width: int, height: int | None) -> Medium:
        return replace(self, width=width, height=height)


SCREEN = Medium("screen", hints=True)
# an embed follows its frame: its texts are wrapped for the narrowest frame offered (a phone's, 360 px)
EMBED = Medium("embed", wrap_width=360, title_size=17, subtitle_size=12, notes_inside=False)
EXPORT = Medium("export", static=True, source_inside=True)  # PNG/SVG/PDF, at slide or print size; sized by export
# the picture of a deck's slide, 960 px wide (a 12 px label reads at about 11 pt): the slide's own text boxes
# carry its title, source and notes, so the picture draws none of them (export.slide_figure drops the title)
SLIDE = Medium("slide", width=960, static=True, source_inside=False, notes_inside=False)


def _text_width(text: str, size: float) -> float:
    """An estimate of the width in px of the widest line of `text` (plotly's <br> line breaks, tags not drawn)."""
    lines = re.split(r"<br\s*/?>", text or "")
    return max((len(re.sub(r"<[^>]+>", "", line)) for line in lines), default=0) * size * CHAR_WIDTH


def wrap_px(text: str, width_px: float, size: float) -> list[str]:
    """`text` wrapped into lines that fit `width_px` at font `size` (plotly does not wrap); kept <br> too."""
    chars = max(12, int(width_px / (size * CHAR_WIDTH)))
    lines: list[str] = []
    for part in re.split(r"<br\s*/?>", text or ""):
        lines += textwrap.wrap(part, width=chars, break_long_words=False) or ([part] if part else [])
    return lines


def _meta(layout: dict) -> dict:
    meta = layout.get("meta")
    return meta.get(LAYOUT_META, {}) if isinstance(meta, dict) else {}


def _set_meta(fig: dict, **values) -> None:
    layout = fig["layout"]
    meta = dict(layout["meta"]) if isinstance(layout.get("meta"), dict) else {}
    own = dict(meta.get(LAYOUT_META, {}))
    own.update(values)
    meta[LAYOUT_META] = own
    layout["meta"] = meta


def set_top_extra(fig, px: float) -> None:
    """Tell lay_out that `fig` draws `px` of its own (column headers, an on-chart key) between its title band
    (title, subtitle, legend) and its plot: the top margin is then that band plus `px`, however many lines the
    title wraps to in the medium (a figure's fixed top margin would let a wrapped subtitle run into its key)."""
    if isinstance(fig, dict):
        layout = fig.setdefault("layout", {})
        meta = dict(layout.get("meta") or {})
        meta[LAYOUT_META] = {**meta.get(LAYOUT_META, {}), "top_extra": px}
        layout["meta"] = meta
    else:
        _set_meta(fig, top_extra=px)


def _legend_items(data: list[dict], layout: dict) -> list[str]:
    """The names the legend shows (plotly's rule: shown for two traces or more, or when asked)."""
    items = [str(t.get("name") or "") for t in data
             if t.get("showlegend") is not False and t.get("type") not in ("heatmap", "indicator", "choropleth")
             and t.get("visible", True) is not False]
    shown = layout.get("showlegend")
    if shown is False or (shown is None and len(items) < 2 and not any(t.get("showlegend") for t in data)):
        return []
    return items


def _legend_rows(items: list[str], width: float) -> int:
    """Rows a horizontal legend of `items` takes in `width` px (each item: symbol, gap, text). Like plotly: one row
    if they all fit, else columns as wide as the widest item."""
    widths = [40 + _text_width(name, LEGEND_SIZE) + 10 for name in items]
    if sum(widths) <= width:
        return 1
    columns = max(1, int(width // max(widths)))
    return -(-len(items) // columns)


def _shorten(label: str, chars: int, lines: int = 2) -> str:
    """`label` wrapped to `chars` a line, at most `lines` lines, the rest cut with an ellipsis (the hover and the
    table keep it whole)."""
    wrapped = textwrap.wrap(label, width=max(8, chars), break_long_words=True) or [label]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][:max(1, chars - 1)].rstrip() + "…"
    return "<br>".join(wrapped)


def _thin_ticks(axis: dict, plot_width: float) -> None:
    """Drop every other tick of an axis of given ticks (keeping the middle one) until its labels fit apart."""
    vals, texts = list(axis.get("tickvals") or []), list(axis.get("ticktext") or [])
    if len(vals) < 3:
        return
    texts = texts if len(texts) == len(vals) else [str(v) for v in vals]
    while len(vals) >= 3:
        widest = max(_text_width(str(t), TICK_SIZE) for t in texts)
        if plot_width / (len(vals) - 1) >= widest + 10:
            break
        vals, texts = vals[::2], texts[::2]
    axis["tickvals"], axis["ticktext"] = vals, texts


def _category_labels(data: list[dict], axis: str) -> list[str]:
    """The category labels of the horizontal bars' y axis (or of `axis`) that sit in the left margin."""
    labels: list[str] = []
    for t in data:
        values = t.get(axis)
        if t.get("type") == "bar" and t.get("orientation") == "h" and values is not None \
                and not isinstance(values, (dict, str)):
            labels += [str(v) for v in values]
    return labels


def lay_out(fig, medium: Medium, *, source_after=()):
    """Lay out `fig` (a go.Figure or its dict) for `medium`: returns the same kind, changed in place for a dict.

    Top: the title and subtitle (wrapped to the canvas), then the legend in a band of its own. Bottom: the x
    axis' ticks and title, then the notes and the source line (wrapped to the canvas, left-aligned at the
    canvas' edge), each band as high as its lines. Page hints are dropped from static media, the source line from
    media that print it outside the figure. A one-bar chart keeps a bar's shape (MAX_BAND) on a tall canvas.
    """
    as_figure = isinstance(fig, go.Figure)
    if as_figure:  # read its traces as plain values; only its layout is changed
        layout = fig.layout.to_plotly_json()
        data = [t.to_plotly_json() for t in fig.data]
    else:
        layout = fig.setdefault("layout", {})
        data = fig.get("data", [])
    meta = _meta(layout)
    if not meta:  # a figure not built with base_layout (a member's location map): nothing to lay out
        return fig
    width = medium.width or medium.wrap_width
    inner = width - 2 * EDGE

    # --- left: the bars' category labels
    left = EDGE
    labels = _category_labels(data, "y")
    if labels:
        yaxis = dict(layout.get("yaxis") or {})
        size = ((yaxis.get("tickfont") or {}).get("size")) or TICK_SIZE
        # a canvas of known width (an export, an embed's frame): the labels take at most 40% of it, wrapped on two
        # lines at most; on a page, plotly's automargin gives them what they need
        known = medium.width is not None or medium.name == EMBED.name
        budget = width * 0.4 if known else 1280 * 0.5
        if known and _text_width_max(labels, size) + 16 > budget:
            categories = list(dict.fromkeys(labels))
            chars = int((budget - 16) / (size * CHAR_WIDTH))
            # many rows in a frame of unknown height: one line each (two would run into the next row)
            lines = 1 if medium.name == EMBED.name and len(categories) > 6 else 2
            yaxis.update(tickmode="array", tickvals=categories,
                         ticktext=[_shorten(c, chars, lines) for c in categories])
            layout["yaxis"] = yaxis
            meta["wrapped_y"] = True
            labels = yaxis["ticktext"]
        elif meta.pop("wrapped_y", False):  # laid out narrow before: the labels whole again
            for key in ("tickmode", "tickvals", "ticktext"):
                yaxis.pop(key, None)
            layout["yaxis"] = yaxis
        left = max(left, min(_text_width_max(labels, size) + 16, budget))
    elif (layout.get("yaxis") or {}).get("ticktext") and (layout.get("yaxis") or {}).get("visible", True) is not False:
        yaxis = layout["yaxis"]  # the figure's own tick labels (the timeline's lanes)
        size = ((yaxis.get("tickfont") or {}).get("size")) or TICK_SIZE
        left = max(left, min(_text_width_max([str(t) for t in yaxis["ticktext"]], size) + 16, width * 0.4))
    own = meta.get("min_margin") or {}
    gauges = [t for t in data if t.get("type") == "indicator" and "gauge" in str(t.get("mode", ""))]
    if len(gauges) >= 3 and (medium.name == EMBED.name or (medium.width is not None and medium.width < 700)):
        _grid_gauges(gauges, columns=2)  # a row of gauges on a phone: their counts would run into each other
        own = {}  # the grid sets its own space for the gauges' titles
        meta["gauge_rows"] = -(-len(gauges) // 2)
        if as_figure:
            for trace, plain in zip([t for t in fig.data if t.type == "indicator"], gauges):
                trace.update(domain=plain["domain"], title=plain["title"], number=plain["number"])
    left = max(left, own.get("l", 0))

    # --- top: title, subtitle, legend
    title = dict(layout.get("title") or {})
    title_lines, sub_lines = _title_lines(meta, medium)
    title.update(text="<br>".join(title_lines), x=0, xref="container", xanchor="left", y=1, yref="container",
                 yanchor="top", automargin=False,
                 pad={"l": EDGE, "t": EDGE + (len(title_lines) - 1) * medium.title_size * LINE_HEIGHT, "r": EDGE, "b": 0},
                 font={**(title.get("font") or {}), "size": medium.title_size})
    title["subtitle"] = {**(title.get("subtitle") or {}), "text": "<br>".join(sub_lines),
                         "font": {"size": medium.subtitle_size, "color": MUTED_COLOUR}}
    layout["title"] = title
    top = _title_band(title_lines, sub_lines, medium)
    items = _legend_items(data, layout)
    legend_right = 0.0
    if items and (layout.get("legend") or {}).get("orientation") == "v":  # a column of its own on the right
        legend = dict(layout["legend"])
        legend.update(x=1, xref="paper", xanchor="left", y=1, yanchor="top", font={"size": LEGEND_SIZE})
        layout["legend"] = legend
        legend_right = 40 + _text_width_max(items, LEGEND_SIZE) + 16
    elif items:
        rows = _legend_rows(items, width - left - EDGE)
        legend = dict(layout.get("legend") or {})
        # from the plot's left edge (from the canvas' edge, plotly would push the plot right to make room)
        legend.update(orientation="h", x=0, xref="paper", xanchor="left", y=1, yref="paper", yanchor="bottom",
                      font={"size": LEGEND_SIZE}, valign="middle")
        legend.setdefault("traceorder", "normal")
        layout["legend"] = legend
        top += GAP + rows * (LEGEND_SIZE * LINE_HEIGHT + 6) + 6
    top += meta.get("top_extra", 0) + GAP  # e.g. the labels a figure draws just above its plot ('parity')

    right = max(EDGE, own.get("r", 0), legend_right)

    # --- bottom: x ticks and title, then notes and source
    xaxis = dict(layout.get("xaxis") or {})
    plot_width = width - left - right
    if meta.get("x_ticks"):  # the figure's own ticks, thinned out where they would touch
        xaxis["tickvals"], xaxis["ticktext"] = meta["x_ticks"]
        _thin_ticks(xaxis, plot_width)
    if meta.get("x_count"):  # a count axis: whole ticks, fewer on a narrow plot
        xaxis.update(count_axis(meta["x_count"], ticks=max(2, min(6, int(plot_width // 45)))))
    layout["xaxis"] = xaxis
    if medium.width is not None or medium.name == EMBED.name:
        if "x_range" in meta:  # laid out narrow before: the figure's own range again
            xaxis["range"] = list(meta["x_range"])
        elif isinstance(xaxis.get("range"), (list, tuple)):
            meta["x_range"] = list(xaxis["range"])
        changed = _fit_outside_texts(data, xaxis, plot_width, right)
        if as_figure:
            for i in changed:
                fig.data[i].text = data[i]["text"]
    if meta.get("y_count") and medium.name == EMBED.name:  # a frame's plot may be short: fewer whole ticks
        layout["yaxis"] = {**(layout.get("yaxis") or {}), **count_axis(meta["y_count"], ticks=3)}
    cartesian = any(t.get("type") in (None, "bar", "scatter", "histogram", "heatmap", "box") for t in data) and \
        xaxis.get("visible", True) is not False
    below_axis = 0.0
    if cartesian:
        tick_lines = 1 + max((len(re.findall(r"<br\s*/?>", str(t))) for t in xaxis.get("ticktext") or []), default=0)
        below_axis = tick_lines * TICK_SIZE * LINE_HEIGHT + 10
        if ((xaxis.get("title") or {}).get("text")):
            below_axis += TICK_SIZE * LINE_HEIGHT + 4
    texts = []
    if meta.get("hint") and medium.hints and not medium.static:
        texts.append((HINT_NAME, meta["hint"]))
    if meta.get("note") and medium.notes_inside:
        texts.append((NOTE_NAME, meta["note"]))
    source_lines = [line for line in (meta.get("source", ""), *source_after) if line] if medium.source_inside else []
    if source_lines:
        texts.append((SOURCE_NAME, "<br>".join(source_lines)))
    annotations = [a for a in layout.get("annotations", []) if a.get("name") not in OWN_ANNOTATIONS]
    y_shift = below_axis + GAP
    lines_total = 0
    for name, text in texts:
        lines = wrap_px(text, inner, SOURCE_SIZE)
        annotations.append({"name": name, "text": "<br>".join(lines), "xref": "paper", "yref": "paper", "x": 0,
                            "y": 0, "xshift": -left + EDGE, "yshift": -(y_shift + lines_total), "xanchor": "left",
                            "yanchor": "top", "showarrow": False, "align": "left",
                            "font": {"size": SOURCE_SIZE, "color": MUTED_COLOUR}})
        lines_total += len(lines) * SOURCE_SIZE * LINE_HEIGHT + 4
    if meta.get("message"):  # an empty figure's message, wrapped to the canvas
        for a in annotations:
            if a.get("name") == MESSAGE_NAME:
                a["text"] = "<br>".join(wrap_px(meta["message"], inner, MESSAGE_SIZE))
    layout["annotations"] = annotations
    bottom = max(EDGE, y_shift + lines_total + EDGE) if texts else max(EDGE, below_axis + EDGE)
    top, bottom = max(top, own.get("t", 0)), max(bottom, own.get("b", 0))
    yaxis = layout.get("yaxis") or {}
    lanes = len(yaxis.get("ticktext") or []) if yaxis.get("visible", True) is not False else 0
    if medium.name == EMBED.name and (columns := _heatmap_columns(data)) >= 4:
        # a matrix whose columns a phone's frame cannot hold apart: it keeps a readable column each and scrolls
        # sideways in its frame, as a wide table does (pages/embed.py)
        scale = 70 if any(t.get("type") == "heatmap" and t.get("showscale") is not False for t in data) else 0
        meta["min_width"] = round(left + right + scale + columns * _column_px(data) / 0.95)
    if medium.name == EMBED.name and meta.get("gauge_rows"):  # a frame too short for the gauges' grid scrolls
        meta["min_height"] = round(meta.pop("gauge_rows") * (GAUGE_TITLE_PX + GAUGE_PX) + top + bottom)
    elif medium.name == EMBED.name and (rows := meta.get("bar_rows") or len(set(_category_labels(data, "y")))
                                      or lanes):  # bars, or the lanes of a figure's own y ticks (the timeline)
        # a frame too short for its bars: the chart keeps a readable row each and scrolls (pages/embed.py)
        meta["min_height"] = round(rows * MIN_ROW + top + bottom)
    before = layout.get("margin") or {}
    before_bands = (before.get("t") or 0) + (before.get("b") or 0)
    layout["margin"] = {"t": round(top), "b": round(bottom), "l": round(left), "r": round(right), "pad": 0}

    # --- height: the plot's own height (rows x row height) plus the bands, unless the medium sets it
    plot_height = meta.get("plot_height")
    if medium.height is not None:
        layout["height"] = medium.height
    elif plot_height is not None and medium.name != EMBED.name:
        layout["height"] = round(top + bottom + plot_height)
    elif layout.get("height") and medium.name != EMBED.name:  # the figure's own height: its plot keeps its height
        # (never below the height it asked for: a tall chart exported whole is at least as tall as on its page)
        layout["height"] = round(max(layout["height"], layout["height"] - before_bands + top + bottom))
    if medium.name == EMBED.name:
        layout["height"] = None
        layout["autosize"] = True
    rows = meta.get("bar_rows")
    if rows and medium.height is not None:  # a few bars on a tall canvas keep a bar's shape, centred
        units = max(rows, (medium.height - top - bottom) / MAX_BAND)
        extra = (units - rows) / 2
        yaxis = dict(layout.get("yaxis") or {})
        yaxis["range"] = [-0.5 - extra, rows - 0.5 + extra]
        layout["yaxis"] = yaxis
    layout["separators"] = meta.get("separators", layout.get("separators"))
    if as_figure:
        fig.layout = layout
    return fig


def _heatmap_columns(data: list[dict]) -> int:
    """The columns of a figure's widest heatmap (0 for none)."""
    return max((len(_values(t.get("x")) or []) for t in data if t.get("type") == "heatmap"), default=0)


def _column_px(data: list[dict]) -> float:
    """The least width of a heatmap's column: its rotated header's lines (12 px each) or its cells' texts apart."""
    lines = max((str(x).count("<br>") + 1 for t in data if t.get("type") == "heatmap"
                 for x in _values(t.get("x")) or []), default=1)
    return max(26, lines * 16 + 2)


MIN_ROW = 24  # px: the least a bar's row takes in a frame (a 13 px label and its gap)


def _values(values):
    """A trace's array as a list: plotly writes a numpy array into a figure's dict as {'dtype', 'bdata'}."""
    if isinstance(values, dict) and "bdata" in values:
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
        return array.reshape(values["shape"]).tolist() if values.get("shape") else array.tolist()
    return None if values is None else list(values)


def _fit_outside_texts(data: list[dict], xaxis: dict, plot_width: float, right: float) -> list[int]:
    """Horizontal bars with their texts outside, on an axis of a given range: widen the range so that each text
    ends inside the canvas (the plot's width and the right margin), a text too long for any bar cut at its last
    ' · ' onto two lines. Returns the indexes of the traces whose texts changed."""
    rng = xaxis.get("range")
    changed = []
    if not rng or len(rng) != 2 or plot_width <= 0 or not all(isinstance(v, (int, float)) for v in rng):
        return changed  # no range of numbers given (a time axis, plotly's autorange)
    room = plot_width + right - 6
    need = float(rng[1])
    for i, t in enumerate(data):
        if t.get("type") != "bar" or t.get("orientation") != "h" or t.get("textposition") != "outside":
            continue
        xs, texts = _values(t.get("x")), t.get("text")
        if xs is None or texts is None or isinstance(texts, str) or len(texts) != len(xs):
            continue
        size = ((t.get("textfont") or {}).get("size")) or BASE_FONT_SIZE
        new = []
        for text in texts:
            text = str(text or "")
            if _text_width(text, size) > 0.55 * room and " · " in text and "<br>" not in text:
                head, tail = text.rsplit(" · ", 1)
                text = f"{head}<br>{tail}"
            new.append(text)
        if new != [str(v or "") for v in list(texts)]:
            t["text"] = new
            changed.append(i)
        for x, text in zip(xs, new):
            free = room - _text_width(text, size)
            if x is not None and free > 0.25 * plot_width:
                need = max(need, float(x) * plot_width / free)
    xaxis["range"] = [rng[0], need]
    return changed


GAUGE_TITLE_PX = 76  # a gauge's title in a grid: its name (16 px) and its counts on two lines (13 px)
GAUGE_PX = 90  # and its gauge, at least


def _grid_gauges(gauges: list[dict], *, columns: int) -> None:
    """Lay out a row of gauges (indicator traces) as a grid of `columns` (changed in place): each one's title (its
    name, then its counts) on lines of their own, the counts cut at their ' · ' into two lines, a smaller number,
    and room above each gauge for its title (for the shortest frame offered, 400 px high)."""
    rows = -(-len(gauges) // columns)
    row_h, gap = 1 / rows, 0.04
    title_share = row_h * GAUGE_TITLE_PX / (GAUGE_TITLE_PX + GAUGE_PX)  # of the plot's height
    for i, g in enumerate(gauges):
        r, c = divmod(i, columns)
        top = 1 - r * row_h - title_share
        g["domain"] = {"x": [c / columns + gap / 2, (c + 1) / columns - gap / 2],
                       "y": [max(0, 1 - (r + 1) * row_h + gap / 2), max(0.05, top)]}
        title = dict(g.get("title") or {})
        text = str(title.get("text") or "")
        title["text"] = re.sub(r"\s*·\s*", "<br>", text) if "<br>" in text else text
        g["title"] = title
        g["number"] = {**(g.get("number") or {}), "font": {**((g.get("number") or {}).get("font") or {}), "size": 24}}


def _title_lines(meta: dict, medium: Medium) -> tuple[list[str], list[str]]:
    inner = (medium.width or medium.wrap_width) - 2 * EDGE
    return (wrap_px(meta.get("title", ""), inner, medium.title_size),
            wrap_px(meta.get("subtitle", ""), inner, medium.subtitle_size))


def _title_band(title_lines: list[str], sub_lines: list[str], medium: Medium) -> float:
    band = EDGE + len(title_lines) * medium.title_size * LINE_HEIGHT
    if sub_lines:
        band += 4 + len(sub_lines) * medium.subtitle_size * LINE_HEIGHT
    return band


def title_band(fig, medium: Medium) -> float:
    """The px at the top of `fig` laid out for `medium` that its title and subtitle take (the canvas' edge
    included): what a medium that prints the title outside the picture (a slide) gives back."""
    layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.layout.to_plotly_json()
    return _title_band(*_title_lines(_meta(layout), medium), medium)


def key_band(lines: int) -> int:
    """The px of a figure's on-chart key note of `lines` lines (KEY_NAME), in the band between its title and
    its plot; 0 for no note."""
    return KEY_LINE * lines + 8 if lines else 0


def figure_note(fig) -> str:
    """The note a figure carries (what its marker sizes or colours mean), for a medium that prints it outside."""
    layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.layout.to_plotly_json()
    return _meta(layout).get("note", "") or ""


def _text_width_max(labels: list[str], size: float) -> float:
    return max((_text_width(label, size) for label in labels), default=0.0)


def percent_ticks(tr: Translator, shares=(0, 0.25, 0.5, 0.75, 1)) -> tuple[list, list[str]]:
    """(tickvals, ticktext) of an axis of shares (0-1), the texts as the language writes them ('25 %' in fr and es):
    plotly.js and kaleido write a d3 '.0%' tick format as '25%' whatever the locale. For `x_ticks`."""
    return list(shares), [tr.format_percent(s) for s in shares]


def count_axis(max_value: float, *, ticks: int = 6) -> dict:
    """Axis settings for counts: whole-number ticks only (a step of 1, 2, 5, 10, 20, 50 ...), no fractions."""
    step = 1
    while max_value / step > ticks:
        for factor in (2, 2.5, 2):  # 1, 2, 5, 10, 20, 50 ...
            step = int(step * factor)
            if max_value / step <= ticks:
                break
    return {"tick0": 0, "dtick": step, "tickformat": ",d", "rangemode": "tozero"}


BUILT = Medium("built", width=1280, hints=True, source_inside=True)
