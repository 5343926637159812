"""Percentages in the language's own pattern wherever a chart draws one (axis ticks, bar texts, gauges, hovers):
'25 %' in French and Spanish, '25%' in English. plotly.js and kaleido write a d3 percent format ('.0%',
'%{x:.0%}') as '25%' whatever the locale, so no chart may hand them one: the texts come from Babel."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.translation import translator
from tests.figure_schema import validated

D3_PERCENT = re.compile(r"%\{[^}]*:[^}]*%\}")  # '%{x:.0%}' in a hover or text template
GLUED = re.compile(r"\d%")  # '25%': English; fr and es write '25 %'
FILTER_SETS = [(None, 2020), (["Europe"], 2020), (None, 2021)]


def _strings(value, path=""):
    """(path, string) of every string in a figure dict."""
    if isinstance(value, dict):
        for key, v in value.items():
            yield from _strings(v, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def percent_problems(figure: dict, printed=()) -> list[str]:
    """What in `figure` would draw a percentage the English way; `printed`: document values quoted as printed
    ('Network figure, as printed: 53%'), left as they are."""
    problems = []
    for path, text in _strings(figure):
        for quoted in printed:
            text = text.replace(quoted, "")
        key = path.rsplit(".", 1)[-1]
        if key in ("tickformat", "hoverformat", "valueformat") and text.endswith("%"):
            problems.append(f"{path} = {text!r} (d3 writes '25%')")
        elif key in ("suffix", "ticksuffix") and text == "%":
            problems.append(f"{path} = {text!r}")
        elif D3_PERCENT.search(text):
            problems.append(f"{path}: {text!r}")
        elif GLUED.search(re.sub(r"%\{[^}]*\}", "", text)):
            problems.append(f"{path}: {text!r}")
    return problems


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_chart_draws_a_percentage_the_english_way(dash_app, app_store, lang):
    from dashboard.charts import CHARTS, ChartFilters, render

    found = {}
    with dash_app.server.test_request_context(f"/?lang={lang}"):
        for regions, year in FILTER_SETS:
            for chart_id, chart in CHARTS.items():
                options = {k: (list(v) if k in chart.multi_options else v[0]) for k, v in chart.options.items()}
                data = render(chart_id, ChartFilters(regions, year, options, lang=lang))
                printed = [p for p in data.rows.get("printed", []) if isinstance(p, str) and p]
                problems = percent_problems(data.figure, printed)
                if problems:
                    found[chart_id] = problems[:3]
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.parametrize("lang, ticks", [("en", ["0%", "25%", "50%", "75%", "100%"]),
                                         ("fr", ["0\u00a0%", "25\u00a0%", "50\u00a0%", "75\u00a0%", "100\u00a0%"]),
                                         ("es", ["0\u00a0%", "25\u00a0%", "50\u00a0%", "75\u00a0%", "100\u00a0%"])])
def test_share_axes_tick_as_the_language_writes_percentages(lang, ticks):
    from dashboard.figures.overview import share_by_region_figure

    df = pd.DataFrame({"region": ["Europe", "Africa"], "members": [16, 20], "activated": [14, 9]})
    fig = validated(share_by_region_figure(df, measure="activated", title="t", subtitle="s", source="x",
                                           tr=translator(lang)))
    assert list(fig.layout.xaxis.ticktext) == ticks
    assert not fig.layout.xaxis.tickformat
    assert not percent_problems(fig.to_dict()) or lang == "en"


@pytest.mark.parametrize("lang, value, change", [
    ("en", "8.9%", "+1.5 pt on 2019 (7.4%)"),
    ("fr", "8,9\u00a0%", "+1,5\u00a0pt"),
    ("es", "8,9\u00a0%", "+1,5\u00a0p.\u00a0p."),
])
def test_indicator_values_and_changes_in_percent_follow_the_language(lang, value, change):
    """An indicator in percent: its value ('8,9 %') and its change in points, as the language writes them."""
    from dashboard.figures.indicators import _change, format_value

    tr = translator(lang)
    assert format_value(8.9, "percent", tr=tr) == value
    row = pd.Series({"value": 8.9, "previous_value": 7.4, "previous_year": 2019, "unit": "percent", "qualifier": "",
                     "previous_qualifier": ""})
    assert _change(row, tr).startswith(change)


def test_gauges_write_their_percent_sign_as_the_language_does():
    from dashboard.figures.action_plan import completion_gauges_figure

    df = pd.DataFrame({"line": ["L1"], "line_title": ["x"], "done": [3], "in_progress": [1], "not_done": [0],
                       "unknown": [0], "total": [4]})
    fig = validated(completion_gauges_figure(df, title="t", subtitle="s", source="x", tr=translator("fr")))
    assert {t.number.suffix for t in fig.data} == {"\u00a0%"}
