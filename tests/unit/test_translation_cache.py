"""The Translator keeps Babel's parsed locales and patterns per language (dashboard.translation._locale and the
pattern caches): each method must give exactly the string Babel gives when handed the texts, as it did before."""

import datetime as dt

import pytest
from babel import Locale, dates, numbers

from dashboard.translation import Translator

LOCALES = ("en", "fr", "es")
DAYS = (dt.date(2026, 12, 1), dt.date(2020, 1, 31), dt.date(2019, 5, 9), dt.datetime(2021, 3, 12, 14, 3, 22))
NUMBERS = (0, 7, 1234, 936463, -12345.678, 0.5, 1234.5)
SHARES = (0.0, 0.004, 0.766, 0.5, 1.0, 1.2345)


def _babel_number(locale, value, decimals):
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return numbers.format_decimal(value, format=fmt, locale=Locale.parse(locale))


def _babel_percent(locale, share, decimals):
    loc = Locale.parse(locale)
    pattern = loc.percent_formats[None].pattern.split(";")[0]
    fmt = pattern.replace("#,##0", "#,##0" + ("." + "0" * decimals if decimals else ""), 1)
    return numbers.format_percent(share, format=fmt, locale=loc)


def _babel_eur(locale, value):
    loc = Locale.parse(locale)
    whole = loc.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    return numbers.format_currency(value, "EUR", locale=loc, currency_digits=False, format_type="standard",
                                   format=whole)


@pytest.mark.parametrize("locale", LOCALES)
def test_dates_as_babel_gives_them(locale):
    tr = Translator(locale)
    for _ in range(2):  # the second round reads the caches
        for day in DAYS:
            for fmt in ("long", "medium", "short", "full", "d MMM y", "d MMMM y", "MMM y"):
                assert tr.format_date(day, format=fmt) == dates.format_date(day, format=fmt, locale=locale)
            assert tr.format_date(day) == dates.format_date(day, format="long", locale=Locale.parse(locale))


@pytest.mark.parametrize("locale", LOCALES)
def test_numbers_as_babel_gives_them(locale):
    tr = Translator(locale)
    for _ in range(2):
        for value in NUMBERS:
            for decimals in (0, 1, 2):
                assert tr.format_number(value, decimals=decimals) == _babel_number(locale, value, decimals)
            assert tr.format_eur(value) == _babel_eur(locale, value)
        for share in SHARES:
            for decimals in (0, 1, 2):
                assert tr.format_percent(share, decimals=decimals) == _babel_percent(locale, share, decimals)


@pytest.mark.parametrize("locale", LOCALES)
def test_other_locale_texts_unchanged(locale):
    tr = Translator(locale)
    loc = Locale.parse(locale)
    names = dates.get_month_names("abbreviated", context="stand-alone", locale=loc)
    months = tr.month_abbreviations()
    assert months == [names[i] for i in range(1, 13)]
    months.append("x")  # a caller's list is its own
    assert len(tr.month_abbreviations()) == 12
    assert tr.number_separators() == numbers.get_decimal_symbol(loc) + numbers.get_group_symbol(loc)
