"""Building blocks shared by the pages: page frame, filters in words, source notes, KPI cards, graphs."""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Callable, Sequence

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate
from flask import g, has_request_context, request

from dashboard import chart_tables, ids, urls, years
from dashboard.auth import current_actor, fees_visible
from dashboard.cache import cached, memoized
from dashboard.charts import CHARTS, ChartData, ChartFilters, render
from dashboard.grids import BLOCK_ROWS, sized_columns
from dashboard.i18n import (
    DEFAULT_LOCALE,
    SHORT_DATE,
    _,
    current_locale,
    data_text,
    format_date,
    lazy_gettext,
    long_date,
)
from dashboard.meetings import unknown_meeting, viewed_meeting
from dashboard.urls import base_url, current_url, same_site_url
from dashboard.validation import InvalidInput, parse_choice, parse_choices, parse_filters, parse_lang
from db.queries.common import region_names, year_choices
from db.queries.provenance import discrepancies_table, last_change, sources_table
from db.reference import DASHBOARD_SOURCE_KEY
from db.session import Session


@memoized("filter-values")
def _filter_values() -> tuple[list[str], list[int], int | None]:
    with Session() as session:
        return region_names(session), *year_choices(session)


def filter_values() -> tuple[list[str], list[int]]:
    """The regions and years the store holds (what the filters accept)."""
    regions, years, _default = _filter_values()
    return regions, years


def default_year() -> int | None:
    """The year a page opens on when none is chosen (db.queries.years.default_year)."""
    return _filter_values()[2]


def resolve_filters(region, year, lang=None) -> ChartFilters:
    """Parse a page's query-string filters against the store (unknown values fall back, with a notice)."""
    regions, years, default = _filter_values()
    return parse_filters(region, year, lang, known_regions=regions, years=years, default=default)


def stored_filters(data) -> ChartFilters | None:
    """The filters a page stored in its PAGE_FILTERS store, checked again (the browser sends them back and could
    change them); None when they are not valid filters."""
    if not isinstance(data, dict) or not isinstance(data.get("regions"), list | type(None)):
        return None
    year, lang = data.get("year"), data.get("lang")
    if not isinstance(year, int) or isinstance(year, bool) or not isinstance(lang, str | type(None)):
        return None
    regions, years, default = _filter_values()
    filters = parse_filters([str(r) for r in data.get("regions") or []][:10], str(year), lang,
                            known_regions=regions, years=years, default=default)
    return None if filters.notices or filters.lang != lang else filters




def quoted(text):
    """Text of the documents (titles, official names, citations, the reports' own wording), shown as printed:
    in English, marked lang="en" so that screen readers read it in English and the page's language is not claimed
    for it. Empty text stays empty."""
    return html.Span(text, lang="en") if text else text


_MARK = "\x00%s\x00"
_MARKED = re.compile("\x00(\\w+)\x00")


def mark(name: str) -> str:
    """The value to give placeholder `name` of a translated sentence whose value is quoted document text; then
    `with_quotes(sentence, name=text)` puts the text in, marked lang="en" (see `quoted`)."""
    return _MARK % name


def with_parts(sentence: str, **parts) -> list:
    """The translated `sentence` as Dash children, each `mark(name)` in it replaced by the component `parts[name]`
    (a link inside a whole sentence, instead of a sentence glued from fragments around it)."""
    pieces = _MARKED.split(sentence)
    return [parts[piece] if i % 2 else piece for i, piece in enumerate(pieces) if piece or i % 2]


def with_quotes(sentence: str, **texts) -> list:
    """The translated `sentence` as Dash children, each `mark(name)` in it replaced by `quoted(texts[name])`."""
    return with_parts(sentence, **{name: quoted(text) for name, text in texts.items()})


# What a curators' text quotes from the documents: between « » in the French and Spanish catalogues, between straight
# single quotes in English (an apostrophe inside a word, as in "Tehran's", opens no quotation)
_QUOTATION = re.compile("(«[\u00a0\u202f ]?)(.+?)([\u00a0\u202f ]?»)|(?<!\\w)(')([^']+?)(')(?!\\w)")


def curated(text) -> list:
    """A curators' text of the seed files (a discrepancy's subject, values and explanation) in the page's language
    (data_text), as Dash children: what it quotes from the documents stays as printed, in English, marked lang="en"
    (see `quoted`), inside the language's quotation marks. Empty text gives no children."""
    if not isinstance(text, str) or not text:
        return []
    shown, children, at = data_text(text), [], 0
    for match in _QUOTATION.finditer(shown):
        opening, words, closing = (match.group(1, 2, 3) if match.group(2) is not None else match.group(4, 5, 6))
        children += [shown[at:match.start()] + opening, quoted(words), closing]
        at = match.end()
    children.append(shown[at:])
    return [c for c in children if c]


def quoting(text: str, *texts: str) -> list:
    """`text` (already translated) as Dash children, each occurrence of the document `texts` in it quoted."""
    texts = tuple(t for t in texts if t)
    if not texts:
        return [text]
    parts = re.split("(" + "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True)) + ")", text)
    return [quoted(part) if i % 2 else part for i, part in enumerate(parts) if part]


def dropdown_labels(*, selected_count: str | None = None) -> dict:
    """The texts Dash's dropdown draws itself (the count of chosen values, its clear, search and select-all
    buttons, 'no options'), in the page's language: Dash's own are English on every page. `selected_count` says
    what is counted ('{num_selected} regions'); Dash puts the number in for {num_selected}."""
    return {"select_all": _("Select all"), "deselect_all": _("Deselect all"),
            "selected_count": selected_count or _("{num_selected} selected"), "search": _("Search"),
            "clear_search": _("Clear the search"), "clear_selection": _("Clear the selection"),
            "no_options_found": _("No options found")}


def dropdown(component_id, options, *, selected_count: str | None = None, **kw) -> dcc.Dropdown:
    """A dcc.Dropdown whose own texts are in the page's language (every dropdown of the dashboard is made here)."""
    return dcc.Dropdown(id=component_id, options=options, labels=dropdown_labels(selected_count=selected_count), **kw)


def graph_config(filename: str) -> dict:
    """Plotly config: slide-size PNG from the mode bar, local map shapes, no plotly logo, the page's language (month
    names, separators, mode-bar texts; the es and fr locales are in the plotly.js bundle)."""
    return {
        "displaylogo": False,
        "locale": current_locale(),
        "topojsonURL": dash.get_asset_url("topojson/"),
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": "png", "filename": filename, "width": 1920, "height": 1080, "scale": 1},
    }


def graph(component_id, figure, *, filename: str, class_name: str = "") -> dcc.Graph:
    """A graph as tall as its figure asks and as wide as its column (re-laid out when the window resizes)."""
    height = (figure.get("layout", {}).get("height") if isinstance(figure, dict) else figure.layout.height) or 450
    return dcc.Graph(id=component_id, figure=figure, config=graph_config(filename), responsive=True,
                     style={"height": f"{height}px"}, className=f"chart {class_name}".strip())


def graph_space(graph: dcc.Graph, **attributes) -> html.Div:
    """`graph` in a box that holds its height before plotly.js has drawn it: until Dash has loaded its graph code,
    dcc.Graph renders an empty `.dash-graph--pending` div without the graph's style, which app.css makes as tall as
    the `--graph-height` set here (so nothing below the chart moves when it is drawn: no layout shift)."""
    height = (getattr(graph, "style", None) or {}).get("height")
    return html.Div(graph, style={"--graph-height": height} if height else {}, **attributes)


def dropdown_slot(dropdown: dcc.Dropdown) -> html.Div:
    """A dropdown in a box as tall as the drawn dropdown: dcc.Dropdown renders nothing until Dash has loaded its
    dropdown code, and the filter bar then grew by its height, moving the whole page down (a layout shift)."""
    return html.Div(dropdown, className="dropdown-slot")


@memoized("discrepancies")
def _discrepancies():
    with Session() as session:
        return discrepancies_table(session)


def discrepancy_notes(codes: Sequence[str]) -> list[tuple[list, str]]:
    """(text, code) for each recorded discrepancy among `codes`: what disagrees, printed vs recomputed, in the page's
    language (the curators' wording, from the sources' register, translated; what it quotes stays English: `curated`)."""
    table = _discrepancies()
    rows = table[table["code"].isin(codes)].set_index("code")
    missing = [c for c in codes if c not in rows.index]
    if missing:  # a page names a discrepancy the store does not hold (a seed row removed or renamed): say so
        logging.getLogger(__name__).warning("discrepancy codes not in the store: %s", ", ".join(missing))
    return [(with_parts(_("%(subject)s: printed %(printed)s; from the rows %(recomputed)s.", subject=mark("subject"),
                          printed=mark("printed"), recomputed=mark("recomputed")),
                        subject=html.Span(curated(rows.loc[c, "subject"])),
                        printed=html.Span(curated(rows.loc[c, "printed_value"])),
                        recomputed=html.Span(curated(rows.loc[c, "recomputed_value"]))) if c in rows.index
             else [_("Discrepancy %(code)s is not recorded in the sources.", code=c)], c) for c in codes]


def discrepancy_link(code: str, label: str | None = None) -> html.A:
    return html.A(label or _("discrepancy %(code)s", code=code),
                  href=urls.kept("/sources", fragment=ids.Sources.discrepancy_anchor(code)), className="discrepancy-link")


def source_note(source: str, *, notes: Sequence[tuple[list, str]] = (), quote: bool = True) -> html.Div:
    """Under a chart: where its figures come from (the documents' citations, quoted in English; `quote=False` for
    a source line written by the dashboard and translated), and the discrepancies that touch it (text, code)."""
    children = [html.Span(_("Source: "), className="fw-semibold"), quoted(source) if quote else source] \
        if source else []
    items = [html.Li([html.I(className="bi bi-exclamation-triangle-fill me-1 text-warning"), *text, " ",
                      discrepancy_link(code, _("(see why)"))]) for text, code in notes]
    return html.Div([html.P(children, className="mb-1") if children else None,
                     html.Ul(items, className="list-unstyled mb-0") if items else None],
                    className="source-note small text-body-secondary")


@memoized("print-sources")
def _printed_sources():
    with Session() as session:
        docs = sources_table(session)
        as_of = last_change(session)
    printed = docs[(docs["published"] != "undated") & (docs["key"] != DASHBOARD_SOURCE_KEY)]
    return "; ".join(printed["citation"]), as_of


def print_sources() -> list:
    """The line printed at the top of every page: the documents behind the data (cited in English, as printed)
    and the data's date."""
    cited, as_of = _printed_sources()
    return with_quotes(_("Data curated from %(documents)s · data as of %(date)s · each chart's source is printed "
                         "under it.", documents=mark("documents"),
                         date=format_date(as_of, format=SHORT_DATE) if as_of else _("unknown")), documents=cited)


def language_notice(raw) -> str | None:
    """The notice a page shows for an unknown `?lang=` (None when it is one of Metropolis' languages, or absent)."""
    if isinstance(raw, list):
        raw = raw[-1] if raw else None
    try:
        parse_lang(raw if isinstance(raw, str) else None if raw is None else str(raw))
    except InvalidInput as err:
        return err.message + " " + _("Showing the default language.")
    return None


def cached_layout(namespace: str) -> Callable:
    """Decorator for a page's layout: the built page is kept in the shared cache per query parameters, audience
    (signed in or not, fees visible or not) and address, until the data changes, so a filter change served twice
    costs a cache read instead of queries, figures and tables."""
    def wrap(layout: Callable) -> Callable:
        @functools.wraps(layout)
        def inner(**params):
            if has_request_context():  # page_frame shows it with the filters' notices
                g.language_notice = language_notice(params.get("lang"))
            key = (sorted((k, repr(v)) for k, v in params.items()), current_actor() is not None, fees_visible(),
                   page_url())
            if len(repr(key)) > 4000:  # a crafted address with huge parameters is served, not stored
                return layout(**params)
            return cached(f"page:{namespace}", lambda: layout(**params), key)
        inner.cached_namespace = namespace  # dashboard.prewarm builds these pages after a write
        return inner
    return wrap


def page_url() -> str:
    """The address of the page being built (a page's layout is built in a callback: its referrer is the page)."""
    if not has_request_context():
        return base_url()
    if request.path.startswith("/_dash") and request.referrer:
        return same_site_url(request.referrer)  # the client writes the Referer: keep only its path and query
    return current_url()


def deck_button(page_path: str, filters: ChartFilters) -> html.A:
    return html.A([html.I(className="bi bi-easel me-1"), _("Export deck")], href=urls.deck(page_path, filters),
                  className="btn btn-outline-secondary btn-sm no-print", title=_("PowerPoint deck of this page's charts"))


def page_frame(title: str, filters: ChartFilters | None, children, *, intro: str = "", scope_note: str = "",
               page_path: str | None = None) -> html.Div:
    """A page: heading, the filters in words, notices for bad query values, intro text, then the content.
    Printed, it starts with the address and the filters (the navbar and menus are not printed)."""
    heading = html.H1(title, className="h3 mb-1")
    if filters is not None and page_path is not None:
        heading = html.Div([heading, deck_button(page_path, filters)],
                           className="d-flex justify-content-between align-items-start gap-2")
    header = [heading]
    if filters is not None:
        header.append(html.P(filters.words(), id=ids.Shell.FILTER_WORDS, className="text-body-secondary mb-2"))
        if filters.year is not None:
            header.append(year_kind_note(filters))
    messages = [*(filters.notices if filters else []),
                *([g.language_notice] if has_request_context() and g.get("language_notice") else []),
                *([_("There is no Board meeting %(meeting)s: showing the data as it is today.", meeting=unknown_meeting())]
                  if has_request_context() and unknown_meeting() else [])]
    notices = [dbc.Alert(n, color="warning", className="py-2 notice", id=ids.Shell.NOTICE if i == 0 else f"{ids.Shell.NOTICE}-{i}")
               for i, n in enumerate(messages)]
    if current_locale() != DEFAULT_LOCALE:  # said once per page: the reports' own text is not translated
        header.append(html.P(_("Text quoted from Metropolis' reports (titles, names, citations, the reports' "
                               "wording) is shown in English, as printed."),
                             id=ids.Shell.QUOTED_NOTE, className="quoted-note small text-body-secondary mb-2"))
    body = [html.P(intro, className="lead-sm")] if intro else []
    if scope_note:
        body.append(dbc.Alert(scope_note, color="light", className="py-2 small border"))
    store = dcc.Store(id=ids.Shell.PAGE_FILTERS,
                      data={"regions": filters.regions, "year": filters.year, "lang": filters.lang} if filters else None)
    printed = html.Div([html.P(_("Printed from %(url)s", url=page_url()), className="mb-0"),
                        html.P(print_sources(), className="mb-1")],
                       className="print-only small text-body-secondary")
    return html.Div([store, printed, *meeting_banner(page_path, filters), *header, *notices, *body, *children], className="page")


def meeting_banner(page_path: str | None, filters: ChartFilters | None) -> list:
    """When the page shows a Board meeting: which one, with links to today's view and to what changed since."""
    meeting = viewed_meeting() if has_request_context() else None
    if meeting is None:
        return []
    today = dataclasses.replace(filters, as_of=None, notices=[]) if filters else ChartFilters(as_of=None)
    today_link = urls.page(page_path or "/", today)
    return [html.Div([
        html.Strong(_("As presented to the Board on %(date)s: %(name)s",
                      date=long_date(meeting["held_on"]), name=meeting["name"])),
        html.Span(" · "),
        html.A(_("See today's figures"), href=today_link, className="alert-link"),
        html.Span(" · "),
        html.A(_("What changed since"), href=urls.page(f"/meetings/{meeting['slug']}/changes", today),
               className="alert-link"),
    ], className="alert alert-info py-2 meeting-banner", id=ids.Shell.MEETING_BANNER, role="status")]



def year_kind_note(filters: ChartFilters) -> html.P:
    """Which kind of year the page shows (as printed / recorded so far) and what its figures rest on."""
    cov = years.coverage_of(filters.year, filters.regions)
    reported = cov["kind"] == "reported"
    return html.P([html.I(className=f"bi {'bi-journal-check' if reported else 'bi-pencil-square'} me-1"),
                   *quoting(years.year_note(cov, filters.year), cov.get("report", ""))], id=ids.Shell.YEAR_KIND,
                  className=f"year-kind small mb-2 {'year-reported' if reported else 'year-in-progress'}")


def chart_option_params(chart_id: str, options: dict | None) -> list[tuple[str, str]]:
    """The query parameters of a chart's non-default options (and of the options its page reads, always)."""
    chart = CHARTS[chart_id]
    params: list[tuple[str, str]] = []
    for name, value in (options or {}).items():
        allowed = chart.options.get(name, ())
        if name in chart.multi_options:
            if value and list(value) != list(allowed):
                params += [(name, v) for v in value]
        elif value and allowed and (value != allowed[0] or name in chart.page_options):
            params.append((name, str(value)))
    return params


def chart_menu(chart_id: str, filters: ChartFilters, options: dict | None = None):
    """The export menu of a chart: images at slide and print size, vector files, the data, a link, an embed."""
    chart = CHARTS[chart_id]
    extra = chart_option_params(chart_id, options)

    def export(ext: str, *more: tuple[str, str]) -> str:
        return urls.export(chart_id, ext, filters, extra=[*extra, *more])

    items = [
        dbc.DropdownMenuItem(_("PNG · slide (1920×1080)"), href=export("png"), external_link=True),
        dbc.DropdownMenuItem(_("PNG · print (A4 at 300 dpi)"), href=export("png", ("size", "print")),
                             external_link=True),
        dbc.DropdownMenuItem(_("SVG · vector"), href=export("svg"), external_link=True),
        dbc.DropdownMenuItem(_("PDF"), href=export("pdf"), external_link=True),
        dbc.DropdownMenuItem(_("CSV · the data behind the chart"), href=export("csv"), external_link=True),
    ]
    page_link = urls.page(chart.page, filters, extra=extra, fragment=ids.Charts.block(chart_id), absolute=True)
    embed = (f'<iframe src="{urls.embed(chart_id, filters, extra=extra)}" title="{chart.title}" width="100%" '
             f'height="560" style="border:0" loading="lazy"></iframe>')
    return html.Div([
        dbc.DropdownMenu(items, label=html.Span([html.I(className="bi bi-download me-1"), _("Export")]),
                         size="sm", color="light", align_end=True, className="d-inline-block"),
        copy_button(_("Link"), page_link, _("Copy a link to this chart")),
        copy_button(_("Embed"), embed, _("Copy the code to embed this chart in a web page")),
    ], className="chart-menu no-print")


def colour_badge(text: str, colour: str, *, class_name: str = "") -> html.Span:
    """A badge whose colour is a dot beside dark text on white: it matches the charts' colour and reads at any
    colour (some house colours cannot carry text at 4.5:1, white or black)."""
    return html.Span([html.Span(className="badge-dot", style={"backgroundColor": colour}, **{"aria-hidden": "true"}),
                      text], className=f"badge colour-badge {class_name}".strip())


def tabs(component_id: str, panels: Sequence[tuple[str, str, object]], *, label: str, active: str) -> html.Div:
    """Tabs as the ARIA pattern has them: a tablist of buttons (one tab stop, arrow keys move between them,
    assets/app.js switches the panels in the browser) over (key, title, content) panels; every panel stays in the
    page, hidden but for the chosen one. dbc.Tabs 2.0.4 gives every tab the same id and tabindex -1."""
    def tab_id(key: str) -> str:
        return f"{component_id}-tab-{key}"

    def panel_id(key: str) -> str:
        return f"{component_id}-panel-{key}"

    buttons = [html.Button(title, id=tab_id(key), type="button", role="tab", className="nav-link" + (
        " active" if key == active else ""), tabIndex="0" if key == active else "-1",
        **{"aria-selected": "true" if key == active else "false", "aria-controls": panel_id(key), "data-tab": key})
        for key, title, _content in panels]
    contents = [html.Div(content, id=panel_id(key), role="tabpanel", hidden=key != active, tabIndex="0",
                         className="tab-panel pt-3", **{"aria-labelledby": tab_id(key)})
                for key, _title, content in panels]
    return html.Div([html.Div(buttons, role="tablist", className="nav nav-tabs", **{"aria-label": label}),
                     *contents], id=component_id, className="aria-tabs mb-3")


def copy_button(label: str, text: str, description: str) -> html.Button:
    """A real button (reachable and operable by keyboard) that copies `text`; assets/app.js does the copying and
    announces it in the page's status region."""
    return html.Button([html.I(className="bi bi-clipboard me-1", **{"aria-hidden": "true"}), label], type="button",
                       title=description, className="btn btn-light btn-sm copy-control ms-2",
                       **{"data-copy": text, "data-copied": _("Copied to the clipboard: %(what)s", what=label),
                          "aria-label": f"{label}: {description}"})


def chart_block(chart_id: str, data: ChartData, filters: ChartFilters, *, graph_id,
                options: dict | None = None) -> html.Div:
    """A registered chart with its export menu above it (the menu is replaced when the chart's options change)."""
    return html.Div([
        html.Div(chart_menu(chart_id, filters, options), id=ids.Charts.menu(chart_id),
                 className="d-flex justify-content-end"),
        *accessible_graph(chart_id, data, filters, graph(graph_id, data.figure, filename=f"metropolis-{chart_id}"),
                          options=options),
    ], id=ids.Charts.block(chart_id), className="chart-block")


def kpi_card(metric: str, *, title: str, value: str, detail: str, href: str, source: str,
             note: tuple[str, str] | None = None, added: str = "", coverage: str = "",
             quote_source: bool = True) -> dbc.Card:
    """A clickable KPI card: the figure, what it counts, what was recorded since the report beside it (`added`,
    never blended into the printed value), what the figure rests on (`coverage`), its source, and a
    discrepancy note if any."""
    body = [
        html.Div(title, className="kpi-title"),
        html.Div(value, className="kpi-value"),
        html.Div(detail, className="kpi-detail"),
        html.Div(added, className="kpi-added") if added else None,
        html.Div(coverage, className="kpi-coverage") if coverage else None,
        html.Div(with_quotes(_("Source: %(source)s", source=mark("source")), source=source) if quote_source
                 else _("Source: %(source)s", source=source), className="kpi-source"),
    ]
    if note:
        body.append(html.Div([html.I(className="bi bi-exclamation-triangle-fill me-1 text-warning"), note[0], " ",
                              discrepancy_link(note[1], _("(see why)"))], className="kpi-note"))
    return dbc.Card(dbc.CardBody([dcc.Link(html.Span(className="stretched-link", title=title), href=href), *body]),
                    id=ids.Overview.kpi_card(metric), className="kpi-card h-100 shadow-sm")


# cells padded 10 px a side (AG Grid's 15 leaves a 1440 px page too narrow for the events' ten columns)
GRID_THEME = {"function": "themeAlpine.withParams({ fontFamily: 'inherit', fontSize: 13, headerFontWeight: 600, "
                          "cellHorizontalPadding: 10 })"}


# A grid column of document text (titles, citations): its cells are rendered `<span lang="en">` (assets/app.js).
QUOTED_CELL = {"cellRenderer": "QuotedText"}

# What AG Grid says and shows itself (the instructions a screen reader reads on a column header, its filter's
# names and buttons, "No Rows To Show"): AG Grid's own keys and English texts, in the page's language through the
# catalogues (AG Grid's are English on every page). Only the parts our grids use: sorting, text and number filters.
GRID_TEXTS = {
    "ariaSortableColumn": lazy_gettext("Press Enter to sort"),
    "ariaFilterColumn": lazy_gettext("Press Ctrl+Enter to open the filter"),
    "ariaMenuColumn": lazy_gettext("Press Alt+Down to open the column menu"),
    "ariaColumnFiltered": lazy_gettext("Column filtered"),
    "ariaLabelColumnFilter": lazy_gettext("Column filter"),
    "ariaLabelColumnMenu": lazy_gettext("Column menu"),
    "ariaFilterMenuOpen": lazy_gettext("Open the filter menu"),
    "ariaFilteringOperator": lazy_gettext("Filtering operator"),
    "ariaFilterInput": lazy_gettext("Filter input"),
    "ariaFilterValue": lazy_gettext("Filter value"),
    "ariaFilterFromValue": lazy_gettext("Filter from value"),
    "ariaFilterToValue": lazy_gettext("Filter to value"),
    "ariaLabelTooltip": lazy_gettext("Tooltip"),
    "ariaSkeletonCellLoading": lazy_gettext("Row data is loading"),
    "ariaPageSizeSelectorLabel": lazy_gettext("Page size"),
    "applyFilter": lazy_gettext("Apply"), "clearFilter": lazy_gettext("Clear"), "resetFilter": lazy_gettext("Reset"),
    "cancelFilter": lazy_gettext("Cancel"), "textFilter": lazy_gettext("Text filter"),
    "numberFilter": lazy_gettext("Number filter"), "filterOoo": lazy_gettext("Filter…"),
    "empty": lazy_gettext("Choose one"), "equals": lazy_gettext("Equals"), "notEqual": lazy_gettext("Does not equal"),
    "lessThan": lazy_gettext("Less than"), "greaterThan": lazy_gettext("Greater than"),
    "lessThanOrEqual": lazy_gettext("Less than or equal to"),
    "greaterThanOrEqual": lazy_gettext("Greater than or equal to"), "inRange": lazy_gettext("Between"),
    "inRangeStart": lazy_gettext("From"), "inRangeEnd": lazy_gettext("To"), "contains": lazy_gettext("Contains"),
    "notContains": lazy_gettext("Does not contain"), "startsWith": lazy_gettext("Begins with"),
    "endsWith": lazy_gettext("Ends with"), "blank": lazy_gettext("Blank"), "notBlank": lazy_gettext("Not blank"),
    "andCondition": lazy_gettext("AND"), "orCondition": lazy_gettext("OR"),
    "loadingOoo": lazy_gettext("Loading…"), "noRowsToShow": lazy_gettext("No rows to show"),
    "noMatchingRows": lazy_gettext("No matching rows"), "invalidNumber": lazy_gettext("Not a number"),
}


def grid_options(**options) -> dict:
    """The dashGridOptions every table shares, then `options`: the house theme, AG Grid's own texts in the page's
    language, and the keyboard of the ARIA grid pattern: the grid is one Tab stop (its header, or the cell last
    focused), the arrow keys move inside it, and Tab leaves it (AG Grid's Tab walks every cell: a list of 140
    members took more than 1,000 presses to get past)."""
    return {"theme": GRID_THEME, "animateRows": False, "enableCellTextSelection": True, "tooltipShowDelay": 300,
            "localeText": {key: str(text) for key, text in GRID_TEXTS.items()},
            "tabToNextCell": {"function": "false"}, "tabToNextHeader": {"function": "false"}, **options}


def shown_cell(field: str) -> dict:
    """Column settings that show the row's `field` in the cell while the grid sorts and filters the column's own
    value (an ISO moment shown as '1 déc. 2026, 14:03:22', sorted in time order). assets/app.js ShownText."""
    return {"cellRenderer": "ShownText", "cellRendererParams": {"shown": field}}


def pieces_cell(field: str) -> dict:
    """Column settings that show the row's `field`, a list of [text, quoted] pieces (text in the page's language
    quoting document text, as dashboard.audit_text.summary_pieces gives it), its quoted pieces marked lang="en",
    while the grid sorts and filters the column's own plain text. assets/app.js PiecesText."""
    return {"cellRenderer": "PiecesText", "cellRendererParams": {"pieces": field}}


def data_grid(component_id, rows: list[dict], columns: list[dict], *, height: int | None = 520,
              quick_filter: bool = False, **grid_options_) -> dag.AgGrid:
    """A sortable, filterable table (dash-ag-grid) in the house theme; markdown cells open links in place."""
    options = grid_options(**grid_options_)
    if height is None:
        options["domLayout"] = "autoHeight"
    return dag.AgGrid(
        id=component_id, rowData=rows, columnDefs=sized_columns(columns, rows),  # no word cut (dashboard.grids)
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "wrapText": True, "autoHeight": True,
                       "minWidth": 100, "wrapHeaderText": True, "autoHeaderHeight": True,
                       "cellStyle": {"lineHeight": "1.35", "paddingTop": "4px", "paddingBottom": "4px"}},
        dashGridOptions=options, columnSize="responsiveSizeToFit",
        style={"height": f"{height}px"} if height else {}, className="data-grid mb-2")


def lazy_grid(component_id, columns: list[dict], *, height: int, row_count: int) -> dag.AgGrid:
    """A sortable, filterable table whose rows the server sends a block at a time (dashboard.grids): for lists
    longer than GRID_CLIENT_ROWS. Rows keep one line each (the infinite row model needs fixed row heights)."""
    options = grid_options(rowBuffer=0, cacheBlockSize=BLOCK_ROWS, maxBlocksInCache=20,
                           infiniteInitialRowCount=min(row_count, BLOCK_ROWS), rowHeight=36)
    return dag.AgGrid(
        id=component_id, rowModelType="infinite", columnDefs=sized_columns(columns),  # headers: no word cut
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": 100, "wrapHeaderText": True,
                       "autoHeaderHeight": True},
        dashGridOptions=options, columnSize="responsiveSizeToFit", style={"height": f"{height}px"},
        className="data-grid lazy-grid mb-2")


def markdown_link(text: str, href: str) -> str:
    """A markdown link for a grid cell, with the characters that would break it escaped."""
    safe = text.replace("[", "\\[").replace("]", "\\]")
    return f"[{safe}]({href})"


# ---- every chart in words and as a table (dashboard.chart_tables) ---------------------------------

def accessible_graph(chart_id: str, data: ChartData, filters: ChartFilters, graph, *,
                     options: dict | None = None) -> list:
    """The graph as one image with a name (the chart's title) and a description (its data in words) for assistive
    technology, plotly's drawing hidden from it (it would read out every tick), then the "Show as table" button
    and its panel (empty until opened). ARIA references take the plain ids of the wrappers; the callbacks write
    into the pattern-matching ids inside them."""
    anchor = ids.Charts.block(chart_id)
    return [
        # the image is an empty element before the drawing, not its parent: plotly's mode bar holds buttons, which
        # an image may not contain (axe: nested-interactive)
        html.Div([html.Div(role="img", className="chart-alt",
                           **{"aria-labelledby": f"{anchor}-name", "aria-describedby": f"{anchor}-description"}),
                  graph_space(graph, **{"aria-hidden": "true"})], className="chart-image"),
        html.Div(html.Span(data.title, id=ids.Charts.name(chart_id)), id=f"{anchor}-name", className="visually-hidden"),
        html.Div(html.P(chart_tables.describe(chart_id, data), id=ids.Charts.description(chart_id), className="mb-0"),
                 id=f"{anchor}-description", className="visually-hidden"),
        html.Button([html.I(className="bi bi-table me-1", **{"aria-hidden": "true"}),
                     html.Span(_("Show as table"), id=ids.Charts.table_label(chart_id))],
                    id=ids.Charts.table_toggle(chart_id), type="button", n_clicks=0,
                    className="btn btn-outline-secondary btn-sm chart-table-toggle no-print",
                    **{"aria-expanded": "false", "aria-controls": f"{anchor}-table"}),
        html.Div(html.Div(id=ids.Charts.table(chart_id), hidden=True, className="chart-table-panel"),
                 id=f"{anchor}-table"),
        dcc.Store(id=ids.Charts.state(chart_id), data=chart_tables.chart_state(chart_id, filters, options)),
    ]


def described_image(anchor: str, graph, *, name: str, description: str, columns: Sequence[str],
                    rows: Sequence[Sequence]) -> html.Div:
    """A picture that is not a registered chart (a member's location map) given what every chart block has: one
    image for assistive technology, named and described in words, plotly's drawing hidden from it, and "Show as
    table" with the rows it draws. The rows are few and known when the page is laid out, so the table is in the
    page, inside a native disclosure (<details>: Enter or Space opens it and it says whether it is open)."""
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in columns]))
    body = html.Tbody([html.Tr([html.Th(v, scope="row") if i == 0 else html.Td(v) for i, v in enumerate(row)])
                       for row in rows])
    return html.Div([
        html.Div([html.Div(role="img", className="chart-alt",
                           **{"aria-labelledby": f"{anchor}-name", "aria-describedby": f"{anchor}-description"}),
                  html.Div(graph, **{"aria-hidden": "true"})], className="chart-image"),
        html.Div(name, id=f"{anchor}-name", className="visually-hidden"),
        html.Div(html.P(description, className="mb-0"), id=f"{anchor}-description", className="visually-hidden"),
        html.Details([
            # its words follow its state, as the charts' button does (app.css shows one of the two)
            html.Summary([html.I(className="bi bi-table me-1", **{"aria-hidden": "true"}),
                          html.Span(_("Show as table"), className="when-closed"),
                          html.Span(_("Hide the table"), className="when-open")],
                         className="btn btn-outline-secondary btn-sm image-table-toggle no-print"),
            html.Div(html.Table([html.Caption(name, id=f"{anchor}-caption"), head, body],
                                className="table table-sm table-striped chart-table mb-0"),
                     className="table-responsive chart-table-scroll", tabIndex="0", role="region",
                     **{"aria-labelledby": f"{anchor}-caption"}),
        ], className="image-table"),
    ], id=anchor, className="chart-block")


def _filters_of(chart_id: str, state) -> ChartFilters | None:
    """The filters and options a chart's store sent back, checked again (the browser could change them); None
    when they are not valid."""
    if not isinstance(state, dict) or not isinstance(state.get("options", {}), dict):
        return None
    filters = stored_filters(state)
    if filters is None:
        return None
    chart, options = CHARTS[chart_id], {}
    try:
        for name, allowed in chart.options.items():
            raw = state["options"].get(name)
            if name in chart.multi_options:
                values = parse_choices(name, [str(v) for v in raw] if isinstance(raw, list) else None, allowed)
                options[name] = [] if raw == [] else values if values is not None else list(allowed)
            else:
                options[name] = parse_choice(name, raw if isinstance(raw, str) else None, allowed, default=allowed[0])
    except InvalidInput:
        return None
    return filters.with_options(options)


@callback(Output(ids.Charts.table(MATCH), "children"), Output(ids.Charts.table(MATCH), "hidden"),
          Output(ids.Charts.table_toggle(MATCH), "aria-expanded"), Output(ids.Charts.table_label(MATCH), "children"),
          Output(ids.Charts.description(MATCH), "children"), Output(ids.Charts.name(MATCH), "children"),
          Input(ids.Charts.table_toggle(MATCH), "n_clicks"), Input(ids.Charts.state(MATCH), "data"),
          State(ids.Charts.table(MATCH), "hidden"), prevent_initial_call=True)
def update_chart_table(_clicks, state, hidden):
    """Open or close a chart's table (built only when opened), and follow a change of the chart's options:
    its name, its description and, when open, its table."""
    chart_id = dash.ctx.triggered_id["chart"] if isinstance(dash.ctx.triggered_id, dict) else None
    if chart_id not in CHARTS:
        raise PreventUpdate
    filters = _filters_of(chart_id, state)
    if filters is None:
        raise PreventUpdate
    toggled = dash.ctx.triggered_id.get("type") == ids.Charts.table_toggle(chart_id)["type"]
    opened = (hidden is not False) if toggled else (hidden is False)
    data = render(chart_id, filters)
    return (chart_tables.data_table(chart_id, data, filters) if opened else ([] if toggled else no_update), not opened,
            "true" if opened else "false", _("Hide the table") if opened else _("Show as table"),
            chart_tables.describe(chart_id, data), data.title)
