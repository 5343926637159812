"""Record activity: events with attendance, fee payments, bilateral meetings, action-plan statuses, member details
and bulk imports. The forms call the same commands as the JSON API; the server checks every write's region."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.auth import current_actor
from dashboard.components import data_grid, dropdown, page_frame, tabs
from dashboard.figures.events import KIND_LABELS
from dashboard.i18n import (
    _,
    format_number,
    lazy_gettext,
    ngettext,
    region_label,
    translate,
    translate_error,
    translate_fields,
)
from dashboard.records_api import import_file, max_upload_bytes, run_command
from dashboard.years import actor_words
from db.commands import imports, records
from db.commands.base import CommandError, Invalid
from db.queries.action_plan import plan_item_choices
from db.queries.common import plan_codes
from db.queries.members import member_list, member_slug
from db.reference import REGIONS
from db.session import Session

dash.register_page(__name__, path="/record", name="Record", title="Record activity · Metropolis dashboard", order=9)

ROLE_OPTIONS = (("organised", lazy_gettext("Organised by Metropolis")),
                ("co_organised", lazy_gettext("Co-organised")),
                ("participated", lazy_gettext("Metropolis participated")))
STATUTORY_OPTIONS = (("board", lazy_gettext("Board of Directors")),
                     ("annual_meeting", lazy_gettext("Annual meeting / General Assembly / Congress")),
                     ("other", lazy_gettext("Other statutory body")))
STATUS_OPTIONS = (("done", lazy_gettext("Done")), ("in_progress", lazy_gettext("In progress")),
                  ("not_done", lazy_gettext("Not done")), ("unknown", lazy_gettext("No status")))


def _opts(pairs) -> list[dict]:
    return [{"label": str(label), "value": value} for value, label in pairs]


def field(form: str, name: str, label: str, component, *, help_text: str = "", width: int = 6) -> dbc.Col:
    """A labelled field whose error message appears under it (ids from dashboard.ids.Record)."""
    return dbc.Col(html.Div([
        dbc.Label(label, html_for=ids.dom_id(ids.Record.field(form, name)), id=ids.Record.label(form, name),
                  className="small mb-0 fw-semibold"),
        component,
        html.Div(help_text, className="form-text") if help_text else None,
        html.Div(id=ids.Record.feedback(form, name), className="field-error"),
    ], id=ids.Record.group(form, name), className="mb-2"), md=width)


def _input(form, name, type_="text", **kw):
    return dbc.Input(id=ids.Record.field(form, name), type=type_, **kw)


def _dropdown(form, name, options, **kw):
    return dropdown(ids.Record.field(form, name), options, **kw)


def _check(form, name, label, value=False):
    return dbc.Checkbox(id=ids.Record.field(form, name), label=label, value=value)


def _choices(actor):
    """Members (limited to a regional secretary's region), deliverables and outcomes for the dropdowns."""
    with Session() as session:
        members = member_list(session, include_honorary=False)
        items = plan_item_choices(session)
        plans = plan_codes(session)[::-1]  # newest first
    if actor.role == "regional_secretary":
        members = members[members["region"] == actor.region]
    member_opts = [{"label": f"{r.name} · {r.region}", "value": r.name, "search": f"{r.name} {r.aliases}"}
                   for r in members.itertuples()]
    item_opts = [{"label": f"{r.code} · {r.title[:90]} ({r.plan})", "value": r.code} for r in items.itertuples()]
    return member_opts, item_opts, plans


def _event_form(actor, member_opts, item_opts):
    f = "event"
    region = [{"label": region_label(r), "value": r} for r in REGIONS] if actor.role == "secretariat" else [
        {"label": region_label(actor.region), "value": actor.region}]
    return dbc.Form([
        dbc.Row([field(f, "title", _("Title"), _input(f, "title", maxLength=300), width=12)]),
        dbc.Row([field(f, "start_date", _("Start date"), _input(f, "start_date", "date"), width=3),
                 field(f, "end_date", _("End date (optional)"), _input(f, "end_date", "date"), width=3),
                 field(f, "location", _("Location"), _input(f, "location", maxLength=200,
                                                             placeholder=_("City, country")), width=4),
                 field(f, "online", " ", _check(f, "online", _("Online")), width=2)]),
        dbc.Row([field(f, "kind", _("Kind"), _dropdown(f, "kind", [{"label": _(v), "value": k}
                                                                   for k, v in KIND_LABELS.items()]), width=4),
                 field(f, "metropolis_role", _("Metropolis' role"), _dropdown(f, "metropolis_role", _opts(ROLE_OPTIONS)),
                       width=4),
                 field(f, "statutory_meeting", _("Statutory body (statutory meetings)"),
                       _dropdown(f, "statutory_meeting", _opts(STATUTORY_OPTIONS)), width=4)]),
        dbc.Row([field(f, "region", _("Region of the event"), _dropdown(
            f, "region", region, value=None if actor.role == "secretariat" else actor.region,
            clearable=actor.role == "secretariat", placeholder=_("Network-wide")), width=4),
            field(f, "members", _("Activated members"), _dropdown(f, "members", member_opts, multi=True,
                                                                  placeholder=_("Type names…")), width=8)]),
        dbc.Row([field(f, "deliverables", _("Action-plan deliverables or outcomes served"),
                       _dropdown(f, "deliverables", item_opts, multi=True), width=12)]),
        dbc.Row([field(f, k, label, _input(f, k, "number", min=0, step=1), width=2) for k, label in [
            ("speakers_women", _("Speakers: women")), ("speakers_men", _("Speakers: men")),
            ("speakers_unrecorded", _("Speakers: not recorded")), ("participants_women", _("Participants: women")),
            ("participants_men", _("Participants: men")), ("participants_unrecorded", _("Participants: not recorded"))]]),
        dbc.Row([field(f, "note", _("Note"), dbc.Textarea(id=ids.Record.field(f, "note"), maxLength=2000), width=12)]),
        dbc.Button(_("Save the event"), id=ids.Record.submit(f), color="primary", className="mt-1"),
        html.Div(id=ids.Record.result(f), className="mt-3"),
    ])


def _fee_form(member_opts):
    f = "fee"
    return dbc.Form([
        dbc.Row([field(f, "member", _("Member"), _dropdown(f, "member", member_opts), width=6),
                 field(f, "fee_year", _("Fee year"), _input(f, "fee_year", "number", value=dt.date.today().year,
                                                            min=1984, max=2100, step=1), width=2),
                 field(f, "paid", " ", _check(f, "paid", _("Paid"), value=True), width=2)]),
        dbc.Row([field(f, "amount_eur", _("Amount (EUR, optional)"), _input(f, "amount_eur", "number", min=0), width=3),
                 field(f, "paid_on", _("Paid on (optional)"), _input(f, "paid_on", "date"), width=3),
                 field(f, "note", _("Note"), _input(f, "note", maxLength=2000), width=6)]),
        dbc.Button(_("Save the fee payment"), id=ids.Record.submit(f), color="primary"),
        html.Div(id=ids.Record.result(f), className="mt-3"),
    ])


def _bilateral_form(member_opts):
    f = "bilateral"
    return dbc.Form([
        dbc.Row([field(f, "member", _("Member"), _dropdown(f, "member", member_opts), width=6),
                 field(f, "date", _("Date"), _input(f, "date", "date"), width=3),
                 field(f, "online", " ", _check(f, "online", _("Online"), value=True), width=3)]),
        dbc.Row([field(f, "note", _("Note"), _input(f, "note", maxLength=2000), width=12)]),
        dbc.Button(_("Save the meeting"), id=ids.Record.submit(f), color="primary"),
        html.Div(id=ids.Record.result(f), className="mt-3"),
    ])


def _status_form(item_opts, plans):
    f = "status"
    return dbc.Form([
        dbc.Row([field(f, "plan", _("Action plan"), _dropdown(f, "plan", [{"label": p, "value": p} for p in plans],
                                                              value=plans[0] if plans else None), width=3),
                 field(f, "code", _("Deliverable or outcome"), _dropdown(f, "code", item_opts), width=6),
                 field(f, "year", _("Year"), _input(f, "year", "number", value=dt.date.today().year, step=1), width=3)]),
        dbc.Row([field(f, "status", _("Status"), _dropdown(f, "status", _opts(STATUS_OPTIONS)), width=3),
                 field(f, "comment", _("Comment"), _input(f, "comment", maxLength=2000), width=9)]),
        dbc.Button(_("Save the status"), id=ids.Record.submit(f), color="primary"),
        html.Div(id=ids.Record.result(f), className="mt-3"),
    ])


def _member_form(member_opts):
    f = "member"
    return dbc.Form([
        dbc.Row([field(f, "slug", _("Member"), _dropdown(f, "slug", member_opts), width=6),
                 field(f, "official_name", _("Official name (to change it)"), _input(f, "official_name", maxLength=300),
                       width=6)]),
        dbc.Row([field(f, "latitude", _("Latitude"), _input(f, "latitude", "number", step="any"), width=2),
                 field(f, "longitude", _("Longitude"), _input(f, "longitude", "number", step="any"), width=2),
                 field(f, "coord_note", _("Where the point comes from"), _input(f, "coord_note", maxLength=500), width=8)]),
        dbc.Row([field(f, "governed_by_woman", _("Governed by a woman"), _dropdown(
            f, "governed_by_woman", [{"label": _("yes"), "value": "yes"}, {"label": _("no"), "value": "no"}]), width=3),
            field(f, "governed_as_of", _("As of"), _input(f, "governed_as_of", "date"), width=3),
            field(f, "add_alias", _("Add another spelling"), _input(f, "add_alias", maxLength=120), width=6)]),
        dbc.Button(_("Save the member's details"), id=ids.Record.submit(f), color="primary"),
        html.Div(id=ids.Record.result(f), className="mt-3"),
    ])


def _import_form():
    f = "import"
    return html.Div([
        dbc.Row([field(f, "kind", _("What the file holds"), _dropdown(f, "kind", [
            {"label": _("Event attendance: columns event, member"), "value": "attendance"},
            {"label": _("Metropolitan indicators: columns indicator, member, year, value (note)"), "value": "indicators"},
        ], value="attendance", clearable=False), width=6)]),
        dcc.Upload(id=ids.Record.UPLOAD, children=html.Div([html.I(className="bi bi-upload me-2"),
                                                            _("Drop a CSV or Excel (.xlsx) file here, or click")]),
                   className="upload-box", multiple=False, max_size=-1, accept=".csv,.xlsx"),
        html.Div(_("CSV (UTF-8 or UTF-16) or Excel workbook (.xlsx, first sheet, values rather than formulas); at most "
                   "%(mb)s MB and %(rows)s rows.", mb=max_upload_bytes() // (1024 * 1024), rows=format_number(imports.MAX_ROWS)),
                 className="form-text"),
        html.Div(id=ids.Record.feedback(f, "file"), className="field-error"),
        html.Div(id=ids.Record.IMPORT_PREVIEW, className="mt-3"),
        dbc.Button(_("Import every row"), id=ids.Record.submit(f), color="primary", disabled=True, className="mt-2"),
        html.Div(id=ids.Record.result(f), className="mt-3"),
        dcc.Store(id=ids.Record.IMPORT_FILE),
    ])


def layout(**_unused_query_params):
    actor = current_actor()
    if actor is None:
        return page_frame(_("Record activity"), None, [dbc.Alert([
            _("Sign in to record activity. "), html.A(_("Sign in"), href="/login?next=/record")], color="info")])
    if not actor.can_write:
        return page_frame(_("Record activity"), None, [dbc.Alert(
            _("Your role (%(role)s) reads the dashboard; recording is for the Secretariat and the regional "
              "secretaries.", role=actor_words(actor.label)), color="info")])
    member_opts, item_opts, plans = _choices(actor)
    panels = [("event", _("Event"), _event_form(actor, member_opts, item_opts)),
              ("fee", _("Fee payment"), _fee_form(member_opts)),
              ("bilateral", _("Bilateral meeting"), _bilateral_form(member_opts)),
              ("member", _("Member details"), _member_form(member_opts)),
              ("import", _("Import a file"), _import_form())]
    if actor.role == "secretariat":
        panels.insert(3, ("status", _("Action-plan status"), _status_form(item_opts, plans)))
    scope = (_("You record for %(region)s: its members and its events.", region=region_label(actor.region))
             if actor.role == "regional_secretary" else _("You can record for every region."))
    return page_frame(_("Record activity"), None, [
        html.P([html.Strong(actor_words(actor.label)), " · ", scope], className="small"),
        tabs(ids.Record.TABS, panels, label=_("What to record"), active="event"),
    ], intro=_("What you record is shown on every page within seconds, with 'entered by' as its source, and kept "
               "in the audit log."))


# ---- saving ------------------------------------------------------------------------------------

def _values(states) -> dict:
    """{field: value} from the pattern-matched states of one form (blank strings become None)."""
    out = {}
    for item in states:
        value = item.get("value")
        out[item["id"]["field"]] = None if value == "" else value
    return out


def _field_messages(states, fields: dict[str, str]) -> tuple[list, list]:
    names = [s["id"]["field"] for s in states]
    return ([fields.get(n, "") for n in names],
            ["mb-2 has-error" if n in fields else "mb-2" for n in names])


def _error_summary(message: str, problems: list[tuple[str, str]] = ()) -> html.Div:
    """A refused save's alert: what went wrong, then each field's problem ('Start date: Required.') as a link to
    the field, so the summary says in words which fields (not by their red border) and the keyboard goes straight
    to each. assets/app.js moves focus to it and marks the fields with a message aria-invalid. Each refusal
    carries a new data-attempt, so a second refusal with the same words moves focus again."""
    items = [html.Li(html.A(text, href=f"#{dom_id}", className="alert-link fw-normal")) for dom_id, text in problems]
    return html.Div([html.P(message, className="mb-0"), html.Ul(items, className="mb-0 mt-1")] if items else message,
                    className="alert alert-danger error-summary", role="alert", tabIndex="-1",
                    **{"data-attempt": uuid.uuid4().hex[:12]})


def _problems(states, labels, fields: dict[str, str]) -> list[tuple[str, str]]:
    """(the field's id in the page, 'Label: message') for each field with a message, in the form's order."""
    named = {item["id"]["field"]: str(item.get("value") or "").strip() for item in labels}
    out = []
    for item in states:
        name = item["id"]["field"]
        if fields.get(name):
            label = named.get(name, "")
            out.append((ids.dom_id(item["id"]),
                        _("%(field)s: %(problem)s", field=label, problem=fields[name]) if label else fields[name]))
    return out


def _outcome(form: str, states, command, *args, what: str, success):
    """Run the form's command; return (messages per field, group classes, result alert)."""
    try:
        result = run_command(command, *args, what=what)  # as the signed-in user; a refusal is logged
    except Invalid as err:
        fields = translate_fields(err.fields)
        messages, classes = _field_messages(states, fields)
        general = fields.get("form") or fields.get("file")
        return messages, classes, _error_summary(general or _("Nothing was saved. Correct these fields:"),
                                                 _problems(states, ctx.states_list[1], fields))
    except CommandError as err:
        messages, classes = _field_messages(states, {})
        return messages, classes, _error_summary(translate_error(err))
    messages, classes = _field_messages(states, {})
    return messages, classes, dbc.Alert(success(result), color="success")


def _form_callback(form: str):
    return dict(
        output=[Output(ids.Record.feedback(form, ALL), "children"), Output(ids.Record.group(form, ALL), "className"),
                Output(ids.Record.result(form), "children")],
        inputs=[Input(ids.Record.submit(form), "n_clicks")],
        state=[State(ids.Record.field(form, ALL), "value"), State(ids.Record.label(form, ALL), "children")],
        prevent_initial_call=True,
    )


def _states():
    """The submitted form's fields: [{'id': {..., 'field': name}, 'value': ...}, ...] in layout order."""
    return ctx.states_list[0]


@callback(**_form_callback("event"))
def save_event(n_clicks, _values_list, _labels):
    """Save the event form."""
    if not n_clicks:
        raise PreventUpdate
    states = _states()
    data = _values(states)
    data["online"] = bool(data.get("online"))
    data["members"] = data.get("members") or []
    data["deliverables"] = data.get("deliverables") or []
    data = {k: v for k, v in data.items() if v is not None}
    return _outcome("event", states, records.record_event, data, what="record an event",
                    success=lambda r: html.Span([_("Saved. "), html.A(_("See the events"), href="/events")]))


@callback(**_form_callback("fee"))
def save_fee(n_clicks, _values_list, _labels):
    """Save the fee payment form."""
    if not n_clicks:
        raise PreventUpdate
    states = _states()
    data = {k: v for k, v in _values(states).items() if v is not None}
    data["paid"] = bool(data.get("paid"))
    return _outcome("fee", states, records.record_fee_payment, data, what="record a fee payment",
                    success=lambda r: _("Saved."))


@callback(**_form_callback("bilateral"))
def save_bilateral(n_clicks, _values_list, _labels):
    """Save the bilateral meeting form."""
    if not n_clicks:
        raise PreventUpdate
    states = _states()
    data = {k: v for k, v in _values(states).items() if v is not None}
    data["online"] = bool(data.get("online"))
    return _outcome("bilateral", states, records.record_bilateral_meeting, data, what="record a bilateral meeting",
                    success=lambda r: _("Saved."))


@callback(**_form_callback("status"))
def save_status(n_clicks, _values_list, _labels):
    """Save the action-plan status form."""
    if not n_clicks:
        raise PreventUpdate
    states = _states()
    data = {k: v for k, v in _values(states).items() if v is not None}
    return _outcome("status", states, records.set_plan_status, data, what="set an action-plan status",
                    success=lambda r: _("Saved."))


@callback(**_form_callback("member"))
def save_member(n_clicks, _values_list, _labels):
    """Save the member details form."""
    if not n_clicks:
        raise PreventUpdate
    states = _states()
    data = {k: v for k, v in _values(states).items() if v is not None}
    name = data.pop("slug", None)
    if not name:
        fields = {"slug": _("Choose a member.")}
        messages, classes = _field_messages(states, fields)
        return messages, classes, _error_summary(_("Nothing was saved. Correct these fields:"),
                                                 _problems(states, ctx.states_list[1], fields))
    with Session() as session:
        slug = member_slug(session, name) or name
    if "governed_by_woman" in data:
        data["governed_by_woman"] = data["governed_by_woman"] == "yes"
    return _outcome("member", states, records.update_member, slug, data, what=f"edit member {name}",
                    success=lambda r: html.Span([_("Saved. "), html.A(_("Open the member's page"),
                                                                    href=f"/members/{slug}")]))


# ---- imports -----------------------------------------------------------------------------------

def _report_table(report: imports.ImportReport):
    rows = [{"line": r.line, "ok": "✓" if r.ok else "✗", "message": translate(r.message)} for r in report.rows]
    columns = [{"field": "line", "headerName": _("Line"), "maxWidth": 100},
               {"field": "ok", "headerName": "", "maxWidth": 70},
               {"field": "message", "headerName": _("What the row does, or its problem"), "flex": 1}]
    head = (dbc.Alert(ngettext("%(n)s row has a problem: nothing can be imported until every row is right.",
                               "%(n)s rows have a problem: nothing can be imported until every row is right.",
                               len(report.problems)), color="danger") if report.problems else
            dbc.Alert(ngettext("%(n)s row is right. Import it.", "All %(n)s rows are right. Import them in one go, or nothing.",
                               len(report.rows)),
                      color="success"))
    return html.Div([head, data_grid(ids.Record.IMPORT_GRID, rows, columns, height=320)])


def _uploaded_bytes(contents) -> bytes:
    """The file's bytes from dcc.Upload's data URL ('data:<type>;base64,<data>'); Invalid if it is not one."""
    _prefix, comma, encoded = contents.partition(",") if isinstance(contents, str) else ("", "", "")
    try:
        if not comma:
            raise ValueError(contents)
        return base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise Invalid({"file": _("The file could not be received: choose it again.")}) from None


@callback(Output(ids.Record.IMPORT_PREVIEW, "children"), Output(ids.Record.submit("import"), "disabled"),
          Output(ids.Record.feedback("import", "file"), "children"), Output(ids.Record.IMPORT_FILE, "data"),
          Input(ids.Record.UPLOAD, "contents"), Input(ids.Record.field("import", "kind"), "value"),
          State(ids.Record.UPLOAD, "filename"), prevent_initial_call=True)
def preview_import(contents, kind, filename):
    """Check every row of the uploaded file and list each row's problem (nothing is written)."""
    if not contents:
        raise PreventUpdate
    try:
        report = import_file(str(kind), str(filename or ""), _uploaded_bytes(contents), commit=False)
    except Invalid as err:
        fields = translate_fields(err.fields)
        return None, True, fields.get("file") or fields.get("kind") or translate_error(err), None
    except CommandError as err:
        return None, True, translate_error(err), None
    return _report_table(report), bool(report.problems), "", {"name": filename, "kind": kind}


@callback(Output(ids.Record.result("import"), "children"), Output(ids.Record.submit("import"), "disabled",
                                                                    allow_duplicate=True),
          Input(ids.Record.submit("import"), "n_clicks"), State(ids.Record.UPLOAD, "contents"),
          State(ids.Record.UPLOAD, "filename"), State(ids.Record.field("import", "kind"), "value"),
          prevent_initial_call=True)
def commit_import(n_clicks, contents, filename, kind):
    """Import every row of the previewed file in one transaction, or none."""
    if not n_clicks or not contents:
        raise PreventUpdate
    try:
        report = import_file(str(kind), str(filename or ""), _uploaded_bytes(contents), commit=True)
    except CommandError as err:
        message = translate(err.fields.get("file")) if isinstance(err, Invalid) else translate_error(err)
        return _error_summary(message or translate_error(err)), True
    if not report.committed:
        return _error_summary(ngettext("Nothing was imported: %(n)s row has a problem.",
                                          "Nothing was imported: %(n)s rows have a problem.", len(report.problems))), True
    return dbc.Alert(ngettext("Imported %(n)s row (change %(change)s).", "Imported %(n)s rows (change %(change)s).",
                              len(report.rows), change=report.change_set[:8]), color="success"), True

