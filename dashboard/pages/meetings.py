"""Board meetings: each froze the store when the Secretariat recorded it; open one as presented, see what changed
since, or (the Secretariat) record one. The form writes through the same command as POST /api/v1/meetings."""

from __future__ import annotations

import uuid

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, html
from dash.exceptions import PreventUpdate

from dashboard import ids, urls
from dashboard.auth import current_actor
from dashboard.components import page_frame, resolve_filters
from dashboard.filters import ChartFilters
from dashboard.i18n import _, long_date, translate_error, translate_fields
from dashboard.meetings import frozen_text, viewed_meeting
from dashboard.records_api import run_command
from db import asof
from db.commands.base import CommandError, Invalid
from db.commands.meetings import NAME_LIMIT, NOTE_LIMIT, record_meeting_from
from db.queries.meetings import meeting_rows
from db.session import Session

dash.register_page(__name__, path="/meetings", name="Board meetings", title="Board meetings · Metropolis dashboard",
                   order=11)

FIELDS = ("name", "held_on", "note")


def _rows() -> list[dict]:
    with Session() as session:
        return meeting_rows(session, as_of=asof.frozen())  # viewing a meeting: the meetings recorded up to it


def meetings_table(rows: list[dict], filters: ChartFilters):
    """The meetings, latest first, each with its links (as presented, what changed since, its page)."""
    if not rows:
        return html.P(_("No Board meeting has been recorded yet."), id=ids.Meetings.EMPTY, className="text-body-secondary")
    head = html.Thead(html.Tr([html.Th(_("Meeting"), scope="col"), html.Th(_("Date"), scope="col"),
                               html.Th(_("Note"), scope="col"), html.Th(_("Recorded by"), scope="col"),
                               html.Th(_("Store frozen"), scope="col"), html.Th(_("Open"), scope="col")]))
    body = []
    for row in rows:
        slug = row["slug"]
        links = html.Div([
            html.A([html.I(className="bi bi-easel me-1", **{"aria-hidden": "true"}), _("Open as presented")],
                   href=urls.as_presented(slug, filters), className="me-3 text-nowrap"),
            html.A([html.I(className="bi bi-arrow-left-right me-1", **{"aria-hidden": "true"}),
                    _("What changed since")], href=urls.meeting_changes(slug, filters), className="text-nowrap"),
        ], className="d-flex flex-wrap")
        body.append(html.Tr([
            html.Th(html.A(row["name"], href=urls.meeting(slug, filters)), scope="row"),
            html.Td(long_date(row["held_on"]), className="text-nowrap"),
            html.Td(row["note"] or "", className="small"),
            html.Td(row["recorded_by"], className="small"),
            html.Td(frozen_text(row["frozen_at"]), className="small text-nowrap"),
            html.Td(links),
        ], id=ids.Meetings.row(slug)))
    return dbc.Table([head, html.Tbody(body)], id=ids.Meetings.TABLE, size="sm", hover=True, responsive=True,
                     className="bg-white align-middle")


def _field(name: str, label: str, component, *, help_text: str = "", width: int = 4) -> dbc.Col:
    """A labelled field whose message appears under it (assets/app.js marks it aria-invalid then)."""
    return dbc.Col(html.Div([
        dbc.Label(label, html_for=ids.dom_id(ids.Meetings.field(name)), className="small mb-0 fw-semibold"),
        component,
        html.Div(help_text, className="form-text") if help_text else None,
        html.Div(id=ids.Meetings.feedback(name), className="field-error"),
    ], id=ids.Meetings.group(name), className="mb-2"), md=width)


def _form() -> dbc.Form:
    return dbc.Form([
        html.H2(_("Record a Board meeting"), className="h5"),
        html.P(_("Recording a meeting freezes the store as it stands now: the meeting's view shows these figures "
                 "for ever, and whatever is recorded or corrected later shows as a change since."), className="small"),
        dbc.Row([
            _field("name", _("Name"), dbc.Input(id=ids.Meetings.field("name"), maxLength=NAME_LIMIT,
                                                placeholder=_("Board of Directors, spring meeting")), width=5),
            _field("held_on", _("Date of the meeting"), dbc.Input(id=ids.Meetings.field("held_on"), type="date"),
                   width=3),
        ]),
        dbc.Row([_field("note", _("Note (optional)"), dbc.Textarea(id=ids.Meetings.field("note"),
                                                                   maxLength=NOTE_LIMIT), width=8)]),
        dbc.Button(_("Record the meeting and freeze the store"), id=ids.Meetings.SUBMIT, color="primary"),
        html.Div(id=ids.Meetings.RESULT, className="mt-3"),
    ], className="meetings-form border rounded p-3 bg-white mt-4")


def layout(region=None, year=None, lang=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    actor = current_actor()
    children = [html.Div(meetings_table(_rows(), filters), id=ids.Meetings.LIST)]
    if actor is not None and actor.role == "secretariat":
        if viewed_meeting() is None:
            children.append(_form())
        else:
            children.append(dbc.Alert(_("A meeting is recorded from today's view: leave the meeting's view to "
                                        "record one."), color="light", className="border small mt-3"))
    return page_frame(_("Board meetings"), None, children, page_path="/meetings", intro=_(
        "Each meeting froze the store when the Secretariat recorded it. Open it as presented to see every page, "
        "chart and export as the Board saw them; see what changed since to compare it with today or with a later "
        "meeting."))


def _error_summary(message: str) -> html.Div:
    """A refused save: assets/app.js moves focus here (a new data-attempt each time, so a second refusal too)."""
    return html.Div(message, className="alert alert-danger error-summary", role="alert", tabIndex="-1",
                    **{"data-attempt": uuid.uuid4().hex[:12]})


def _messages(fields: dict[str, str]) -> tuple[list, list]:
    names = [s["id"]["field"] for s in ctx.states_list[0]]
    return [fields.get(n, "") for n in names], ["mb-2 has-error" if n in fields else "mb-2" for n in names]


@callback(Output(ids.Meetings.feedback(ALL), "children"), Output(ids.Meetings.group(ALL), "className"),
          Output(ids.Meetings.RESULT, "children"), Output(ids.Meetings.LIST, "children"),
          Input(ids.Meetings.SUBMIT, "n_clicks"), State(ids.Meetings.field(ALL), "value"),
          prevent_initial_call=True)
def record_from_form(n_clicks, _values):
    """Record the meeting of the form (the Secretariat; anyone else is refused and the attempt logged)."""
    if not n_clicks:
        raise PreventUpdate
    data = {s["id"]["field"]: s.get("value") for s in ctx.states_list[0]}
    data = {k: ("" if data.get(k) is None else data[k]) for k in FIELDS}
    try:
        result = run_command(record_meeting_from, data, what="record a Board meeting")
    except Invalid as err:
        messages, classes = _messages(translate_fields(err.fields))
        return messages, classes, _error_summary(_("Nothing was recorded: correct the fields marked in red.")), \
            dash.no_update
    except CommandError as err:  # Forbidden (logged by run_command), Conflict (viewing a meeting), busy
        messages, classes = _messages({})
        return messages, classes, _error_summary(translate_error(err)), dash.no_update
    filters = resolve_filters(None, None, None)
    messages, classes = _messages({})
    slug = result["slug"]
    done = dbc.Alert([_("Recorded: the store is frozen for this meeting. "),
                      html.A(_("Open as presented"), href=urls.as_presented(slug), className="alert-link"), " · ",
                      html.A(_("Its page"), href=urls.meeting(slug), className="alert-link")], color="success")
    return messages, classes, done, meetings_table(_rows(), filters)
