"""Choosing the language: `?lang=`, else Accept-Language; Dash's own requests follow the page's address; `<html
lang>`; the navbar's switch keeps the page and its filters; exports and the API answer in the language asked."""

from __future__ import annotations

import pytest
from flask import g

from dashboard import i18n
from dashboard.shell import update_language_links
from dashboard.urls import with_lang as _with_lang
from tests.figure_schema import validated


@pytest.fixture
def client(dash_app, app_store):
    return dash_app.server.test_client()


def _compiled():
    missing = [lang for lang in ("es", "fr") if lang not in i18n.available_locales()]
    if missing:
        pytest.fail(f"no compiled catalogue for {missing}: run `make install`", pytrace=False)


@pytest.mark.parametrize("url, headers, wanted", [
    ("/?lang=fr", {}, "fr"),
    ("/?lang=es", {"Accept-Language": "fr"}, "es"),  # the address wins
    ("/", {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}, "fr"),
    ("/", {"Accept-Language": "es-AR,es;q=0.8"}, "es"),
    ("/", {"Accept-Language": "de"}, "en"),
    ("/?lang=zz", {"Accept-Language": "es"}, "es"),  # an unknown lang: the notice, and the browser's language
    ("/_dash-layout", {"Referer": "http://localhost/engagement?year=2020&lang=fr"}, "fr"),
    ("/_dash-update-component", {"Referer": "http://localhost/map?lang=es", "Accept-Language": "fr"}, "es"),
])
def test_the_language_of_a_request(dash_app, url, headers, wanted):
    _compiled()
    with dash_app.server.test_request_context(url, headers=headers):
        assert i18n.current_locale() == wanted
        g.pop("_locale", None)


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_html_lang_follows_the_language(client, lang):
    _compiled()
    page = client.get(f"/engagement?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_the_switch_keeps_the_page_and_its_filters():
    assert _with_lang("?region=Europe&region=Africa&year=2020&lang=fr", "es") == (
        "?region=Europe&region=Africa&year=2020&lang=es")
    assert update_language_links("/members/lisbon", "") == [
        "/members/lisbon?lang=en", "/members/lisbon?lang=es", "/members/lisbon?lang=fr"]


def test_the_switch_is_in_the_navbar_in_each_language(dash_app):
    _compiled()
    from dashboard.shell import _language_switch

    with dash_app.server.test_request_context("/_dash-layout", headers={"Referer": "http://localhost/map?year=2020&lang=fr"}):
        links = _language_switch().children
    assert [a.children for a in links] == ["EN", "ES", "FR"]
    assert [a.href for a in links] == ["/map?year=2020&lang=en", "/map?year=2020&lang=es", "/map?year=2020&lang=fr"]
    assert [a.title for a in links] == ["English", "Español", "Français"]
    current = [a for a in links if "active" in a.className]
    assert [a.lang for a in current] == ["fr"]


@pytest.mark.parametrize("lang, title", [("en", "Members active in 2020, by region"),
                                         ("fr", "Membres actifs en 2020, par région")])
def test_csv_header_lines_are_in_the_language_and_the_columns_are_not(client, lang, title):
    """The '#' lines' values are in the language asked for; their keys and the data columns stay as they are
    (scripts read them)."""
    _compiled()
    response = client.get(f"/export/active-by-region.csv?year=2020&lang={lang}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    lines = response.get_data(as_text=True).splitlines()
    assert f"# title: {title}" in lines
    english = client.get("/export/active-by-region.csv?year=2020").get_data(as_text=True).splitlines()
    assert [li for li in lines if not li.startswith("#")][0] == [li for li in english if not li.startswith("#")][0]


def test_spanish_exports_are_served(client):
    response = client.get("/export/active-by-region.csv?year=2020&lang=es")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_api_errors_follow_accept_language(client):
    _compiled()
    answer = client.get("/api/v1/engagement?region=Atlantis", headers={"Accept-Language": "fr"}).get_json()
    assert answer["error"]["message"].startswith("Région inconnue\u00a0: «\u00a0Atlantis\u00a0»")


def test_funds_bars_write_percentages_and_euros_as_the_language_does(dash_app):
    """The funds chart's bar texts and totals in French ('52 %', '936 463 €'); its legend has a line of its own
    under the subtitle (beside a long French subtitle it ran into it)."""
    import pandas as pd

    from dashboard.figures.overview import funds_figure

    _compiled()
    df = pd.DataFrame({"basis": ["cash", "cash"], "fund_source": ["membership_fees", "partnerships_members"],
                       "share_pct": [52.0, 47.5], "total": [936463, 936463]})
    labels = {"cash": "Fonds", "membership_fees": "Cotisations des membres",
              "partnerships_members": "Partenariats avec des membres"}
    from dashboard.translation import translator

    fig = validated(funds_figure(df, labels=labels, title="t", subtitle="s", source="x", tr=translator("fr")))
    assert [t.text for t in fig.data] == [("52\u00a0%",), ("47,5\u00a0%",)]
    assert "936\u202f463\u00a0€" in fig.data[0].y[0]
    assert fig.layout.legend.xanchor == "left" and fig.layout.margin.t > 100


def test_filters_in_words_name_the_regions_in_the_language(dash_app):
    """The subtitle of every chart and page ('Europa, África · 2020') names the regions as the language does."""
    from dashboard.filters import ChartFilters

    _compiled()
    with dash_app.server.test_request_context("/?lang=es"):
        assert ChartFilters(["Europe", "Africa"], 2020).words() == "Europa, África · 2020"
    with dash_app.server.test_request_context("/"):
        assert ChartFilters(["Europe", "Africa"], 2020).words() == "Europe, Africa · 2020"
