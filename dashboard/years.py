"""What a page says about its year: reported (as printed by a report) or in progress (recorded so far), how much
the figures rest on, and the texts that belong to one kind of year only. Pure text helpers plus one cached
lookup of db.queries.years.year_coverage."""

from __future__ import annotations

import datetime as dt
import re

from dashboard.cache import memoized
from dashboard.i18n import SHORT_DATE, _, format_date, format_number, ngettext, region_label
from db.commands.base import ANONYMOUS, ROLE_LABELS
from db.queries import years as years_q
from db.queries.common import available_years
from db.session import Session


@memoized("year-coverage")
def coverage(year: int, regions: tuple[str, ...] | None = None) -> dict:
    """year_coverage of `year` for `regions` (None = all), cached until the data changes."""
    with Session() as session:
        return years_q.year_coverage(session, year=year, regions=list(regions) if regions else None)


def coverage_of(year: int, regions) -> dict:
    return coverage(year, tuple(regions) if regions else None)  # one cache key per (year, regions)


def is_reported(year: int) -> bool:
    return year in reported_years()


def _date(value) -> str:
    if value is None:
        return _("no record yet")
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, format=SHORT_DATE)


def kind_phrase(cov: dict) -> str:
    """'as printed in the Metropolis Annual Report 2020' or 'recorded in the dashboard so far, year in progress,
    as of 1 Dec 2026'."""
    if cov["kind"] == "reported":
        return _("as printed in the %(report)s", report=cov["report"])
    return _("recorded in the dashboard so far, year in progress, as of %(date)s", date=_date(cov["as_of"]))


def kind_short(cov: dict) -> str:
    """The kind of the year for a chart's subtitle: 'as printed (Metropolis Annual Report 2020)' or 'year in
    progress, recorded so far (1 Dec 2026)'."""
    if cov["kind"] == "reported":
        return _("as printed (%(report)s)", report=cov["report"])
    return _("year in progress, recorded so far (%(date)s)", date=_date(cov["as_of"]))


# The section the store gives a record entered in the dashboard (db.commands.base): 'by <who> on <YYYY-MM-DD>'.
ENTERED_BY = re.compile(r"^by (?P<who>.+) on (?P<date>\d{4}-\d{2}-\d{2})$")


# Who wrote, as the store keeps it (db.commands.base.Actor.label): '<role>[ for <region>] (<name>)'.
ACTOR_LABEL = re.compile(r"^(?P<role>" + "|".join(map(re.escape, ROLE_LABELS.values()))
                         + r")(?: for (?P<region>.+?))? \((?P<name>.*)\)$")


def actor_words(label: str) -> str:
    """Who wrote, in the current language: 'Secretariat (Ana)' -> 'Secrétariat (Ana)', 'Regional secretary for
    Europe (Barbara)' -> 'Secrétaire régional, Europe (Barbara)'. The name is kept; a label of another form
    (a name alone) is returned as it is."""
    if label == ANONYMOUS:
        return _(ANONYMOUS)
    found = ACTOR_LABEL.match(label or "")
    if found is None:
        return label
    role, region, name = found.group("role", "region", "name")
    if region:
        return _("%(role)s for %(region)s (%(name)s)", role=_(role), region=region_label(region), name=name)
    return _("%(role)s (%(name)s)", role=_(role), name=name)


def entered_by(section: str) -> str:
    """Who entered a record and when, in the current language: 'by Ana Pérez on 1 Dec 2026' (the store's section
    'by <who> on <YYYY-MM-DD>'); '' for a section of another form."""
    found = ENTERED_BY.match(section or "")
    if found is None:
        return ""
    return _("by %(who)s on %(date)s", who=actor_words(found["who"]), date=_date(dt.date.fromisoformat(found["date"])))


def added_since(n: int) -> str:
    """' + 1 recorded since' (records entered in the dashboard after the report), or ''."""
    return ngettext(" + %(n)s recorded since", " + %(n)s recorded since", n) if n else ""


def recorded_since_note(cov: dict) -> str:
    """For a reported year: what was entered in the dashboard since the report, kept beside the printed figures."""
    if cov["kind"] != "reported":
        return ""
    parts = []
    if cov["events_recorded"]:
        parts.append(ngettext("%(n)s event", "%(n)s events", cov["events_recorded"]))
    if cov["activated_added"]:
        parts.append(ngettext("%(n)s member newly active", "%(n)s members newly active", cov["activated_added"]))
    if cov["fees_paid_added"]:
        parts.append(ngettext("%(n)s fee payment", "%(n)s fee payments", cov["fees_paid_added"]))
    if not parts:
        return ""
    return _("Recorded in the dashboard since the report (shown beside the printed figures, never added into "
             "them): %(parts)s; last entry %(date)s.", parts=", ".join(parts), date=_date(cov["as_of"]))


def fee_coverage(cov: dict, year: int) -> str:
    """'No fee payments recorded for 2021 yet' or '3 fee payments recorded; 138 members without a record'."""
    if not cov["fee_records"]:
        return _("No fee payments recorded for %(year)s yet", year=year)
    missing = max(cov["members"] - cov["fee_records"], 0)
    return (ngettext("%(n)s fee payment recorded", "%(n)s fee payments recorded", cov["fee_records"])
            + "; " + ngettext("%(n)s member without a record", "%(n)s members without a record", missing))


def activity_coverage(cov: dict, year: int) -> str:
    """'No activity recorded for 2021 yet' or '2 of 141 members have a recorded activity (1 event, ...)'."""
    if not cov["members_activated"] and not cov["events"] and not cov["bilateral_meetings"]:
        return _("No activity recorded for %(year)s yet", year=year)
    rests = ", ".join([ngettext("%(n)s event", "%(n)s events", cov["events"]),
                       ngettext("%(n)s bilateral meeting", "%(n)s bilateral meetings", cov["bilateral_meetings"])])
    missing = max(cov["members"] - cov["members_activated"], 0)
    return _("%(n)s of %(total)s members have a recorded activity (%(rests)s recorded); %(missing)s without a "
             "record", n=format_number(cov["members_activated"]), total=format_number(cov["members"]), rests=rests,
             missing=format_number(missing))


def year_note(cov: dict, year: int) -> str:
    """The line every page shows under its filters: which kind of year, and what it rests on."""
    if cov["kind"] == "reported":
        text = _("%(year)s is a reported year: figures %(phrase)s.", year=year, phrase=kind_phrase(cov))
        since = recorded_since_note(cov)
        return f"{text} {since}".strip()
    return _("%(year)s is a year in progress: figures recorded in the dashboard so far, as of %(date)s. "
             "%(activity)s. %(fees)s.", year=year, date=_date(cov["as_of"]), activity=activity_coverage(cov, year),
             fees=fee_coverage(cov, year))


def as_of_text(cov: dict) -> str:
    return _date(cov["as_of"])


@memoized("reported-years")
def reported_years() -> list[int]:
    with Session() as session:
        return years_q.reported_years(session)


@memoized("available-years")
def available() -> list[int]:
    with Session() as session:
        return available_years(session)


@memoized("events-to-date")
def _events_to_date(year: int, until: dt.date, regions: tuple[str, ...] | None) -> int:
    with Session() as session:
        return years_q.events_to_date(session, year=year, until=until, regions=list(regions) if regions else None)


def events_to_date(year: int, until: dt.date, regions) -> int:
    """Events of `year` before the day and month of `until` (cached)."""
    return _events_to_date(year, until, tuple(regions) if regions else None)
