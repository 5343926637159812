"""Figure builders return plain figure dicts (issue 14): checked here against plotly's schema (go.Figure raises on a
property plotly does not know), for every builder, every language and several filters, so that serving a page never
builds plotly graph objects; and the pieces written out by hand (the house template, the member matrix's subplot
grid, the lines across a plot) are checked against what plotly itself makes.

After a plotly upgrade, write the template again with
`.venv/bin/python -c "from tests.unit.test_figure_schema import write_template; write_template()"`."""

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from dashboard.figures import action_plan, engagement, events, gender, indicators, overview, style
from dashboard.figures import map as f_map
from dashboard.translation import translator
from tests.figure_schema import validated
from tests.unit import test_figures as data
from tests.unit import test_indicator_figures as idata
from tests.unit.test_figures_pure import _builds

# the trace types the builders draw (the custom plotly.js bundle has these; indicator needs no template entry)
TEMPLATE_TRACES = ("bar", "scatter", "heatmap", "histogram", "scattergeo")
UNUSED_LAYOUT = ("polar", "scene", "ternary")  # plotly_white's parts for trace types never drawn


def house_template() -> dict:
    """plotly_white with the house fonts, kept to the trace types the figures draw: what house_template.json holds."""
    white = pio.templates["plotly_white"].to_plotly_json()
    layout = {k: v for k, v in white["layout"].items() if k not in UNUSED_LAYOUT}
    layout = style.merge(layout, {"font": {"family": style.FONT_FAMILY, "size": style.BASE_FONT_SIZE,
                                           "color": style.TEXT_COLOUR},
                                  "hoverlabel": {"font": {"family": style.FONT_FAMILY, "size": 13}},
                                  "legend": {"font": {"size": 13}}, "separators": ".,"})
    return json.loads(json.dumps({"data": {k: v for k, v in white["data"].items() if k in TEMPLATE_TRACES},
                                  "layout": layout}))


def write_template() -> None:
    style.TEMPLATE_PATH.write_text(json.dumps(house_template(), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _every_figure(lang: str) -> dict[str, dict]:
    """Every builder's figure dict: the unit tests' frames (all regions, empty frames) and one region's."""
    tr = translator(lang)
    built = {k: v for k, v in _builds(tr).items() if isinstance(v, dict) and "layout" in v}
    europe = data.MAP[data.MAP["region"] == "Europe"]
    built.update({
        "share-one-region": overview.share_by_region_figure(data.BY_REGION.iloc[1:2], measure="activated", title="t",
                                                            subtitle="Europe", source="x", tr=tr),
        "share-unknown": overview.share_by_region_figure(data.BY_REGION.assign(fee_unknown=[0, 1, 0]), measure="fee_paid", title="t",
                                                         subtitle="s", source="x", unknown="fee_unknown", tr=tr),
        "map-one-region": f_map.member_map_figure(europe, year=2020, colour_by="region", zoom_to_data=True, title="t",
                                                  subtitle="Europe", source="x", tr=tr),
        "map-empty": f_map.member_map_figure(data.MAP.iloc[0:0], year=2020, colour_by="region", zoom_to_data=False,
                                             title="t", subtitle="s", source="x", tr=tr),
        "location": f_map.member_location_figure(40.4, -3.7, name="Madrid", region="Europe"),
        "matrix-unknown": engagement.member_matrix_figure(data._with_unknown_row(), columns=engagement.ENGAGEMENT_MATRIX,
                                                          sort_by="region", title="t", subtitle="s", source="x", tr=tr),
        "matrix-one-region": engagement.member_matrix_figure(data.ENG[data.ENG["region"] == "Europe"],
                                                             columns=engagement.ENGAGEMENT_MATRIX, sort_by="total",
                                                             title="t", subtitle="Europe", source="x", tr=tr),
        "matrix-empty": engagement.member_matrix_figure(data.ENG.iloc[0:0], columns=engagement.ENGAGEMENT_MATRIX,
                                                        sort_by="region", title="t", subtitle="s", source="x", tr=tr),
        "activations-key": engagement.activations_heatmap_figure(
            pd.DataFrame({"region": ["Europe"], "month": [7], "activations": [3], "members": [3]}), regions=["Europe"],
            title="t", subtitle="Europe", source="x", key_note="Only one report names them.", tr=tr),
        "activations-empty": engagement.activations_heatmap_figure(
            pd.DataFrame(columns=["region", "month", "activations", "members"]), regions=["Europe"], title="t",
            subtitle="s", source="x", tr=tr),
        "gauges-empty": action_plan.completion_gauges_figure(data.COMPLETION.iloc[0:0], title="t", subtitle="s",
                                                             source="x", tr=tr),
        "status-hint": action_plan.status_by_line_figure(data.COMPLETION.iloc[0:1], title="t", subtitle="s",
                                                         source="x", hint="Click a bar.", tr=tr),
        "timeline-empty": events.events_timeline_figure(data.EVENTS.iloc[0:0], year=2020, title="t", subtitle="s",
                                                        source="x", tr=tr),
        "per-month-empty": events.events_per_month_figure(data.EVENTS.iloc[0:0], title="t", subtitle="s", source="x",
                                                          tr=tr),
        "gender-one": gender.gender_parity_figure(data.GENDER.iloc[0:1], title="t", subtitle="s", source="x", tr=tr),
        "ranking-no-network": indicators.indicator_ranking_figure(idata.ROWS, network_label="n", tr=tr,
                                                                  **{**idata.COMMON, "network_value": None}),
        "distribution-empty": indicators.indicator_distribution_figure(idata.values([]), network_label="n", tr=tr,
                                                                       **idata.COMMON),
        "empty": style.empty_figure("Nothing", title="t", subtitle="s"),
    })
    return built


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_builder_returns_a_plain_figure_dict_that_plotly_validates(lang):
    figures = _every_figure(lang)
    assert len(figures) >= 35
    for name, fig in figures.items():
        checked = validated(fig)  # raises on a property plotly does not know, or a value of the wrong kind
        assert json.loads(pio.to_json(checked))["data"] == json.loads(pio.to_json(fig, validate=False))["data"], name
        pio.to_json(fig, validate=False, engine="json")  # encodable as Dash encodes it, without plotly's objects


def test_the_house_template_is_plotly_white_with_the_house_fonts_for_the_traces_drawn():
    assert style.TEMPLATE == house_template()
    drawn = {t["type"] for fig in _every_figure("en").values() for t in fig["data"]}
    assert drawn - {"indicator"} <= set(TEMPLATE_TRACES)  # a new trace type needs its entry (write_template)
    fig = go.Figure(style.new_figure())
    assert fig.layout.template.layout.font.family == style.FONT_FAMILY and fig.layout.template.layout.plot_bgcolor == "white"


def test_a_figure_shares_the_template_and_never_changes_it():
    before = json.dumps(style.TEMPLATE, sort_keys=True)
    one, two = style.new_figure(), style.empty_figure("m")
    assert one["layout"]["template"] is two["layout"]["template"] is style.TEMPLATE
    style.lay_out(two, style.EMBED)
    style.update_layout(one, font={"size": 30}, xaxis={"title": {"text": "x"}})
    assert json.dumps(style.TEMPLATE, sort_keys=True) == before


def test_the_matrix_grid_is_plotlys_subplot_grid():
    grid = make_subplots(rows=1, cols=2, column_widths=[0.03, 0.97], shared_yaxes=True,
                         horizontal_spacing=0.004).to_dict()["layout"]
    grid.pop("template")
    assert grid == engagement.MATRIX_GRID


def test_lines_across_the_plot_are_plotlys_vline_and_hline():
    line = {"color": "#212529", "width": 2, "dash": "dash"}
    theirs = go.Figure(go.Bar(x=[1], y=[1])).add_vline(x=0.5, line=line).to_dict()["layout"]["shapes"]
    assert style.add_line(style.new_figure(), x=0.5, line=line)["layout"]["shapes"] == theirs
    grid = make_subplots(rows=1, cols=2, shared_yaxes=True)
    grid.add_trace(go.Heatmap(z=[[1]]), row=1, col=2)
    theirs = grid.add_hline(y=1.5, line=line, row=1, col=2).to_dict()["layout"]["shapes"]
    assert style.add_line(style.new_figure(), y=1.5, line=line, xref="x2", yref="y2")["layout"]["shapes"] == theirs


def test_merge_is_plotlys_update():
    theirs = go.Figure(layout={"title": {"text": "T", "font": {"size": 20}}, "margin": {"t": 60, "b": 90}})
    theirs.update_layout(title={"yref": "container", "font": {"color": "#000000"}}, margin={"t": 10})
    ours = style.merge({"title": {"text": "T", "font": {"size": 20}}, "margin": {"t": 60, "b": 90}},
                       {"title": {"yref": "container", "font": {"color": "#000000"}}, "margin": {"t": 10}})
    assert theirs.to_dict()["layout"] | {"template": None} == ours | {"template": None}
