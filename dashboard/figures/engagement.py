"""Engagement figures: member-by-dimension heatmaps and activations by region and month."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.style import (
    MUTED_COLOUR,
    REGION_COLOURS,
    SEQUENTIAL,
    UNKNOWN_COLOUR,
    base_layout,
    empty_figure,
    with_source,
)
from dashboard.translation import N_, Translator

ROW_HEIGHT = 19
SORT_MODES = ("region", "total")
MATRIX_MAX_ROWS = 150  # a taller heatmap cannot be read: beyond it, the most engaged members are drawn


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


def _breadth(df: pd.DataFrame, columns: tuple[MatrixColumn, ...]) -> pd.Series:
    """In how many of `columns` each row engaged."""
    total = pd.Series(0, index=df.index)
    for c in columns:
        total += df[c.key].map(lambda v, kind=c.kind: _engaged(v, kind)).astype(int)
    return total


def member_matrix_figure(df: pd.DataFrame, *, columns: tuple[MatrixColumn, ...], sort_by: str, title: str,
                         subtitle: str, source: str, tr: Translator, note: str = "",
                         max_rows: int = MATRIX_MAX_ROWS) -> go.Figure:
    """Heatmap of members (rows, grouped by region or sorted by breadth) by dimension (columns).

    Colour is the value relative to its column's maximum (booleans 0/1); cells show the exact value; hover gives
    the value and the row's source line. customdata holds the member slug. A band on the left shows the region.
    A cell named in the row's 'unknown_cells' (unreadable in the report) is drawn apart: grey, marked '?', with
    its own hover, by a third heatmap over the main one, and a legend entry says what it means.
    Past `max_rows` members, only the `max_rows` most engaged are drawn, and the note says so.
    """
    if df.empty:
        return empty_figure(tr.gettext("No members in the selected regions and year."), title=title, subtitle=subtitle)
    df = df.copy()
    df["_breadth"] = _breadth(df, columns)
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
    df = df.iloc[::-1].reset_index(drop=True)  # heatmap rows go bottom-up: reverse so the first is on top
    maxima = {c.key: max(1.0, float(pd.to_numeric(df[c.key], errors="coerce").fillna(0).max()))
              for c in columns if c.kind == "count"}
    headers = {c.key: tr.gettext(c.label) for c in columns}
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
    labels = [f"{name}" for name in df["member"]]
    x = [headers[c.key] for c in columns]
    fig = make_subplots(rows=1, cols=2, column_widths=[0.025, 0.975], shared_yaxes=True, horizontal_spacing=0.004)
    regions = list(REGION_COLOURS)
    region_index = [regions.index(r) if r in regions else len(regions) for r in df["region"]]
    band_scale = [[i / (len(regions) - 1), REGION_COLOURS[r]] for i, r in enumerate(regions)]
    fig.add_trace(go.Heatmap(z=[[i] for i in region_index], x=[""], y=labels, colorscale=band_scale, zmin=0,
                             zmax=len(regions) - 1, showscale=False, hovertext=[[r] for r in df["region"]],
                             hoverinfo="text", xgap=0, ygap=1), row=1, col=1)
    fig.add_trace(go.Heatmap(z=z, x=x, y=labels, text=text, texttemplate="%{text}", textfont={"size": 11},
                             customdata=[[slug] * len(columns) for slug in df["slug"]], hovertext=hover,
                             hoverinfo="text", hoverongaps=False, colorscale=SEQUENTIAL, zmin=0, zmax=1,
                             showscale=False, xgap=2, ygap=2), row=1, col=2)
    if any(v is not None for r in unknown_z for v in r):
        # unknown cells: a grey layer over the gaps the main heatmap leaves there, with the same text and hover
        fig.add_trace(go.Heatmap(z=unknown_z, x=x, y=labels, text=unknown_text, texttemplate="%{text}",
                                 textfont={"size": 12, "color": "#212529"},
                                 customdata=[[slug] * len(columns) for slug in df["slug"]], hovertext=unknown_hover,
                                 hoverinfo="text", hoverongaps=False,
                                 colorscale=[[0, UNKNOWN_COLOUR], [1, UNKNOWN_COLOUR]], zmin=0, zmax=1,
                                 showscale=False, xgap=2, ygap=2, name=tr.gettext("unknown")), row=1, col=2)
    for region in regions:
        if region in set(df["region"]):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=tr.region_label(region), showlegend=True,
                                     marker={"symbol": "square", "size": 12, "color": REGION_COLOURS[region]}),
                          row=1, col=2)
    if any(v is not None for r in unknown_z for v in r):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", showlegend=True,
                                 name=tr.gettext("? unknown (unreadable in the report)"),
                                 marker={"symbol": "square", "size": 12, "color": UNKNOWN_COLOUR}), row=1, col=2)
    height = 230 + ROW_HEIGHT * len(df)
    base_layout(fig, title=title, subtitle=subtitle, height=height)
    fig.update_xaxes(side="top", tickfont={"size": 12}, showgrid=False, row=1, col=2)
    fig.update_xaxes(visible=False, row=1, col=1)
    fig.update_yaxes(tickfont={"size": 12}, automargin=True, showgrid=False, row=1, col=1)
    fig.update_yaxes(showgrid=False, row=1, col=2)
    fig.update_layout(plot_bgcolor="white", margin={"t": 150, "l": 10, "r": 10},
                      legend={"orientation": "h", "yref": "container", "yanchor": "top", "y": 1 - 62 / height,
                              "xanchor": "right", "x": 1})
    if sort_by == "region":
        boundaries = [i for i in range(1, len(df)) if df["region"].iloc[i] != df["region"].iloc[i - 1]]
        for b in boundaries:
            fig.add_hline(y=b - 0.5, line={"color": "#495057", "width": 1.5}, row=1, col=2)
    return with_source(fig, source, tr=tr, note=note)


def activations_heatmap_figure(df: pd.DataFrame, *, regions: list[str], title: str, subtitle: str, source: str,
                               tr: Translator, note: str = "") -> go.Figure:
    """Heatmap of member activations by events, per region (rows) and month (columns, January to December).

    `df` is activations_by_region_month: region, month, activations, members. Empty months show 0.
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
    fig = go.Figure(go.Heatmap(z=z, x=month_names, y=[tr.region_label(r) for r in rows], text=text, texttemplate="%{text}",
                               textfont={"size": 14}, hovertext=hover, hoverinfo="text", colorscale=SEQUENTIAL,
                               zmin=0, xgap=3, ygap=3,
                               colorbar={"title": {"text": tr.gettext("Activations"), "font": {"size": 12}}, "thickness": 14}))
    base_layout(fig, title=title, subtitle=subtitle, height=200 + 56 * len(rows))
    fig.update_yaxes(tickfont={"size": 13}, automargin=True)
    fig.update_xaxes(side="bottom", tickfont={"size": 13})
    fig.update_layout(plot_bgcolor="white")
    for r_i, region in enumerate(rows):
        fig.add_annotation(x=-0.5, y=r_i, xref="x", yref="y", text="■", showarrow=False, xshift=-12,
                           font={"color": REGION_COLOURS.get(region, MUTED_COLOUR), "size": 16})
    return with_source(fig, source, tr=tr, note=note)


ADDITION_COLOUR = "#D55E00"


def mark_recorded_additions(fig: go.Figure, additions: pd.DataFrame, *, columns: tuple[MatrixColumn, ...],
                            legend: str, hover: dict[tuple[str, str], str], tr: Translator) -> go.Figure:
    """Mark the cells of a member matrix (member_matrix_figure) that records entered in the dashboard since the
    report add to: an open orange square around the cell and a '+n' beside its value, with `hover[(slug,
    dimension)]` as the hover text ('recorded in the dashboard by ... on ...'). The printed value of the cell is
    left as it is. `additions` is recorded_additions_by_member (member, slug, dimension, added); members not
    drawn (beyond the row limit) and dimensions not shown are skipped. `legend` names the mark."""
    if additions is None or additions.empty or len(fig.data) < 2:
        return fig
    heat = fig.data[1]
    shown = set(heat.y)
    labels = {c.key: tr.gettext(c.label) for c in columns}  # the matrix's headers, as drawn
    rows = additions[additions["member"].isin(shown) & additions["dimension"].isin(labels)]
    if rows.empty:
        return fig
    fig.add_trace(go.Scatter(
        x=[labels[d] for d in rows["dimension"]], y=list(rows["member"]), mode="markers+text",
        text=[f"+{int(n)}" for n in rows["added"]], textposition="middle right", cliponaxis=False,
        textfont={"size": 10, "color": ADDITION_COLOUR},
        marker={"symbol": "square-open", "size": 15, "color": ADDITION_COLOUR, "line": {"width": 2}},
        name=legend, showlegend=True, customdata=[[s] for s in rows["slug"]],
        hovertext=[hover.get((s, d), "") for s, d in zip(rows["slug"], rows["dimension"])], hoverinfo="text"),
        row=1, col=2)
    return fig
