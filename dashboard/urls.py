"""The dashboard's links: its own address (exports, embed codes, copied links, printed pages), and the one builder
of every link's path and query from the filters.

One rule: PUBLIC_URL when it is set; otherwise the address the user reached, whose host Flask has already checked
against TRUSTED_HOSTS (dashboard/security.py), so a crafted Host header never reaches a link; outside a request
(the command line) PUBLIC_URL or its default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import current_app, has_request_context, request

from config.settings import load_settings
from dashboard.filters import ChartFilters
from dashboard.i18n import DEFAULT_LOCALE


def base_url() -> str:
    """The dashboard's address without a trailing slash, e.g. https://dashboard.metropolis.org."""
    if has_request_context():
        configured = current_app.config.get("PUBLIC_URL")
        return configured or request.url_root.rstrip("/")
    return load_settings().public_url  # outside a request only: the CLI has no app config


def absolute_url(path: str) -> str:
    """`path` (a path with its query, starting with /) on the dashboard's address."""
    return base_url() + path


def current_url() -> str:
    """This request's address (path and query) on the dashboard's address."""
    return absolute_url(request.full_path.rstrip("?"))


def same_site_url(url: str) -> str:
    """`url` (e.g. a Referer, which the client chooses) with its scheme and host replaced by the dashboard's."""
    parts = urlsplit(url)
    return absolute_url((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))


# ---- the one builder of the dashboard's links -----------------------------------------------------------------
# Every link, export address and embed address is written here from a ChartFilters (Datasette's `Urls` is the
# model): the filters always in the same order and spelling, the language only when one was asked for and it is
# not the default. A new shared parameter (e.g. `as_of`) is one line in `filter_params` and one in FILTER_PARAMS.

FILTER_PARAMS = ("region", "year", "lang", "as_of")  # what a link carries from page to page


def filter_params(filters: ChartFilters) -> list[tuple[str, str]]:
    """The query parameters that reproduce `filters`' regions, year and language (no chart options)."""
    params = [("region", r) for r in (filters.regions or [])]
    if filters.year is not None:
        params.append(("year", str(filters.year)))
    if filters.lang and filters.lang != DEFAULT_LOCALE:
        params.append(("lang", filters.lang))
    if filters.as_of:
        params.append(("as_of", filters.as_of))
    return params


def query(filters: ChartFilters | None = None, extra: Sequence[tuple[str, str]] = ()) -> str:
    """'?region=…&year=…&lang=…' for `filters`, then `extra` (a chart's options, an export size); '' when empty."""
    params = [*(filter_params(filters) if filters is not None else []), *extra]
    return ("?" + urlencode(params)) if params else ""


def page(path: str, filters: ChartFilters | None = None, *, extra: Sequence[tuple[str, str]] = (),
         fragment: str = "", absolute: bool = False) -> str:
    """The address of a dashboard page with `filters` (and `extra`), e.g. /members/madrid?region=Europe&year=2020."""
    url = path + query(filters, extra) + (f"#{fragment}" if fragment else "")
    return absolute_url(url) if absolute else url


def kept(path: str, *, fragment: str = "") -> str:
    """The address of `path` with no filters but the Board meeting being viewed (the brand, the footer, links
    to the Sources page): in a meeting's view, every address stays in the meeting."""
    return page(path, ChartFilters(), fragment=fragment)


def export(chart_id: str, ext: str, filters: ChartFilters, *, extra: Sequence[tuple[str, str]] = (),
           absolute: bool = False) -> str:
    """The address of a chart's export file (/export/<chart>.<ext>?…)."""
    return page(f"/export/{chart_id}.{ext}", filters, extra=extra, absolute=absolute)


def embed(chart_id: str, filters: ChartFilters, *, extra: Sequence[tuple[str, str]] = (), absolute: bool = True) -> str:
    """The address of a chart alone in a frame (/embed/<chart>?…), absolute: it is pasted into other sites."""
    return page(f"/embed/{chart_id}", filters, extra=extra, absolute=absolute)


def deck(page_path: str, filters: ChartFilters) -> str:
    """The address of the PowerPoint deck of a page's charts."""
    return page("/export/deck.pptx", filters, extra=[("page", page_path)])


def as_presented(slug: str, filters: ChartFilters | None = None, *, path: str = "/", absolute: bool = False) -> str:
    """The address of a page (the overview) as presented at the Board meeting `slug`, with `filters`' regions and
    language (not its year: the page opens on the meeting's default year, which may not exist then)."""
    kept = replace(filters, year=None, as_of=slug) if filters is not None else ChartFilters(as_of=slug)
    return page(path, kept, absolute=absolute)


def meeting(slug: str, filters: ChartFilters | None = None, *, absolute: bool = False) -> str:
    """The page of the Board meeting `slug` (/meetings/<slug>), with `filters` (never read as of a meeting)."""
    return page(f"/meetings/{slug}", without_meeting(filters), absolute=absolute)


def meeting_changes(slug: str, filters: ChartFilters | None = None, *, to: str | None = None,
                    absolute: bool = False) -> str:
    """The page of what changed since the Board meeting `slug` (up to the meeting `to`, else until now)."""
    return page(f"/meetings/{slug}/changes", without_meeting(filters), extra=[("to", to)] if to else [], absolute=absolute)


def without_meeting(filters: ChartFilters | None) -> ChartFilters:
    """`filters` read as the store is today (no `as_of`): the meetings' own pages are never read as of one."""
    return replace(filters, as_of=None, notices=[]) if filters is not None else ChartFilters(as_of=None)


def carried(search: str | None) -> list[tuple[str, str]]:
    """The filter parameters of a query string as the browser has it (what a link from page to page keeps),
    without a language that is the default."""
    return [(k, v) for k, v in parse_qsl((search or "").lstrip("?"))
            if k in FILTER_PARAMS and not (k == "lang" and v == DEFAULT_LOCALE)]


def page_keeping(path: str, search: str | None) -> str:
    """The address of `path` with the filters of the query string `search` (other parameters are dropped)."""
    return page(path, extra=carried(search))


def with_lang(search: str | None, lang: str) -> str:
    """`search` with its `lang` replaced by `lang` (the filters and every other parameter kept; an explicit
    `lang=en` stays, so that a choice of English wins over the browser's Accept-Language)."""
    kept = [(k, v) for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=True) if k != "lang"]
    return "?" + urlencode([*kept, ("lang", lang)])


def search_with(search: str | None, filters: ChartFilters) -> str:
    """`search` with the parameters `filters` sets replaced by them (the others kept, in place)."""
    replaced = {name for name, _value in filter_params(filters)} | {"region", "year"}
    kept = [(k, v) for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=True) if k not in replaced]
    params = [*kept, *filter_params(filters)]
    return ("?" + urlencode(params)) if params else ""
