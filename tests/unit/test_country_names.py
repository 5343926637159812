"""Country names in the reader's language (CLDR's names through Babel, from the member's ISO code) in the members
list, a member's page, the map's hovers and the map's table; English keeps the member list's own names, and the
CSV export keeps them as data."""

from __future__ import annotations

import pytest

from dashboard.translation import translator
from tests.components import texts


@pytest.mark.parametrize("lang, germany, ivory_coast", [("en", "Germany", "Ivory Coast"),
                                                        ("fr", "Allemagne", "Côte d’Ivoire"),
                                                        ("es", "Alemania", "Côte d’Ivoire")])
def test_a_country_in_each_language(lang, germany, ivory_coast):
    tr = translator(lang)
    assert tr.country_name("DE", "Germany") == germany
    assert tr.country_name("CI", "Ivory Coast") == ivory_coast
    assert tr.country_name("", "Atlantis") == "Atlantis"  # no code: the store's name


@pytest.mark.parametrize("lang, germany, region", [("fr", "Allemagne", "Europe"), ("es", "Alemania", "Europa")])
def test_the_members_list_names_countries_in_the_language(dash_app, app_store, lang, germany, region):
    from dashboard.pages import members

    with dash_app.server.test_request_context(f"/members?lang={lang}"):
        rows = members._rows(None, 2020, False, "")
    berlin = rows[rows["name"] == "Berlin"].iloc[0]
    assert berlin["country"] == germany and berlin["region"] == region
    assert "germany" in berlin["search"] and germany.lower() in berlin["search"]  # either name finds it
    assert "Germany" not in set(rows["country"])


@pytest.mark.parametrize("lang, germany", [("fr", "Allemagne"), ("es", "Alemania")])
def test_a_member_page_names_its_country_in_the_language(dash_app, app_store, lang, germany):
    from dashboard.pages import member

    with dash_app.server.test_request_context(f"/members/berlin?lang={lang}"):
        page = member.layout(slug="berlin", lang=lang)
    text = " ".join(texts(page))
    assert germany in text and "Germany" not in text


@pytest.mark.parametrize("lang, germany, region", [("fr", "Allemagne", "Europe"), ("es", "Alemania", "Europa")])
def test_the_map_hover_and_table_name_the_country_in_the_language(dash_app, app_store, lang, germany, region):
    from dashboard.chart_tables import cell_text
    from dashboard.charts import ChartFilters, ChartId, render

    with dash_app.server.test_request_context(f"/map?lang={lang}"):
        data = render(ChartId.MEMBERS_MAP, ChartFilters(["Europe"], 2020, {"colour": "region"}, lang=lang))
        shown = cell_text("country", "Germany")
    hovers = [h for t in data.figure["data"] for h in (t.get("hovertext") or []) if "<b>Berlin</b>" in h]
    assert hovers and f"{germany} · {region}" in hovers[0], hovers
    assert "Germany" in set(data.rows["country"])  # the CSV's data column as stored
    assert shown == germany


def test_the_member_search_finds_a_member_by_its_country_in_the_language(dash_app, app_store):
    from dashboard.shell import _member_options, _shell_data

    with dash_app.server.test_request_context("/_dash-layout", headers={"Referer": "http://localhost/?lang=fr"}):
        options = {o["value"]: o["search"] for o in _member_options(_shell_data()[2])}
    assert "Allemagne" in options["berlin"] and "Germany" in options["berlin"]
