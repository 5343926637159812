"""The frame around every page: navbar, shared filter bar (region, year) kept in the URL, member search."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlparse

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from flask import has_request_context, request
from flask_wtf.csrf import generate_csrf

from dashboard import ids, urls
from dashboard.auth import current_actor
from dashboard.cache import memoized
from dashboard.components import dropdown, dropdown_slot, page_url
from dashboard.filters import ChartFilters
from dashboard.i18n import (
    CANDIDATE_LOCALES,
    LANGUAGE_NAMES,
    _,
    country_name,
    current_locale,
    lazy_gettext,
    region_label,
)
from dashboard.validation import (
    parse_filters,
    text_list,
    text_value,
    whole_number,
)
from db.queries.common import region_names, year_choices
from db.queries.members import member_list
from db.queries.provenance import is_synthetic
from db.session import Session
from db.versioning import data_version

NAV_PAGES = (
    ("overview", "/", lazy_gettext("Overview"), "bi-speedometer2"),
    ("map", "/map", lazy_gettext("Map"), "bi-globe-americas"),
    ("engagement", "/engagement", lazy_gettext("Engagement"), "bi-grid-3x3-gap"),
    ("gender", "/gender", lazy_gettext("Gender parity"), "bi-gender-ambiguous"),
    ("action-plan", "/action-plan", lazy_gettext("Action plan"), "bi-clipboard-check"),
    ("events", "/events", lazy_gettext("Events"), "bi-calendar-event"),
    ("indicators", "/indicators", lazy_gettext("Indicators"), "bi-bar-chart-line"),
    ("members", "/members", lazy_gettext("Members"), "bi-people"),
    ("sources", "/sources", lazy_gettext("Data & sources"), "bi-journal-text"),
    ("meetings", "/meetings", lazy_gettext("Board meetings"), "bi-journal-bookmark"),
)


def _initial_filters(regions: list[str], years: list[int], default: int | None) -> tuple[list[str], int | None]:
    """The filter values of the URL being served (falling back like the pages do, to the default year)."""
    if not has_request_context():
        return [], default
    filters = parse_filters(request.args.getlist("region"), request.args.get("year"), known_regions=regions,
                            years=years, default=default)
    return filters.regions or [], filters.year


SEARCH_CLIENT_OPTIONS = 1000  # more members than this: the search box asks the server for matches as one types
SEARCH_MATCHES = 20


def _member_options(members) -> list[dict]:
    return [{"label": f"{r.name} · {r.region}", "value": r.slug,
             # the country in English and in the page's language: either finds the member
             "search": " ".join([r.name, r.official_name, r.aliases, r.country, country_name(r.country_code, r.country)])}
            for r in members.itertuples()]


POLL_MS = 2500  # open pages ask for the data version this often (a cheap single-row read)
NO_LIVE_REFRESH = ("/record", "/audit")  # pages with forms: a redraw would lose what the user is typing
NO_LIVE_REFRESH_EXACT = ("/meetings",)  # the list of meetings holds the form to record one (not its sub-pages)


def _account_menu():
    """Sign in, or the user's name with the pages their role opens and sign out (a POST with its CSRF token)."""
    actor = current_actor()
    if actor is None:
        return dbc.Nav(dbc.NavItem(dbc.NavLink([html.I(className="bi bi-box-arrow-in-right me-1"), _("Sign in")],
                                               href="/login", external_link=True, id=ids.Shell.SIGN_IN)),
                       navbar=True)
    items = []
    if actor.can_write:
        items.append(dbc.DropdownMenuItem([html.I(className="bi bi-pencil-square me-1"), _("Record activity")],
                                          href=urls.kept("/record")))
    if actor.role == "secretariat":
        items.append(dbc.DropdownMenuItem([html.I(className="bi bi-clock-history me-1"), _("Audit log")],
                                          href=urls.kept("/audit")))
    items.append(dbc.DropdownMenuItem(divider=True))
    items.append(html.Form([dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                            html.Button(_("Sign out"), type="submit", className="dropdown-item")],
                           method="POST", action="/logout"))
    return dbc.DropdownMenu(items, label=[html.I(className="bi bi-person-circle me-1"), actor.name],
                            nav=True, in_navbar=True, align_end=True, id=ids.Shell.ACCOUNT,
                            toggle_class_name="text-white")


def _language_switch():
    """EN / FR / ES: the same page, with its filters, in each of Metropolis' languages (a full load: every text
    of the page is written in its language on the server). Each name is written in its own language."""
    here = urlparse(page_url()) if has_request_context() else urlparse("/")
    current = current_locale()
    links = [html.A(lang.upper(), href=(here.path or "/") + urls.with_lang(here.query, lang), lang=lang,
                    title=LANGUAGE_NAMES[lang], id=ids.Shell.lang_link(lang),
                    className="nav-link px-1" + (" active fw-semibold" if lang == current else ""),
                    **({"aria-current": "true"} if lang == current else {}))
             for lang in CANDIDATE_LOCALES]
    return html.Nav(links, id=ids.Shell.LANGUAGES, className="navbar-nav flex-row me-2",
                    **{"aria-label": "English · Français · Español"})


@callback(Output(ids.Shell.lang_link(ALL), "href"), Input(ids.Shell.URL, "pathname"), Input(ids.Shell.URL, "search"))
def update_language_links(pathname, search):
    """Keep the language links on the page shown and its filters as they change."""
    return [(pathname or "/") + urls.with_lang(search, lang) for lang in CANDIDATE_LOCALES]


def _serving_embed() -> bool:
    """Whether this layout is for an /embed/ page (the layout request's referrer is the page)."""
    return has_request_context() and urlparse(request.referrer or "").path.startswith("/embed/")


@memoized("shell")
def _shell_data():
    with Session() as session:
        years, default = year_choices(session)
        return region_names(session), years, member_list(session), is_synthetic(session), default


def shell_layout():
    """The app layout (a function: the options come from the store at request time, never at import).
    Embeds get the same tree with the frame hidden (class embed-shell), so every callback keeps its components."""
    regions, years, members, synthetic, default = _shell_data()
    chosen, year = _initial_filters(regions, years, default)
    nav = dbc.Nav([dbc.NavItem(dbc.NavLink([html.I(className=f"bi {icon} me-1"), str(label)], href=path,
                                           id=ids.Shell.nav_link(key)))
                   for key, path, label, icon in NAV_PAGES], navbar=True, className="me-auto flex-wrap")
    navbar = dbc.Navbar(dbc.Container([
        dbc.NavbarBrand([html.Span("metropolis", className="brand-mark"), html.Span(_("dashboard"), className="ms-1")],
                        href=urls.kept("/"), className="me-4"),
        nav, _language_switch(), _account_menu(),
    ], fluid=True), color="dark", dark=True, className="py-1 no-print")
    filter_bar = html.Div(dbc.Container(dbc.Row([
        dbc.Col([dbc.Label(_("Region"), html_for=ids.Shell.REGION, id=ids.Shell.REGION_LABEL, className="small mb-0"),
                 dropdown_slot(dropdown(ids.Shell.REGION, [{"label": region_label(r), "value": r} for r in regions],
                                        value=chosen, multi=True, placeholder=_("All regions"), clearable=True,
                                        selected_count=_("{num_selected} regions")))], md=5),
        dbc.Col([dbc.Label(_("Year"), html_for=ids.Shell.YEAR, id=ids.Shell.YEAR_LABEL, className="small mb-0"),
                 dropdown_slot(dropdown(ids.Shell.YEAR, [{"label": str(y), "value": y} for y in years], value=year,
                                        clearable=False, searchable=False))], md=2),
        dbc.Col([dbc.Label(_("Find a member"), html_for=ids.Shell.MEMBER_SEARCH, id=ids.Shell.MEMBER_SEARCH_LABEL,
                           className="small mb-0"),
                 dropdown_slot(dropdown(ids.Shell.MEMBER_SEARCH,
                                        _member_options(members) if len(members) <= SEARCH_CLIENT_OPTIONS else [],
                                        placeholder=_("Type a name…"), searchable=True, clearable=True))], md=5),
    ], className="g-2 align-items-end"), fluid=True), className="filter-bar py-2 no-print",
        role="search", **{"aria-label": _("Filters")})
    footer = html.Footer(dbc.Container([
        html.Span(_("Data curated from Metropolis' Annual Report 2020, Progress Report July-September 2020 and "
                    "Strategic Action Plan 2021-2023. ")),
        dcc.Link(_("How the documents were read"), href=urls.kept("/sources")), " · ",
        html.A(_("Data API"), href=urls.kept("/api/v1/")),
    ], fluid=True), className="footer small text-body-secondary py-3 mt-4 no-print")
    toast = dbc.Toast(id=ids.Shell.ERROR_TOAST, header=_("Something went wrong"), icon="danger", is_open=False,
                      dismissable=True, duration=12000, className="error-toast")
    with Session() as session:
        version, _changed = data_version(session)
    return html.Div([
        dcc.Location(id=ids.Shell.URL, refresh="callback-nav"),
        dcc.Store(id=ids.Shell.DATA_VERSION, data=version),
        dcc.Interval(id=ids.Shell.POLL, interval=POLL_MS),
        html.A(_("Skip to the content"), href=f"#{ids.Shell.MAIN}", className="skip-link"),
        html.Header(navbar, className="no-print"),
        html.Div([html.I(className="bi bi-exclamation-triangle-fill me-2"),
                  html.Strong(_("Synthetic data. ")),
                  _("This store was generated at random for benchmarks: no figure here is Metropolis data.")],
                 id=ids.Shell.SYNTHETIC, className="synthetic-banner", role="note") if synthetic else None,
        filter_bar,
        html.Main(dbc.Container(dash.page_container, fluid=True, className="pt-3 page-container"),
                  id=ids.Shell.MAIN, tabIndex="-1"),
        footer, toast,
        # the page's polite announcements (assets/app.js), with the words of those it makes itself: a table sorted
        html.Div(id=ids.Shell.ANNOUNCE, className="visually-hidden", role="status",
                 **{"aria-live": "polite", "data-sorted-ascending": _("%(column)s: sorted ascending"),
                    "data-sorted-descending": _("%(column)s: sorted descending"),
                    "data-sorted-none": _("%(column)s: not sorted")}),
    ], id=ids.Shell.ROOT, className="app-shell embed-shell" if _serving_embed() else "app-shell")


def _option_values(options: object) -> list:
    """The values of a dropdown's options as the browser sent them ([] for anything malformed)."""
    return [o.get("value") for o in options if isinstance(o, dict)] if isinstance(options, list) else []


@callback(
    Output(ids.Shell.URL, "search"), Output(ids.Shell.REGION, "value"), Output(ids.Shell.YEAR, "value"),
    Input(ids.Shell.URL, "search"), Input(ids.Shell.REGION, "value"), Input(ids.Shell.YEAR, "value"),
    State(ids.Shell.YEAR, "options"), State(ids.Shell.REGION, "options"),
)
def update_filters(search, regions, year, year_options, region_options):
    """Keep the filter bar and the URL's query string in step, whichever changed (back/forward included)."""
    search, regions, year = text_value(search, limit=2000), text_list(regions), whole_number(year)
    years = [y for y in (whole_number(v) for v in _option_values(year_options)) if y is not None]
    known = text_list(_option_values(region_options))
    default = _shell_data()[4]  # the store's default year (never the latest year only because it is the latest)
    latest = default if default in years else (max(years) if years else None)
    if ctx.triggered_id in (ids.Shell.REGION, ids.Shell.YEAR):
        # always names the year once chosen, so a link keeps its year when later years are added
        new = urls.search_with(search, ChartFilters(regions or None, year))
        return (new if new != (search or "") else no_update), no_update, no_update
    params = parse_qsl((search or "").lstrip("?"))
    asked = parse_filters([v for k, v in params if k == "region"], next((v for k, v in params if k == "year"), None),
                          known_regions=known, years=years, default=latest)
    chosen, wanted = asked.regions or [], asked.year
    return (no_update, chosen if chosen != (regions or []) else no_update,
            wanted if wanted != year else no_update)


@callback(
    Output(ids.Shell.nav_link(ALL), "href"), Output(ids.Shell.nav_link(ALL), "active"),
    Input(ids.Shell.URL, "pathname"), Input(ids.Shell.URL, "search"),
)
def update_nav_links(pathname, search):
    """Carry the filters from page to page and mark the current page."""
    hrefs, active = [], []
    for _key, path, _label, _icon in NAV_PAGES:
        hrefs.append(urls.page_keeping(path, search))
        current = pathname or "/"
        active.append(current == path if path == "/" else current == path or current.startswith(path + "/"))
    return hrefs, active


@callback(
    Output(ids.Shell.URL, "href", allow_duplicate=True), Output(ids.Shell.MEMBER_SEARCH, "value"),
    Input(ids.Shell.MEMBER_SEARCH, "value"), State(ids.Shell.URL, "search"),
    prevent_initial_call=True,
)
def open_member_from_search(slug, search):
    """Open the page of the member chosen in the search box, keeping the filters."""
    if not slug or not isinstance(slug, str):
        return no_update, no_update
    return member_href(slug, search), None


@callback(Output(ids.Shell.MEMBER_SEARCH, "options"), Input(ids.Shell.MEMBER_SEARCH, "search_value"),
          prevent_initial_call=True)
def update_member_options(text):
    """For a long list of members, offer the first matches of what is typed (a short list holds every member)."""
    members = _shell_data()[2]
    words = str(text or "").strip().lower()[:100]
    if len(members) <= SEARCH_CLIENT_OPTIONS or len(words) < 2:
        raise PreventUpdate
    haystack = (members["name"] + " " + members["official_name"] + " " + members["aliases"] + " " +
                members["country"] + " " + members["country_code"].map(lambda c: country_name(c, ""))).str.lower()
    found = members[haystack.str.contains(words, regex=False)].head(SEARCH_MATCHES)
    return _member_options(found)


def member_href(slug: str, search: str | None) -> str:
    return urls.page_keeping(f"/members/{slug}", search)


def clicked_member_href(click, search: str | None):
    """The page of the member a chart point was clicked for (its slug first in the point's customdata), keeping
    the filters; no_update for anything else the browser sends."""
    try:
        slug = click["points"][0]["customdata"][0]
    except (TypeError, KeyError, IndexError):
        return no_update
    return member_href(slug, search) if isinstance(slug, str) else no_update


# Live: poll the data version from the browser (no server callback unless it changed), then redraw the page.
clientside_callback(
    ClientsideFunction(namespace="metropolis", function_name="pollVersion"),
    Output(ids.Shell.DATA_VERSION, "data"),
    Input(ids.Shell.POLL, "n_intervals"),
    State(ids.Shell.DATA_VERSION, "data"),
    prevent_initial_call=True,
)


def _match_page(pathname: str):
    """The registered page serving `pathname` and its path variables, or (None, {})."""
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if template:
            pattern = "^" + re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", template) + "$"
            found = re.match(pattern, pathname)
            if found:
                return page, found.groupdict()
        elif page["path"] == pathname:
            return page, {}
    return None, {}


@callback(Output("_pages_content", "children", allow_duplicate=True), Input(ids.Shell.DATA_VERSION, "data"),
          State(ids.Shell.URL, "pathname"), State(ids.Shell.URL, "search"), prevent_initial_call=True)
def refresh_page(_version, pathname, search):
    """Redraw the open page when the data changed (written from any worker); its data comes fresh or from
    the shared cache under the new version."""
    pathname = pathname or "/"
    if pathname.startswith(NO_LIVE_REFRESH) or pathname.rstrip("/") in NO_LIVE_REFRESH_EXACT:
        raise PreventUpdate
    page, variables = _match_page(pathname)
    if page is None or not callable(page.get("layout")):
        raise PreventUpdate
    params: dict[str, object] = {}
    for key, value in parse_qsl((search or "").lstrip("?")):
        params[key] = [*params[key], value] if isinstance(params.get(key), list) else (
            [params[key], value] if key in params else value)
    return page["layout"](**variables, **params)


def translate_page_titles() -> None:
    """Every registered page's title in the reader's language. Pages register theirs in English ("Members ·
    Metropolis dashboard"), and Dash puts them in the tab and the window title unchanged, English under
    `<html lang="fr">` (WCAG 2.4.2 and 3.1.2); each part is a msgid of the catalogues (test_shell checks)."""
    for page in dash.page_registry.values():
        page["title"] = _translated_title(page["title"])


def _translated_title(title):
    def translated(**path_variables) -> str:
        english = title(**path_variables) if callable(title) else title
        name, dot, site = english.rpartition(" · ")
        if not english:
            return english  # _("") would be the catalogue's header
        return f"{_(name)} · {_(site)}" if dot else _(english)
    translated.english = title  # what the page registered (tests read it)
    return translated
