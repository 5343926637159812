"""Translation and number formatting for the current request: every user-facing string of the pages goes through
`_` (Babel gettext catalogs). The texts themselves live in dashboard.translation (`Translator`), which figures
receive as an argument instead of reading the request."""

from __future__ import annotations

import datetime as dt

from babel.support import LazyProxy
from flask import g, has_request_context, request

from dashboard.translation import (  # noqa: F401  (re-exported: the names pages and tests import from here)
    CANDIDATE_LOCALES,
    DEFAULT_LOCALE,
    TRANSLATIONS_DIR,
    Translator,
    available_locales,
    translator,
)


def current_locale() -> str:
    """Return the locale of the current request (`?lang=` or Accept-Language), else English; worked out once per
    request (a page asks for it thousands of times)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    locale = g.get("_locale")
    if locale is None:
        wanted = request.args.get("lang", "")
        locale = wanted if wanted in available_locales() else (
            request.accept_languages.best_match(available_locales()) or DEFAULT_LOCALE)
        g._locale = locale
    return locale


def current_translator() -> Translator:
    """The translator of the current request's locale (what a page hands to a figure builder as `tr`)."""
    return Translator(current_locale())


def gettext(message: str, **variables) -> str:
    """Translate `message` into the current locale and fill its %(name)s placeholders."""
    return current_translator().gettext(message, **variables)


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    return current_translator().ngettext(singular, plural, n, **variables)


def lazy_gettext(message: str, **variables) -> LazyProxy:
    """Translate when the string is used, not when it is defined (for module-level constants)."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext


def format_number(value: float | int, *, decimals: int = 0) -> str:
    """Format a number for humans in the current locale: 936463 -> '936,463'."""
    return current_translator().format_number(value, decimals=decimals)


def format_percent(share: float, *, decimals: int = 0) -> str:
    """Format a share in 0-1 as a percentage: 0.766 -> '77%'."""
    return current_translator().format_percent(share, decimals=decimals)


def format_eur(value: float) -> str:
    """Format an amount in euros: 936463 -> '936,463 EUR'."""
    return current_translator().format_eur(value)


def format_period(start: dt.date, end: dt.date) -> str:
    """Describe the half-open period [start, end) of a printed figure (see Translator.format_period)."""
    return current_translator().format_period(start, end)
