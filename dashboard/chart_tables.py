"""Every chart in words and as a table (issue 16): the sentence a screen reader reads for the chart (its
description, from the chart's own rows), and the "Show as table" panel beside each chart, which shows the exact rows
of the chart's CSV export (same columns, same order, the same fee privacy: they come from the same `render`), with
numbers in the page's language and the member and action-line cells as links: the keyboard's way to every
drill-down (a heatmap row or a map marker opens a member, a bar lists its line's deliverables).

The table is built only when it is opened (a callback keyed by chart id), so a page weighs no more for it.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from dash import dcc, html

from dashboard import ids, urls
from dashboard.cache import memoized
from dashboard.charts import CHARTS, FUND_LABELS, ChartData, ChartFilters, ChartId
from dashboard.figures.action_plan import STATUS_LABELS
from dashboard.figures.events import KIND_LABELS, ROLE_LABELS
from dashboard.i18n import (
    _,
    country_name,
    format_date,
    format_eur,
    format_number,
    format_percent,
    lazy_gettext,
    ngettext,
    region_label,
)
from db.queries.members import member_list
from db.session import Session

# the CSV's column names in words (a column not named here is shown by its CSV name)
COLUMN_LABELS = {
    "region": lazy_gettext("Region"), "members": lazy_gettext("Members"), "activated": lazy_gettext("Active"),
    "fee_paid": lazy_gettext("Fee paid"), "fee_unknown": lazy_gettext("Fee unknown"), "share": lazy_gettext("Share"),
    "source": lazy_gettext("Source"), "women": lazy_gettext("Women"), "men": lazy_gettext("Men"),
    "basis": lazy_gettext("Basis"), "total": lazy_gettext("Total"), "fund_source": lazy_gettext("Source of funds"),
    "share_pct": lazy_gettext("Share"), "name": lazy_gettext("Name"), "country": lazy_gettext("Country"),
    "latitude": lazy_gettext("Latitude"), "longitude": lazy_gettext("Longitude"),
    "coord_source": lazy_gettext("Coordinates from"), "honorary": lazy_gettext("Honorary member"),
    "breadth": lazy_gettext("Engagement dimensions"), "unknown": lazy_gettext("Unknown cells"),
    "member": lazy_gettext("Member"), "year": lazy_gettext("Year"), "board_meetings": lazy_gettext("Board meetings"),
    "annual_meeting": lazy_gettext("Annual meeting"), "bilateral_meetings": lazy_gettext("Bilateral meetings"),
    "pilot_project": lazy_gettext("Pilot project role"), "pilot_projects": lazy_gettext("Pilot projects"),
    "indicators_year": lazy_gettext("Analysed in indicators"), "learning_activities": lazy_gettext("Learning activities"),
    "wmd_organiser": lazy_gettext("WMD organiser"), "wmd_participation": lazy_gettext("WMD participation"),
    "call_endorsement": lazy_gettext("Call endorsement"), "unknown_cells": lazy_gettext("Unknown cells"),
    "row_kind": lazy_gettext("Row"), "recorded_since_report": lazy_gettext("Recorded since the report"),
    "month": lazy_gettext("Month"), "activations": lazy_gettext("Activations"), "news": lazy_gettext("News"),
    "library_publications": lazy_gettext("Library publications"),
    "publication_mentions": lazy_gettext("Publication mentions"), "use_cases": lazy_gettext("Use cases"),
    "c4gh_initiatives": lazy_gettext("C4GH initiatives"), "total_printed": lazy_gettext("Total, as printed"),
    "women_pct": lazy_gettext("Women's share"), "line": lazy_gettext("Action line"),
    "line_title": lazy_gettext("Title"), "done": lazy_gettext("Done"), "in_progress": lazy_gettext("In progress"),
    "not_done": lazy_gettext("Not done"), "code": lazy_gettext("Code"), "parent": lazy_gettext("Part of"),
    "title": lazy_gettext("Title"), "status": lazy_gettext("Status"), "printed": lazy_gettext("As printed"),
    "start_date": lazy_gettext("Start"), "end_date": lazy_gettext("End"), "location": lazy_gettext("Location"),
    "kind": lazy_gettext("Kind"), "metropolis_role": lazy_gettext("Metropolis' role"),
    "member_count": lazy_gettext("Members activated"), "deliverables": lazy_gettext("Deliverables"),
    "value": lazy_gettext("Value"), "previous_year": lazy_gettext("Earlier year"),
    "previous_value": lazy_gettext("Earlier value"), "note": lazy_gettext("Note"),
}
SHARE_COLUMNS = {"share"}  # a share in 0-1
PERCENT_COLUMNS = {"share_pct", "women_pct"}  # a percentage in 0-100
YEAR_COLUMNS = {"year", "indicators_year", "previous_year"}  # years: no thousands separator
COORDINATE_COLUMNS = {"latitude", "longitude"}
CODED_COLUMNS = {"kind": KIND_LABELS, "metropolis_role": ROLE_LABELS, "status": STATUS_LABELS, "basis": FUND_LABELS,
                 "fund_source": FUND_LABELS}
MEMBER_COLUMNS = {"member", "name"}  # a member's name: a link to its page
MEMBER_LIST_COLUMNS = {"members"}  # '; '-separated member names (events)
LINE_COLUMNS = {"line"}  # an action line: a link to its deliverables
# the documents' own text, shown as printed in English (titles, places, countries, citations, notes): marked
# lang="en" on a page in another language, so a screen reader reads it in English (WCAG 3.1.2, as
# components.quoted does on the pages)
QUOTED_COLUMNS = {"source", "note", "title", "line_title", "location", "country", "coord_source", "printed",
                  "total_printed", "recorded_since_report"}


# ---- the rows ---------------------------------------------------------------------------------

def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def table_records(data: ChartData) -> tuple[list[str], list[dict]]:
    """The columns and rows of a chart's CSV export (dashboard.export.chart_csv writes the same), as records:
    dates in ISO form, missing values None."""
    records = [{k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else (None if _missing(v) else v))
                for k, v in row.items()} for row in data.rows.to_dict("records")]
    return list(data.rows.columns), records


def column_label(column: str) -> str:
    return str(COLUMN_LABELS[column]) if column in COLUMN_LABELS else column


def cell_text(column: str, value) -> str:
    """A CSV cell as the table shows it, in the page's language: numbers with its separators, shares as
    percentages, yes/no in words, dates spelt out, codes by their labels; an empty cell is a dash."""
    if _missing(value) or value == "":
        return "–"
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return _("yes") if value else _("no")
    if column in CODED_COLUMNS and str(value) in CODED_COLUMNS[column]:
        return str(_(CODED_COLUMNS[column][str(value)]) if isinstance(CODED_COLUMNS[column][str(value)], str)
                   else CODED_COLUMNS[column][str(value)])
    if column == "region" and isinstance(value, str):
        return region_label(value)
    if column == "country" and isinstance(value, str):  # the CSV keeps the store's English name
        return country_name(_country_codes().get(value), value)
    if column == "month" and isinstance(value, int | float) and 1 <= int(value) <= 12:
        return format_date(dt.date(2000, int(value), 1), format="LLLL")
    if isinstance(value, str) and column in ("start_date", "end_date"):
        try:
            return format_date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(float(value)):
            return "–"
        if column in YEAR_COLUMNS:
            return str(int(value))
        if column in SHARE_COLUMNS:
            return format_percent(float(value), decimals=1)
        if column in PERCENT_COLUMNS:
            return format_percent(float(value) / 100, decimals=1)
        if column in COORDINATE_COLUMNS:
            return format_number(float(value), decimals=4)
        whole = float(value).is_integer()
        return format_number(value if not whole else int(value), decimals=0 if whole else 2)
    return str(value)


@memoized("member-slugs")
def _member_slugs() -> dict[str, str]:
    with Session() as session:
        members = member_list(session)
    return dict(zip(members["name"], members["slug"]))


@memoized("country-codes")
def _country_codes() -> dict[str, str]:
    """The store's (English) country names -> their ISO codes."""
    with Session() as session:
        members = member_list(session)
    return dict(zip(members["country"], members["country_code"]))


def _member_link(name: str, filters: ChartFilters):
    slug = _member_slugs().get(name)
    return dcc.Link(name, href=urls.page(f"/members/{slug}", filters)) if slug else name


def _cell(column: str, value, filters: ChartFilters, chart_id: str):
    text = cell_text(column, value)
    if _missing(value) or not isinstance(value, str) or not value:
        return text
    if column in MEMBER_COLUMNS:
        return _member_link(value, filters)
    if column in MEMBER_LIST_COLUMNS:
        names = [n for n in value.split("; ") if n]
        parts: list = []
        for i, n in enumerate(names):
            parts += (["; "] if i else []) + [_member_link(n, filters)]
        return parts
    if column in QUOTED_COLUMNS:
        return html.Span(text, lang="en")
    if column in LINE_COLUMNS and chart_id in (ChartId.ACTION_PLAN_STATUS, ChartId.ACTION_PLAN_COMPLETION):
        return dcc.Link(text, href=urls.page("/action-plan", filters, extra=[("line", value)],
                                             fragment=ids.ActionPlan.GRID),
                        title=_("The deliverables of action line %(line)s", line=value))
    return text


def _cell_class(column: str, value) -> str | None:
    if column in ("source", "note", "title", "line_title", "recorded_since_report", "members", "coord_source"):
        return "text-wide"  # long text: wide enough to keep the rows low
    if isinstance(value, int | float) and not isinstance(value, bool) and column not in YEAR_COLUMNS:
        return "num"
    return None


def data_table(chart_id: str, data: ChartData, filters: ChartFilters) -> html.Div:
    """The rows behind a chart as an HTML table: a caption, column headers, each row headed by its first cell."""
    columns, records = table_records(data)
    caption_id = f"{ids.Charts.block(chart_id)}-caption"
    caption = html.Caption([data.title, html.Span(" · " + filters.words(), className="text-body-secondary")],
                           id=caption_id)
    if not records:
        return html.P(_("No rows behind this chart for these filters."), className="small text-body-secondary mb-0")
    head = html.Thead(html.Tr([html.Th(column_label(c), scope="col") for c in columns]))
    body = html.Tbody([html.Tr([(html.Th if i == 0 else html.Td)(
        _cell(c, r.get(c), filters, chart_id), **({"scope": "row"} if i == 0 else {}),
        className=_cell_class(c, r.get(c)))
        for i, c in enumerate(columns)]) for r in records])
    # a scrolling region is focusable and named, so a keyboard can scroll it (axe: scrollable-region-focusable)
    return html.Div([
        html.P(ngettext("%(n)s row, as in the CSV export.", "%(n)s rows, as in the CSV export.", len(records)),
               className="small text-body-secondary mb-1"),
        html.Div(html.Table([caption, head, body], className="table table-sm table-striped chart-table mb-0"),
                 className="table-responsive chart-table-scroll", tabIndex="0", role="region",
                 **{"aria-labelledby": caption_id}),
    ])


# ---- the description --------------------------------------------------------------------------

def _figure_message(data: ChartData) -> str | None:
    """The message of a figure that plots nothing (figures.style.empty_figure), or None."""
    figure = data.figure if isinstance(data.figure, dict) else {}
    if figure.get("data"):
        return None
    notes = figure.get("layout", {}).get("annotations", [])
    texts = [str(a.get("text", "")) for a in notes if a.get("x") == 0.5 and a.get("y") == 0.5]
    return " ".join(t.replace("<br>", " ") for t in texts if t) or None


SHARE_SENTENCES = {  # whole sentences per measure: each language words them its own way
    "activated": lazy_gettext("%(n)s of %(total)s members active (%(share)s)."),
    "fee_paid": lazy_gettext("%(n)s of %(total)s members paid the fee (%(share)s)."),
    "women": lazy_gettext("%(n)s of %(total)s members governed by women (%(share)s)."),
}


def _share_description(measure: str, data: ChartData) -> str:
    message = _figure_message(data)
    if message:
        return message
    df = data.rows[data.rows["members"] > 0]
    if df.empty:
        return _("No members in the selected regions.")
    total, n = int(df["members"].sum()), int(df[measure].sum())
    network = str(SHARE_SENTENCES[measure]) % {"n": format_number(n), "total": format_number(total),
                                               "share": format_percent(n / total, decimals=1)}
    # the few rows as lists: the highest and lowest shares found as a stable sort would put them first
    region, counted, members = df["region"].tolist(), df[measure].tolist(), df["members"].tolist()
    share = (df[measure] / df["members"]).tolist()
    if len(df) == 1 or len({s for s in share if not _missing(s)}) == 1:
        return network
    best, worst = _first_highest(share), _first_lowest(share)
    return network + " " + _(
        "%(best)s: %(n)s of %(total)s, the highest share (%(share)s); %(worst)s: %(wn)s of %(wtotal)s, the lowest "
        "(%(wshare)s).", best=region_label(region[best]), n=format_number(int(counted[best])),
        total=format_number(int(members[best])), share=format_percent(share[best], decimals=1),
        worst=region_label(region[worst]), wn=format_number(int(counted[worst])),
        wtotal=format_number(int(members[worst])), wshare=format_percent(share[worst], decimals=1))


def _funds_description(data: ChartData) -> str:
    df = data.rows[data.rows["basis"] == "cash"]
    if df.empty:
        return _("No breakdown of the funds for this year.")
    top = df.sort_values("share_pct", ascending=False, kind="stable").iloc[0]
    parts = ", ".join(_("%(source)s %(share)s", source=cell_text("fund_source", r.fund_source),
                        share=format_percent(r.share_pct / 100, decimals=0)) for r in df.itertuples())
    return _("Funds: %(total)s in all; %(parts)s. The largest source: %(top)s.", total=format_eur(df["total"].iloc[0]),
             parts=parts, top=cell_text("fund_source", top["fund_source"]))


def _map_description(data: ChartData) -> str:
    df = data.rows
    if df.empty:
        return _("No members in the selected regions.")
    counts: dict = {}  # members per region, in the order the regions first appear (groupby(sort=False))
    for r in df["region"].tolist():
        if not _missing(r):  # as groupby, which leaves out a missing key
            counts[r] = counts.get(r, 0) + 1
    regions = ", ".join(_("%(region)s %(n)s", region=region_label(r), n=format_number(int(n))) for r, n in counts.items())
    active = sum(1 for v in df["activated"].tolist() if v is True or v == 1)
    breadth = df["breadth"].tolist()
    at = _first_highest(breadth)
    head = _("%(n)s members on the map: %(regions)s; %(active)s active.", n=format_number(len(df)), regions=regions,
             active=format_number(active))
    if not int(breadth[at]):
        return head
    return head + " " + _("The most engaged: %(member)s (%(k)s engagement dimensions).", member=df["name"].iloc[at],
                          k=format_number(int(breadth[at])))


def _first_highest(values: list) -> int:
    """The position of the row a stable descending sort puts first: the first highest value (missing values
    last, as sort_values puts them; all missing: the first row)."""
    best = None
    for i, v in enumerate(values):
        if not _missing(v) and (best is None or v > values[best]):
            best = i
    return 0 if best is None else best


def _first_lowest(values: list) -> int:
    """The position of the row a stable ascending sort puts first (missing values last)."""
    low = None
    for i, v in enumerate(values):
        if not _missing(v) and (low is None or v < values[low]):
            low = i
    return 0 if low is None else low


def _member_count(v) -> int:
    if _missing(v) or v == "" or v is False:
        return 0
    return 1 if isinstance(v, bool | str) or (isinstance(v, int | float) and v > 0) else 0


def _matrix_description(data: ChartData, dimensions: list[str]) -> str:
    df = data.rows
    if df.empty:
        return _figure_message(data) or _("No members in the selected regions.")
    present = [c for c in dimensions if c in df]
    # each cell counted once, in Python (tolist gives the values Series.map gives _member_count), for both the
    # rows' totals and the columns'
    cells = [[_member_count(v) for v in df[c].tolist()] for c in present]
    totals = [sum(row) for row in zip(*cells)]
    per_column = {c: sum(col) for c, col in zip(present, cells)}
    top_col = max(present, key=lambda c: per_column[c])
    at = _first_highest(totals)
    best_member, best_total = df["member"].iloc[at], totals[at]
    if not best_total:
        return ngettext("%(n)s member, %(k)s columns.", "%(n)s members, %(k)s columns.", len(df), k=len(present)) + \
            " " + _("Nothing is recorded in any column yet.")
    return (ngettext("%(n)s member, %(k)s columns.", "%(n)s members, %(k)s columns.", len(df), k=len(present)) + " "
            + _("Most members appear under %(column)s (%(count)s); the widest engagement is %(member)s's (%(m)s of "
                "%(k)s columns).", column=column_label(top_col), count=format_number(per_column[top_col]),
                member=best_member, m=best_total, k=len(present)))


ENGAGEMENT_COLUMNS = ["activated", "fee_paid", "board_meetings", "annual_meeting", "bilateral_meetings", "pilot_project",
                      "indicators_year", "learning_activities", "wmd_organiser", "wmd_participation", "call_endorsement"]
WEBSITE_COLUMNS = ["news", "library_publications", "publication_mentions", "use_cases", "c4gh_initiatives"]


def _activations_description(data: ChartData) -> str:
    df = data.rows
    if df.empty or not int(df["activations"].sum()):
        return _figure_message(data) or _("No member activated by an event for these filters.")
    top = df.sort_values("activations", ascending=False, kind="stable").iloc[0]
    return _("%(n)s activations of members by events; the most: %(region)s in %(month)s (%(top)s).",
             n=format_number(int(df["activations"].sum())), region=region_label(top["region"]),
             month=cell_text("month", int(top["month"])), top=format_number(int(top["activations"])))


def _gender_description(data: ChartData) -> str:
    df = data.rows.dropna(subset=["women_pct"]) if not data.rows.empty else data.rows
    if df.empty:
        return _figure_message(data) or _("No gender figures for these filters.")
    low = df.sort_values("women_pct", kind="stable").iloc[0]
    high = df.sort_values("women_pct", ascending=False, kind="stable").iloc[0]
    at_parity = int((df["women_pct"] >= 50).sum())
    return _("%(n)s groups; women's share from %(low)s (%(low_name)s) to %(high)s (%(high_name)s); %(k)s at or above "
             "parity (50%%).", n=len(df), low=format_percent(low["women_pct"] / 100, decimals=1), low_name=low["name"],
             high=format_percent(high["women_pct"] / 100, decimals=1), high_name=high["name"], k=at_parity)


def _completion_description(data: ChartData) -> str:
    df = data.rows
    message = _figure_message(data)
    if df.empty or message:
        return message or _("No deliverables for this year.")
    done, total = int(df["done"].sum()), int(df["total"].sum())
    best = df.assign(_s=df["done"] / df["total"].where(df["total"] > 0)).sort_values("_s", ascending=False,
                                                                                      kind="stable").iloc[0]
    return _("%(done)s of %(total)s deliverables done (%(share)s); the most complete line: %(line)s (%(ldone)s of "
             "%(ltotal)s).", done=done, total=total, share=format_percent(done / total if total else 0, decimals=1),
             line=best["line"], ldone=int(best["done"]), ltotal=int(best["total"]))


def _status_description(data: ChartData) -> str:
    df = data.rows
    if df.empty:
        return _("No deliverables for this year.")
    counts = df["status"].value_counts()
    parts = ", ".join(_("%(status)s %(n)s", status=cell_text("status", s), n=int(n)) for s, n in counts.items())
    return _("%(n)s deliverables in %(lines)s action lines: %(parts)s.", n=len(df), lines=df["line"].nunique(),
             parts=parts)


def _events_description(data: ChartData) -> str:
    df = data.rows
    if df.empty:
        return _figure_message(data) or _("No events for these filters.")
    months = pd.to_datetime(df["start_date"].astype(str)).dt.month.value_counts()
    kinds = df["kind"].value_counts()
    return _("%(n)s events; the busiest month: %(month)s (%(m)s); the commonest kind: %(kind)s (%(k)s).",
             n=len(df), month=cell_text("month", int(months.index[0])), m=int(months.iloc[0]),
             kind=cell_text("kind", kinds.index[0]), k=int(kinds.iloc[0]))


def _indicator_description(data: ChartData) -> str:
    df = data.rows
    members = df[df["region"].astype(str) != ""] if not df.empty else df
    network = df[df["region"].astype(str) == ""] if not df.empty else df
    said = (_("Network figure, as printed: %(value)s.", value=network["printed"].iloc[0])
            if not network.empty else "")
    if members.empty:
        return " ".join(filter(None, [_("No member has a value of its own for these filters."), said]))
    ranked = members.dropna(subset=["value"]).sort_values("value", ascending=False, kind="stable")
    if ranked.empty:
        return " ".join(filter(None, [_("No member has a value of its own for these filters."), said]))
    top, low = ranked.iloc[0], ranked.iloc[-1]
    return " ".join(filter(None, [_(
        "%(n)s members with a value: the highest %(top)s (%(tv)s), the lowest %(low)s (%(lv)s).", n=len(ranked),
        top=top["member"], tv=top["printed"] or cell_text("value", top["value"]), low=low["member"],
        lv=low["printed"] or cell_text("value", low["value"])), said]))


DESCRIBERS = {
    ChartId.ACTIVE_BY_REGION: lambda d: _share_description("activated", d),
    ChartId.FEE_PAID_BY_REGION: lambda d: _share_description("fee_paid", d),
    ChartId.GOVERNED_BY_WOMEN: lambda d: _share_description("women", d),
    ChartId.FUNDS: _funds_description,
    ChartId.MEMBERS_MAP: _map_description,
    ChartId.ENGAGEMENT_MATRIX: lambda d: _matrix_description(d, ENGAGEMENT_COLUMNS),
    ChartId.WEBSITE_PRESENCE: lambda d: _matrix_description(d, WEBSITE_COLUMNS),
    ChartId.ACTIVATIONS_BY_MONTH: _activations_description,
    ChartId.GENDER_PARITY: _gender_description,
    ChartId.GENDER_RECORDED: _gender_description,
    ChartId.ACTION_PLAN_COMPLETION: _completion_description,
    ChartId.ACTION_PLAN_STATUS: _status_description,
    ChartId.EVENTS_TIMELINE: _events_description,
    ChartId.EVENTS_PER_MONTH: _events_description,
    ChartId.INDICATOR_MAP: _indicator_description,
    ChartId.INDICATOR_RANKING: _indicator_description,
    ChartId.INDICATOR_DISTRIBUTION: _indicator_description,
}


def describe(chart_id: str, data: ChartData) -> str:
    """One or two sentences saying what the chart shows, from its rows (what a screen reader reads for it)."""
    return DESCRIBERS[chart_id](data)


# ---- the block around a chart -----------------------------------------------------------------

def chart_state(chart_id: str, filters: ChartFilters, options: dict | None) -> dict:
    """What the table callback needs to build the chart again: its filters and options (checked when they come
    back from the browser)."""
    return {"regions": filters.regions, "year": filters.year, "lang": filters.lang,
            "options": {k: v for k, v in (options or {}).items() if k in CHARTS[chart_id].options}}
