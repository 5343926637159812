"""One parser for `lang` (Metropolis' languages en, es, fr) on pages, the API and the exports; numbers in the
address are ASCII digits (Python's \\d and str.isdigit also take '２０２０')."""

from __future__ import annotations

import pytest

from dashboard.validation import InvalidInput, is_whole_number, parse_lang, parse_year


@pytest.fixture
def client(dash_app, app_store):
    return dash_app.server.test_client()


@pytest.mark.parametrize("raw", ["２０２０", "٢٠٢٠", "२०२०", "2０20"])
def test_a_year_in_other_digits_is_not_a_year(raw):
    with pytest.raises(InvalidInput) as err:
        parse_year(raw, [2020])
    assert err.value.parameter == "year" and err.value.message == f"'{raw}' is not a year. Choose one of: 2020."
    assert not is_whole_number(raw)


def test_languages_are_metropolis_own():
    assert [parse_lang(x) for x in (None, "", "en", "es", "fr")] == [None, None, "en", "es", "fr"]
    with pytest.raises(InvalidInput) as err:
        parse_lang("zz")
    assert err.value.parameter == "lang" and err.value.valid == ["en", "es", "fr"]
    assert "en, es, fr" in err.value.message


@pytest.mark.parametrize("url, parameter", [
    ("/api/v1/engagement?year=２０２０", "year"),
    ("/export/gender-parity.csv?year=２０２０", "year"),
    ("/export/gender-parity.png?width=２０００", "width"),
    ("/api/v1/engagement?lang=zz", "lang"),
    ("/api/v1/members?format=csv&lang=zz", "lang"),
    ("/api/v1/?lang=zz", "lang"),
    ("/export/gender-parity.csv?lang=zz", "lang"),
    ("/export/deck.pptx?lang=zz", "lang"),
    ("/embed/gender-parity?lang=zz", "lang"),
])
def test_api_exports_and_embeds_refuse_unknown_languages_and_other_digits(client, url, parameter):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["parameter"] == parameter
    if parameter == "lang":
        assert error["valid"] == ["en", "es", "fr"] and "en, es, fr" in error["message"]


@pytest.mark.parametrize("url", ["/api/v1/engagement?lang=es", "/api/v1/members?lang=fr&format=csv",
                                 "/export/gender-parity.csv?lang=es", "/export/members-map.csv?lang=fr"])
def test_every_language_metropolis_works_in_is_accepted(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_chart_index_advertises_the_accepted_languages(client):
    assert client.get("/api/v1/charts").get_json()["filters"]["lang"] == ["en", "es", "fr"]


@pytest.mark.parametrize("module", ["overview", "members", "engagement", "sources"])
def test_pages_explain_an_unknown_language(dash_app, app_store, module):
    import importlib

    from tests.unit.test_callbacks import _text

    page = importlib.import_module(f"dashboard.pages.{module}")
    with dash_app.server.test_request_context("/_dash-update-component", method="POST"):
        text = _text(page.layout(region="Europe", year="2020", lang="zz"))
        assert "Unknown lang 'zz'. Choose one of: en, es, fr. Showing the default language." in text
        assert "Unknown lang" not in _text(page.layout(region="Europe", year="2020", lang="es"))
        assert "Unknown lang" not in _text(page.layout(region="Europe", year="2020"))
