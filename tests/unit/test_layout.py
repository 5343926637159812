"""The layout engine (style.lay_out): the bands of title, legend, notes and source sized from their lines, for
each medium, so they never overlap each other or the axis labels, and never leave the canvas (issue 13)."""

import copy

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.action_plan import status_by_line_figure
from dashboard.figures.events import events_per_month_figure
from dashboard.figures.overview import share_by_region_figure
from dashboard.figures.style import (
    CHAR_WIDTH,
    EDGE,
    EMBED,
    EXPORT,
    KIND_COLOURS,
    MAX_BAND,
    ROLE_COLOURS,
    SCREEN,
    SOURCE_SIZE,
    count_axis,
    lay_out,
)
from dashboard.translation import ENGLISH as EN
from tests.figure_schema import validating

# the builders' figure dicts checked against plotly's schema, read as go.Figure objects
status_by_line_figure, events_per_month_figure, share_by_region_figure = map(
    validating, (status_by_line_figure, events_per_month_figure, share_by_region_figure))

LONG_SOURCE = ("Metropolis Annual Report 2020, 2.3. Action Line 3; Metropolis Progress Report July-September 2021, "
               "Action Line 1, 1.1. Advocacy; Action Line 2, 2.3. Action Line 2, 2.3. Additional words for a long "
               "line that a slide could never hold on one line")


def plan(lines: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"line": [f"L{i}" for i in range(1, lines + 1)],
                         "line_title": ["Developing a strong, consultative and sustainable internal governance culture"]
                         * lines, "done": [3] * lines, "in_progress": [1] * lines, "not_done": [2] * lines,
                         "unknown": [0] * lines, "total": [6] * lines})


def shares(regions=("Europe", "Africa")) -> pd.DataFrame:
    return pd.DataFrame({"region": list(regions), "members": [16] * len(regions), "activated": [14] * len(regions)})


def annotation(fig, name):
    return next((a for a in fig.layout.annotations if a.name == name), None)


def test_an_exported_source_line_is_wrapped_to_the_canvas_and_sits_under_the_axis_title():
    fig = status_by_line_figure(plan(), title="Deliverables by status and action line", subtitle="All regions · 2020",
                                source=LONG_SOURCE, tr=EN, hint="Click a bar to list that line's deliverables.")
    out = lay_out(go.Figure(fig), EXPORT.sized(1280, 720))
    source = annotation(out, "source")
    lines = source.text.split("<br>")
    assert len(lines) >= 2  # the one line of today ran off the right edge
    start = out.layout.margin.l + source.xshift  # the canvas' x where the lines start
    assert start >= EDGE - 1 and all(start + len(line) * SOURCE_SIZE * CHAR_WIDTH <= 1280 - EDGE for line in lines)
    # under the tick labels and the axis title ("Deliverables"), and inside the bottom margin
    assert -source.yshift >= 2 * 14 * 1.3
    assert out.layout.margin.b >= -source.yshift + len(lines) * SOURCE_SIZE * 1.3


def test_page_hints_are_drawn_on_the_page_only_and_the_page_leaves_the_source_to_its_html_note():
    fig = status_by_line_figure(plan(), title="T", subtitle="S", source="Src", tr=EN, hint="Click a bar.")
    screen = lay_out(go.Figure(fig), SCREEN)
    assert annotation(screen, "hint") is not None and annotation(screen, "source") is None
    for medium in (EXPORT.sized(1280, 720), EMBED):
        out = lay_out(go.Figure(fig), medium)
        assert annotation(out, "hint") is None
    assert annotation(lay_out(go.Figure(fig), EXPORT.sized(1280, 720)), "source").text.startswith("Source: Src")
    assert annotation(lay_out(go.Figure(fig), EMBED), "source") is None  # the embed's footer prints it


def test_the_legend_has_a_band_of_its_own_under_the_title_and_subtitle():
    df = pd.DataFrame({"start_date": pd.to_datetime(["2020-01-10", "2020-03-02", "2020-03-20"]),
                       "kind": ["statutory", "webinar", "global_event"]})
    fig = events_per_month_figure(df, title="Events per month, by kind", subtitle="All regions · 2020 · as printed",
                                  source="Src", tr=EN)
    wide, narrow = lay_out(go.Figure(fig), EXPORT.sized(1280, 720)), lay_out(go.Figure(fig), EMBED)
    for out in (wide, narrow):
        assert out.layout.legend.orientation == "h" and out.layout.legend.y == 1 and out.layout.legend.yanchor == "bottom"
        title_band = EDGE + 20 * 1.3 + 14 * 1.3
        assert out.layout.margin.t >= title_band + 20  # the title band, then at least a row of legend
    assert narrow.layout.margin.t > wide.layout.margin.t  # three kinds wrap onto more rows in a phone's frame
    assert narrow.layout.height is None and narrow.layout.autosize  # the embed follows its frame


def test_laying_out_again_for_another_medium_is_the_same_as_laying_out_once():
    fig = status_by_line_figure(plan(), title="T", subtitle="S", source=LONG_SOURCE, tr=EN, hint="Click.")
    direct = lay_out(copy.deepcopy(fig.to_dict()), EXPORT.sized(1280, 720))
    again = lay_out(lay_out(lay_out(copy.deepcopy(fig.to_dict()), SCREEN), EMBED), EXPORT.sized(1280, 720))
    assert again["layout"]["annotations"] == direct["layout"]["annotations"]
    assert again["layout"]["margin"] == direct["layout"]["margin"]


def test_a_one_region_share_chart_keeps_a_bar_and_its_label_readable():
    one = share_by_region_figure(shares(("Europe",)), measure="activated", title="Members active in 2020, by region",
                                 subtitle="Europe · 2020", source="Src", tr=EN)
    screen = lay_out(go.Figure(one), SCREEN)
    plot = screen.layout.height - screen.layout.margin.t - screen.layout.margin.b
    assert plot >= 60  # a bar of about 40 px: not 20 px under 70 px of margins
    slide = lay_out(go.Figure(one), EXPORT.sized(1280, 720))
    low, high = slide.layout.yaxis.range
    plot = 720 - slide.layout.margin.t - slide.layout.margin.b
    assert plot / (high - low) <= MAX_BAND + 1  # on a tall canvas the bar keeps a bar's shape, centred


def test_count_axes_have_whole_ticks():
    for most in (1, 3, 7, 14, 40, 130, 1100):
        axis = count_axis(most)
        assert axis["tickformat"] == ",d" and isinstance(axis["dtick"], int) and axis["dtick"] >= 1
        assert most / axis["dtick"] <= 6
    fig = status_by_line_figure(plan(), title="T", subtitle="S", source="Src", tr=EN)
    assert fig.layout.xaxis.tickformat == ",d" and float(fig.layout.xaxis.dtick).is_integer()


def test_on_the_events_page_a_colour_means_one_thing():
    assert not set(ROLE_COLOURS.values()) & set(KIND_COLOURS.values())
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS) and len(set(ROLE_COLOURS.values())) == len(ROLE_COLOURS)


def test_an_empty_figures_message_is_wrapped_to_the_frame():
    from dashboard.figures.style import MESSAGE_SIZE, empty_figure

    message = "No event of 2020 recorded in the dashboard gives its speakers' or participants' gender."
    out = lay_out(go.Figure(empty_figure(message, title="Women's share at the events recorded in the dashboard")), EMBED)
    text = next(a.text for a in out.layout.annotations if a.name == "message")
    assert all(len(line) * MESSAGE_SIZE * CHAR_WIDTH <= 360 - 2 * EDGE for line in text.split("<br>"))
    assert text.replace("<br>", " ") == message


def test_an_embed_prints_its_notes_under_the_frame_and_keeps_the_height_for_the_chart():
    from dashboard.figures.style import figure_note

    fig = status_by_line_figure(plan(), title="T", subtitle="S", source="Src", tr=EN, note="Bars: deliverables.")
    embed = lay_out(go.Figure(fig), EMBED)
    assert annotation(embed, "note") is None and figure_note(embed) == "Bars: deliverables."
    assert annotation(lay_out(go.Figure(fig), EXPORT.sized(1280, 720)), "note").text == "Bars: deliverables."


def test_a_narrow_frame_gets_fewer_ticks_on_the_events_charts():
    from dashboard.figures.events import events_timeline_figure

    df = pd.DataFrame({"start_date": pd.to_datetime(["2020-07-01"] * 7).date, "kind": ["webinar"] * 7})
    per_month = events_per_month_figure(df, title="T", subtitle="S", source="Src", tr=EN)
    assert lay_out(go.Figure(per_month), EXPORT.sized(1280, 720)).layout.yaxis.dtick == 2
    assert lay_out(go.Figure(per_month), EMBED).layout.yaxis.dtick == 5  # 0, 5: a short frame's plot
    events = pd.DataFrame({"slug": ["a"], "title": ["A"], "start_date": [pd.Timestamp("2020-03-01").date()],
                           "end_date": [None], "location": ["Online"], "kind": ["webinar"],
                           "metropolis_role": ["organised"], "member_count": [2]})
    timeline = events_timeline_figure(events, year=2020, title="T", subtitle="S", source="Src", tr=EN)
    # the months are the figure's own ticks (named by the language), every other one or fewer in a phone's frame
    assert lay_out(go.Figure(timeline), EMBED).layout.xaxis.ticktext == ("Jan", "Mar", "May", "Jul", "Sep", "Nov")
    assert len(lay_out(go.Figure(timeline), EXPORT.sized(1280, 720)).layout.xaxis.ticktext) == 12


def test_many_bars_in_an_embed_get_one_line_labels():
    many = plan(8)
    out = lay_out(go.Figure(status_by_line_figure(many, title="T", subtitle="S", source="Src", tr=EN)), EMBED)
    assert all("<br>" not in t for t in out.layout.yaxis.ticktext)
    few = lay_out(go.Figure(status_by_line_figure(plan(3), title="T", subtitle="S", source="Src", tr=EN)), EMBED)
    assert any("<br>" in t for t in few.layout.yaxis.ticktext)


def _meta_of(fig):
    from dashboard.figures.style import LAYOUT_META

    layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.layout.to_plotly_json()
    return (layout.get("meta") or {}).get(LAYOUT_META, {})


def test_a_heatmaps_key_and_headers_sit_under_a_title_wrapped_for_a_phones_frame():
    from dashboard.figures.engagement import WEBSITE_MATRIX, member_matrix_figure
    from dashboard.figures.style import title_band

    df = pd.DataFrame({"member": ["Berlin", "Madrid"], "slug": ["berlin", "madrid"], "region": ["Europe"] * 2,
                       "source": ["Src"] * 2, **{c.key: [2, 0] for c in WEBSITE_MATRIX}})
    fig = member_matrix_figure(df, columns=WEBSITE_MATRIX, sort_by="region", tr=EN, source="Src",
                               title="Members on the Metropolis website in 2020",
                               subtitle="Europe · 2020 · as printed (Metropolis Annual Report 2020)")
    extra = _meta_of(fig)["top_extra"]
    embed = lay_out(go.Figure(fig), EMBED)
    # the title and subtitle take four lines at 360 px: the key and the headers start under them, not at 64 px
    assert title_band(embed, EMBED) > 64 + 20
    assert embed.layout.margin.t >= title_band(embed, EMBED) + extra


def test_bar_texts_outside_the_bars_end_inside_a_phones_frame():
    from dashboard.figures.style import _text_width, _values

    df = pd.DataFrame({"region": ["Asia-Pacific", "Latin America and the Caribbean"], "members": [73, 20],
                       "activated": [49, 17], "unknown": [1, 0]})
    fig = share_by_region_figure(df, measure="activated", unknown="unknown", title="Members who paid the fee",
                                 subtitle="S", source="Src", tr=EN)
    out = lay_out(go.Figure(fig), EMBED).to_plotly_json()
    m, (low, high) = out["layout"]["margin"], out["layout"]["xaxis"]["range"]
    plot = 360 - m["l"] - m["r"]
    bar = out["data"][0]
    xs = _values(bar["x"])
    for x, text in zip(xs, bar["text"]):
        assert (x - low) / (high - low) * plot + 4 + _text_width(text, 14) <= plot + m["r"]
    assert any("<br>" in t for t in bar["text"])  # '49 of 73 · 67%<br>1 unknown': too long for one line
    # on a wide canvas the figure's own range and one-line texts
    wide = lay_out(go.Figure(fig), EXPORT.sized(1280, 720))
    assert tuple(wide.layout.xaxis.range) == (0, 1.25)


def test_gauges_in_a_frame_are_a_grid_of_two_columns_with_their_counts_on_two_lines():
    from dashboard.figures.action_plan import completion_gauges_figure

    fig = completion_gauges_figure(plan(3), title="Action plan", subtitle="S", source="Src", tr=EN)
    embed = lay_out(go.Figure(fig), EMBED)
    lefts = sorted({round(t.domain.x[0], 2) for t in embed.data})
    assert len(lefts) == 2 and len({round(t.domain.y[0], 2) for t in embed.data}) == 2
    assert all(t.title.text.count("<br>") == 2 for t in embed.data)  # name, done, in progress
    assert _meta_of(embed)["min_height"] >= 2 * 160  # a 400 px frame scrolls rather than squeezing them
    page = lay_out(go.Figure(fig), SCREEN)  # the page keeps the row of four
    assert len({round(t.domain.y[0], 2) for t in page.data}) == 1


def test_a_frame_too_short_for_its_bars_lets_them_keep_a_readable_row():
    from dashboard.figures.style import MIN_ROW

    out = lay_out(go.Figure(status_by_line_figure(plan(13), title="T", subtitle="S", source="Src", tr=EN)), EMBED)
    assert _meta_of(out)["min_height"] >= 13 * MIN_ROW + out.layout.margin.t + out.layout.margin.b


def test_a_matrix_in_a_phones_frame_keeps_a_readable_column_each_and_scrolls_sideways():
    from dashboard.figures.engagement import WEBSITE_MATRIX, member_matrix_figure

    df = pd.DataFrame({"member": ["Barcelona (metropolitan area)", "Berlin"], "slug": ["b", "berlin"],
                       "region": ["Europe"] * 2, "source": ["Src"] * 2, **{c.key: [2, 0] for c in WEBSITE_MATRIX}})
    fig = member_matrix_figure(df, columns=WEBSITE_MATRIX, sort_by="region", tr=EN, source="Src", title="T",
                               subtitle="S")
    embed = lay_out(go.Figure(fig), EMBED)
    m = embed.layout.margin
    # five columns of two-line rotated headers (12 px a line) do not fit apart in what 360 px leave them
    assert 360 - m.l - m.r < 5 * 34 <= _meta_of(embed)["min_width"] - m.l - m.r
    assert "min_width" not in _meta_of(lay_out(go.Figure(fig), EXPORT.sized(1280, 720)))


def test_a_member_matrix_draws_its_rows_from_the_headers_down_with_no_empty_band():
    """Grouped by region, the boundaries between regions (shapes) padded plotly's autorange by about 7 empty rows
    at each end: a 150 px band between the column headers and the first member, and another under the last."""
    from dashboard.figures.engagement import WEBSITE_MATRIX, member_matrix_figure

    names = [f"Member {i:02d}" for i in range(40)]  # 3 rows were not padded; 40 were, by 1.7 rows at each end
    df = pd.DataFrame({"member": names, "slug": names, "region": ["Africa"] * 20 + ["Europe"] * 20,
                       "source": ["Src"] * 40, **{c.key: [1] * 40 for c in WEBSITE_MATRIX}})
    fig = member_matrix_figure(df, columns=WEBSITE_MATRIX, sort_by="region", tr=EN, source="Src",
                               title="Members on the Metropolis website in 2020", subtitle="All regions · 2020")
    assert fig["layout"]["shapes"]  # the boundary between Africa and Europe
    full = go.Figure(fig).full_figure_for_development(warn=False)
    assert tuple(full.layout.yaxis.range) == (-0.5, 39.5) and tuple(full.layout.yaxis2.range) == (-0.5, 39.5)
