"""Audit log (the Secretariat): every change with who, when, before and after; any change can be reverted."""

from __future__ import annotations

import datetime as dt
import json

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.audit_text import field_label, summary_children, summary_pieces, table_label
from dashboard.auth import current_actor
from dashboard.components import data_grid, mark, page_frame, pieces_cell, shown_cell, with_parts
from dashboard.i18n import _, format_date, format_datetime, format_number, lazy_gettext, translate_error
from dashboard.years import actor_words
from db.commands import revert
from db.commands.base import CommandError, run_command
from db.queries.audit import audit_log, change_sets
from db.session import Session

dash.register_page(__name__, path="/audit", name="Audit log", title="Audit log · Metropolis dashboard", order=10)


ACTIONS = {"create": lazy_gettext("added"), "update": lazy_gettext("changed"), "delete": lazy_gettext("deleted"),
           "revert": lazy_gettext("reverted"), "refused": lazy_gettext("refused")}  # an audit entry's action in words


def _rows() -> list[dict]:
    with Session() as session:
        df = change_sets(session, limit=500)
    # `at` stays ISO (the grid sorts it as text: in time order); `at_text` is what the cell shows, in the language;
    # the summary in the language (`summary`, which the grid filters) and its pieces, the quoted ones in English
    rows = []
    for r in df.itertuples():
        pieces = summary_pieces(r.summary, r.action)
        rows.append({"change_set": r.change_set, "at": r.at.isoformat(), "at_text": format_datetime(r.at),
                     "who": actor_words(r.user_label), "action": r.action,
                     "action_text": str(ACTIONS.get(r.action, r.action)), "rows": int(r.rows),
                     "summary": "".join(text for text, _quoted in pieces), "summary_pieces": pieces,
                     "reverted": (_("reverted by %(c)s", c=r.reverted_by[:8]) if r.reverted_by else "")})
    return rows


def _columns() -> list[dict]:
    return [{"field": "at", "headerName": _("When (UTC)"), "maxWidth": 210, "sort": "desc", **shown_cell("at_text")},
            {"field": "who", "headerName": _("Who"), "flex": 2, "minWidth": 200},
            {"field": "action_text", "headerName": _("Action"), "maxWidth": 120},
            {"field": "rows", "headerName": _("Rows"), "maxWidth": 90},
            {"field": "summary", "headerName": _("What"), "flex": 4, "minWidth": 260, **pieces_cell("summary_pieces")},
            {"field": "reverted", "headerName": _("Reverted"), "maxWidth": 180},
            {"field": "change_set", "headerName": _("Change"), "maxWidth": 130}]


def layout(**_unused_query_params):
    actor = current_actor()
    if actor is None or actor.role != "secretariat":
        return page_frame(_("Audit log"), None, [dbc.Alert(_("The audit log is for the Secretariat."), color="info")])
    return page_frame(_("Audit log"), None, [
        data_grid(ids.Audit.GRID, _rows(), _columns(), height=480, rowSelection={"mode": "singleRow"}),
        html.Div(id=ids.Audit.CHANGE, className="mt-3"),
        dbc.Button(_("Revert the selected change"), id=ids.Audit.REVERT, color="danger", outline=True,
                   disabled=True, className="mt-2"),
        html.Div(id=ids.Audit.RESULT, className="mt-3"),
    ], intro=_("Every change recorded in the dashboard, newest first, and every refused attempt. Select a change to "
               "see each row before and after it; reverting puts the rows back as they were (and is itself logged)."))


def _describe(change_set: str):
    with Session() as session:
        df = audit_log(session, limit=5000)
    df = df[df["change_set"] == change_set]
    items = []
    for r in df.itertuples():
        before = json.loads(r.before) if r.before else None
        after = json.loads(r.after) if r.after else None
        changed = sorted(k for k in set(before or {}) | set(after or {})
                         if (before or {}).get(k) != (after or {}).get(k) and k not in ("entered_at",))
        detail = []
        for k in changed[:12]:  # the store's columns in words (the column's name on hover), values in the language
            detail += ["; " if detail else "", *with_parts(
                _("%(field)s: %(before)s → %(after)s", field=mark("field"), before=_value((before or {}).get(k)),
                  after=_value((after or {}).get(k))), field=html.Span(field_label(k), title=k, className="fw-semibold"))]
        items.append(html.Li([html.Strong(_("%(action)s %(table)s #%(row)s: ", action=str(ACTIONS.get(r.action, r.action)),
                                            table=table_label(r.table_name), row=r.row_id or "-"),
                                          title=r.table_name), *summary_children(r.summary, r.action),
                              html.Div(detail, className="small text-body-secondary") if detail else None]))
    when = format_datetime(df["at"].iloc[0]) if not df.empty else ""
    return html.Div([html.H2(_("Change %(c)s", c=change_set[:8]), className="h6"),
                     html.P(_("%(when)s (UTC) · %(who)s", when=when, who=actor_words(df["user_label"].iloc[0])),
                            className="small") if when else None, html.Ul(items)])


def _value(value) -> str:
    """A value of a row before or after a change, as the page's language writes it: moments and days (kept as ISO
    text in the log) as dates, yes/no, '–' for none; text and numbers as stored, quoted."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return format_number(value, decimals=0 if float(value).is_integer() else 2)
    if isinstance(value, str):
        try:
            if "T" in value:
                return format_datetime(dt.datetime.fromisoformat(value))
            if len(value) == 10:
                return format_date(dt.date.fromisoformat(value))
        except ValueError:
            pass
    return repr(value)


def _selected_row(selected: object) -> dict | None:
    """The first selected row of the grid as the browser sent it, or None (nothing, or not a row of this grid)."""
    row = selected[0] if isinstance(selected, list) and selected else None
    if not isinstance(row, dict) or not isinstance(row.get("change_set"), str):
        return None
    return row


@callback(Output(ids.Audit.CHANGE, "children"), Output(ids.Audit.REVERT, "disabled"),
          Input(ids.Audit.GRID, "selectedRows"), prevent_initial_call=True)
def show_change(selected):
    """Show the rows of the selected change, before and after."""
    row = _selected_row(selected)
    actor = current_actor()
    if row is None or actor is None or actor.role != "secretariat":  # the log is the Secretariat's, as the page
        return None, True
    return _describe(row["change_set"]), row["action"] in ("refused", "revert") or bool(row["reverted"])


@callback(Output(ids.Audit.RESULT, "children"), Output(ids.Audit.GRID, "rowData"),
          Input(ids.Audit.REVERT, "n_clicks"), State(ids.Audit.GRID, "selectedRows"), prevent_initial_call=True)
def revert_selected(n_clicks, selected):
    """Revert the selected change (the Secretariat only; refused otherwise, and the attempt logged)."""
    row = _selected_row(selected)
    if not n_clicks or row is None:
        raise PreventUpdate
    actor = current_actor()
    change_set = row["change_set"]
    try:
        result = run_command(revert.revert_change, actor, change_set, what=f"revert change {change_set}")
    except CommandError as err:  # Forbidden included: run_command has logged the refusal
        return dbc.Alert(translate_error(err), color="danger"), _rows()
    return dbc.Alert(_("Reverted (change %(c)s).", c=result["change_set"][:8]), color="success"), _rows()
