"""What changed since a Board meeting: the key figures then and now, members that joined, left, became active or
not, paid; what was recorded in between (the audit log) and the discrepancies added or resolved. Compares the
meeting of the address with `?to=<meeting>`, else with the store as it is now; the diff is db.queries.meeting_changes.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import ids, urls
from dashboard.audit_text import summary_children
from dashboard.auth import current_actor, fees_visible
from dashboard.components import cached_layout, curated, page_frame, resolve_filters
from dashboard.filters import ChartFilters
from dashboard.i18n import (
    _,
    format_date,
    format_datetime,
    format_number,
    lazy_gettext,
    long_date,
    ngettext,
    region_label,
)
from dashboard.kpis import compare_kpis
from dashboard.meetings import frozen_text, viewed_meeting
from dashboard.years import actor_words
from db.queries import meeting_changes
from db.queries.meetings import meeting, meeting_rows
from db.session import Session

# Before any page of /meetings/<slug> (Dash matches path templates in registry order, and "<slug>" would take
# "2021-03-12/changes" too).
dash.register_page(__name__, path_template="/meetings/<slug>/changes", name="What changed since",
                   title="What changed since a Board meeting · Metropolis dashboard", order=7)

KIND_LABELS = {"event": lazy_gettext("Event"), "fee_payment": lazy_gettext("Fee payment"),
               "plan_status": lazy_gettext("Action-plan status"), "member": lazy_gettext("Member details"),
               "bilateral_meeting": lazy_gettext("Bilateral meeting"), "indicator": lazy_gettext("Indicator values"),
               "discrepancy": lazy_gettext("Discrepancy")}
RECORDED_SHOWN = 300  # change sets listed on the page (the newest); the audit log has them all


def _sides(slug, to) -> tuple[dict | None, dict | None, list[str], list[dict]]:
    """The meeting compared (or None), the one compared with (None: now), the notices for `to`, and every
    meeting (to offer the others)."""
    notices = []
    with Session() as session:
        before = meeting(session, str(slug)[:80]) if slug else None
        after = meeting(session, str(to)[:80]) if isinstance(to, str) and to else None
        every = meeting_rows(session)
    if to and after is None:
        notices.append(_("There is no Board meeting %(meeting)s: comparing with today.", meeting=str(to)[:80]))
    viewed = viewed_meeting()
    if after is None and not to and viewed is not None and before is not None and viewed["slug"] != before["slug"]:
        after = viewed  # read as of a meeting, "now" is that meeting
    if before is not None and after is not None and after["frozen"].audit_position < before["frozen"].audit_position:
        before, after = after, before  # always from the earlier to the later
    if before is not None and after is not None and after["slug"] == before["slug"]:
        after = None
    return before, after, notices, every


def _label(side: dict | None) -> str:
    return _("At the meeting of %(date)s", date=long_date(side["held_on"])) if side else _("Now")


def _compared(before: dict, after: dict | None, filters: ChartFilters, others: list[dict]) -> list:
    if after is None:
        sentence = _("The store as presented to the Board on %(date)s (%(name)s, frozen %(frozen)s), compared with "
                     "the store as it is now.", date=long_date(before["held_on"]),
                     name=before["name"], frozen=frozen_text(before["frozen_at"]))
    else:
        sentence = _("The store as presented to the Board on %(date)s (%(name)s), compared with the store as "
                     "presented on %(to_date)s (%(to_name)s).", date=long_date(before["held_on"]),
                     name=before["name"], to_date=long_date(after["held_on"]), to_name=after["name"])
    links = [html.A(_("Open it as presented"), href=urls.as_presented(before["slug"], filters)), " · ",
             html.A(_("The meeting's page"), href=urls.meeting(before["slug"], filters)), " · ",
             html.A(_("All Board meetings"), href=urls.page("/meetings", urls.without_meeting(filters)))]
    choices = [html.A(_("now"), href=urls.meeting_changes(before["slug"], filters),
                      **({"aria-current": "true", "className": "fw-semibold"} if after is None else {}))]
    for other in others:
        if other["slug"] == before["slug"] or other["frozen_at"] < before["frozen_at"]:
            continue
        current = after is not None and other["slug"] == after["slug"]
        choices += [" · ", html.A(f"{other['name']} ({format_date(other['held_on'], format='medium')})",
                                  href=urls.meeting_changes(before["slug"], filters, to=other["slug"]),
                                  **({"aria-current": "true", "className": "fw-semibold"} if current else {}))]
    return [html.P(sentence, id=ids.MeetingChanges.COMPARED, className="mb-1"),
            html.P(links, className="small mb-1 no-print"),
            html.P([html.Span(_("Compare with: "), className="fw-semibold"), *choices], id=ids.MeetingChanges.OTHERS,
                   className="small no-print")]


def _kpi_table(rows, before: dict, after: dict | None) -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(_("Key figure"), scope="col"), html.Th(_label(before), scope="col"),
                               html.Th(_label(after), scope="col"), html.Th(_("Change"), scope="col")]))

    def cell(value: str, added: str):
        return html.Td([html.Span(value, className="fw-semibold"),
                        html.Div(added, className="small text-body-secondary") if added else None])

    body = [html.Tr([html.Th(r.title, scope="row", className="fw-normal"), cell(r.then, r.then_added),
                     cell(r.now, r.now_added),
                     html.Td(r.change, className="fw-semibold" if r.moved else "text-body-secondary")],
                    id=ids.MeetingChanges.kpi(r.metric)) for r in rows]
    return dbc.Table([head, html.Tbody(body)], id=ids.MeetingChanges.KPIS, size="sm", responsive=True,
                     className="bg-white align-middle")


def _member_list(part: str, title: str, df: pd.DataFrame, filters: ChartFilters) -> html.Div:
    """`title` with the count, then the members (each a link to its page) or 'none'."""
    items = [html.Li([html.A(r.name, href=urls.page(f"/members/{r.slug}", urls.without_meeting(filters))),
                      html.Span(f" · {region_label(r.region)}", className="text-body-secondary")])
             for r in df.itertuples()]
    return html.Div([
        html.H4([title, html.Span(format_number(len(items)), className="badge text-bg-light border ms-2")],
                className="h6 mt-2"),
        html.Ul(items, className="list-unstyled mb-0 small") if items else
        html.P(_("None"), className="small text-body-secondary mb-0"),
    ], id=ids.MeetingChanges.members(part))


def _members_card(title: str, parts) -> dbc.Col:
    return dbc.Col(dbc.Card(dbc.CardBody([html.H3(title, className="h6 text-body-secondary mb-1"), *parts]),
                            className="h-100 shadow-sm"), md=4, className="mb-3")


def _members(changes, filters: ChartFilters) -> html.Div:
    year = filters.year
    if changes.paid is not None:
        fees = [_member_list("paid", _("Paid the fee"), changes.paid, filters),
                _member_list("unpaid", _("Payment removed"), changes.payment_removed, filters)]
    else:
        fees = [html.P(_("Who paid a fee is shown to signed-in users only; the Fee paid figure above gives the "
                         "totals."), className="small text-body-secondary mt-2", id=ids.MeetingChanges.FEES_HIDDEN)]
    return dbc.Row([
        _members_card(_("Membership"), [_member_list("joined", _("Joined"), changes.joined, filters),
                                        _member_list("left", _("Left"), changes.left, filters)]),
        _members_card(_("Active in %(year)s", year=year), [
            _member_list("active", _("Became active"), changes.became_active, filters),
            _member_list("inactive", _("No longer active"), changes.stopped_active, filters)]),
        _members_card(_("%(year)s fee", year=year), fees),
    ], id=ids.MeetingChanges.MEMBERS)


def _recorded(recorded: pd.DataFrame, filters: ChartFilters, show_fees: bool) -> html.Div:
    hidden = 0 if show_fees else int(recorded["fees"].sum())
    shown = recorded if show_fees else recorded[~recorded["fees"]]
    parts = []
    if filters.regions:
        parts.append(html.P(_("Changes to the members and events of these regions, and the network-wide ones "
                              "(action-plan statuses, events without a region)."), className="small"))
    if shown.empty:
        parts.append(html.P(_("Nothing was recorded in between."), className="text-body-secondary"))
    else:
        head = html.Thead(html.Tr([html.Th(_("When (UTC)"), scope="col"), html.Th(_("Who"), scope="col"),
                                   html.Th(_("Kind"), scope="col"), html.Th(_("What"), scope="col"),
                                   html.Th(_("Region"), scope="col"), html.Th(_("Status"), scope="col")]))
        body = []
        for r in shown.head(RECORDED_SHOWN).itertuples():
            what = summary_children(r.summary, r.action)
            if r.rows > 1:
                what.append(html.Span(" " + ngettext("(%(n)s row)", "(%(n)s rows)", int(r.rows)),
                                      className="text-body-secondary"))
            status = _("undoes an earlier change") if r.action == "revert" else (
                _("reverted later") if r.reverted else "")
            body.append(html.Tr([
                html.Td(format_datetime(r.at, seconds=False), className="text-nowrap small"),
                html.Td(actor_words(r.user_label), className="small"),
                html.Td(str(KIND_LABELS.get(r.kind, r.kind)), className="small text-nowrap"),
                html.Td(what, className="small"),
                html.Td(", ".join(region_label(x) for x in r.regions) if r.regions else _("network-wide"),
                        className="small"),
                html.Td(html.Span(status, className="badge text-bg-light border") if status else "", className="small"),
            ], className="text-body-secondary" if r.reverted else ""))
        parts.append(dbc.Table([head, html.Tbody(body)], size="sm", responsive=True, className="bg-white"))
        if len(shown) > RECORDED_SHOWN:
            parts.append(html.P(_("The %(n)s latest changes are listed.", n=RECORDED_SHOWN), className="small"))
    if hidden:
        parts.append(html.P(ngettext(
            "%(n)s change to a fee payment is not listed: who paid is shown to signed-in users only.",
            "%(n)s changes to fee payments are not listed: who paid is shown to signed-in users only.", hidden),
            className="small text-body-secondary", id=ids.MeetingChanges.FEES_HIDDEN + "-recorded"))
    return html.Div(parts, id=ids.MeetingChanges.RECORDED)


def _discrepancies(changes) -> html.Div:
    def items(df):
        return [html.Li([html.Code(r.code), " ", *curated(r.subject)]) for r in df.itertuples()]

    added, resolved = items(changes.discrepancies_added), items(changes.discrepancies_resolved)
    if not added and not resolved:
        return html.P(_("No discrepancy was added or resolved."), id=ids.MeetingChanges.DISCREPANCIES,
                      className="text-body-secondary")
    return html.Div([
        html.H3(_("Added"), className="h6"), html.Ul(added) if added else html.P(_("None"), className="small"),
        html.H3(_("Resolved"), className="h6"), html.Ul(resolved) if resolved else html.P(_("None"), className="small"),
    ], id=ids.MeetingChanges.DISCREPANCIES)


@cached_layout("meeting-changes")
def layout(slug=None, region=None, year=None, lang=None, to=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    before, after, notices, others = _sides(slug, to)
    if before is None:
        return page_frame(_("What changed since a Board meeting"), None, [dbc.Alert([
            _("There is no Board meeting %(meeting)s.", meeting=str(slug or "")[:80]), " ",
            html.A(_("See the Board meetings"), href=urls.page("/meetings", urls.without_meeting(filters)),
                   className="alert-link")], color="warning", id=ids.MeetingChanges.UNKNOWN)])
    frozen_after = after["frozen"] if after else None
    changes = meeting_changes.compare(before["frozen"], frozen_after, year=filters.year, regions=filters.regions,
                                      include_fees=fees_visible())
    kpis = compare_kpis(filters, before["frozen"], frozen_after, current_actor() is not None)
    sections = [
        *[dbc.Alert(n, color="warning", className="py-2 notice") for n in notices],
        *_compared(before, after, filters, others),
        html.H2(_("Key figures"), className="h5 mt-3"),
        _kpi_table(kpis, before, after),
        html.H2(_("Members"), className="h5 mt-4"),
        _members(changes, filters),
        html.H2(_("Recorded in between"), className="h5 mt-4"),
        _recorded(changes.recorded, filters, fees_visible()),
        html.H2(_("Discrepancies"), className="h5 mt-4"),
        _discrepancies(changes),
    ]
    title = _("What changed since the Board meeting of %(date)s", date=long_date(before["held_on"]))
    return page_frame(title, filters, sections)
