"""The overview's key figures: what its cards show (read from the store by one data function per kind of
year, then built without querying) and its headline sentence. Shared by the overview page and the decks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple

import pandas as pd

from dashboard import urls, years
from dashboard.charts import engagement_by_region
from dashboard.figures.indicators import format_value
from dashboard.figures.style import source_text
from dashboard.gender_rules import SMALL_NUMBER, recorded_speakers, small_number_text
from dashboard.i18n import _, current_translator, format_date, format_number, format_percent, ngettext
from dashboard.summaries import activity_sentence, fee_sentence
from db.asof import Frozen, reading_as_of
from db.queries import action_plan, events, indicators
from db.queries import members as members_q
from db.session import Session

DASHBOARD_CITATION = "Entered in the dashboard"


class Kpi(NamedTuple):
    """One key figure as a card shows it: the figure, what it counts, what was recorded since the report
    (`added`), what it rests on (`coverage`), its source, the page it opens, and a discrepancy note if any."""

    metric: str
    title: str
    value: str
    detail: str
    href: str
    source: str
    note: tuple[str, str] | None = None
    added: str = ""
    coverage: str = ""
    quote_source: bool = True  # the source is a document's citation (quoted in English), not a sentence of ours
    amount: float | None = None  # the figure as a number (a share in 0-1 when `share`), None when it is text
    share: bool = False


PRINTED_CODES = ("members.active_pct", "fees.paid.members", "events.participants", "events.speakers.women_pct",
                 "events.speakers")  # the printed indicators the cards of a reported year read


def printed_values(values, codes) -> dict:
    """code -> the printed indicator's row (a dict) for each of `codes` the frame `values` has; the last row of a
    code wins (its latest period, as the frame is ordered)."""
    rows = values[values["code"].isin(codes)]
    return {row["code"]: row for row in rows.to_dict("records")}


def _printed(row: dict) -> str:
    """A printed figure inside a sentence of the page's language, written as the language writes numbers ('76%'
    printed: '76 %' in French and Spanish), so that no English-written number is glued into the sentence."""
    return format_value(row["value"], row["unit"], row.get("qualifier") or "", tr=current_translator())


def build_kpis(session, filters, recorded: frozenset[str], signed_in: bool = False) -> tuple:
    """Read what the cards show (one data function per kind of year), then build the cards from it."""
    cov = years.coverage_of(filters.year, filters.regions)
    if cov["kind"] == "reported":
        return reported_kpis(reported_data(session, filters), filters, recorded, cov)
    return in_progress_kpis(in_progress_data(session, filters), filters, cov, signed_in)


class KpiData(NamedTuple):
    """What the overview's cards show, read from the store for one filter set (no Dash, no formatting).
    A NamedTuple, not a dataclass: Dash executes page modules outside sys.modules, where dataclass fails."""

    by_region: pd.DataFrame  # engagement_by_region of the year
    eng_source: str
    member_counts: pd.DataFrame  # members_q.member_counts
    plan: str | None  # the action plan of the year
    completion: pd.DataFrame | None  # its completion_by_line
    previous: int | None = None  # a reported year: the reported year before, for a like-for-like comparison
    before: pd.DataFrame | None = None  # its engagement_by_region
    values: pd.DataFrame | None = None  # a reported year: the network's printed indicator values
    event_sources: pd.DataFrame | None = None  # a reported year: event counts by source
    events_before: int | None = None  # a year in progress: events of the year before, to the same date
    speakers: dict | None = None  # a year in progress: the recorded speakers by gender
    plan_source: str | None = None  # a reported year: the document and section that print the plan's statuses


def _plan_data(session, year: int) -> tuple[str | None, pd.DataFrame | None]:
    plan = action_plan.plan_for_year(session, year)
    return plan, action_plan.completion_by_line(session, plan=plan, year=year) if plan else None


def reported_data(session, filters) -> KpiData:
    year, regions = filters.year, filters.regions
    by_region, eng_source = engagement_by_region(regions, year, session=session)
    previous = year - 1 if (year - 1) in years.reported_years() else None  # a like-for-like comparison only
    plan, completion = _plan_data(session, year)
    return KpiData(by_region=by_region, eng_source=eng_source,
                   member_counts=members_q.member_counts(session, regions=regions), plan=plan, completion=completion,
                   previous=previous,
                   before=engagement_by_region(regions, previous, session=session)[0] if previous else None,
                   plan_source=action_plan.plan_source(session, plan) if plan else None,
                   values=indicators.indicator_values(session, year=year, scope="network"),
                   event_sources=events.event_sources(session, year=year, regions=regions))


def in_progress_data(session, filters) -> KpiData:
    year, regions = filters.year, filters.regions
    cov = years.coverage_of(year, regions)
    by_region, eng_source = engagement_by_region(regions, year, session=session)
    plan, completion = _plan_data(session, year)
    events_before = None
    if cov["last_event"] is not None and year - 1 in years.available():
        events_before = years.events_to_date(year - 1, cov["last_event"] + dt.timedelta(days=1), regions)
    return KpiData(by_region=by_region, eng_source=eng_source,
                   member_counts=members_q.member_counts(session, regions=regions), plan=plan, completion=completion,
                   events_before=events_before, speakers=recorded_speakers(year))


def _members_card(counts, q, members: int):
    honorary = int(counts.loc[counts["honorary"], "members"].sum())
    return Kpi(
        "members", title=_("Members"), value=format_number(members),
        detail=ngettext("member governments + %(n)s honorary member", "member governments + %(n)s honorary members",
                        honorary) if honorary else _("member governments"),
        href="/members" + q, source=source_text(counts), amount=members)


def _fee_detail(paid: int, members: int, year: int, unknown: int, previous: int | None, before: int) -> str:
    """'77 of 141 paid the 2020 fee, as printed; 1 unknown (unreadable in the report) (2019: 80)': one whole
    sentence for each case (each language places the parts its own way)."""
    figures = {"paid": format_number(paid), "total": format_number(members), "year": year, "previous": previous,
               "before": format_number(before), "unknown": format_number(unknown)}
    if unknown and previous:
        return ngettext("%(paid)s of %(total)s paid the %(year)s fee, as printed; %(unknown)s unknown (unreadable in "
                        "the report) (%(previous)s: %(before)s)",
                        "%(paid)s of %(total)s paid the %(year)s fee, as printed; %(unknown)s unknown (unreadable in "
                        "the report) (%(previous)s: %(before)s)", unknown, **figures)
    if unknown:
        return ngettext("%(paid)s of %(total)s paid the %(year)s fee, as printed; %(unknown)s unknown (unreadable in "
                        "the report)", "%(paid)s of %(total)s paid the %(year)s fee, as printed; %(unknown)s unknown "
                        "(unreadable in the report)", unknown, **figures)
    # (%(n)s is the paid count in these two; ngettext's %(n)s is the count the plural follows, hence %(paid)s above)
    if previous:
        return _("%(n)s of %(total)s paid the %(year)s fee, as printed (%(previous)s: %(before)s)",
                 n=figures["paid"], total=figures["total"], year=year, previous=previous, before=figures["before"])
    return _("%(n)s of %(total)s paid the %(year)s fee, as printed", n=figures["paid"], total=figures["total"],
             year=year)


def _share(n, d):
    return format_percent(n / d, decimals=1) if d else "–"


def _ratio(n, d) -> float | None:
    return n / d if d else None


def reported_kpis(data: KpiData, filters, recorded: frozenset[str], cov: dict) -> tuple:
    """A reported year: every figure as printed; what was recorded in the dashboard since is named beside it."""
    year, regions = filters.year, filters.regions
    q = urls.query(filters)
    by_region, eng_source = data.by_region, data.eng_source
    members, active, paid = (int(by_region[c].sum()) for c in ("members", "activated", "fee_paid"))
    printed_paid_rows = paid - cov["fees_paid_added"]
    previous = data.previous
    if previous is not None:
        prev_members, prev_active, prev_paid = (int(data.before[c].sum())
                                                for c in ("members", "activated", "fee_paid"))
    values, evs, plan, completion = data.values, data.event_sources, data.plan, data.completion
    whole = regions is None
    report = cov["report"]
    cards = [_members_card(data.member_counts, q, members)]
    printed = printed_values(values, PRINTED_CODES)
    printed_active = printed.get("members.active_pct")
    cards.append(Kpi(
        "activated", title=_("Active members"), value=_share(active, members),
        detail=_("%(n)s of %(total)s were active in %(year)s, as printed (%(previous)s: %(before)s of "
                 "%(total_before)s)", n=format_number(active), total=format_number(members), year=year,
                 previous=previous, before=format_number(prev_active), total_before=format_number(prev_members))
        if previous else _("%(n)s of %(total)s were active in %(year)s, as printed", n=format_number(active),
                           total=format_number(members), year=year),
        added=years.added_since(cov["activated_added"]).strip(),
        href="/engagement" + q, source=eng_source, amount=_ratio(active, members), share=True,
        note=(_("The report prints %(printed)s.", printed=_printed(printed_active)), "members.active_pct")
        if whole and printed_active and "members.active_pct" in recorded else None))
    printed_paid = printed.get("fees.paid.members")
    fee_unknown = int(by_region["fee_unknown"].sum())
    cards.append(Kpi(
        "fees", title=_("Fee paid"), value=_share(printed_paid_rows, members),
        detail=_fee_detail(printed_paid_rows, members, year, fee_unknown, previous,
                           prev_paid if previous is not None else 0),
        added=years.added_since(cov["fees_paid_added"]).strip(),
        href="/engagement" + q, source=eng_source, amount=_ratio(printed_paid_rows, members), share=True,
        note=(_("The report prints %(printed)s members.", printed=_printed(printed_paid)), "fees.paid.members")
        if whole and printed_paid and "fees.paid.members" in recorded else None))
    printed_events = int(evs.loc[evs["source_citation"] != DASHBOARD_CITATION, "events"].sum())
    cards.append(Kpi(
        "events", title=_("Events"), value=format_number(printed_events),
        detail=_("in the %(year)s calendar and progress report, as printed", year=year) if whole else
        _("events that activated members of these regions (the %(year)s reports name them only for July-September)",
          year=year),
        added=years.added_since(cov["events_recorded"]).strip(),
        href="/events" + q, source=source_text(evs[evs["source_citation"] != DASHBOARD_CITATION]) or report,
        amount=printed_events))
    people = printed.get("events.participants")
    if people:
        cards.append(Kpi(
            "people", title=_("People engaged"), value=_printed(people),  # '2,100+' / '2 100+' / '2100+'
            detail=_("at Metropolis events (network-wide), as printed"), href="/events" + q,
            source=f"{people['source_citation']}, {people['source_section']}"))
    speakers = printed.get("events.speakers.women_pct")
    if speakers:
        total = printed.get("events.speakers")
        cards.append(Kpi(
            "speakers", title=_("Women among speakers"), value=_printed(speakers),  # '36%' / '36 %'
            detail=_("of %(n)s speakers at Metropolis events (network-wide), as printed",
                     n=_printed(total) if total else "?"),
            href="/gender" + q, source=f"{speakers['source_citation']}, {speakers['source_section']}"))
    if completion is not None and completion["total"].sum():
        done, total = int(completion["done"].sum()), int(completion["total"].sum())
        cards.append(Kpi(
            "plan", title=_("Action plan %(plan)s", plan=plan), value=_share(done, total),
            detail=_("%(done)s of %(total)s deliverables done (network-wide)", done=done, total=total),
            href="/action-plan" + q, source=data.plan_source or plan, amount=_ratio(done, total), share=True))
    return cards, by_region, eng_source


def in_progress_kpis(data: KpiData, filters, cov: dict, signed_in: bool) -> tuple:
    """A year in progress: counts of what was recorded so far, each with what it rests on; never a share of
    members computed from no records."""
    year = filters.year
    q = urls.query(filters)
    by_region, eng_source = data.by_region, data.eng_source
    members = int(by_region["members"].sum())
    source = _("Entered in the dashboard (%(year)s records, as of %(date)s)", year=year,
               date=years.as_of_text(cov))
    cards = [_members_card(data.member_counts, q, members)]
    active = cov["members_activated"]
    cards.append(Kpi(
        "activated", title=_("Active members"), value=format_number(active) if active else "–",
        detail=_("recorded so far, year in progress"), coverage=years.activity_coverage(cov, year),
        href="/engagement" + q, source=source, quote_source=False, amount=active))
    cards.append(Kpi(
        "fees", title=_("Fee paid"), value=format_number(cov["fees_paid"]) if cov["fee_records"] else "–",
        detail=_("members recorded as having paid the %(year)s fee so far", year=year) if cov["fee_records"]
        else _("nothing recorded yet"), coverage=years.fee_coverage(cov, year), href="/engagement" + q,
        source=source, quote_source=False, amount=cov["fees_paid"]))
    compare = ""
    if data.events_before is not None:
        compare = _("%(year)s, same period (1 Jan to %(date)s): %(n)s", year=year - 1,
                    date=format_date(cov["last_event"], format="d MMM"), n=format_number(data.events_before))
    cards.append(Kpi(
        "events", title=_("Events"), value=format_number(cov["events"]) if cov["events"] else "–",
        detail=_("recorded in the dashboard so far") if cov["events"] else
        _("No events recorded for %(year)s yet", year=year),
        coverage=compare, href="/events" + q, source=source, quote_source=False, amount=cov["events"]))
    speakers = data.speakers
    if speakers is not None:
        shown = speakers["total"] >= SMALL_NUMBER or signed_in
        cards.append(Kpi(
            "speakers", title=_("Women among speakers"),
            value=format_percent(speakers["women_pct"] / 100, decimals=0) if shown else "–",
            detail=_("at the events recorded in the dashboard (n = %(events)s, %(people)s speakers)",
                     events=speakers["events"], people=format_number(speakers["total"])) if shown else
            small_number_text(),
            href="/gender" + q, source=source, quote_source=False,
            amount=speakers["women_pct"] / 100 if shown and speakers["total"] else None, share=True))
    plan, completion = data.plan, data.completion
    if plan is not None:
        total = int(completion["total"].sum())
        known = total - int(completion["unknown"].sum())
        done = int(completion["done"].sum())
        cards.append(Kpi(
            "plan", title=_("Action plan %(plan)s", plan=plan),
            value=_share(done, known) if known else "–",
            detail=_("%(done)s of %(known)s outcomes with a status recorded are done", done=done, known=known)
            if known else _("No statuses recorded for %(year)s yet", year=year),
            coverage=_("statuses recorded for %(known)s of %(total)s outcomes", known=known, total=total),
            href="/action-plan" + q, source=source, quote_source=False, amount=_ratio(done, known), share=True))
    return cards, by_region, eng_source


def headline(by_region, filters) -> str:
    """The overview's sentence, by the rules of the year's kind (as printed + recorded since / recorded so far)."""
    cov = years.coverage_of(filters.year, filters.regions)
    return " ".join(filter(None, [activity_sentence(by_region, year=filters.year, coverage=cov),
                                  fee_sentence(by_region, year=filters.year, coverage=cov)]))


# ---- the key figures at two Board meetings (the "What changed since" page) ---------------------------------------

class KpiChange(NamedTuple):
    """One key figure at two moments: its value then and now as the cards show them (with what was recorded
    since the report, in a reported year), and the difference in words."""

    metric: str
    title: str
    then: str
    now: str
    change: str
    then_added: str = ""
    now_added: str = ""
    moved: bool = False  # whether the figure (or what was recorded beside it) changed


def _signed(value: float, *, decimals: int = 0) -> str:
    sign = "+" if value > 0 else "\u2212"  # a minus sign, not a hyphen
    return sign + format_number(abs(value), decimals=decimals)


def kpi_difference(then: Kpi | None, now: Kpi | None) -> tuple[str, bool]:
    """The change of a key figure in words ('+3', '+1.2 percentage points', 'unchanged') and whether it moved."""
    if then is None or now is None:
        return (_("new figure") if then is None else _("no longer shown")), True
    moved_beside = then.added != now.added
    if then.amount is not None and now.amount is not None:
        if now.share and then.share:
            points = round((now.amount - then.amount) * 100, 1)
            if points:
                return _("%(change)s percentage points", change=_signed(points, decimals=1)), True
        elif now.amount != then.amount:
            return _signed(now.amount - then.amount), True
        return (_("printed figure unchanged") if moved_beside else _("unchanged")), moved_beside
    if then.value != now.value:
        return _("changed"), True
    return (_("printed figure unchanged") if moved_beside else _("unchanged")), moved_beside


def kpis_at(filters, side: Frozen | None, signed_in: bool) -> list[Kpi]:
    """The overview's key figures for `filters` as the store stood at the meeting `side` (None: now)."""
    with reading_as_of(side), Session() as session:
        shown = dataclasses.replace(filters, as_of=side.slug if side else None, notices=[])
        return build_kpis(session, shown, frozenset(), signed_in)[0]


def compare_kpis(filters, before: Frozen, after: Frozen | None, signed_in: bool) -> list[KpiChange]:
    """Each key figure of the overview for `filters` at the meeting `before` and at `after` (None: now), in the
    order the overview shows them now, with the difference."""
    then = {k.metric: k for k in kpis_at(filters, before, signed_in)}
    now = {k.metric: k for k in kpis_at(filters, after, signed_in)}
    rows = []
    for metric in [*now, *(k for k in then if k not in now)]:
        old, new = then.get(metric), now.get(metric)
        change, moved = kpi_difference(old, new)
        shown = new or old
        rows.append(KpiChange(metric, shown.title, old.value if old else "–", new.value if new else "–", change,
                              old.added if old else "", new.added if new else "", moved))
    return rows
