"""Every page's title (the tab, the window, what a screen reader reads first) in the page's language: pages register
theirs in English and Dash showed them unchanged under <html lang="fr"> (WCAG 2.4.2, 3.1.2)."""

from pathlib import Path

import dash
import pytest
from babel.messages.pofile import read_po

CATALOGUES = Path(__file__).resolve().parents[2] / "dashboard" / "translations"

PATH_VARIABLES = {"/members/<slug>": {"slug": "berlin"}, "/indicators/<code>": {"code": "observatory.poverty_pct"},
                  "/meetings/<slug>": {"slug": "2020-11-12"}, "/meetings/<slug>/changes": {"slug": "2020-11-12"},
                  "/embed/<chart_id>": {"chart_id": "funds"}}


def _titles(dash_app, lang: str) -> dict[str, str]:
    with dash_app.server.test_request_context(f"/?lang={lang}"):
        return {page.get("path_template") or page["path"]:
                page["title"](**PATH_VARIABLES.get(page.get("path_template"), {}))
                for page in dash.page_registry.values()}


@pytest.mark.parametrize(("lang", "site"), [("fr", "Tableau de bord de Metropolis"), ("es", "Panel de Metropolis")])
def test_every_page_title_is_in_the_page_language(dash_app, lang, site):
    english, translated = _titles(dash_app, "en"), _titles(dash_app, lang)
    assert english["/members"] == "Members · Metropolis dashboard" and english["/embed/<chart_id>"] == "Metropolis dashboard"
    assert translated["/members"] == ("Membres · " if lang == "fr" else "Miembros · ") + site
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalogue = read_po(po)
    for path, title in translated.items():
        assert title.endswith(site), (path, title)
        name = english[path].rpartition(" · ")[0]  # the page's own part: a translated msgid ("Engagement" stays)
        assert not name or (catalogue.get(name) and catalogue.get(name).string), f"{path}: {name!r} has no translation"


def test_the_window_title_before_a_page_sets_its_own(dash_app):
    client = dash_app.server.test_client()
    assert "<title>Panel de Metropolis</title>" in client.get("/members?lang=es").get_data(as_text=True)
    assert "<title>Metropolis dashboard</title>" in client.get("/members").get_data(as_text=True)
