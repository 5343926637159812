"""Audit log (the Secretariat): every change with who, when, before and after; any change can be reverted."""

from __future__ import annotations

import json

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.auth import current_actor
from dashboard.components import QUOTED_CELL, data_grid, page_frame, quoted
from dashboard.i18n import _, translate_error
from db.commands import revert
from db.commands.base import CommandError, run_command
from db.queries.audit import audit_log, change_sets
from db.session import Session

dash.register_page(__name__, path="/audit", name="Audit log", title="Audit log · Metropolis dashboard", order=10)


def _rows() -> list[dict]:
    with Session() as session:
        df = change_sets(session, limit=500)
    return [{"change_set": r.change_set, "at": r.at.strftime("%Y-%m-%d %H:%M:%S"), "who": r.user_label,
             "action": r.action, "rows": int(r.rows), "summary": r.summary,
             "reverted": (_("reverted by %(c)s", c=r.reverted_by[:8]) if r.reverted_by else "")}
            for r in df.itertuples()]


def _columns() -> list[dict]:
    return [{"field": "at", "headerName": _("When (UTC)"), "maxWidth": 190, "sort": "desc"},
            {"field": "who", "headerName": _("Who"), "flex": 2, "minWidth": 200},
            {"field": "action", "headerName": _("Action"), "maxWidth": 120},
            {"field": "rows", "headerName": _("Rows"), "maxWidth": 90},
            {"field": "summary", "headerName": _("What"), "flex": 4, "minWidth": 260, **QUOTED_CELL},
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
        detail = "; ".join(f"{k}: {(before or {}).get(k)!r} → {(after or {}).get(k)!r}" for k in changed[:12])
        items.append(html.Li([html.Strong(f"{r.action} {r.table_name} #{r.row_id or '-'}: "), quoted(r.summary),
                              html.Div(detail, className="small text-body-secondary") if detail else None]))
    return html.Div([html.H2(_("Change %(c)s", c=change_set[:8]), className="h6"), html.Ul(items)])


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
