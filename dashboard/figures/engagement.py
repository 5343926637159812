"""Engagement figures: member-by-dimension heatmaps and activations by region and month."""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass

import pandas as pd

from dashboard.figures.style import (
    KEY_NAME,
    MUTED_COLOUR,
    REGION_COLOURS,
    UNKNOWN_COLOUR,
    add_annotation,
    add_line,
    base_layout,
    empty_figure,
    key_band,
    new_figure,
    set_top_extra,
    text_colour_on,
    update_layout,
    with_source,
)
from dashboard.translation import N_, Translator

ROW_HEIGHT = 22  # px per member row: a 12 px label with room to spare, so plotly draws every name
HEADER_FONT = 12
CHAR_WIDTH = 0.58  # of the font size: a generous average glyph width (DejaVu Sans), to size bands from text
NOTE_CHARS = 50  # a line of an on-chart key: fits a 360 px embed at 11 px
TOP_BAND = 64  # title and subtitle
LEGEND_ROW = 24
# SEQUENTIAL with its middle band cut out: there neither dark nor white text reaches 4.5:1 on the fill (WCAG AA),
# so the scale steps over it; every fill then takes one of the two text colours at 4.5:1 or more.
# The step sits at 0.695 (a ratio of two counts under 200 never lands on it, so a fill is never ambiguous).
CELL_SCALE = [[0.0, "#F7FBFF"], [0.15, "#DEEBF7"], [0.4, "#9ECAE1"], [0.695, "#4393C7"], [0.695, "#347BB1"],
              [1.0, "#08306B"]]


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def fill_colour(value: float, scale=CELL_SCALE) -> str:
    """The #RRGGBB fill a heatmap draws for `value` (0 to 1) on `scale`: linear in RGB between stops, as plotly
    does; at a step (a repeated stop), the upper colour."""
    v = min(1.0, max(0.0, float(value)))
    for (s0, c0), (s1, c1) in zip(scale, scale[1:]):
        if s0 <= v < s1 or (v == 1.0 and s1 == 1.0):
            t = (v - s0) / (s1 - s0) if s1 > s0 else 1.0
            a, b = _rgb(c0), _rgb(c1)
            return "#" + "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(a, b))
    return scale[-1][1]


@functools.lru_cache(maxsize=4096)
def cell_text_colour(value: float) -> str:
    """The text colour (dark or white) on a cell of `value` (0 to 1) on CELL_SCALE; cells repeat a few values."""
    return text_colour_on(fill_colour(value))


def colour_key_text(tr: Translator) -> str:
    """What a member heatmap's colour means, said on the chart (and over its printed table)."""
    return tr.gettext("Colour: each value against the highest of its column (darkest); columns are not compared "
                      "with one another.")


def header_text(column: MatrixColumn, tr: Translator, *, lines: int) -> str:
    """A column's header as drawn: its translated label on one line, or as printed (up to two lines)."""
    label = tr.gettext(column.label)
    return label if lines > 1 else label.replace("<br>", " ")


def _key_lines(items: list[tuple[str, int]], width: int = NOTE_CHARS) -> list[str]:
    """Greedy lines of (markup, visible length) items, at most `width` visible characters a line."""
    lines, line, used = [], [], 0
    for markup, length in items:
        if line and used + 3 + length > width:
            lines.append("   ".join(line))
            line, used = [], 0
        line.append(markup)
        used += length + (3 if used else 0)
    if line:
        lines.append("   ".join(line))
    return lines


def _swatch(colour: str, text: str, symbol: str = "■") -> tuple[str, int]:
    return f'<span style="color:{colour}">{symbol}</span> {text}', len(text) + 2


def _text_px(chars: int, size: float) -> float:
    return chars * size * CHAR_WIDTH
SORT_MODES = ("region", "total")
MATRIX_MAX_ROWS = 150  # a taller heatmap cannot be read: beyond it, the most engaged members are drawn


# make_subplots(rows=1, cols=2, column_widths=[0.03, 0.97], shared_yaxes=True, horizontal_spacing=0.004)'s layout,
# written out (tests/unit/test_figure_schema.py compares it with plotly's): the region band (x, y) and the cells
# (x2, y2, sharing the rows of y)
MATRIX_GRID = {
    "xaxis": {"anchor": "y", "domain": [0.0, 0.02988]},
    "yaxis": {"anchor": "x", "domain": [0.0, 1.0]},
    "xaxis2": {"anchor": "y2", "domain": [0.03388, 1.0]},
    "yaxis2": {"anchor": "x2", "domain": [0.0, 1.0], "matches": "y", "showticklabels": False},
}


@dataclass(frozen=True)
class MatrixColumn:
    key: str            # column of the frame
    label: str          # header (a msgid: the figure translates it)
    kind: str           # bool | count | year


ENGAGEMENT_MATRIX = (
    MatrixColumn("activated", N_("Activated"), "bool"),
    MatrixColumn("fee_paid", N_("Fee paid"), "bool"),
    MatrixColumn("board_meetings", N_("Board<br>meetings"), "count"),
    MatrixColumn("annual_meeting", N_("Annual meeting /<br>Congress"), "bool"),
    MatrixColumn("bilateral_meetings", N_("Bilateral<br>meetings"), "count"),
    MatrixColumn("pilot_projects", N_("Pilot<br>projects"), "count"),
    MatrixColumn("indicators_year", N_("Analysed in<br>indicators"), "year"),
    MatrixColumn("learning_activities", N_("Learning<br>activities"), "count"),
    MatrixColumn("wmd_organiser", N_("WMD organiser<br>or speaker"), "count"),
    MatrixColumn("wmd_participation", N_("WMD<br>participation"), "count"),
    MatrixColumn("call_endorsement", N_("Call to<br>rethink"), "bool"),
)

WEBSITE_MATRIX = (
    MatrixColumn("news", N_("News"), "count"),
    MatrixColumn("library_publications", N_("Library<br>publications"), "count"),
    MatrixColumn("publication_mentions", N_("Mentions in<br>publications"), "count"),
    MatrixColumn("use_cases", N_("USE<br>cases"), "count"),
    MatrixColumn("c4gh_initiatives", N_("Cities for Global<br>Health initiatives"), "count"),
)


def _engaged(value, kind: str) -> bool:
    if value is None or pd.isna(value):
        return False
    return bool(value) if kind == "bool" else (True if kind == "year" else value > 0)


UNKNOWN_TEXT = "?"


def _unknown_keys(row: dict) -> set[str]:
    """The columns of a row whose cell is unknown (unreadable in the report), from its 'unknown_cells'."""
    value = row.get("unknown_cells")
    return set(value.split(",")) - {""} if isinstance(value, str) else set()


def _cell(value, kind: str, tr: Translator, pilot: str = "", unknown: bool = False) -> tuple[float | None, str, str]:
    """Return (colour value before scaling, None for an unknown cell; cell text; hover text) of one cell."""
    if unknown:
        return None, UNKNOWN_TEXT, tr.gettext("unknown (unreadable in the report)")
    if value is None or pd.isna(value):
        return 0.0, "", tr.gettext("not recorded") if kind == "bool" else (tr.gettext("not analysed") if kind == "year" else "0")
    if kind == "bool":
        return (1.0, "✓", tr.gettext("yes")) if bool(value) else (0.0, "", tr.gettext("no"))
    if kind == "year":
        return 1.0, f"’{int(value) % 100:02d}", tr.gettext("analysed in %(year)s", year=int(value))
    n = int(value)
    text = f"{n}{pilot}" if n else ""
    return float(n), text, str(n) + (f" ({pilot})" if pilot and n else "")


def breadth(df: pd.DataFrame, columns: tuple[MatrixColumn, ...]) -> pd.Series:
    """In how many of `columns` each row engaged."""
    total = pd.Series(0, index=df.index)
    for c in columns:
        total += df[c.key].map(lambda v, kind=c.kind: _engaged(v, kind)).astype(int)
    return total


def member_matrix_figure(df: pd.DataFrame, *, columns: tuple[MatrixColumn, ...], sort_by: str, title: str,
                         subtitle: str, source: str, tr: Translator, note: str = "",
                         max_rows: int = MATRIX_MAX_ROWS, rows: tuple[int, int] | None = None,
                         additions_key: str = "") -> dict:
    """Heatmap of members (rows, grouped by region or sorted by breadth) by dimension (columns).

    Colour is the value relative to its column's maximum (booleans 0/1); cells show the exact value; hover gives
    the value and the row's source line. customdata holds the member slug. A band on the left shows the region.
    A cell named in the row's 'unknown_cells' (unreadable in the report) is drawn apart: grey, marked '?', with
    its own hover, by a third heatmap over the main one, and a legend entry says what it means.
    Past `max_rows` members, only the `max_rows` most engaged are drawn, and the note says so.
    `rows` (start, stop): only those rows of the sorted matrix (a part of a split chart, with its column headers).
    `additions_key`: the key's name for the marks mark_recorded_additions draws (none: no such marks).

    Laid out for every size: a row of ROW_HEIGHT per member with every name as a tick label; headers rotated
    at the top, in a band as tall as the longest; over them, a key saying what colour means (relative to each
    column's highest), the region colours and the marks; each cell's text dark or white by its fill's luminance.
    """
    if df.empty:
        return empty_figure(tr.gettext("No members in the selected regions and year."), title=title, subtitle=subtitle)
    df = df.copy()
    df["_breadth"] = breadth(df, columns)
    if len(df) > max_rows:
        total = len(df)
        shown = df.sort_values(["_breadth", "member"], ascending=[False, True], kind="stable").head(max_rows)
        df = df.loc[sorted(shown.index)]  # back in the frame's order (by region, then name)
        subtitle = " · ".join(filter(None, [subtitle, tr.gettext("the %(n)s most engaged of %(total)s members", n=max_rows,
                                                         total=tr.format_number(total))]))
        note = " ".join(filter(None, [tr.gettext(
            "Showing the %(n)s most engaged of %(total)s members (by dimensions engaged); choose a region to see "
            "others, or download the CSV for every member.", n=max_rows, total=tr.format_number(total)), note]))
    if sort_by == "total":
        df = df.sort_values(["_breadth", "member"], ascending=[False, True], kind="stable")
    # a part is coloured against the whole chart's column maxima, so its colours mean what the others' do
    maxima = {c.key: max(1.0, float(pd.to_numeric(df[c.key], errors="coerce").fillna(0).max()))
              for c in columns if c.kind == "count"}
    if rows is not None:
        df = df.iloc[rows[0]:rows[1]]
    df = df.iloc[::-1].reset_index(drop=True)  # heatmap rows go bottom-up: reverse so the first is on top
    header_lines = 1 if len(columns) > 6 else 2  # narrow columns (a phone's frame): one rotated line each
    headers = {c.key: header_text(c, tr, lines=header_lines) for c in columns}
    z, text, hover, unknown_z, unknown_text, unknown_hover = [], [], [], [], [], []
    for row in df.to_dict("records"):  # plain dicts: iterrows builds a Series per row (slow on hundreds of rows)
        zr, tx, hr, ur, utr, uhr = [], [], [], [], [], []
        unknown = _unknown_keys(row)
        for c in columns:
            pilot = row.get("pilot_project", "") if c.key == "pilot_projects" else ""
            value, cell_text, cell_hover = _cell(row[c.key], c.kind, tr, pilot or "", unknown=c.key in unknown)
            zr.append(None if value is None else value / maxima[c.key] if c.kind == "count" else value)
            ur.append(1 if value is None else None)
            label = headers[c.key].replace("<br>", " ")
            cell = (f"<b>{row['member']}</b> · {row['region']}<br>{label}: <b>{cell_hover}</b><br>"
                    + tr.gettext("Source: %(source)s", source=row.get("source", "")))
            # an unknown cell's text and hover belong to the grey layer drawn over it
            tx.append("" if value is None else cell_text)
            hr.append("" if value is None else cell)
            utr.append(cell_text if value is None else "")
            uhr.append(cell if value is None else "")
        z.append(zr)
        text.append(tx)
        hover.append(hr)
        unknown_z.append(ur)
        unknown_text.append(utr)
        unknown_hover.append(uhr)
    labels = [str(name) for name in df["member"]]
    x = [headers[c.key] for c in columns]
    fig = new_figure(**MATRIX_GRID)
    regions = list(REGION_COLOURS)
    region_index = [regions.index(r) if r in regions else len(regions) for r in df["region"]]
    band_scale = [[i / (len(regions) - 1), REGION_COLOURS[r]] for i, r in enumerate(regions)]
    fig["data"].append(dict(type="heatmap", z=[[i] for i in region_index], x=[""], y=labels, colorscale=band_scale,
                            zmin=0, zmax=len(regions) - 1, showscale=False, hovertext=[[r] for r in df["region"]],
                            hoverinfo="text", xgap=0, ygap=1, xaxis="x", yaxis="y"))
    # the cell texts are drawn by a text layer (below), each dark or white on its fill; kept here as data
    fig["data"].append(dict(type="heatmap", z=z, x=x, y=labels, text=text, texttemplate="",
                            customdata=[[slug] * len(columns) for slug in df["slug"]], hovertext=hover,
                            hoverinfo="text", hoverongaps=False, colorscale=CELL_SCALE, zmin=0, zmax=1,
                            showscale=False, xgap=2, ygap=2, xaxis="x2", yaxis="y2"))
    has_unknown = any(v is not None for r in unknown_z for v in r)
    if has_unknown:
        # unknown cells: a grey layer over the gaps the main heatmap leaves there, with the same text and hover
        fig["data"].append(dict(type="heatmap", z=unknown_z, x=x, y=labels, text=unknown_text, texttemplate="%{text}",
                                 textfont={"size": 12, "color": text_colour_on(UNKNOWN_COLOUR)},
                                 customdata=[[slug] * len(columns) for slug in df["slug"]], hovertext=unknown_hover,
                                 hoverinfo="text", hoverongaps=False,
                                 colorscale=[[0, UNKNOWN_COLOUR], [1, UNKNOWN_COLOUR]], zmin=0, zmax=1,
                                 showscale=False, xgap=2, ygap=2, name=tr.gettext("unknown"), xaxis="x2",
                                 yaxis="y2"))
    cells = [(x[j], labels[i], text[i][j], z[i][j]) for i in range(len(labels)) for j in range(len(columns))
             if text[i][j] and z[i][j] is not None]
    fig["data"].append(dict(
        type="scatter", x=[c[0] for c in cells], y=[c[1] for c in cells], text=[c[2] for c in cells], mode="text",
        textfont={"size": 11, "color": [cell_text_colour(c[3]) for c in cells]},
        hoverinfo="skip", showlegend=False, name="cell-text", xaxis="x2", yaxis="y2"))
    # the key over the headers: what colour means, the region band's colours, the grey and orange marks
    present = [r for r in regions if r in set(df["region"])]
    items = [_swatch(REGION_COLOURS[r], tr.region_label(r)) for r in present]
    if has_unknown:
        items.append(_swatch(UNKNOWN_COLOUR, tr.gettext("? unknown (unreadable in the report)")))
    if additions_key:
        items.append(_swatch(ADDITION_COLOUR, additions_key, symbol="□"))
    colour_words = colour_key_text(tr)
    key = textwrap.wrap(colour_words, NOTE_CHARS) + _key_lines(items)
    header_chars = max(len(line) for h in x for line in h.split("<br>"))
    header_band = round(_text_px(header_chars, HEADER_FONT)) + 12
    key_band = 15 * len(key) + 10
    top = TOP_BAND + key_band + header_band
    label_px = round(_text_px(max((len(n) for n in labels), default=4), 12)) + 8
    plot_h = ROW_HEIGHT * len(df)
    height = top + plot_h + 110
    base_layout(fig, title=title, subtitle=subtitle, height=height)
    update_layout(fig, title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 10}})
    add_annotation(fig, text="<br>".join(key), xref="paper", yref="paper", x=0, y=1, xanchor="left",
                   yanchor="bottom", yshift=header_band + 4, xshift=-label_px, align="left", showarrow=False,
                   font={"size": 11, "color": "#343A40"})
    update_layout(
        fig, xaxis={"visible": False},
        xaxis2={"side": "top", "tickfont": {"size": HEADER_FONT}, "tickangle": -90, "showgrid": False,
                "automargin": False},
        # every name, always: plotly drops category labels it thinks too dense unless each one is asked for
        yaxis={"tickfont": {"size": 12}, "tickmode": "array", "tickvals": labels, "ticktext": labels,
               "automargin": True, "showgrid": False,
               # the rows, exactly: the region boundaries (shapes) would pad plotly's autorange by about 7 empty
               # rows at each end (a 150 px band between the headers and the first member)
               "range": [-0.5, len(labels) - 0.5], "autorange": False},
        yaxis2={"showgrid": False},
        plot_bgcolor="white", showlegend=False, margin={"t": top, "l": 10 + label_px, "r": 10})
    set_top_extra(fig, key_band + header_band)  # lay_out puts the key and headers under a title of any lines
    if sort_by == "region":
        row_regions = df["region"].tolist()  # a list: a Series' .iloc per row costs microseconds each
        boundaries = [i for i in range(1, len(row_regions)) if row_regions[i] != row_regions[i - 1]]
        for b in boundaries:
            add_line(fig, y=b - 0.5, line={"color": "#495057", "width": 1.5}, xref="x2", yref="y2")
    return with_source(fig, source, tr=tr, note=note)


def integer_ticks(top: int, length_px: float, spacing_px: float = 30) -> list[int]:
    """Whole-number ticks from 0 to at least `top`, in a round step (1, 2, 5, 10, 20, 25, 50, ...), at most one per
    `spacing_px` of a colour bar `length_px` long: a count has no '0.5', and a short bar gets few ticks rather
    than a pile of them."""
    top = max(1, int(top))
    most = max(2, int(length_px // spacing_px))
    if most == 2:  # room for two: none and the highest
        return [0, top]
    wanted = top / (most - 1)
    step, base = 1, 1
    while step < wanted:
        step = next((m * base for m in (1, 2, 2.5, 5, 10) if m * base >= wanted and float(m * base).is_integer()),
                    10 * base)
        base *= 10
    step = int(step)
    return list(range(0, top + step, step)) if top % step else list(range(0, top + 1, step))


def activations_heatmap_figure(df: pd.DataFrame, *, regions: list[str], title: str, subtitle: str, source: str,
                               tr: Translator, note: str = "", key_note: str = "") -> dict:
    """Heatmap of member activations by events, per region (rows) and month (columns, January to December).

    `df` is activations_by_region_month: region, month, activations, members. Empty months show 0.
    `key_note` is drawn on the chart, over the months (why months look empty), not only under it (a slide
    prints it as text under its source: the annotation is named KEY_NAME). The colour
    bar has whole-number ticks; each cell's text is dark or white by its fill; the height follows the rows.
    """
    if df.empty:
        return empty_figure(tr.gettext("No event in the selected regions and year names its activated members."),
                            title=title, subtitle=subtitle)
    months = list(range(1, 13))
    month_names = tr.month_abbreviations()
    grid = df.pivot_table(index="region", columns="month", values="activations", aggfunc="sum", fill_value=0)
    distinct = df.pivot_table(index="region", columns="month", values="members", aggfunc="sum", fill_value=0)
    rows = [r for r in regions][::-1]
    z = [[int(grid.loc[r, mth]) if r in grid.index and mth in grid.columns else 0 for mth in months] for r in rows]
    m_ = [[int(distinct.loc[r, mth]) if r in distinct.index and mth in distinct.columns else 0 for mth in months]
          for r in rows]
    hover = [[tr.gettext("%(region)s, %(month)s: %(n)s activations of %(m)s members", region=tr.region_label(r), month=month_names[j],
                n=z[i][j], m=m_[i][j]) for j in range(12)] for i, r in enumerate(rows)]
    text = [[str(v) if v else "" for v in row] for row in z]
    labels = [tr.region_label(r) for r in rows]
    top_value = max(1, max(max(r) for r in z))
    key = textwrap.wrap(key_note, NOTE_CHARS) if key_note else []
    row_px = 56
    plot_h = row_px * len(rows)
    # months at the top, like the member heatmaps' headers: flat, or upright where the frame is narrow
    month_band = round(_text_px(max(len(m) for m in month_names), 13)) + 10
    top = TOP_BAND + month_band + key_band(len(key))
    height = top + plot_h + 80
    ticks = integer_ticks(top_value, min(plot_h, 150))  # the bar may be squeezed in a small frame
    fig = new_figure([dict(type="heatmap", z=z, x=month_names, y=labels, text=text, texttemplate="", hovertext=hover,
                               hoverinfo="text", colorscale=CELL_SCALE, zmin=0, zmax=ticks[-1], xgap=3, ygap=3,
                               colorbar={"title": {"text": tr.gettext("Activations"), "font": {"size": 12},
                                                   "side": "right"},
                                         "thickness": 14, "len": 1, "lenmode": "fraction", "tickmode": "array",
                                         "tickvals": ticks, "ticktext": [tr.format_number(t) for t in ticks],
                                         "tickfont": {"size": 11}})])
    cells = [(month_names[j], labels[i], text[i][j], z[i][j] / ticks[-1]) for i in range(len(rows)) for j in range(12)
             if text[i][j]]
    fig["data"].append(dict(type="scatter", x=[c[0] for c in cells], y=[c[1] for c in cells], text=[c[2] for c in cells],
                             mode="text", hoverinfo="skip", showlegend=False, name="cell-text",
                             textfont={"size": 14, "color": [cell_text_colour(c[3]) for c in cells]}))
    base_layout(fig, title=title, subtitle=subtitle, height=height)
    update_layout(fig, title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 10}})
    # a long region name on two lines: the months keep their width in a narrow frame
    ticktext = ["<br>".join(textwrap.wrap(name, 18)) for name in labels]
    label_px = round(_text_px(max(len(line) for t in ticktext for line in t.split("<br>")), 13)) + 22
    if key:
        add_annotation(fig, text="<br>".join(key), xref="paper", yref="paper", x=0, y=1, xanchor="left",
                       yanchor="bottom", yshift=month_band + 4, xshift=-label_px, align="left", showarrow=False,
                       font={"size": 11, "color": "#343A40"}, name=KEY_NAME)
    update_layout(fig, yaxis={"tickfont": {"size": 13}, "automargin": True, "tickmode": "array", "tickvals": labels,
                              "ticktext": ticktext, "ticklabelstandoff": 22},
                  xaxis={"side": "top", "tickfont": {"size": 12}, "tickmode": "array", "tickvals": month_names,
                         "autotickangles": [0, 90], "automargin": False},
                  plot_bgcolor="white", margin={"t": top, "l": 10 + label_px})
    set_top_extra(fig, month_band + key_band(len(key)))  # the months and key note under a title of any lines
    for r_i, region in enumerate(rows):
        add_annotation(fig, x=-0.5, y=r_i, xref="x", yref="y", text="■", showarrow=False, xshift=-12,
                       font={"color": REGION_COLOURS.get(region, MUTED_COLOUR), "size": 16})
    return with_source(fig, source, tr=tr, note=note)


ADDITION_COLOUR = "#D55E00"


def mark_recorded_additions(fig: dict, additions: pd.DataFrame, *, columns: tuple[MatrixColumn, ...],
                            legend: str, hover: dict[tuple[str, str], str], tr: Translator) -> dict:
    """Mark the cells of a member matrix (member_matrix_figure) that records entered in the dashboard since the
    report add to: an open orange square around the cell and a '+n' beside its value, with `hover[(slug,
    dimension)]` as the hover text ('recorded in the dashboard by ... on ...'). The printed value of the cell is
    left as it is. `additions` is recorded_additions_by_member (member, slug, dimension, added); members not
    drawn (beyond the row limit) and dimensions not shown are skipped. `legend` names the mark."""
    if additions is None or additions.empty or len(fig["data"]) < 2:
        return fig
    heat = fig["data"][1]
    shown = set(heat.get("y") or ())
    drawn = set(heat.get("x") or ())
    labels = {c.key: h for c in columns for h in (header_text(c, tr, lines=1), header_text(c, tr, lines=2))
              if h in drawn}
    rows = additions[additions["member"].isin(shown) & additions["dimension"].isin(labels)]
    if rows.empty:
        return fig
    fig["data"].append(dict(
        type="scatter", x=[labels[d] for d in rows["dimension"]], y=list(rows["member"]), mode="markers+text",
        text=[f"+{int(n)}" for n in rows["added"]], textposition="middle right", cliponaxis=False,
        textfont={"size": 10, "color": ADDITION_COLOUR},
        marker={"symbol": "square-open", "size": 15, "color": ADDITION_COLOUR, "line": {"width": 2}},
        name=legend, showlegend=False, customdata=[[s] for s in rows["slug"]],  # named in the matrix's key
        hovertext=[hover.get((s, d), "") for s, d in zip(rows["slug"], rows["dimension"])], hoverinfo="text",
        xaxis="x2", yaxis="y2"))
    return fig
