"""Member page: everything the store knows about one member, each fact with its source."""

from __future__ import annotations

import datetime as dt
import difflib

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import ids, urls, years
from dashboard.audit_text import summary_children
from dashboard.auth import current_actor, fees_visible
from dashboard.cache import memoized
from dashboard.components import (
    cached_layout,
    colour_badge,
    curated,
    described_image,
    graph,
    graph_space,
    page_frame,
    quoted,
    resolve_filters,
    source_note,
)
from dashboard.figures.indicators import format_value
from dashboard.figures.map import member_location_figure
from dashboard.figures.style import HONORARY_COLOUR, REGION_COLOURS
from dashboard.i18n import (
    SHORT_DATE,
    _,
    country_name,
    current_translator,
    data_text,
    format_date,
    format_datetime,
    format_number,
    lazy_gettext,
    ngettext,
    region_label,
)
from db.queries.audit import audit_log
from db.queries.indicators import member_indicator_values
from db.queries.members import member_list, member_profile, normalise_name, resolve_member
from db.queries.years import recorded_additions_by_member, reported_years
from db.session import Session


def _title(slug=None, **_unused):
    return "Member · Metropolis dashboard"


dash.register_page(__name__, path_template="/members/<slug>", name="Member", title=_title, order=7)

SEAT_POSITIONS = {"president": lazy_gettext("President"), "co_president": lazy_gettext("Co-president"),
                  "regional_vice_president": lazy_gettext("Regional vice-president"),
                  "treasurer": lazy_gettext("Treasurer"), "member": lazy_gettext("Member")}  # a Board seat, in words
DIMENSIONS = (
    ("activated", "bool", lazy_gettext("Activated member")),
    ("board_meetings", "count", lazy_gettext("Board of Directors meetings attended")),
    ("annual_meeting", "bool", lazy_gettext("Attended the Annual Meeting / Congress")),
    ("bilateral_meetings", "count", lazy_gettext("Bilateral meetings")),
    ("pilot_projects", "count", lazy_gettext("Pilot projects (L leader / P partner)")),
    ("indicators_year", "year", lazy_gettext("Analysed in the Metropolitan Indicators System")),
    ("learning_activities", "count", lazy_gettext("Learning activities")),
    ("wmd_organiser", "count", lazy_gettext("World Metropolitan Day events organised or spoken at")),
    ("wmd_participation", "count", lazy_gettext("World Metropolitan Day events attended")),
    ("call_endorsement", "bool", lazy_gettext("Endorsed the Call to rethink our metropolitan spaces")),
)
WEBSITE = (
    ("news", lazy_gettext("News on the Metropolis website")),
    ("library_publications", lazy_gettext("Publications in the website library")),
    ("publication_mentions", lazy_gettext("Mentions in Metropolis publications")),
    ("use_cases", lazy_gettext("Cases published on USE")),
    ("c4gh_initiatives", lazy_gettext("Initiatives on Cities for Global Health")),
)


def _unknown() -> html.Span:
    return html.Span(_("unknown (unreadable in the report)"), className="cell-unknown",
                     title=_("The report prints this cell unreadably: it is not taken as 0 or no."))


def _value(value, kind: str, extra: str = "", unknown: bool = False):
    if unknown:
        return _unknown()
    if value is None or pd.isna(value):
        return _("no") if kind == "bool" else "–"
    if kind == "bool":
        return _("yes") if bool(value) else _("no")
    if kind == "year":
        return str(int(value))
    return f"{int(value)}{(' (' + extra + ')') if extra else ''}"


def _facts(member: pd.Series, profile: dict) -> html.Dl:
    items = [(_("Official name"), quoted(member["official_name"])),
             (_("Region"), [region_label(member["region"]), html.Span([" — ", quoted(member["region_ref"])],
                                                                      className="small text-body-secondary")]),
             (_("Country"), country_name(member["country_code"], member["country"])),
             (_("Location"), [format_number(member["latitude"], decimals=4) + "; "
                              + format_number(member["longitude"], decimals=4) + " — ",
                              quoted(member["coord_note"] or member["coord_source"])])]
    if pd.notna(member["member_since"]):
        items.append((_("Member since"), [str(int(member["member_since"])),
                                          html.Span([" — ", quoted(member["member_since_ref"])], className="small text-body-secondary")
                                          if member["member_since_ref"] else None]))
    if member["aliases"]:
        items.append((_("Also written"), member["aliases"]))
    lead = profile["leadership"]
    if not lead.empty:
        last = lead.iloc[-1]
        items.append((_("Governed by a woman"), _("%(answer)s (as of %(date)s)",
                                                  answer=_("yes") if last["governed_by_woman"] else _("no"),
                                                  date=format_date(last["as_of"], format=SHORT_DATE))))
    if member["note"]:
        items.append((_("Note"), html.Span(curated(member["note"]), className="small")))
    for seat in profile["board_seats"].itertuples():
        # the seat in words of the language; its holder and title as the documents print them; the curators' note
        items.append((_("Board of Directors %(mandate)s", mandate=seat.mandate),
                      [str(SEAT_POSITIONS.get(seat.position, seat.position)), " — ",
                       quoted(f"{seat.holder}, {seat.title}"),
                       *([". ", *curated(seat.note)] if seat.note else [])]))
    return html.Dl([x for label, value in items for x in (html.Dt(label), html.Dd(value))],
                   className="member-facts", id=ids.Member.PROFILE)


def _engagement_table(profile: dict, year: int):
    eng, fee = profile["engagement"], profile["fee"]
    if eng.empty:
        return html.P(_("No engagement recorded for %(year)s.", year=year), className="text-body-secondary")
    row = eng.iloc[0]
    unknown = set(str(row.get("unknown_cells") or "").split(",")) - {""}
    rows = []
    additions = profile.get("additions")
    added = ({r.dimension: r for r in additions.itertuples()} if additions is not None and not additions.empty
             else {})
    fee_year = fee[fee["fee_year"] == year]
    if fees_visible():  # a member's fee payments are never public
        # a fee record whose 'paid' is empty is an unreadable cell, not "no"
        rows.append(html.Tr([html.Td(_("%(year)s fee paid", year=year)),
                             html.Td(_value(fee_year.iloc[0]["paid"], "bool", unknown=pd.isna(fee_year.iloc[0]["paid"]))
                                     if not fee_year.empty else "–"),
                             *([html.Td("")] if added else []),
                             html.Td(quoted(fee_year.iloc[0]["source"]) if not fee_year.empty else "",
                                     className="small")]))
    for key, kind, label in DIMENSIONS:
        extra = added.get(key)
        if extra is not None and kind == "bool" and row[key] is not None and not pd.isna(row[key]) and bool(row[key]):
            extra = None  # already yes as printed: the records add nothing to a yes/no cell
        rows.append(html.Tr([html.Td(str(label)),
                             html.Td(_value(row[key], kind, row["pilot_project"] if key == "pilot_projects" else "",
                                            unknown=key in unknown)),
                             *([html.Td(_added(int(extra.added), extra.entered_by) if extra is not None else "",
                                        className="small member-added")]
                               if added else []),
                             html.Td(quoted(row["source"]), className="small")]))
    head = [html.Th(_("Dimension")), html.Th(_("Value")),
            *([html.Th(_("Recorded since the report"))] if added else []), html.Th(_("Source"))]
    table = dbc.Table([html.Thead(html.Tr(head)),
                       html.Tbody(rows)], size="sm", hover=True, responsive=True, className="bg-white",
                      id=ids.Member.ENGAGEMENT)
    note = html.P([html.I(className="bi bi-info-circle me-1"), _("How this row was read: "), *curated(row["note"])],
                  className="small text-body-secondary") if row["note"] else None
    return html.Div([table, note])


def _website_table(profile: dict, year: int):
    web = profile["website"]
    if web.empty:
        return html.P(_("No website record for %(year)s.", year=year), className="text-body-secondary")
    row = web.iloc[0]
    body = [html.Tr([html.Td(str(label)), html.Td(str(int(row[key])))]) for key, label in WEBSITE]
    return html.Div([dbc.Table(html.Tbody(body), size="sm", responsive=True, className="bg-white"), source_note(row["source"])])


def _pilot_items(pilots) -> list:
    """'Name (leader); Name (partner), workshops': the project names and workshops quoted as printed."""
    parts: list = []
    for p in pilots.itertuples():
        role = _("leader") if p.role == "leader" else _("partner")
        parts += ["; "] if parts else []
        parts += [quoted(p.name), " (", role, ")"]
        if not p.ongoing_2020:
            parts += [", ", quoted(p.workshops)]
    return parts


def _added(n: int, section: str) -> str:
    """'+1 recorded in the dashboard by Ana on 1 Dec 2026' (years.entered_by reads the store's section)."""
    return ngettext("+%(n)s recorded in the dashboard %(by)s", "+%(n)s recorded in the dashboard, the latest %(by)s",
                    n, by=years.entered_by(section))


def _events(profile: dict, year: int):
    ev, bil, act = profile["events"], profile["bilateral"], profile["activations"]
    items = [html.Li([html.Span(format_date(r.start_date, format=SHORT_DATE), className="text-body-secondary me-2"),
                      quoted(r.title),
                      html.Span([" · ", quoted(r.deliverables)] if r.deliverables else "",
                                className="small text-body-secondary")])
             for r in ev.itertuples()]
    parts = [html.Ul(items) if items else html.P(_("No event of %(year)s names this member among those it "
                                                   "activated.", year=year), className="text-body-secondary")]
    if not ev.empty:
        parts.append(source_note("; ".join(sorted(set(ev["source"])))))
    if not bil.empty:
        months = ", ".join(format_date(d, format="LLLL") for d in bil["month"])
        parts.append(html.P([html.Strong(_("Bilateral meetings listed: ")), months], className="mb-1"))
        parts.append(source_note("; ".join(sorted(set(bil["source"])))))
    if not act.empty:
        periods = ", ".join(_("%(start)s – %(end)s", start=format_date(r.period_start, format="MMM"),
                              end=format_date(r.period_end - dt.timedelta(days=1), format="MMM y"))
                            for r in act.itertuples())
        parts.append(html.P([html.Strong(_("Listed as activated in the progress report for: ")), periods], className="mb-1"))
        parts.append(source_note(act.iloc[0]["source"]))
    pilots = profile["pilot_projects"]
    if not pilots.empty:
        parts.append(html.P([html.Strong(_("Pilot projects: ")),
                             *_pilot_items(pilots)],
                            className="mb-1"))
        parts.append(source_note(pilots.iloc[0]["source"]))
    return html.Div(parts, id=ids.Member.EVENTS)


def _location(member: pd.Series, figure) -> html.Div:
    """The location map as one image for assistive technology: named, described in words, with its table."""
    lat, lon = float(member["latitude"]), float(member["longitude"])
    where = {"latitude": _("%(degrees)s° N", degrees=format_number(lat, decimals=4)) if lat >= 0 else
             _("%(degrees)s° S", degrees=format_number(-lat, decimals=4)),
             "longitude": _("%(degrees)s° E", degrees=format_number(lon, decimals=4)) if lon >= 0 else
             _("%(degrees)s° W", degrees=format_number(-lon, decimals=4))}
    graph_ = graph_space(graph(ids.Member.LOCATION, figure, filename=f"metropolis-{member['slug']}-location"))
    return described_image(
        ids.Member.LOCATION_BLOCK, graph_, name=_("Location of %(member)s", member=member["name"]),
        description=_("A globe centred on %(member)s (%(country)s, %(region)s), marked at %(latitude)s, %(longitude)s.",
                      member=member["name"], country=country_name(member["country_code"], member["country"]),
                      region=region_label(member["region"]), **where),
        columns=[_("Member"), _("Country"), _("Region"), _("Latitude"), _("Longitude"), _("Coordinates from")],
        rows=[[member["name"], country_name(member["country_code"], member["country"]), region_label(member["region"]),
               where["latitude"],
               where["longitude"], quoted(member["coord_note"] or member["coord_source"])]])


@memoized("member-profile")
def _profile(slug: str, year: int, include_fees: bool):
    """(canonical slug, profile) of the member named `slug` (aliases and accents accepted), or (None, None);
    the fee payments only with `include_fees` (cached apart)."""
    with Session() as session:
        canonical = resolve_member(session, slug)
        profile = member_profile(session, canonical, year=year, include_fees=include_fees) if canonical else None
        if profile is not None:  # what records entered since the report add, shown beside the printed row
            additions = (recorded_additions_by_member(session, year=year, member_slug=canonical)
                         if year in reported_years(session) else None)
            if additions is not None and not include_fees:  # a member's fee payment is never public
                additions = additions[additions["dimension"] != "fee_paid"].reset_index(drop=True)
            profile["additions"] = additions
        return canonical, profile


@memoized("member-indicators")
def _indicator_values(slug: str):
    with Session() as session:
        return member_indicator_values(session, slug=slug)


def _indicators(slug: str, filters):
    """The member's own values of the Observatory's indicators, each linking to the indicator's page."""
    df = _indicator_values(slug)
    q = urls.query(filters)
    if df.empty:
        body = html.P([_("The store holds no metropolitan indicator values of this member. "),
                       dcc.Link(_("See what the Observatory knows for the whole network"), href="/indicators" + q)],
                      className="text-body-secondary")
    else:
        body = html.Ul([html.Li([dcc.Link(data_text(r.name), href=f"/indicators/{r.code}{q}"), f" · {r.year}: ",
                                 html.Strong(format_value(r.value, r.unit, tr=current_translator())),
                                 html.Span([" · ", quoted(r.source)], className="small text-body-secondary")])
                        for r in df.itertuples()])
    return html.Div([html.H2(_("Metropolitan indicators"), className="section-title"), body], id=ids.Member.INDICATORS)


@memoized("member-names")
def _names():
    with Session() as session:
        return member_list(session)


def _history(slug: str):
    """Changes recorded in the dashboard about this member (signed-in users; they name who made them)."""
    if current_actor() is None:
        return None
    with Session() as session:
        df = audit_log(session, member_slug=slug, limit=200)
    df = df[df["action"] != "refused"]
    items = [html.Li([html.Span(format_datetime(r.at, seconds=False), className="text-body-secondary me-2"),
                      *summary_children(r.summary, r.action),
                      html.Span(f" · {years.actor_words(r.user_label)}" + (_(" · reverted") if r.reverted_by else ""),
                                className="small text-body-secondary")]) for r in df.itertuples()]
    return html.Div([html.H2(_("History"), className="section-title"),
                     html.Ul(items, id=ids.Member.HISTORY) if items else
                     html.P(_("Nothing recorded in the dashboard yet: the figures above come from the reports."),
                            id=ids.Member.HISTORY, className="text-body-secondary")])


def _not_found(slug: str, filters):
    names = _names()
    choices = dict(zip(names["name"].map(normalise_name), zip(names["name"], names["slug"])))
    close = difflib.get_close_matches(normalise_name(slug or ""), list(choices), n=5, cutoff=0.5)
    q = urls.query(filters)
    suggestions = [html.Li(dcc.Link(choices[c][0], href=f"/members/{choices[c][1]}{q}")) for c in close]
    return page_frame(_("Member not found"), filters, [
        dbc.Alert(_("There is no member called '%(slug)s'.", slug=(slug or "")[:60]), color="warning", className="notice"),
        html.P(_("Did you mean:")) if suggestions else None, html.Ul(suggestions) if suggestions else None,
        dcc.Link(_("See the list of members"), href="/members" + q),
    ])


@cached_layout("member")
def layout(slug=None, region=None, year=None, lang=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    _canonical, profile = _profile(slug or "", filters.year, fees_visible())
    if profile is None:
        return _not_found(slug, filters)
    member = profile["member"].iloc[0]
    badges = [colour_badge(region_label(member["region"]), REGION_COLOURS.get(member["region"], HONORARY_COLOUR), class_name="me-1")]
    if member["honorary"]:
        badges.append(dbc.Badge(_("Honorary member"), color="secondary", className="me-1"))
    if pd.notna(member["member_since"]) and int(member["member_since"]) == filters.year:
        badges.append(dbc.Badge(_("New member in %(year)s", year=filters.year), color="info", text_color="dark",
                                className="me-1"))
    if not profile["board_seats"].empty:
        badges.append(dbc.Badge(_("Board of Directors"), color="dark", className="me-1"))
    loc = member_location_figure(member["latitude"], member["longitude"], name=member["name"], region=member["region"])
    return page_frame(member["name"], filters, [
        html.Div(badges, className="mb-3"),
        dbc.Row([
            dbc.Col([_facts(member, profile), source_note(member["source"])], lg=7),
            dbc.Col(_location(member, loc), lg=5),
        ]),
        html.H2(_("Engagement in %(year)s", year=filters.year), className="section-title"),
        _engagement_table(profile, filters.year),
        html.H2(_("On the Metropolis website in %(year)s", year=filters.year), className="section-title"),
        _website_table(profile, filters.year),
        html.H2(_("Events, meetings and projects in %(year)s", year=filters.year), className="section-title"),
        _events(profile, filters.year),
        _indicators(member["slug"], filters),
        _history(member["slug"]),
        html.P(dcc.Link(_("← All members"), href="/members" + urls.query(filters)), className="mt-3"),
    ], scope_note=_("A member page ignores the region filter; the year filter applies.") if filters.regions else "")

