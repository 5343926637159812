"""Translation and number formatting for the current request: every user-facing string of the pages goes through
`_` (Babel gettext catalogs). The texts themselves live in dashboard.translation (`Translator`), which figures
receive as an argument instead of reading the request."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from babel.support import LazyProxy
from flask import g, has_request_context, request

from dashboard.translation import (  # noqa: F401  (re-exported: the names pages and tests import from here)
    CANDIDATE_LOCALES,
    DEFAULT_LOCALE,
    LANGUAGE_NAMES,
    TRANSLATIONS_DIR,
    Translator,
    available_locales,
    translator,
)
from db.messages import Joined, Msg


def current_locale() -> str:
    """Return the locale of the current request (`?lang=` or Accept-Language), else English; worked out once per
    request (a page asks for it thousands of times)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    locale = g.get("_locale")
    if locale is None:
        wanted = _asked_lang()
        locale = wanted if wanted in available_locales() else (
            request.accept_languages.best_match(available_locales()) or DEFAULT_LOCALE)
        g._locale = locale
    return locale


def _asked_lang() -> str:
    """`?lang=` of the address; for Dash's own requests (the layout and every callback: /_dash-...), of the page
    that sends them, which the browser names in the Referer (the address after client-side navigation too)."""
    if request.path.startswith("/_dash") and request.referrer:
        return parse_qs(urlsplit(request.referrer).query).get("lang", [""])[0]
    return request.args.get("lang", "")


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


def translate(message):
    """Translate a message written by db/ (db.messages.Msg: its msgid and parameters, a parameter that is a Msg
    translated too; Joined: each part); any other value is returned as it is (English is the Msg's own text)."""
    if isinstance(message, Msg):
        if not message.msgid:
            return ""  # gettext("") is the catalogue's header
        params = {k: translate(v) for k, v in message.params.items()}
        return gettext(message.msgid, **params) if params else gettext(message.msgid)
    if isinstance(message, Joined):
        return message.sep.join(translate(part) for part in message.parts)
    return message


def data_text(text):
    """A curators' text of the seed files (an indicator's name or definition, the note on a printed figure) in the
    current language: seed/messages.py extracts them into the catalogues (babel.cfg). Any other value, a text the
    catalogues lack (entered later) included, is returned as it is."""
    return gettext(text) if isinstance(text, str) and text else text


def data_columns(df, *columns: str):
    """A copy of the frame `df` with its `columns` (those it has) in the current language (data_text)."""
    return df.assign(**{c: df[c].map(data_text) for c in columns if c in df.columns})


def translate_error(err: Exception) -> str:
    """The message of a db command error (CommandError and its kinds) in the current language."""
    return translate(err.args[0]) if err.args else str(err)


def translate_fields(fields) -> dict:
    """Invalid.fields (field -> message) in the current language."""
    return {name: translate(message) for name, message in (fields or {}).items()}


def region_label(region: str) -> str:
    """A region's name as Metropolis writes it in the current language (see Translator.region_label)."""
    return current_translator().region_label(region)


def country_name(code: str | None, english: str) -> str:
    """A country's name in the current language from its code (see Translator.country_name)."""
    return current_translator().country_name(code, english)


def format_number(value: float | int, *, decimals: int = 0) -> str:
    """Format a number for humans in the current locale: 936463 -> '936,463'."""
    return current_translator().format_number(value, decimals=decimals)


def format_percent(share: float, *, decimals: int = 0) -> str:
    """Format a share in 0-1 as a percentage in the current locale: 0.766 -> '77%' (en), '77 %' (fr, es)."""
    return current_translator().format_percent(share, decimals=decimals)


def format_eur(value: float) -> str:
    """Format a whole amount in euros in the current locale (see Translator.format_eur)."""
    return current_translator().format_eur(value)


def format_date(day: dt.date, *, format: str = "long") -> str:
    """Format a date in the current locale (see Translator.format_date)."""
    return current_translator().format_date(day, format=format)


def format_datetime(moment: dt.datetime | str, *, seconds: bool = True) -> str:
    """Format a moment (UTC) in the current locale (see Translator.format_datetime)."""
    return current_translator().format_datetime(moment, seconds=seconds)


def number_separators() -> str:
    """The decimal and thousands signs of the current locale, as plotly's `layout.separators` takes them."""
    return current_translator().number_separators()


SHORT_DATE = "d MMM y"  # '1 Dec 2026' / '1 déc. 2026' / '1 dic 2026': dates printed in lines of text


def long_date(day: dt.date) -> str:
    """A date written out: '12 March 2021' (as Metropolis writes it in English), '12 mars 2021', '12 de marzo de
    2021' (Babel's long form in French and Spanish)."""
    return format_date(day, format="d MMMM y" if current_locale() == DEFAULT_LOCALE else "long")


def month_abbreviations() -> list[str]:
    """The twelve months' short names in the current locale (January first): 'Jan', 'janv.', 'ene'."""
    return current_translator().month_abbreviations()


def format_period(start: dt.date, end: dt.date) -> str:
    """Describe the half-open period [start, end) of a printed figure (see Translator.format_period)."""
    return current_translator().format_period(start, end)
