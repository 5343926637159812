"""The Indicators pages and the action plan's lines in Spanish and French. Decided per string:
- the indicators' names, definitions and the notes on printed figures are the curators' own words (seed/indicators.csv,
  seed/indicator_values.csv): extracted into the catalogues (seed/messages.py) and translated;
- what the documents print (a figure as printed, '53%', a breakdown '45% women · 55% men', the reports' section
  headings, the action lines' titles, the citations) is quoted text: shown in English, marked lang="en"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _unquoted(component, inside=False) -> list[str]:
    """The texts of a Dash tree outside any element marked lang="en"."""
    if component is None:
        return []
    if isinstance(component, str | int | float):
        return [] if inside else [str(component)]
    if isinstance(component, list | tuple):
        return [t for c in component for t in _unquoted(c, inside)]
    inside = inside or getattr(component, "lang", None) == "en"
    texts = _unquoted(getattr(component, "children", None), inside)
    for value in _labels(component):
        texts += _unquoted(value, inside)
    return texts


def _labels(component) -> list:
    """The texts a component shows besides its children: an accordion item's title, a dropdown's options."""
    title = getattr(component, "title", None)
    found = [title] if title is not None and not isinstance(title, str) else []
    options = getattr(component, "options", None)
    if isinstance(options, list):
        found += [o["label"] for o in options if isinstance(o, dict) and "label" in o]
    return found


def _quoted(component) -> list[str]:
    if component is None or isinstance(component, str | int | float):
        return []
    if isinstance(component, list | tuple):
        return [t for c in component for t in _quoted(c)]
    if getattr(component, "lang", None) == "en":
        return [" ".join(_unquoted(component.children))]
    return _quoted(getattr(component, "children", None)) + [t for value in _labels(component) for t in _quoted(value)]


def _seed_texts() -> set[str]:
    """The curators' texts of the seed files (names, definitions, notes) as the template holds them."""
    template = read_po((ROOT / "dashboard" / "translations" / "messages.pot").open("rb"))
    return {m.id for m in template if m.id and any(c.startswith("seed ") for c in m.auto_comments)}


def test_the_curators_texts_are_in_the_template():
    texts = _seed_texts()
    assert {"Population density", "Members with: news on the website",
            "Observatory average quoted in the Strategic Action Plan 2021-2023."} <= texts
    assert len(texts) > 150


@pytest.mark.parametrize("lang, density, definition, period", [
    ("es", "Densidad de población", "Promedio del Observatorio citado en el Plan de Acción Estratégico 2021-2023.",
     "1 nov 2020 – 30 nov 2020"),
    ("fr", "Densité de population", "Moyenne de l’Observatoire citée dans le Plan d’action stratégique 2021-2023.",
     "1 nov. 2020 – 30 nov. 2020"),
])
def test_the_indicators_page_in_the_language(dash_app, app_store, lang, density, definition, period):
    from dashboard.pages import indicators

    with dash_app.server.test_request_context(f"/indicators?lang={lang}"):
        page = indicators.layout(lang=lang)
    shown = " ".join(_unquoted(page))
    quotes = _quoted(page)
    assert density in shown and "Population density" not in shown
    assert definition in shown
    assert period in shown and "Nov 2020" not in shown
    left = sorted(t for t in _seed_texts() if len(t.split()) > 1 and re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", shown))
    assert not left, f"curators' texts left in English: {left[:5]}"
    # what the documents print is quoted, in English
    assert "53%" in quotes and "53%" not in shown  # the network figure as printed
    assert any(q.startswith("Metropolis Strategic Action Plan 2021-2023") for q in quotes)  # a citation
    assert "Conducting urban diplomacy and advocacy on metropolitan issues" in quotes  # an action line's title
    assert "Conducting urban diplomacy" not in shown
    assert {"es": "Línea de acción 1", "fr": "Ligne d’action 1"}[lang] in shown


@pytest.mark.parametrize("lang, name, topic", [("es", "Densidad de población", "tema: Observatorio Metropolis"),
                                               ("fr", "Densité de population", "thème\u00a0: Observatoire Metropolis")])
def test_an_indicator_page_in_the_language(dash_app, app_store, lang, name, topic):
    from dashboard.pages import indicator

    with dash_app.server.test_request_context(f"/indicators/observatory.population_density?lang={lang}"):
        page = indicator.layout(code="observatory.population_density", lang=lang)
    shown = " ".join(_unquoted(page))
    assert name in shown and "Population density" not in shown
    assert topic in shown
    assert "Average over the metropolitan spaces" not in shown  # the curators' note, translated
    assert "2,642" in _quoted(page) or "2,642" in " ".join(_quoted(page))  # the figure as printed


def test_the_action_plan_quotes_its_lines_titles(dash_app, app_store):
    from dashboard.pages import action_plan

    with dash_app.server.test_request_context("/action-plan?lang=fr"):
        page = action_plan.layout(lang="fr")
    shown, quotes = " ".join(_unquoted(page)), _quoted(page)
    for title in ("Strengthen global leadership on metropolitan diplomacy and advocacy",  # the accordion (2021-2023)
                  "Conducting urban diplomacy and advocacy on metropolitan issues"):  # the line chooser (2018-2020)
        assert title in quotes, title
        assert title not in shown, title


@pytest.mark.parametrize("lang, said", [("en", "No member has a value of its own for these filters. Network figure, "
                                                "as printed: 53%."),
                                        ("es", "Ningún miembro tiene un valor propio con estos filtros. Cifra de la "
                                               "red, según lo publicado: 53%.")])
def test_a_deck_note_does_not_count_the_network_figure_as_a_member(dash_app, app_store, lang, said):
    """The speaker notes of an indicator slide: the network figure (the row without a region) is not a member
    ('1 members with a value; the highest is Network figure (as printed)' before)."""
    from dashboard.charts import ChartFilters, render
    from dashboard.export import _indicator_numbers

    with dash_app.server.test_request_context(f"/indicators?lang={lang}"):
        f = ChartFilters(None, 2020, {"indicator": "observatory.gender_pay_gap_pct"}, lang=lang)
        assert _indicator_numbers(render("indicator-ranking", f), f) == said
