"""Every page in Spanish and French, as a Chromium user sees it: `<html lang>` is the language, the visible text holds
no English msgid of more than one word (document text quoted in English, marked lang="en", is left out), numbers use
the language's separators and the charts' month names and number format follow the page's language."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dashboard import ids
from dashboard.i18n import available_locales

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]+>")
PAGES = [
    ("overview", "/", f"#{ids.Overview.SUMMARY}"),
    ("engagement", "/engagement", f"#{ids.Engagement.MATRIX} .heatmaplayer, #{ids.Engagement.MATRIX} image"),
    ("map", "/map", f"#{ids.Map.GRAPH} g.layer.land path"),
    ("gender", "/gender", f"#{ids.Gender.CHART} .barlayer"),
    ("action-plan", "/action-plan", f"#{ids.ActionPlan.GAUGES} .indicatorlayer"),
    ("events", "/events", f"#{ids.Events.GRID} .ag-row"),
    ("members", "/members", f"#{ids.Members.GRID} .ag-row"),
    ("member", "/members/madrid", f"#{ids.Member.ENGAGEMENT}"),
    ("sources", "/sources", f"#{ids.Sources.RECONCILIATION}"),
    ("indicators", "/indicators", f"#{ids.Indicators.RESULTS}"),
    ("indicator", "/indicators/observatory.population_density", f"#{ids.IndicatorPage.PRINTED}"),
    ("not-found", "/no-such-page", f"#{ids.NotFound.MESSAGE}"),  # Dash's own 404 page is English
]
MONTHS = {"fr": ("janv.", "févr.", "juil."), "es": ("ene", "feb", "jul")}


def _english_phrases() -> list[str]:
    """The literal runs of words of the English msgids (between placeholders) of more than one word, leaving out the
    names the glossary keeps in every language."""
    glossary = tomllib.loads((ROOT / "dashboard" / "translations" / "glossary.toml").read_text(encoding="utf-8"))
    kept = glossary["names"]["kept"]
    template = read_po((ROOT / "dashboard" / "translations" / "messages.pot").open("rb"))
    phrases = set()
    for message in template:
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for run in PLACEHOLDER.split(msgid or ""):
                run = run.strip(" .,;:()·–")
                # a run that holds a kept name, or is part of one ('Cities for Global<br>Health'), is the name
                if len(run.split()) > 1 and len(run) >= 12 and not any(name in run or run in name for name in kept):
                    phrases.add(run)
    return sorted(phrases)


# What the page shows (innerText: rendered text only), less what is marked as quoted in English (lang="en"): the
# longest quotations first, so that a short one ('2020') does not cut a longer one that holds it into pieces that
# are no longer found. A quotation of one or two characters (a printed mark: '_', '-', '1') holds no phrase and is
# left: taken out everywhere, '_' would turn 'fee_payments.csv' into the words 'fee payments'.
VISIBLE_TEXT = """() => {
    let text = document.body.innerText;
    const quoted = Array.from(document.querySelectorAll('[lang="en"]'), el => el.innerText).filter(w => w.trim().length > 2)
        .sort((a, b) => b.length - a.length);
    for (const words of quoted) text = text.split(words).join(' ');
    return text;
}"""


@pytest.fixture(scope="module")
def english():
    return _english_phrases()


# every page in French in the default suite, in Spanish in `make test-slow` (i18n002 checks Spanish numbers and
# months by default; tests/unit/test_catalogues.py that both catalogues are complete)
@pytest.mark.parametrize("lang", ["fr", pytest.param("es", marks=pytest.mark.slow)])
@pytest.mark.parametrize("name,path,ready", PAGES, ids=[p[0] for p in PAGES])
def test_i18n001_pages_are_in_the_language(watched, english, lang, name, path, ready):
    if lang not in available_locales():
        pytest.fail(f"no compiled {lang} catalogue: run `make install`", pytrace=False)
    watched.open(path + ("&" if "?" in path else "?") + f"lang={lang}")
    watched.page.wait_for_selector(ready, state="attached")
    watched.page.wait_for_timeout(500)
    watched.shot(f"{name}-{lang}")
    assert watched.page.evaluate("() => document.documentElement.lang") == lang
    text = watched.page.evaluate(VISIBLE_TEXT)
    left = [phrase for phrase in english if re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text)]
    assert not left, f"{path} in {lang} shows English: {left[:10]}"
    assert watched.errors == [], watched.errors


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_i18n002_numbers_and_chart_months_follow_the_language(watched, lang):
    watched.open(f"/?lang={lang}")
    watched.page.wait_for_selector(f"#{ids.Overview.SUMMARY}", state="attached")
    summary = watched.page.inner_text(f"#{ids.Overview.SUMMARY}")
    assert re.search(r"\d,\d\u00a0%", summary), summary  # '76,6 %': decimal comma, a space before '%'
    watched.open(f"/engagement?lang={lang}")
    watched.page.wait_for_selector(".js-plotly-plot .xtick text", state="attached")
    ticks = watched.page.eval_on_selector_all(".js-plotly-plot .xtick text", "els => els.map(e => e.textContent)")
    assert set(MONTHS[lang]) <= {t.lower() for t in ticks}, ticks
    # plotly.js itself is in the language too (its locale, set through the graph config)
    locale = watched.page.evaluate("() => document.querySelector('.js-plotly-plot')._context.locale")
    assert locale == lang
    separators = watched.page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.separators")
    assert separators == {"fr": ",\u202f", "es": ",."}[lang], separators  # the language's decimal comma


def test_i18n003_unknown_language_shows_a_notice_naming_the_languages(watched):
    watched.open("/?lang=zz")
    watched.page.wait_for_selector(f"#{ids.Overview.SUMMARY}", state="attached")
    text = watched.page.inner_text("body")
    assert "en, es, fr" in text and "Showing the default language." in text
