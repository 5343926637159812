"""The discrepancies' texts in Spanish and French (issue 15): the curators' words of seed/discrepancies.csv (what
disagrees, the values, the reading kept, why) are extracted (seed/messages.py) and translated faithfully (every
quotation of a document kept as printed, every number kept); the pages show them in the reader's language, with
what they quote from the documents in English, marked lang="en"."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.unit.test_indicator_texts import _quoted, _unquoted

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ("subject", "printed_value", "recomputed_value", "reading_kept", "explanation")
QUOTATION = re.compile(r"(?<!\w)'([^']+?)'(?!\w)")  # a document's words quoted by the curators, in English
QUOTED = re.compile("«[\u00a0\u202f]?(.+?)[\u00a0\u202f]?»")  # the same, in the French and Spanish catalogues


def _texts() -> set[str]:
    with (ROOT / "seed" / "discrepancies.csv").open(encoding="utf-8", newline="") as f:
        return {row[c].strip() for row in csv.DictReader(f) for c in COLUMNS if row[c].strip()}


def _catalogue(lang: str) -> dict[str, str]:
    path = ROOT / "dashboard" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    return {m.id: m.string for m in read_po(path.open("rb")) if m.id and isinstance(m.id, str)}


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_every_discrepancy_text_is_translated_faithfully(lang):
    catalogue = _catalogue(lang)
    problems = []
    for text in sorted(_texts()):
        if text.isdigit():  # a bare count reads the same in every language (not extracted)
            continue
        translation = catalogue.get(text)
        if not translation:
            problems.append(f"not translated: {text[:80]!r}")
            continue
        if re.search("[a-z]{3}", text) and translation == text:
            problems.append(f"left in English: {text[:80]!r}")
        quoted = QUOTED.findall(translation)
        problems += [f"quotation {q!r} not kept in {translation[:60]!r}" for q in QUOTATION.findall(text)
                     if q not in quoted]
        problems += [f"number {n} lost in {translation[:60]!r}" for n in sorted(_numbers(text) - _numbers(translation))]
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("lang, why, subject", [
    ("fr", "Il manque un paiement dans les lignes.", "Membres ayant payé la cotisation 2020\u00a0: le total imprimé"),
    ("es", "Falta un pago en las filas.", "Miembros que pagaron la cuota de 2020: el total impreso"),
])
def test_the_sources_page_shows_the_discrepancies_in_the_language(dash_app, app_store, lang, why, subject):
    from dashboard.pages import sources

    with dash_app.server.test_request_context(f"/sources?lang={lang}"):
        page = sources.layout(lang=lang)
    shown, quotes = " ".join(_unquoted(page)), _quoted(page)
    assert why in shown and subject in shown
    assert "One payment is missing from the rows" not in shown
    # the document's words the explanation quotes stay as printed, in English, marked lang="en"
    assert {"2020 fee payment", "Yes", "103", "71% attendance"} <= set(quotes)
    assert "2020 fee payment" not in shown
    left = sorted(t for t in _texts() if len(t.split()) > 2 and t in shown)
    assert not left, f"discrepancy texts left in English: {left[:3]}"


def test_a_discrepancy_note_under_a_chart_is_in_the_language(dash_app, app_store):
    from dashboard.components import discrepancy_notes

    with dash_app.server.test_request_context("/?lang=fr"):
        (note, code), = discrepancy_notes(["members.active_pct"])
    shown, quotes = " ".join(_unquoted(note)), _quoted(note)
    assert code == "members.active_pct"
    assert "face aux membres activés de la section 4.1" in shown and "76,6\u00a0% (108 sur 141)" in shown
    assert quotes == ["76% of our membership actively engaged"]


def test_the_curators_other_readings_are_in_the_language(dash_app, app_store):
    """The action plan's readings of the printed marks, how a member's row was read and its Board seat's note are
    the curators' words too (extracted from the seed files): in French on a French page, what they quote in English."""
    from dashboard.pages import action_plan, member

    with dash_app.server.test_request_context("/action-plan?lang=fr"):
        plan = action_plan.layout(lang="fr", year="2020")
    shown = " ".join(_unquoted(plan))
    assert "Une coche\u00a0: le livrable a été réalisé avant la fin du mandat 2018-2020." in shown
    assert "A check mark" not in shown and "Execution of the Action Plan" in _quoted(plan)
    with dash_app.server.test_request_context("/members/madrid?lang=fr"):
        page = member.layout(slug="madrid", lang="fr", year="2020")
    shown = " ".join(_unquoted(page))
    assert "Rôle dans le projet pilote imprimé avec le «\u00a0" in shown and "pilot role printed" not in shown
    assert re.search(r"Membre\s+—", shown) and "member —" not in shown  # the seat in words; its holder quoted
    assert any(q.startswith("José Luis Martínez-Almeida") for q in _quoted(page))


def test_the_sources_page_describes_the_documents_in_the_language(dash_app, app_store):
    """The documents' descriptions and reading notes are the curators' (seed/sources.toml, extracted); the
    dashboard's own source is described in the dashboard's words; titles and publishers stay as printed."""
    from dashboard.pages import sources

    with dash_app.server.test_request_context("/sources?lang=fr"):
        page = sources.layout(lang="fr")
    shown, quotes = " ".join(_unquoted(page)), _quoted(page)
    assert "Texte descriptif uniquement\u202f; aucun chiffre n’en est tiré." in shown
    assert "Descriptive text only" not in shown and "Text extracted from the PDF" not in shown
    assert "Saisi dans le tableau de bord de Metropolis" in shown and "Entered in the Metropolis dashboard" not in shown
    assert "Metropolis Annual Report 2020" in quotes and "Who we are" in quotes


@pytest.mark.parametrize("lang, active, paid", [("fr", "Le rapport imprime 76\u00a0%.", "Le rapport imprime 78 membres."),
                                                ("en", "The report prints 76%.", "The report prints 78 members.")])
def test_a_key_figure_s_discrepancy_note_writes_the_printed_figure_as_the_language_does(dash_app, app_store, lang,
                                                                                        active, paid):
    from dashboard.pages import overview

    with dash_app.server.test_request_context(f"/?lang={lang}"):
        page = overview.layout(lang=lang, year="2020")
    shown = " ".join(_unquoted(page))
    assert active in shown and paid in shown
    if lang == "fr":
        assert "76%." not in shown
