"""One of each: one filter type and parser, one URL builder for every link, one shape for every error answer."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from dashboard import urls
from dashboard.api_models import ErrorBody
from dashboard.filters import ChartFilters
from dashboard.validation import InvalidInput, parse_filters


@pytest.fixture
def client(dash_app, app_store):
    return dash_app.server.test_client()


REGIONS = ["Africa", "Asia-Pacific", "Europe", "Latin America and the Caribbean", "North America"]


# ---- the filter type and its parser ----------------------------------------------------------------------------

def test_the_parser_falls_back_for_pages_and_refuses_for_exports():
    f = parse_filters("europe", "2020", "fr", known_regions=REGIONS, years=[2019, 2020])
    assert (f.regions, f.year, f.lang, f.notices) == (["Europe"], 2020, "fr", [])
    forgiving = parse_filters("Atlantis", "1850", "zz", known_regions=REGIONS, years=[2019, 2020])
    assert (forgiving.regions, forgiving.year, forgiving.lang, len(forgiving.notices)) == (None, 2020, None, 2)
    for region, year, lang, parameter in [("Atlantis", None, None, "region"), (None, "1850", None, "year"),
                                          (None, None, "zz", "lang")]:
        with pytest.raises(InvalidInput) as err:
            parse_filters(region, year, lang, known_regions=REGIONS, years=[2020], strict=True)
        assert err.value.parameter == parameter


def test_notices_never_change_what_a_chart_is_drawn_for():
    """The chart cache keys on the filters' repr: a notice must not split it, the language and options must."""
    plain = ChartFilters(["Europe"], 2020)
    noticed = ChartFilters(["Europe"], 2020, notices=["Unknown region 'x'."])
    assert plain == noticed and repr(plain) == repr(noticed)
    assert repr(plain.with_options({"sort": "total"})) != repr(plain)
    assert plain.with_options({"sort": "total"}).with_options() == plain
    assert ChartFilters(["Europe"], 2020, lang="fr").with_options({"x": 1}).lang == "fr"
    assert plain.words() == "Europe · 2020" and ChartFilters(None, 2020).words() == "All regions · 2020"


def test_stored_filters_keep_the_language_and_refuse_what_the_browser_changed(app_store):
    from dashboard.components import stored_filters

    assert stored_filters({"regions": ["Europe"], "year": 2020, "lang": "fr"}) == ChartFilters(["Europe"], 2020, lang="fr")
    assert stored_filters({"regions": None, "year": 2020}) == ChartFilters(None, 2020)
    for bad in [{"regions": ["Atlantis"], "year": 2020}, {"regions": None, "year": 1850}, {"regions": None, "year": "2020"},
                {"regions": None, "year": True}, {"regions": None, "year": 2020, "lang": "zz"},
                {"regions": None, "year": 2020, "lang": 3}, {"regions": "Europe", "year": 2020}, None]:
        assert stored_filters(bad) is None, bad


# ---- the URL builder --------------------------------------------------------------------------------------------

def test_the_builder_carries_the_language_unless_it_is_the_default():
    assert urls.query(ChartFilters(["Europe", "Africa"], 2020, lang="fr")) == "?region=Europe&region=Africa&year=2020&lang=fr"
    assert urls.query(ChartFilters(["Europe"], 2020, lang="en")) == "?region=Europe&year=2020"
    assert urls.query(ChartFilters(None, None)) == ""
    assert urls.page("/members/madrid", ChartFilters(None, 2020, lang="es"), fragment="x") == \
        "/members/madrid?year=2020&lang=es#x"
    assert urls.deck("/gender", ChartFilters(["Europe"], 2020)) == "/export/deck.pptx?region=Europe&year=2020&page=%2Fgender"
    assert urls.carried("?region=Europe&lang=en&colour=x&year=2020") == [("region", "Europe"), ("year", "2020")]
    assert urls.search_with("?lang=fr&colour=x&region=Africa", ChartFilters(["Europe"], 2021)) == \
        "?lang=fr&colour=x&region=Europe&year=2021"


def test_nav_and_member_links_carry_the_language(app_store):
    from dashboard.shell import NAV_PAGES, member_href, update_nav_links

    hrefs, _active = update_nav_links("/map", "?region=Europe&year=2020&lang=fr&colour=engagement")
    assert hrefs == [path + "?region=Europe&year=2020&lang=fr" for _key, path, *_ in NAV_PAGES]
    assert member_href("madrid", "?lang=es&x=1") == "/members/madrid?lang=es"


def _links(component) -> list[str]:
    """Every href and every copied text (links, embed codes) in a Dash component tree."""
    found = []
    for item in [component, *(c for c in component._traverse())]:
        for prop in ("href", "data-copy"):
            value = getattr(item, prop, None)
            if isinstance(value, str):
                found.append(value)
    return found


def _filter_values(link: str) -> list[tuple[str, str]]:
    address = link.split('src="', 1)[1].split('"', 1)[0] if link.startswith("<iframe") else link
    return [(k, v) for k, v in parse_qsl(urlsplit(address).query) if k in urls.FILTER_PARAMS]


@pytest.mark.parametrize("page", ["overview", "map", "engagement", "gender", "action_plan", "events", "indicators"])
def test_every_link_of_a_page_carries_its_filters_and_language(dash_app, app_store, page):
    """Cards, chart menus (exports, copied link, embed code), the deck button: each with region, year and lang."""
    import importlib

    layout = importlib.import_module(f"dashboard.pages.{page}").layout
    with dash_app.server.test_request_context("/?region=Europe&year=2020&lang=fr"):
        tree = layout(region="Europe", year="2020", lang="fr")
    links = [link for link in _links(tree) if "?" in link]
    assert len(links) >= 7, links  # at least one chart menu: 5 exports, a link and an embed code
    for link in links:
        assert _filter_values(link) == [("region", "Europe"), ("year", "2020"), ("lang", "fr")], link


def test_a_chart_menu_keeps_the_options_after_the_filters(dash_app, app_store):
    from dashboard.components import chart_menu

    with dash_app.server.test_request_context("/map"):
        menu = chart_menu("members-map", ChartFilters(["Europe"], 2020, lang="fr"), {"colour": "engagement"})
    for link in _links(menu):
        address = link.split('src="', 1)[1].split('"', 1)[0] if link.startswith("<iframe") else link
        assert urlsplit(address).query.startswith("region=Europe&year=2020&lang=fr&colour=engagement"), link


def test_export_and_embed_live_links_carry_the_language(dash_app, client):
    from dashboard.pages.embed import layout as embed

    csv = client.get("/export/gender-parity.csv?region=Europe&lang=fr").get_data(as_text=True)
    assert "/gender?region=Europe&year=" in csv and "&lang=fr#chart-gender-parity" in csv
    with dash_app.server.test_request_context("/embed/gender-parity?region=Europe&year=2020&lang=es"):
        links = _links(embed(chart_id="gender-parity", region="Europe", year="2020", lang="es"))
    assert links == ["http://localhost/gender?region=Europe&year=2020&lang=es#chart-gender-parity"]


# ---- one shape for every error answer -------------------------------------------------------------------------

ERRORS = [
    ("GET", "/api/v1/members?region=Atlantis", 400),  # the data API
    ("GET", "/api/v1/nowhere", 404),
    ("POST", "/api/v1/events", 400),  # the write API: no CSRF token
    ("GET", "/export/nothing.png", 404),  # the exports
    ("GET", "/export/gender-parity.png?year=1850", 400),
    ("GET", "/export/not a chart", 404),
    ("GET", "/export/deck.pptx?lang=zz", 400),
    ("GET", "/embed/gender-parity?colour=x", 400),
]


@pytest.mark.parametrize("method,path,status", ERRORS, ids=[f"{m} {p}" for m, p, _s in ERRORS])
def test_every_error_answer_has_the_same_json_shape(client, method, path, status):
    response = client.open(path, method=method, headers={"Accept": "application/json"})
    assert response.status_code == status and response.mimetype == "application/json"
    body = response.get_json()
    assert ErrorBody.model_validate(body).error.status == status
    assert set(body) == {"error"} and None not in body["error"].values(), body  # no null details


@pytest.mark.parametrize("path", ["/export/nothing.png", "/export/gender-parity.png?year=1850"])
def test_a_browser_gets_the_one_html_error_page(client, path):
    page = client.get(path, headers={"Accept": "text/html"})
    text = page.get_data(as_text=True)
    signin = client.get("/login").get_data(as_text=True)
    frame = "<main class='container py-5' style='max-width:28rem'>"
    assert page.status_code in (400, 404) and page.mimetype == "text/html"
    assert frame in text and frame in signin and "<meta name='viewport'" in text
    assert "Traceback" not in text


def test_the_signed_out_paths_include_every_static_path():
    from dashboard.auth import PUBLIC_PATHS
    from dashboard.static import STATIC_PATHS

    assert set(STATIC_PATHS) <= set(PUBLIC_PATHS)


def test_an_answers_meta_names_the_filters_of_its_query_model(client):
    meta = client.get("/api/v1/events?region=Europe&year=2020&kind=learning").get_json()["meta"]
    assert meta["filters"] == "region=Europe, year=2020, kind=learning"
    meta = client.get("/api/v1/engagement?region=Europe").get_json()["meta"]
    assert meta["filters"].startswith("region=Europe, year=")
