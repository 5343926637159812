"""Figure builders tested as data: traces, values, colours, source lines; empty frames give a message."""

import datetime as dt

import pandas as pd
import plotly.io as pio
import pytest

from dashboard.figures.action_plan import completion_gauges_figure, status_by_line_figure
from dashboard.figures.engagement import (
    ENGAGEMENT_MATRIX,
    activations_heatmap_figure,
    member_matrix_figure,
)
from dashboard.figures.events import events_per_month_figure, events_timeline_figure
from dashboard.figures.gender import gender_parity_figure
from dashboard.figures.map import member_location_figure, member_map_figure
from dashboard.figures.overview import share_by_region_figure
from dashboard.figures.style import REGION_COLOURS, empty_figure, new_figure, source_text, with_source
from dashboard.translation import ENGLISH as EN
from tests.figure_schema import validated, validating

# every builder's figure dict checked against plotly's schema, then read as a go.Figure
(completion_gauges_figure, status_by_line_figure, activations_heatmap_figure, member_matrix_figure,
 events_per_month_figure, events_timeline_figure, gender_parity_figure, member_location_figure, member_map_figure,
 share_by_region_figure, empty_figure) = map(validating, (
    completion_gauges_figure, status_by_line_figure, activations_heatmap_figure, member_matrix_figure,
    events_per_month_figure, events_timeline_figure, gender_parity_figure, member_location_figure,
    member_map_figure, share_by_region_figure, empty_figure))


def texts(fig):
    return " ".join(a.text or "" for a in fig.layout.annotations)


def check_renders(fig):
    pio.to_json(fig)
    return fig


BY_REGION = pd.DataFrame({"region": ["Africa", "Europe", "North America"], "members": [25, 16, 0],
                          "activated": [19, 14, 0], "fee_paid": [7, 9, 0]})


def test_share_by_region_bars_labels_and_colours():
    fig = check_renders(share_by_region_figure(BY_REGION, tr=EN, measure="activated", title="Active", subtitle="All · 2020",
                                               source="AR2020 §4.1"))
    (bar,) = fig.data
    assert bar.type == "bar" and list(bar.y) == ["Europe", "Africa"]  # empty region dropped, first on top
    assert list(bar.x) == pytest.approx([14 / 16, 19 / 25])
    assert bar.text[0].startswith("14 of 16")
    assert list(bar.marker.color) == [REGION_COLOURS["Europe"], REGION_COLOURS["Africa"]]
    assert "Source: AR2020 §4.1" in texts(fig)
    assert fig.layout.title.text == "Active" and fig.layout.title.subtitle.text == "All · 2020"


def test_empty_frames_give_a_message_not_axes():
    for fig in [share_by_region_figure(BY_REGION.iloc[0:0], tr=EN, measure="activated", title="t", subtitle="s", source="x"),
                gender_parity_figure(pd.DataFrame(columns=["women_pct"]), tr=EN, title="t", subtitle="s", source="x"),
                events_per_month_figure(pd.DataFrame(columns=["start_date", "kind"]), tr=EN, title="t", subtitle="s", source="x"),
                empty_figure("Nothing here")]:
        check_renders(fig)
        assert not fig.data and fig.layout.xaxis.visible is False
        assert fig.layout.annotations


MAP = pd.DataFrame({
    "name": ["Madrid", "Dakar", "CPAFFC"], "slug": ["madrid", "dakar", "cpaffc"],
    "official_name": ["Ayuntamiento de Madrid", "Ville de Dakar", "CPAFFC"], "region": ["Europe", "Africa", "Asia-Pacific"],
    "country": ["Spain", "Senegal", "China"], "latitude": [40.4, 14.7, 39.9], "longitude": [-3.7, -17.4, 116.4],
    "honorary": [False, False, True], "member_since": [None, None, None], "activated": [True, True, None],
    "fee_paid": [True, False, None], "breadth": [10, 7, 0], "learning_activities": [4, 2, 0],
    "annual_meeting": [True, True, None], "governed_by_woman": [False, True, None]})


def test_map_by_region_one_trace_per_region_and_slugs():
    fig = check_renders(member_map_figure(MAP, tr=EN, year=2020, colour_by="region", zoom_to_data=False, title="Map",
                                          subtitle="All", source="SAP2021"))
    assert [t.name for t in fig.data] == ["Europe", "Africa", "Honorary member"]  # in the frame's region order
    europe = next(t for t in fig.data if t.name == "Europe")
    assert europe.type == "scattergeo" and list(europe.customdata[0]) == ["madrid"]
    assert europe.marker.color == REGION_COLOURS["Europe"]
    assert europe.marker.size[0] > next(t for t in fig.data if t.name == "Africa").marker.size[0]
    assert fig.layout.geo.fitbounds is False and "Engaged in 10 of 11" in europe.hovertext[0]


def test_map_by_engagement_uses_a_colour_scale_and_zooms():
    fig = check_renders(member_map_figure(MAP, tr=EN, year=2020, colour_by="engagement", zoom_to_data=True, title="Map",
                                          subtitle="Europe", source="SAP2021"))
    members = fig.data[0]
    assert list(members.marker.color) == [10, 7] and members.marker.cmax == 11
    assert fig.layout.geo.fitbounds == "locations"


def test_member_location_figure():
    fig = check_renders(member_location_figure(40.4, -3.7, name="Madrid", region="Europe"))
    assert fig.data[0].text == ("Madrid",) and fig.layout.geo.projection.type == "orthographic"


ENG = pd.DataFrame({
    "member": ["Berlin", "Dakar", "Madrid"], "slug": ["berlin", "dakar", "madrid"],
    "region": ["Europe", "Africa", "Europe"], "activated": [True, True, True], "fee_paid": [True, True, None],
    "board_meetings": [2, 2, 1], "annual_meeting": [True, True, True], "bilateral_meetings": [6, 2, 3],
    "pilot_project": ["", "", "P"], "pilot_projects": [0, 0, 1], "indicators_year": [2019, 2019, None],
    "learning_activities": [0, 2, 4], "wmd_organiser": [0, 0, 2], "wmd_participation": [0, 0, 2],
    "call_endorsement": [True, False, False], "source": ["AR2020, line 339", "AR2020, line 366", "AR2020, line 417"]})


def test_member_matrix_values_text_and_hover():
    fig = check_renders(member_matrix_figure(ENG, tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="region", title="t",
                                             subtitle="s", source="AR2020"))
    band, heat = fig.data[0], fig.data[1]
    assert heat.type == "heatmap" and len(heat.x) == 11
    top = list(heat.y)[-1]  # rows are drawn bottom-up; the first member is on top
    assert top == "Berlin"
    row = list(heat.z)[-1]
    assert row[0] == 1.0 and row[4] == 1.0  # activated; bilateral 6 is the column's maximum
    madrid = list(heat.text)[0]
    assert madrid[5] == "1P" and madrid[6] == ""  # pilot partner; not analysed
    assert "line 417" in list(heat.hovertext)[0][0]
    assert list(heat.customdata)[-1][0] == "berlin"
    assert len(band.z) == 3


def test_member_matrix_sorts_by_total():
    fig = member_matrix_figure(ENG, tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="total", title="t", subtitle="s", source="x")
    assert list(fig.data[1].y)[::-1] == ["Madrid", "Berlin", "Dakar"]  # 10, 8, 7 dimensions engaged


def test_activations_heatmap_fills_months():
    df = pd.DataFrame({"region": ["Africa", "Europe"], "month": [7, 7], "activations": [11, 24], "members": [9, 12]})
    fig = check_renders(activations_heatmap_figure(df, tr=EN, regions=["Africa", "Europe"], title="t", subtitle="s",
                                                   source="PR2020Q3"))
    heat, cell_text = fig.data
    assert heat.type == "heatmap" and cell_text.mode == "text"
    assert len(heat.x) == 12 and list(heat.y) == ["Europe", "Africa"]
    assert list(heat.z)[0][6] == 24 and list(heat.z)[1][0] == 0


GENDER = pd.DataFrame({
    "population": ["events.speakers", "secretariat.professionals"], "name": ["Speakers", "Professionals"],
    "total": [160.0, 16.0], "total_printed": ["160", "16 professionals"], "total_qualifier": ["", ""],
    "women_pct": [36.0, 56.25], "women": [None, 9.0], "men": [None, 7.0], "source": ["AR2020 line 76", "AR2020 line 162"]})


def test_gender_parity_bars_and_parity_line():
    fig = check_renders(gender_parity_figure(GENDER, tr=EN, title="t", subtitle="s", source="AR2020"))
    women, rest = fig.data
    assert list(women.y) == ["Speakers", "Professionals"] and list(women.x) == pytest.approx([0.36, 0.5625])
    assert list(rest.x) == pytest.approx([0.64, 0.4375])
    assert women.text[1] == "56.2% · 9 of 16" and women.text[0] == "36% of 160"
    assert any(s.x0 == 0.5 and s.x1 == 0.5 for s in fig.layout.shapes)


COMPLETION = pd.DataFrame({"line": ["L1", "L2"], "line_title": ["Diplomacy", "Capacities"], "done": [13, 22],
                           "in_progress": [1, 2], "not_done": [3, 3], "unknown": [0, 0], "total": [17, 27]})


def test_completion_gauges_overall_and_per_line():
    fig = check_renders(completion_gauges_figure(COMPLETION, tr=EN, title="t", subtitle="s", source="AR2020 §3"))
    assert [t.type for t in fig.data] == ["indicator"] * 3
    assert fig.data[0].value == pytest.approx(100 * 35 / 44)
    assert fig.data[1].value == pytest.approx(100 * 13 / 17)
    assert "35 of 44 done" in fig.data[0].title.text


def test_status_bars_carry_line_codes():
    fig = check_renders(status_by_line_figure(COMPLETION, tr=EN, title="t", subtitle="s", source="x"))
    assert [t.name for t in fig.data] == ["Done", "In progress", "Not done"]  # no 'unknown' trace when empty
    assert [row[0] for row in fig.data[0].customdata] == ["L2", "L1"]


EVENTS = pd.DataFrame({
    "slug": ["a", "b", "c"], "title": ["A", "B", "C"],
    "start_date": [dt.date(2020, 1, 15), dt.date(2020, 7, 7), dt.date(2020, 7, 9)],
    "end_date": [dt.date(2020, 1, 15), dt.date(2020, 7, 13), None], "location": ["Barcelona", "Online", "Online"],
    "kind": ["global_event", "statutory", "webinar"], "metropolis_role": ["not_stated", "organised", "not_stated"],
    "member_count": [0, 16, 4]})


def test_events_timeline_lanes_roles_and_durations():
    fig = check_renders(events_timeline_figure(EVENTS, tr=EN, year=2020, title="t", subtitle="s", source="x"))
    markers = [t for t in fig.data if t.mode == "markers"]
    assert {t.name for t in markers} == {"Organised by Metropolis", "Role not stated in the reports"}
    lines = [t for t in fig.data if t.mode == "lines"]
    assert len(lines) == 1 and list(lines[0].x) == [dt.date(2020, 7, 7), dt.date(2020, 7, 13), None]
    # lanes bottom-up in reverse kind order, so statutory meetings are the top lane
    assert list(fig.layout.yaxis.ticktext) == ["Webinars and debates", "Global events", "Statutory meetings"]


def test_events_per_month_stacks_by_kind():
    fig = check_renders(events_per_month_figure(EVENTS, tr=EN, title="t", subtitle="s", source="x"))
    bars = {t.name: list(t.y) for t in fig.data if t.type == "bar"}
    assert bars["Statutory meetings"][6] == 1 and bars["Global events"][0] == 1 and bars["Webinars and debates"][6] == 1
    totals = next(t for t in fig.data if t.type == "scatter")
    assert totals.text[6] == "2" and totals.text[1] == ""


def test_with_source_wraps_long_lines():
    fig = validated(with_source(new_figure(), "x" * 10 + " word" * 60, tr=EN))
    assert "<br>" in fig.layout.annotations[0].text


def test_source_text_groups_sections_by_document():
    df = pd.DataFrame({"source_citation": ["AR", "AR", "PR"], "source_section": ["4.1 Eng", "4.1 Eng: fee", "Activities"]})
    assert source_text(df) == "AR, 4.1 Eng; PR, Activities"


def test_funds_figure_stacks_printed_shares():
    from dashboard.figures.overview import funds_figure

    df = pd.DataFrame({
        "basis": ["cash", "cash", "with_in_kind", "with_in_kind"], "total": [936463.0, 936463.0, 1225075.0, 1225075.0],
        "total_printed": ["936,463 €"] * 2 + ["1,225,075 €"] * 2,
        "fund_source": ["membership_fees", "partnerships_members", "membership_fees", "in_kind"],
        "share_pct": [52.0, 46.0, 40.0, 24.0]})
    labels = {"cash": "Funds", "with_in_kind": "With in kind", "membership_fees": "Fees", "partnerships_members": "Members",
              "partnerships_others": "Others", "in_kind": "In kind"}
    fig = check_renders(validating(funds_figure)(df, tr=EN, labels=labels, title="t", subtitle="s", source="AR2020"))
    fees = fig.data[0]
    assert fees.name == "Fees" and list(fees.x) == pytest.approx([0.40, 0.52]) and list(fees.text) == ["40%", "52%"]
    assert "€936,463" in fees.y[1] and "€1,225,075" in fees.y[0]
    assert [t.name for t in fig.data] == ["Fees", "Members", "In kind"]


# ---- unknown cells (unreadable in the report) are drawn apart, never as 0 or "no" --------------------------------

def _with_unknown_row():
    tehran = pd.DataFrame({
        "member": ["Tehran"], "slug": ["tehran"], "region": ["Asia-Pacific"], "activated": [True], "fee_paid": [None],
        "board_meetings": [None], "annual_meeting": [True], "bilateral_meetings": [None], "pilot_project": [""],
        "pilot_projects": [0], "indicators_year": [2019], "learning_activities": [None], "wmd_organiser": [0],
        "wmd_participation": [None], "call_endorsement": [None], "source": ["AR2020, line 460"],
        "unknown_cells": ["fee_paid,board_meetings,bilateral_meetings,learning_activities,wmd_participation,"
                          "call_endorsement"]}).astype(object)
    return pd.concat([ENG.assign(unknown_cells=""), tehran], ignore_index=True)


def test_member_matrix_marks_unknown_cells_with_their_own_layer_and_hover():
    df = _with_unknown_row()
    fig = check_renders(member_matrix_figure(df, tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="region", title="t",
                                             subtitle="s", source="AR2020"))
    heat, unknown = fig.data[1], fig.data[2]
    assert heat.type == unknown.type == "heatmap"
    y = list(heat.y)
    row = y.index("Tehran")
    keys = [c.key for c in ENGAGEMENT_MATRIX]
    unknown_columns = {"fee_paid", "board_meetings", "bilateral_meetings", "learning_activities", "wmd_participation",
                       "call_endorsement"}
    for j, key in enumerate(keys):
        if key in unknown_columns:
            assert heat.z[row][j] is None and unknown.z[row][j] == 1, key  # a gap in the values, grey on top
            assert unknown.text[row][j] == "?" and heat.text[row][j] == ""
            assert "unknown (unreadable in the report)" in unknown.hovertext[row][j]
            assert "line 460" in unknown.hovertext[row][j] and heat.hovertext[row][j] == ""
        else:
            assert unknown.z[row][j] is None and unknown.hovertext[row][j] == "", key
    # a known zero stays a zero, with its own hover; only Tehran's six cells are unknown
    assert sum(v == 1 for r in unknown.z for v in r) == 6
    assert heat.text[row][keys.index("wmd_organiser")] == "" and heat.z[row][keys.index("wmd_organiser")] == 0
    assert unknown.hoverongaps is False and heat.hoverongaps is False
    assert list(unknown.customdata)[row][0] == "tehran"  # a click on an unknown cell opens the member too
    assert "? unknown (unreadable in the report)" in texts(fig)  # in the key over the headers


def test_member_matrix_without_unknown_cells_has_no_unknown_layer():
    fig = member_matrix_figure(ENG.assign(unknown_cells=""), tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="region",
                               title="t", subtitle="s", source="x")
    assert [t.type for t in fig.data].count("heatmap") == 2
    assert not any("unknown" in (t.name or "") for t in fig.data)


def test_map_hover_says_fee_and_dimensions_unknown():
    df = MAP.assign(fee_unknown=[False, True, False], unknown=[0, 6, 0])
    fig = member_map_figure(df, tr=EN, year=2020, colour_by="region", zoom_to_data=False, title="Map", subtitle="All",
                            source="x")
    dakar = next(t for t in fig.data if t.name == "Africa").hovertext[0]
    assert "2020 fee paid: unknown (unreadable in the report)" in dakar
    assert "6 dimensions unknown" in dakar
    public = member_map_figure(df, tr=EN, year=2020, colour_by="region", zoom_to_data=False, title="Map", subtitle="All",
                               source="x", show_fees=False)
    hidden = next(t for t in public.data if t.name == "Africa").hovertext[0]
    assert "fee" not in hidden and "5 dimensions unknown" in hidden  # the fee's unknown cell is not told either


def test_share_by_region_says_how_many_cells_are_unknown():
    df = BY_REGION.assign(fee_unknown=[0, 1, 0])
    fig = share_by_region_figure(df, tr=EN, measure="fee_paid", title="Fees", subtitle="s", source="x", unknown="fee_unknown")
    (bar,) = fig.data
    assert bar.text[0] == "9 of 16 · 56% · 1 unknown" and bar.text[1] == "7 of 25 · 28%"


def test_format_period_names_partial_periods():
    from dashboard.i18n import format_period

    assert format_period(dt.date(2020, 1, 1), dt.date(2021, 1, 1)) == ""
    assert format_period(dt.date(2020, 11, 1), dt.date(2020, 12, 1)) == "as of November 2020"
    assert format_period(dt.date(2020, 7, 7), dt.date(2020, 7, 8)) == "as of July 7, 2020"
    assert format_period(dt.date(2020, 1, 1), dt.date(2020, 10, 1)) == "Jan 1, 2020 – Sep 30, 2020"


def test_fee_sentence_says_how_many_cells_are_unknown():
    from dashboard.summaries import fee_sentence

    df = BY_REGION.assign(fee_unknown=[0, 1, 0])
    assert fee_sentence(df, year=2020) == ("16 of 41 members paid their 2020 fee (39.0%); for 1 the report's cell is "
                                          "unreadable (unknown).")
    assert fee_sentence(BY_REGION.assign(fee_unknown=0), year=2020) == "16 of 41 members paid their 2020 fee (39.0%)."


# ---- heatmaps read whole at every size, with honest colours and readable cell text (issue 13) ----------------

from dashboard.figures.engagement import (  # noqa: E402 - grouped with the tests they serve
    CHAR_WIDTH,
    HEADER_FONT,
    ROW_HEIGHT,
    WEBSITE_MATRIX,
    fill_colour,
    integer_ticks,
)
from dashboard.figures.style import contrast_ratio  # noqa: E402


def _many_members(n: int) -> pd.DataFrame:
    rows = [ENG.iloc[i % 3].to_dict() for i in range(n)]
    for i, row in enumerate(rows):
        row.update(member=f"Member number {i:03d} (metropolitan area)", slug=f"m{i}", bilateral_meetings=i % 17,
                   learning_activities=(i * 7) % 11, wmd_organiser=i % 5, board_meetings=i % 3)
    return pd.DataFrame(rows)


def test_member_matrix_labels_every_member_with_an_explicit_tick_and_a_readable_row():
    df = _many_members(140)
    fig = check_renders(member_matrix_figure(df, tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="region", title="t",
                                             subtitle="s", source="AR2020"))
    axis = fig.layout.yaxis  # the band's axis carries the names (shared with the heatmap)
    assert axis.tickmode == "array" and sorted(axis.ticktext) == sorted(df["member"]) == sorted(axis.tickvals)
    plot_h = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert plot_h >= ROW_HEIGHT * len(df)


def test_member_matrix_header_band_holds_the_longest_header_under_the_key():
    fig = member_matrix_figure(ENG, tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="region", title="t", subtitle="s",
                               source="x")
    longest = max(len(h) for h in fig.data[1].x)
    assert "<br>" not in "".join(fig.data[1].x) and fig.layout.xaxis2.tickangle == -90
    band = longest * HEADER_FONT * CHAR_WIDTH
    key = next(a for a in fig.layout.annotations if "Colour:" in (a.text or ""))
    # the key sits over the headers (paper y=1 is the plot's top), the title band over both
    assert key.y == 1 and key.yanchor == "bottom" and key.yshift >= band
    lines = key.text.count("<br>") + 1
    assert fig.layout.margin.t >= 60 + band + 15 * lines
    website = member_matrix_figure(ENG.assign(news=[24, 1, 0], library_publications=0, publication_mentions=0,
                                              use_cases=[0, 2, 0], c4gh_initiatives=0),
                                   tr=EN, columns=WEBSITE_MATRIX, sort_by="region", title="t", subtitle="s", source="x")
    assert any("<br>" in h for h in website.data[1].x)  # five wide columns: two lines each


def test_member_matrix_says_on_the_chart_that_colour_is_relative_to_each_column():
    fig = member_matrix_figure(ENG, tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="region", title="t", subtitle="s",
                               source="x")
    key = next(a for a in fig.layout.annotations if "Colour:" in (a.text or ""))
    assert "highest of its column" in key.text.replace("<br>", " ") and "Europe" in key.text and "Africa" in key.text
    assert not fig.layout.showlegend


def _cell_pairs(fig):
    """(text colour, fill colour) of every cell text drawn, from the figure's own traces and colour scales."""
    heat = next(t for t in fig.data if t.type == "heatmap" and t.colorscale and len(t.x or []) > 1)
    scale = [[s, c] for s, c in heat.colorscale]
    zmax = heat.zmax
    layer = next(t for t in fig.data if t.type == "scatter" and t.mode == "text")
    x, y = list(heat.x), list(heat.y)
    pairs = []
    for xi, yi, colour in zip(layer.x, layer.y, layer.textfont.color):
        value = heat.z[y.index(yi)][x.index(xi)]
        pairs.append((colour, fill_colour(value / zmax, scale)))
    for t in fig.data:  # the grey layer of unknown cells draws its own '?'
        if t.type == "heatmap" and t.texttemplate and any(v for r in t.text for v in r):
            pairs.append((t.textfont.color, t.colorscale[-1][1]))
    return pairs


def test_every_heatmap_cell_text_reads_on_its_fill_at_4_5_to_1():
    df = _many_members(60)
    matrix = member_matrix_figure(pd.concat([df, _with_unknown_row()], ignore_index=True), tr=EN,
                                  columns=ENGAGEMENT_MATRIX, sort_by="region", title="t", subtitle="s", source="x")
    months = pd.DataFrame({"region": ["Africa"] * 12 + ["Europe"] * 12, "month": list(range(1, 13)) * 2,
                           "activations": list(range(0, 24)), "members": [1] * 24})
    activations = activations_heatmap_figure(months, tr=EN, regions=["Africa", "Europe"], title="t", subtitle="s",
                                             source="x")
    for fig in (matrix, activations):
        pairs = _cell_pairs(fig)
        assert len(pairs) > 20
        worst = min(contrast_ratio(text, fill) for text, fill in pairs)
        assert worst >= 4.5, worst
    assert {t for t, _f in _cell_pairs(matrix)} == {"#212529", "#FFFFFF"}  # both are used: the fill decides


def test_activations_colour_bar_counts_in_whole_numbers_and_the_chart_says_why_months_are_empty():
    df = pd.DataFrame({"region": ["Europe"], "month": [7], "activations": [3], "members": [3]})
    fig = activations_heatmap_figure(df, tr=EN, regions=["Europe"], title="t", subtitle="s", source="x",
                                     key_note="Only the July-September progress report names the members")
    bar = fig.data[0].colorbar
    assert bar.tickmode == "array" and all(float(v).is_integer() for v in bar.tickvals)
    assert not any("." in t for t in bar.ticktext)
    assert bar.lenmode == "fraction" and bar.len <= 1  # the plot's height, never past it
    assert bar.ticktext == ("0", "3")  # one row: room for two ticks, none and the highest
    key = next(a for a in fig.layout.annotations if "July-September" in (a.text or ""))
    assert key.y == 1 and key.yanchor == "bottom"  # over the months, on the chart
    assert fig.layout.height < 400  # one region: one row, not a slide's height
    assert integer_ticks(3, 56) == [0, 3]  # a short bar: two ticks, not a pile
    ticks = integer_ticks(24, 300)
    assert ticks == [0, 5, 10, 15, 20, 25]  # a round step, at most one tick per 30 px
    assert ticks[0] == 0 and ticks[-1] >= 24 and len(ticks) <= 300 // 30 and len(set(
        b - a for a, b in zip(ticks, ticks[1:]))) == 1


def test_a_part_of_a_member_matrix_draws_its_rows_coloured_against_the_whole():
    df = _many_members(73)
    whole = member_matrix_figure(df, tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="region", title="t", subtitle="s",
                                 source="x")
    part = member_matrix_figure(df, tr=EN, columns=ENGAGEMENT_MATRIX, sort_by="region", title="t", subtitle="s",
                                source="x", rows=(25, 49))
    assert list(part.data[1].y)[::-1] == list(df["member"].iloc[25:49])
    z_whole = {name: row for name, row in zip(whole.data[1].y, whole.data[1].z)}
    assert all(list(row) == list(z_whole[name]) for name, row in zip(part.data[1].y, part.data[1].z))
    assert part.layout.margin.t == whole.layout.margin.t  # each part keeps its column headers and key


@pytest.mark.parametrize("lang, label", [("fr", "36\u00a0% de près de 1\u202f160"), ("es", "36\u00a0% de casi 1.160"),
                                         ("en", "36% of almost 1,160")])
def test_a_gender_bar_reads_a_printed_total_in_the_language(lang, label):
    """'Almost 1,160 participants' as printed: the bar's label is a sentence of the language with the number as
    the language writes it, not the document's English words glued into it ('36 % de almost 1,160')."""
    from dashboard.translation import Translator

    row = GENDER.iloc[[0]].assign(total=[1160.0], total_printed=["Almost 1,160 participants"],
                                  total_qualifier=["almost"])
    fig = check_renders(gender_parity_figure(row, tr=Translator(lang), title="t", subtitle="s", source="x"))
    assert fig.data[0].text[0] == label
