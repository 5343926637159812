"""Texts and numbers in one language, bound to nothing else: a `Translator` for a locale (gettext, ngettext and the
number, money and period formats), built by `translator(locale)`. Figures receive one as an argument (`tr`), so what
they draw depends on their arguments only, never on who is asking; dashboard.i18n binds it to the current request.

Extraction finds `tr.gettext(...)`/`tr.ngettext(...)` (Babel's default keywords match the called name) and `N_(...)`
(a msgid kept as data, translated by whoever draws it)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, dates, numbers
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DEFAULT_LOCALE = "en"
# Metropolis works in English, Spanish and French; a locale is offered once its catalog exists.
CANDIDATE_LOCALES = ("en", "es", "fr")
# Each language's name in itself, as CLDR (Babel) writes it, capitalised, for the language switch on every page: a
# constant, so an English page does not load the CLDR data of every locale into each worker (about 5 MB; a unit test
# checks the names against Babel's).
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}


def N_(message: str) -> str:
    """Mark `message` for extraction and keep it untranslated (a msgid as data: the drawer translates it).

    db.messages has its twin: the figures, which use this one, may not import db (.importlinter 'figures'),
    and db may not import the interface; both are the identity, and Babel extracts both (`-k N_`)."""
    return message


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


# Babel's objects, parsed once per locale and pattern rather than on every call (a page formats hundreds of numbers
# and dates; a fresh Locale re-reads its CLDR data on each use). Babel's functions take the parsed objects as they
# take the texts, so each method below gives exactly the string it gave before (tests/unit/test_translation_cache.py).
@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@functools.cache
def _number_pattern(fmt: str) -> numbers.NumberPattern:
    return numbers.parse_pattern(fmt)


@functools.cache
def _decimal_pattern(decimals: int) -> numbers.NumberPattern:
    return _number_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


@functools.cache
def _percent_pattern(code: str, decimals: int) -> numbers.NumberPattern:
    pattern = _locale(code).percent_formats[None].pattern.split(";")[0]
    return numbers.parse_pattern(pattern.replace("#,##0", "#,##0" + ("." + "0" * decimals if decimals else ""), 1))


@functools.cache
def _eur_pattern(code: str) -> numbers.NumberPattern:
    return numbers.parse_pattern(_locale(code).currency_formats["standard"].pattern.split(";")[0].replace(".00", ""))


@functools.cache
def _date_pattern(code: str, format: str) -> dates.DateTimePattern:
    if format in ("full", "long", "medium", "short"):
        return dates.get_date_format(format, locale=_locale(code))
    return dates.parse_pattern(format)


@functools.cache
def _month_abbreviations(code: str) -> tuple[str, ...]:
    names = dates.get_month_names("abbreviated", context="stand-alone", locale=_locale(code))
    return tuple(names[i] for i in range(1, 13))


@dataclass(frozen=True)
class Translator:
    """The texts and number formats of one locale."""

    locale: str = DEFAULT_LOCALE

    def gettext(self, message: str, **variables) -> str:
        """Translate `message` and fill its %(name)s placeholders."""
        text = _translations(self.locale).gettext(message)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, n: int, **variables) -> str:
        text = _translations(self.locale).ngettext(singular, plural, n)
        return text % {"n": n, **variables}

    def format_number(self, value: float | int, *, decimals: int = 0) -> str:
        """Format a number for humans: 936463 -> '936,463'."""
        return numbers.format_decimal(value, format=_decimal_pattern(decimals), locale=_locale(self.locale))

    def format_percent(self, share: float, *, decimals: int = 0) -> str:
        """Format a share in 0-1 as a percentage in the locale's own pattern: 0.766 -> '77%' (en), '77 %' (fr, es)."""
        return numbers.format_percent(share, format=_percent_pattern(self.locale, decimals), locale=_locale(self.locale))

    def percent_suffix(self) -> str:
        """What the locale writes after a percentage's number: '%' (en), '\xa0%' (fr, es): for texts
        that print a number of percent (0-100) rather than a share, such as a gauge's value or '8.9%'."""
        return self.format_percent(0)[1:]

    def format_eur(self, value: float) -> str:
        """Format a whole amount in euros: 936463 -> '€936,463' (en), '936 463 €' (fr), '936.463 €' (es). Babel's
        currency pattern without the cents (Metropolis' reports print whole euros)."""
        return numbers.format_currency(value, "EUR", locale=_locale(self.locale), currency_digits=False,
                                       format_type="standard", format=_eur_pattern(self.locale))

    def format_date(self, day: dt.date, *, format: str = "long") -> str:
        """Format a date: '1 December 2026', '1 décembre 2026', '1 de diciembre de 2026' (long); a CLDR pattern
        too: 'd MMM y' -> '1 Dec 2026', '1 déc. 2026', '1 dic 2026'."""
        return dates.format_date(day, format=_date_pattern(self.locale, format), locale=_locale(self.locale))

    def format_datetime(self, moment: dt.datetime, *, seconds: bool = True) -> str:
        """Format a moment in UTC (a naive one is taken as UTC, as the store keeps them): '1 Dec 2026, 14:03:22'
        is 'Dec 1, 2026, 2:03:22 PM' (en), '1 déc. 2026, 14:03:22' (fr), '1 dic 2026, 14:03:22' (es); without
        `seconds`, to the minute. An ISO text ('2026-12-01T14:03:22+00:00') is read first."""
        if isinstance(moment, str):
            moment = dt.datetime.fromisoformat(moment)
        locale = _locale(self.locale)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        day = dates.format_date(moment.astimezone(dt.UTC), format="medium", locale=locale)
        time = dates.format_time(moment, format="medium" if seconds else "short", tzinfo=dt.UTC, locale=locale)
        return str(locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", time)

    def number_separators(self) -> str:
        """The decimal and thousands signs, as plotly's `layout.separators` takes them: '.,' (en), ',\u202f' (fr),
        ',.' (es)."""
        locale = _locale(self.locale)
        return numbers.get_decimal_symbol(locale) + numbers.get_group_symbol(locale)

    def month_abbreviations(self) -> list[str]:
        """The twelve months' short names (January first): 'Jan', 'janv.', 'ene'."""
        return list(_month_abbreviations(self.locale))

    def region_label(self, region: str) -> str:
        """A region's name as Metropolis writes it in this language (the store keeps the English name;
        db.reference.REGIONS marks the five for the catalogues; see translations/glossary.toml)."""
        return self.gettext(region) if region else region

    def country_name(self, code: str | None, english: str) -> str:
        """A country's name in this language from its ISO 3166 code (CLDR's names, through Babel): 'DE' ->
        'Allemagne', 'Alemania'. English keeps the store's name (`english`, as the member list writes it), as does an
        unknown code."""
        if self.locale == DEFAULT_LOCALE or not code:
            return english
        return _locale(self.locale).territories.get(str(code).upper(), english)

    def format_period(self, start: dt.date, end: dt.date) -> str:
        """Describe the half-open period [start, end) of a printed figure: '' for a whole calendar year; 'as of
        November 2020' for one calendar month or one day (a figure a document gives at its date, e.g. a plan dated
        November 2020); else '1 Jan 2020 – 30 Sep 2020'."""
        locale = _locale(self.locale)
        last = end - dt.timedelta(days=1)
        if start == dt.date(start.year, 1, 1) and end == dt.date(start.year + 1, 1, 1):
            return ""
        if end - start == dt.timedelta(days=1):
            return self.gettext("as of %(date)s", date=dates.format_date(start, format="long", locale=locale))
        if start.day == 1 and end.day == 1 and (end.year * 12 + end.month) - (start.year * 12 + start.month) == 1:
            return self.gettext("as of %(month)s", month=dates.format_skeleton("yMMMM", start, locale=locale))
        return self.gettext("%(start)s – %(end)s", start=dates.format_date(start, format="medium", locale=locale),
                            end=dates.format_date(last, format="medium", locale=locale))


def translator(locale: str) -> Translator:
    """The translator of `locale` (English for a locale without a catalog)."""
    return Translator(locale if locale in available_locales() else DEFAULT_LOCALE)


ENGLISH = Translator(DEFAULT_LOCALE)
