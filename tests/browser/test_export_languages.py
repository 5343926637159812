"""Exports, embeds and decks in Spanish and French (issue 15): a CSV's '#' lines, an SVG drawn by kaleido, an embed
in Chromium and a deck opened with python-pptx hold no English text the dashboard wrote (titles, axis titles and
ticks, legends, source lines, slide titles and notes). Quoted document text is allowed: the documents' citations and
the text of the rows behind each chart (member names, event titles, action lines' titles, figures as printed) are
taken out before looking. English is found as in test_languages: a run of words of an English msgid; also the
English month abbreviations (a static export has no plotly.js locale) and '25%' written the English way."""

from __future__ import annotations

import html
import io
import re

import pytest

from dashboard import ids
from dashboard.charts import CHARTS, ChartFilters, render
from dashboard.export import deck_charts
from db.queries.provenance import sources_table
from db.session import Session
from tests.browser.test_languages import _english_phrases

pytestmark = pytest.mark.browser

LANGS = ["fr", "es"]
SVG_CHARTS = ["events-timeline", "active-by-region", "gender-parity", "action-plan-status", "members-map",
              "indicator-ranking"]
DECK_PAGE = "/events"
ENGLISH_MONTHS = re.compile(r"(?<!\w)(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?!\w)")  # fr, es: lower case
GLUED_PERCENT = re.compile(r"\d%")


@pytest.fixture(scope="module")
def english():
    return _english_phrases()


@pytest.fixture
def client(dash_app, app_store):
    return dash_app.server.test_client()


def _options(chart_id: str) -> dict:
    chart = CHARTS[chart_id]
    return {k: (list(v) if k in chart.multi_options else v[0]) for k, v in chart.options.items()}


def _quoted_texts(dash_app, lang: str, chart_ids) -> list[str]:
    """Document text the exports may show as printed: the documents' citations and titles, and every text value
    of the rows behind the charts (as the language builds them), longest first."""
    texts = set()
    with Session() as session:
        docs = sources_table(session)
    texts |= set(docs["citation"]) | set(docs["title"])
    with dash_app.server.test_request_context(f"/?lang={lang}"):
        for chart_id in chart_ids:
            rows = render(chart_id, ChartFilters(None, 2020, _options(chart_id), lang=lang)).rows
            for column in rows.columns:
                texts |= {v for v in rows[column] if isinstance(v, str) and v}
    return sorted(texts, key=len, reverse=True)


def _english_left(text: str, english: list[str], quoted: list[str]) -> list[str]:
    for words in quoted:
        text = text.replace(words, " ")
    found = [p for p in english if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text)]
    found += [f"month {m}" for m in sorted(set(ENGLISH_MONTHS.findall(text)))]
    found += [f"percent {m}" for m in GLUED_PERCENT.findall(text)]
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_i18n010_csv_header_lines_are_in_the_language(client, dash_app, english, lang):
    quoted = _quoted_texts(dash_app, lang, CHARTS)
    left = {}
    for chart_id in CHARTS:
        response = client.get(f"/export/{chart_id}.csv?lang={lang}&year=2020")
        assert response.status_code == 200, (chart_id, response.get_data(as_text=True)[:300])
        header = "\n".join(line.split(":", 1)[1] for line in response.get_data(as_text=True).splitlines()
                           if line.startswith("#"))  # the values; the keys ('# title:') stay for scripts
        if found := _english_left(header, english, quoted):
            left[chart_id] = found
    assert not left, left


def _svg_texts(svg: str) -> str:
    return html.unescape(" | ".join(t for t in re.findall(r">([^<>]+)<", svg) if t.strip()))


@pytest.mark.parametrize("lang", LANGS)
def test_i18n011_svg_exports_are_in_the_language(client, dash_app, english, lang):
    quoted = _quoted_texts(dash_app, lang, SVG_CHARTS)
    left = {}
    for chart_id in SVG_CHARTS:
        response = client.get(f"/export/{chart_id}.svg?lang={lang}&year=2020")
        assert response.status_code == 200, (chart_id, response.get_data(as_text=True)[:300])
        if found := _english_left(_svg_texts(response.get_data(as_text=True)), english, quoted):
            left[chart_id] = found
    assert not left, left


@pytest.mark.parametrize("lang", LANGS)
def test_i18n012_a_deck_is_in_the_language(client, dash_app, english, lang):
    from pptx import Presentation

    response = client.get(f"/export/deck.pptx?page={DECK_PAGE}&lang={lang}&year=2020")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    deck = Presentation(io.BytesIO(response.data))
    quoted = _quoted_texts(dash_app, lang, deck_charts(DECK_PAGE))
    left = {}
    for n, slide in enumerate(deck.slides, start=1):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
        # no number written the English way: the key figures write '2 100+' and '36 %' as the language does
        text = "\n".join(texts)
        assert "2,100" not in text and "36%" not in text, (n, text)
        if found := _english_left(text, english, quoted):
            left[n] = found
    assert len(deck.slides) >= 4 and not left, left


SVG_TEXT = "() => Array.from(document.querySelectorAll('.main-svg text'), t => t.textContent).join(' | ')"
VISIBLE_TEXT = """() => {
    let text = document.body.innerText;
    const quoted = Array.from(document.querySelectorAll('[lang="en"]'), el => el.innerText).filter(w => w)
        .sort((a, b) => b.length - a.length);
    for (const words of quoted) text = text.split(words).join(' ');
    return text;
}"""


@pytest.mark.parametrize("lang, chart_id", [("fr", "events-timeline"), ("es", "active-by-region"),
                                            ("fr", "gender-parity"), ("es", "events-per-month")])
def test_i18n013_an_embed_is_in_the_language(watched, dash_app, app_store, english, lang, chart_id):
    watched.open(f"/embed/{chart_id}?lang={lang}&year=2020")
    watched.page.wait_for_selector(f"#{ids.Embed.GRAPH} .main-svg text", state="attached")
    watched.page.wait_for_timeout(300)
    assert watched.page.evaluate("() => document.documentElement.lang") == lang
    text = watched.page.evaluate(VISIBLE_TEXT) + " | " + watched.page.evaluate(SVG_TEXT)
    left = _english_left(text, english, _quoted_texts(dash_app, lang, [chart_id]))
    assert not left, f"/embed/{chart_id} in {lang}: {left}"
    assert watched.errors == [], watched.errors
