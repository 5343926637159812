"""Raw input (query strings, API parameters, form fields) -> typed values, or InvalidInput for the user."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from dashboard.filters import ChartFilters
from dashboard.i18n import CANDIDATE_LOCALES, _

MAX_PARAM_LENGTH = 200


class InvalidInput(ValueError):
    """A value the user gave cannot be used; `str(err)` is a message written for the user."""

    def __init__(self, parameter: str, message: str, valid: Sequence[str] = ()):
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.valid = list(valid)

    def as_dict(self) -> dict:
        return {"parameter": self.parameter, "message": self.message, "valid": self.valid}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _values(raw: str | Iterable[str] | None) -> list[str]:
    """Split repeated and comma-separated values; blank parts are dropped."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def _check_length(parameter: str, raw: str | Iterable[str] | None) -> None:
    total = len(raw) if isinstance(raw, str) else sum(len(str(x)) for x in (raw or []))
    if total > MAX_PARAM_LENGTH:
        raise InvalidInput(parameter, _("The value of '%(parameter)s' is too long (%(length)d characters; at most %(limit)d).",
                                        parameter=parameter, length=total, limit=MAX_PARAM_LENGTH))


def parse_regions(raw: str | Iterable[str] | None, known: Sequence[str]) -> list[str] | None:
    """Return the regions named by `raw` (names or slugs, any case; repeated or comma-separated), in canonical
    order, or None for all regions (nothing given, or 'all'). Raise InvalidInput naming an unknown region."""
    _check_length("region", raw)
    values = _values(raw)
    if not values or any(v.lower() == "all" for v in values):
        return None
    lookup = {}
    for name in known:
        lookup[name.lower()] = name
        lookup[_slug(name)] = name
    chosen = set()
    for value in values:
        name = lookup.get(value.lower()) or lookup.get(_slug(value))
        if name is None:
            raise InvalidInput("region", _("Unknown region '%(value)s'. Choose one of: %(valid)s.",
                                           value=_shorten(value), valid=", ".join(known)), valid=list(known))
        chosen.add(name)
    return [name for name in known if name in chosen]


def parse_year(raw: str | None, available: Sequence[int]) -> int | None:
    """Return the year in `raw`, or None when nothing is given (the caller then uses the latest).
    Raise InvalidInput when it is not a year the store holds."""
    _check_length("year", raw)
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    valid = [str(y) for y in available]
    if not re.fullmatch(r"[0-9]{4}", text):  # not \d: it matches full-width and other scripts' digits too
        raise InvalidInput("year", _("'%(value)s' is not a year. Choose one of: %(valid)s.",
                                     value=_shorten(text), valid=", ".join(valid)), valid=valid)
    year = int(text)
    if year not in available:
        raise InvalidInput("year", _("There is no data for %(year)s. Choose one of: %(valid)s.",
                                     year=year, valid=", ".join(valid)), valid=valid)
    return year


def parse_choice(parameter: str, raw: str | None, valid: Sequence[str], *, default: str | None = None) -> str | None:
    """Return `raw` if it is one of `valid` (exact match, surrounding spaces ignored), `default` if empty."""
    _check_length(parameter, raw)
    if raw is None or str(raw).strip() == "":
        return default
    value = str(raw).strip()
    if value not in valid:
        raise InvalidInput(parameter, _("Unknown %(parameter)s '%(value)s'. Choose one of: %(valid)s.",
                                        parameter=parameter, value=_shorten(value), valid=", ".join(valid)),
                           valid=list(valid))
    return value


def parse_lang(raw: str | None) -> str | None:
    """Return the language asked for (`?lang=`): one of Metropolis' languages (en, es, fr), None when not given.
    A language is accepted before its catalogue exists (it then shows English). Raise InvalidInput otherwise."""
    return parse_choice("lang", raw, CANDIDATE_LOCALES, default=None)


def is_whole_number(text: str) -> bool:
    """Whether `text` is ASCII digits only (str.isdigit also accepts '２０２０' and superscripts)."""
    return re.fullmatch(r"[0-9]+", text) is not None


def parse_choices(parameter: str, raw: str | Iterable[str] | None, valid: Sequence[str]) -> list[str] | None:
    """Return the values of `raw` (repeated or comma-separated), each one of `valid`; None when empty."""
    _check_length(parameter, raw)
    values = _values(raw)
    if not values:
        return None
    for value in values:
        parse_choice(parameter, value, valid)
    return [v for v in valid if v in values]


def reject_unknown(params: Mapping[str, object], allowed: Iterable[str]) -> None:
    """Raise InvalidInput if `params` holds a parameter outside `allowed` (a typo would silently widen a query)."""
    allowed = list(allowed)
    for name in params:
        if name not in allowed:
            raise InvalidInput(_shorten(str(name)), _("Unknown parameter '%(name)s'. Accepted parameters: %(valid)s.",
                                                      name=_shorten(str(name)), valid=", ".join(allowed) or "none"),
                               valid=allowed)


def text_value(raw: object, *, limit: int = 100) -> str:
    """A text a component sent (a search box), at most `limit` characters; '' for anything that is not text."""
    return raw[:limit] if isinstance(raw, str) else ""


def text_list(raw: object, *, limit: int = 50) -> list[str]:
    """The texts of a multi-value component (a checklist, a multi dropdown): [] unless a list; non-text items
    are dropped, and at most `limit` kept."""
    return [v for v in raw if isinstance(v, str)][:limit] if isinstance(raw, list) else []


def whole_number(raw: object) -> int | None:
    """An integer a component sent (a year dropdown), or None for anything else (booleans included)."""
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


def parse_filters(region_raw, year_raw, lang_raw=None, *, known_regions: Sequence[str], years: Sequence[int],
                  default: int | None = None, strict: bool = False) -> ChartFilters:
    """The one parser of the shared filters (region(s), year, language) of a page, an export, an embed or a link:
    without a year, `default` (the store's default year), else the latest. `strict` (exports, embeds, decks):
    raise InvalidInput for a bad value. Otherwise (pages, the filter bar) an unknown region or year falls back
    (all regions, the default year) with a notice for the user instead of failing, and an unknown language is
    dropped (the page says so: components.language_notice)."""
    if default is None or default not in years:
        default = max(years) if years else None
    notices = []
    try:
        regions = parse_regions(region_raw, known_regions)
    except InvalidInput as err:
        if strict:
            raise
        regions = None
        notices.append(err.message + " " + _("Showing all regions."))
    try:
        year = parse_year(year_raw, years)
    except InvalidInput as err:
        if strict:
            raise
        year = None
        notices.append(err.message + " " + _("Showing %(year)s.", year=default))
    if isinstance(lang_raw, list):
        lang_raw = lang_raw[-1] if lang_raw else None
    try:
        lang = parse_lang(lang_raw if lang_raw is None or isinstance(lang_raw, str) else str(lang_raw))
    except InvalidInput:
        if strict:
            raise
        lang = None
    return ChartFilters(regions=regions, year=year if year is not None else default, lang=lang, notices=notices)
