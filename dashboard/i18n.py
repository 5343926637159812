"""Translation and number formatting: every user-facing string goes through `_` (Babel gettext catalogs)."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from babel import Locale, dates, numbers
from babel.support import LazyProxy, NullTranslations, Translations
from flask import g, has_request_context, request

from db.messages import Joined, Msg

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DEFAULT_LOCALE = "en"
# Metropolis works in English, Spanish and French; a locale is offered once its catalog exists.
CANDIDATE_LOCALES = ("en", "es", "fr")


@functools.cache
def available_locales() -> tuple[str, ...]:
    """Return the locales with a compiled catalog, English always first."""
    found = [loc for loc in CANDIDATE_LOCALES[1:] if (TRANSLATIONS_DIR / loc / "LC_MESSAGES" / "messages.mo").exists()]
    return (DEFAULT_LOCALE, *found)


@functools.cache
def _translations(locale: str) -> NullTranslations:
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(dirname=str(TRANSLATIONS_DIR), locales=[locale], domain="messages")


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


def gettext(message: str, **variables) -> str:
    """Translate `message` into the current locale and fill its %(name)s placeholders."""
    text = _translations(current_locale()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    text = _translations(current_locale()).ngettext(singular, plural, n)
    return text % {"n": n, **variables}


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


def translate_error(err: Exception) -> str:
    """The message of a db command error (CommandError and its kinds) in the current language."""
    return translate(err.args[0]) if err.args else str(err)


def translate_fields(fields) -> dict:
    """Invalid.fields (field -> message) in the current language."""
    return {name: translate(message) for name, message in (fields or {}).items()}


def region_label(region: str) -> str:
    """A region's name as Metropolis writes it in the current language (the store keeps the English name;
    db.reference.REGIONS marks the five for the catalogues; see translations/glossary.toml)."""
    return gettext(region) if region else region


def format_number(value: float | int, *, decimals: int = 0) -> str:
    """Format a number for humans in the current locale: 936463 -> '936,463'."""
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return numbers.format_decimal(value, format=fmt, locale=Locale.parse(current_locale()))


def format_percent(share: float, *, decimals: int = 0) -> str:
    """Format a share in 0-1 as a percentage in the current locale: 0.766 -> '77%' (en), '77 %' (fr, es)."""
    locale = Locale.parse(current_locale())
    # the locale's own pattern (its spacing before '%': '76,6 %' in French and Spanish), with `decimals`
    pattern = locale.percent_formats[None].pattern.split(";")[0]
    fmt = pattern.replace("#,##0", "#,##0" + ("." + "0" * decimals if decimals else ""), 1)
    return numbers.format_percent(share, format=fmt, locale=locale)


def format_eur(value: float) -> str:
    """Format a whole amount in euros in the current locale: 936463 -> '€936,463' (en), '936 463 €' (fr),
    '936.463 €' (es). Babel's currency pattern without the cents (Metropolis' reports print whole euros)."""
    locale = Locale.parse(current_locale())
    return numbers.format_currency(value, "EUR", locale=locale, currency_digits=False, format_type="standard",
                                   format=_whole(locale.currency_formats["standard"].pattern))


def _whole(pattern: str) -> str:
    """A currency pattern without its decimals ('#,##0.00\xa0¤' -> '#,##0\xa0¤')."""
    return pattern.split(";")[0].replace(".00", "")


def format_date(day: dt.date, *, format: str = "long") -> str:
    """Format a date in the current locale: '1 December 2026', '1 décembre 2026', '1 de diciembre de 2026' (long);
    a CLDR pattern too: 'd MMM y' -> '1 Dec 2026', '1 déc. 2026', '1 dic 2026'."""
    return dates.format_date(day, format=format, locale=Locale.parse(current_locale()))


def number_separators() -> str:
    """The decimal and thousands signs of the current locale, as plotly's `layout.separators` takes them: '.,'
    (en), ',\u202f' (fr), ',.' (es)."""
    locale = Locale.parse(current_locale())
    return numbers.get_decimal_symbol(locale) + numbers.get_group_symbol(locale)


SHORT_DATE = "d MMM y"  # '1 Dec 2026' / '1 déc. 2026' / '1 dic 2026': dates printed in lines of text


def month_abbreviations() -> list[str]:
    """The twelve months' short names in the current locale (January first): 'Jan', 'janv.', 'ene'."""
    names = dates.get_month_names("abbreviated", context="stand-alone", locale=Locale.parse(current_locale()))
    return [names[i] for i in range(1, 13)]


def format_period(start: dt.date, end: dt.date) -> str:
    """Describe the half-open period [start, end) of a printed figure: '' for a whole calendar year; 'as of
    November 2020' for one calendar month or one day (a figure a document gives at its date, e.g. a plan dated
    November 2020); else '1 Jan 2020 – 30 Sep 2020'."""
    locale = Locale.parse(current_locale())
    last = end - dt.timedelta(days=1)
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year + 1, 1, 1):
        return ""
    if end - start == dt.timedelta(days=1):
        return gettext("as of %(date)s", date=dates.format_date(start, format="long", locale=locale))
    if start.day == 1 and end.day == 1 and (end.year * 12 + end.month) - (start.year * 12 + start.month) == 1:
        return gettext("as of %(month)s", month=dates.format_skeleton("yMMMM", start, locale=locale))
    return gettext("%(start)s – %(end)s", start=dates.format_date(start, format="medium", locale=locale),
                   end=dates.format_date(last, format="medium", locale=locale))

