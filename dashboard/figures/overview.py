"""Overview figures: shares of members by region."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.style import REGION_COLOURS, base_layout, empty_figure, with_source
from dashboard.i18n import _, format_percent


def share_by_region_figure(df: pd.DataFrame, *, measure: str, title: str, subtitle: str, source: str,
                           note: str = "") -> go.Figure:
    """Horizontal bars: share of each region's members counted in `measure` (a column of counts).

    `df` has columns region, members and `measure` (engagement_by_region). Labels read '15 of 16 · 94%'.
    """
    df = df[df["members"] > 0]
    if df.empty:
        return empty_figure(_("No members in the selected regions."), title=title, subtitle=subtitle)
    df = df.iloc[::-1]  # first region at the top
    share = df[measure] / df["members"]
    labels = [_("%(n)s of %(total)s · %(share)s", n=n, total=t, share=format_percent(s))
              for n, t, s in zip(df[measure], df["members"], share)]
    fig = go.Figure(go.Bar(
        x=share, y=df["region"], orientation="h", text=labels, textposition="outside", cliponaxis=False,
        marker_color=[REGION_COLOURS.get(r, "#6C757D") for r in df["region"]],
        customdata=df[[measure, "members"]],
        hovertemplate="%{y}: %{customdata[0]} of %{customdata[1]} members (%{x:.0%})<extra></extra>",
    ))
    base_layout(fig, title=title, subtitle=subtitle, height=140 + 60 * len(df))
    fig.update_xaxes(range=[0, 1.25], tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1], showgrid=True)
    fig.update_yaxes(automargin=True)
    fig.update_layout(margin={"l": 20, "r": 30}, bargap=0.35)
    return with_source(fig, source, note=note)
