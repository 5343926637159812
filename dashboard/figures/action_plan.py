"""Action plan figures: completion gauges and status bars per action line."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.style import (
    STATUS_COLOURS,
    TEXT_COLOUR,
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
STATUS_LABELS = {
    "done": N_("Done"),
    "in_progress": N_("In progress"),
    "not_done": N_("Not done"),
    "unknown": N_("No status yet"),
}


def completion_gauges_figure(df: pd.DataFrame, *, title: str, subtitle: str, source: str, tr: Translator,
                             note: str = "") -> dict:
    """One gauge per action line and one overall: share of deliverables done, with counts.

    `df` is completion_by_line: line, line_title, done, in_progress, not_done, unknown, total.
    """
    if df.empty or df["total"].sum() == 0:
        return empty_figure(tr.gettext("This plan has no deliverables."), title=title, subtitle=subtitle)
    overall = df[["done", "in_progress", "total"]].sum().to_dict()
    panels = [(tr.gettext("Overall"), overall)] + [(row["line"], row) for row in df.to_dict("records")]
    fig = new_figure()
    width, gap = 1 / len(panels), 0.03
    for i, (label, row) in enumerate(panels):
        done, in_progress, total = int(row["done"]), int(row["in_progress"]), int(row["total"])
        share = 100 * done / total if total else 0
        fig["data"].append(dict(
            type="indicator", mode="gauge+number", value=share, number={"suffix": tr.percent_suffix(), "font": {"size": 34}, "valueformat": ".0f"},
            title={"text": f"<b>{label}</b><br><span style='font-size:13px'>"
                   + tr.gettext("%(done)s of %(total)s done · %(progress)s in progress", done=done, total=total,
                       progress=in_progress) + "</span>", "font": {"size": 16}},
            gauge={"axis": {"range": [0, 100], "visible": False},
                   "bar": {"color": STATUS_COLOURS["done"], "thickness": 0.7},
                   "steps": [{"range": [share, min(100, share + 100 * in_progress / total if total else 0)],
                              "color": "#F8D9A0"}],
                   "bordercolor": "#DEE2E6", "borderwidth": 1, "bgcolor": "#F1F3F5"},
            # the gauges stop below 75% of the height: their titles sit above them, under the figure's title
            domain={"x": [i * width + gap / 2, (i + 1) * width - gap / 2], "y": [0, 0.68]},
        ))
    base_layout(fig, title=title, subtitle=subtitle, height=440)
    update_layout(fig, margin={"t": 130, "b": 70, "l": 30, "r": 30})
    return with_source(fig, source, tr=tr, note=note)


def status_by_line_figure(df: pd.DataFrame, *, title: str, subtitle: str, source: str, tr: Translator,
                          note: str = "", hint: str = "") -> dict:
    """Stacked horizontal bars: deliverables of each action line by status; customdata[0] is the line code.
    `hint` (what a click does) is drawn only on the page."""
    if df.empty:
        return empty_figure(tr.gettext("This plan has no deliverables."), title=title, subtitle=subtitle)
    df = df.iloc[::-1]
    ylabels = [f"{row.line} · {row.line_title}" for row in df.itertuples()]
    fig = new_figure()
    for status in ("done", "in_progress", "not_done", "unknown"):
        if df[status].sum() == 0:
            continue
        fig["data"].append(dict(
            type="bar", y=ylabels, x=as_list(df[status]), orientation="h", name=tr.gettext(STATUS_LABELS[status]),
            marker={"color": STATUS_COLOURS[status]}, text=[str(v) if v else "" for v in df[status]],
            textposition="inside", insidetextanchor="middle",
            textfont={"color": "white" if status != "unknown" else TEXT_COLOUR, "size": 14},
            customdata=df[["line"]].to_numpy().tolist(),
            hovertemplate="%{y}<br>" + tr.gettext(STATUS_LABELS[status]) + ": %{x}<extra></extra>"))
    base_layout(fig, title=title, subtitle=subtitle, plot_height=20 + 60 * len(df), bar_rows=len(df))
    most = int(df["total"].max() or 1)
    update_layout(fig, barmode="stack", bargap=0.35, legend={"traceorder": "normal"},
                  xaxis={"title": {"text": tr.gettext("Deliverables")}, **count_axis(most)},
                  yaxis={"automargin": True, "tickfont": {"size": 13}})
    _set_meta(fig, x_count=most)  # lay_out gives a narrow plot fewer ticks
    return with_source(fig, source, tr=tr, note=note, hint=hint)
