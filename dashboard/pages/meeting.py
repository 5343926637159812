"""One Board meeting: what it froze, links to the dashboard as presented and to what changed since, and its Board
pack (made by the Secretariat in a background job, downloaded by signed-in users)."""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import ids, packs
from dashboard.auth import current_actor
from dashboard.components import page_frame
from dashboard.i18n import SHORT_DATE, _, format_date, format_number, long_date, ngettext, translate_error
from db.asof import reading_as_of
from db.commands.base import CommandError
from db.queries.meetings import meeting as find_meeting
from db.session import Session


def _title(slug=None, **_unused):
    return "Board meeting · Metropolis dashboard"


dash.register_page(__name__, path_template="/meetings/<slug>", name="Board meeting", title=_title, order=12)

POLL_MS = 2000  # while a job runs: how often the panel asks how far it is


def layout(slug=None, **_unused_query_params):
    with reading_as_of(None), Session() as session:  # the list of meetings as it is, even in a meeting's view
        meeting = find_meeting(session, str(slug or "")[:80])
    if meeting is None:
        return page_frame(_("Board meeting"), None, [
            dbc.Alert(_("There is no Board meeting %(meeting)s.", meeting=str(slug or "")[:80]), color="warning",
                      className="notice"),
            html.A(_("All Board meetings"), href="/meetings")])
    return page_frame(meeting["name"], None, [
        dcc.Store(id=ids.MeetingPage.SLUG, data=meeting["slug"]),
        _facts(meeting),
        html.Div([
            html.A([html.I(className="bi bi-easel me-1"), _("Open the dashboard as presented to the Board")],
                   href=f"/?as_of={meeting['slug']}", id=ids.MeetingPage.AS_PRESENTED, className="btn btn-primary"),
            html.A([html.I(className="bi bi-arrow-left-right me-1"), _("What changed since this meeting")],
                   href=f"/meetings/{meeting['slug']}/changes", id=ids.MeetingPage.CHANGES,
                   className="btn btn-outline-secondary"),
            html.A(_("All Board meetings"), href="/meetings", className="btn btn-link"),
        ], className="d-flex flex-wrap gap-2 my-3 no-print"),
        _pack_panel(meeting["slug"]),
    ], intro=_("What the Board was shown: the dashboard as it stood when the Secretariat recorded the meeting. Later "
               "writes and corrections never change it; they show as changes since the meeting."))


def _facts(meeting: dict) -> html.Dl:
    rows = [(_("Held on"), long_date(meeting["held_on"])),
            (_("Recorded by"), _("%(who)s on %(when)s", who=meeting["recorded_by"],
                                 when=format_date(meeting["frozen_at"], format=SHORT_DATE)
                                 + meeting["frozen_at"].strftime(" %H:%M UTC"))),
            (_("Data version"), format_number(meeting["data_version"]))]
    if meeting["note"]:
        rows.append((_("Note"), meeting["note"]))
    items = []
    for term, value in rows:
        items += [html.Dt(term, className="col-sm-3"), html.Dd(value, className="col-sm-9 mb-1")]
    return html.Dl(items, className="row mb-0 meeting-facts")


# ---- the Board pack ----------------------------------------------------------------------------------------------

def _file_names() -> dict[str, str]:
    return {"deck": _("Slides of every page (PowerPoint)"), "pdf": _("The printed pages (PDF)"),
            "csv": _("The data of every chart (CSV files and a README, in a zip)")}


def _steps(kind: str, done: int, total: int) -> str:
    if kind == "deck":
        return ngettext("%(done)s of %(n)s slide", "%(done)s of %(n)s slides", total, done=done)
    if kind == "pdf":
        return ngettext("%(done)s of %(n)s page", "%(done)s of %(n)s pages", total, done=done)
    return ngettext("%(done)s of %(n)s file", "%(done)s of %(n)s files", total, done=done)


def _size(size: int | None) -> str:
    if not size:
        return ""
    if size >= 1024 * 1024:
        return _("%(n)s MB", n=format_number(size / 1024 / 1024, decimals=1))
    return _("%(n)s kB", n=format_number(max(1, round(size / 1024))))


def _file_item(file: dict, signed_in: bool, secretariat: bool) -> dbc.ListGroupItem:
    kind, status = file["kind"], file["status"]
    name = _file_names()[kind]
    detail: list = []
    if status == "done":
        made = format_date(_day(file["finished_at"]), format=SHORT_DATE) if file["finished_at"] else ""
        detail.append(html.Span(_("Made on %(date)s · %(size)s", date=made, size=_size(file["size"])),
                                className="text-body-secondary"))
        if signed_in:
            detail.append(html.A([html.I(className="bi bi-download me-1"), _("Download")], href=file["download"],
                                 className="btn btn-sm btn-outline-secondary ms-2", download=file["filename"]))
    elif status == "running":
        label = _steps(kind, file["progress"], file["total"]) if file["total"] else _("Starting…")
        detail += [html.Span(_("Being made: %(steps)s", steps=label), className="me-2"),
                   html.Progress(value=str(file["progress"]), max=str(max(1, file["total"])),
                                 className="pack-progress", **{"aria-label": f"{name}: {label}"})]
    elif status == "queued":
        detail.append(html.Span(_("Waiting its turn (the files are made one after the other)"), className="text-body-secondary"))
    elif status == "failed":  # the reason (an exception's text) is the Secretariat's, who can act on it
        detail.append(html.Span(_("Failed: %(error)s. Make the pack again to retry.", error=file["error"])
                                if secretariat else _("Could not be made; the Secretariat can make it again."),
                                className="text-danger"))
    elif status == "stalled":
        detail.append(html.Span(_("Stopped before it was finished (its job no longer answers). Make the pack "
                                  "again to restart it."), className="text-danger"))
    else:
        detail.append(html.Span(_("Not made yet"), className="text-body-secondary"))
    return dbc.ListGroupItem([html.Div(name, className="fw-semibold"), html.Div(detail, className="small")],
                             id=ids.MeetingPage.pack_file(kind), className=f"pack-file pack-{status}")


def _day(iso: str) -> dt.date:
    return dt.datetime.fromisoformat(iso).date()


def _files(status: dict) -> dbc.ListGroup:
    actor = current_actor()
    secretariat = actor is not None and actor.role == "secretariat"
    return dbc.ListGroup([_file_item(f, actor is not None, secretariat) for f in status["files"]], className="mb-3")


def _make_button(status: dict) -> tuple[bool, str, str]:
    """(disabled, label, class) of the Secretariat's button for the pack's state (hidden for other readers)."""
    actor = current_actor()
    states = {f["status"] for f in status["files"]}
    hidden = "" if actor is not None and actor.role == "secretariat" and states != {"done"} else " d-none"
    if status["running"]:
        return True, _("Being made…"), "no-print" + hidden
    if states == {"missing"}:
        return False, _("Make the Board pack"), "no-print" + hidden
    return False, _("Make the missing files again"), "no-print" + hidden


def _pack_panel(slug: str) -> dbc.Card:
    status = packs.pack_status(slug)
    disabled, label, css = _make_button(status)
    signed_in = current_actor() is not None
    body = [
        html.P(_("The deck of every page, the printed pages as one PDF and the data of every chart with a README of "
                 "the sources, all as presented to the Board. The pack holds members' fee payments: it is for "
                 "signed-in users (the Board, the regional secretaries and the Secretariat)."), className="small"),
        html.Div(_files(status), id=ids.MeetingPage.PACK_FILES),  # not a live region: it changes every poll
    ]
    if not signed_in:
        body.append(html.P(html.A(_("Sign in to download the Board pack"), href=f"/login?next=/meetings/{slug}"),
                           className="small"))
    body += [
        dbc.Button(label, id=ids.MeetingPage.PACK_MAKE, color="primary", disabled=disabled, className=css),
        html.Div(id=ids.MeetingPage.PACK_MESSAGE, className="mt-2", role="status"),
        dcc.Interval(id=ids.MeetingPage.PACK_POLL, interval=POLL_MS, disabled=not status["running"]),
    ]
    return dbc.Card([dbc.CardHeader(html.H2(_("Board pack"), className="h5 mb-0")), dbc.CardBody(body)],
                    id=ids.MeetingPage.PACK, className="meeting-pack")


@callback(Output(ids.MeetingPage.PACK_FILES, "children"), Output(ids.MeetingPage.PACK_MAKE, "disabled"),
          Output(ids.MeetingPage.PACK_MAKE, "children"), Output(ids.MeetingPage.PACK_MAKE, "className"),
          Output(ids.MeetingPage.PACK_POLL, "disabled"), Output(ids.MeetingPage.PACK_MESSAGE, "children"),
          Input(ids.MeetingPage.PACK_MAKE, "n_clicks"), Input(ids.MeetingPage.PACK_POLL, "n_intervals"),
          State(ids.MeetingPage.SLUG, "data"), prevent_initial_call=True)
def update_pack(n_clicks, _n_intervals, slug):
    """Start the pack (the button, the Secretariat only) or show how far its job is (the poll, while it runs)."""
    if not isinstance(slug, str):
        raise PreventUpdate
    message = dash.no_update
    if ctx.triggered_id == ids.MeetingPage.PACK_MAKE and n_clicks:
        try:
            started = packs.start_pack(slug)["started"]
        except CommandError as err:  # Forbidden included: the refusal is logged
            message = dbc.Alert(translate_error(err), color="danger", className="py-2 mb-0")
        else:
            message = dbc.Alert(_("The pack is being made. The page stays usable meanwhile, and the job goes on if "
                                  "you leave it.") if started else _("The pack is already being made."),
                                color="info", className="py-2 mb-0")
    status = packs.pack_status(slug)
    if status is None:
        raise PreventUpdate
    if ctx.triggered_id == ids.MeetingPage.PACK_POLL and not status["running"]:  # the job has just ended
        made = all(f["status"] == "done" for f in status["files"])
        message = dbc.Alert(_("The Board pack is ready.") if made else
                            _("Some files of the Board pack could not be made: see why above."),
                            color="success" if made else "warning", className="py-2 mb-0")
    disabled, label, css = _make_button(status)
    return _files(status), disabled, label, css, not status["running"], message
