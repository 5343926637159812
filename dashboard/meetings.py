"""`?as_of=<meeting>`: every request (a page, Dash's callbacks, an export, an embed, the API) reads the store as it
stood at that Board meeting (db/asof.py), for the whole request.

The meeting is named by the address: `as_of` of the request's own query string, or, for Dash's requests
(/_dash-layout and every callback), of the page that sends them, which the browser names in the Referer (as the
language is: dashboard/i18n.py). An unknown meeting answers 404 on the API, the exports and the embeds; a page
says so in a notice and shows the store as it is. A write with `as_of` is refused (409): what a meeting froze
never changes, and a correction is a later change.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from flask import Flask, g, has_app_context, request

from dashboard.i18n import SHORT_DATE, _, format_date
from dashboard.responses import error_response, json_error
from db import asof
from db.queries import meetings as meeting_queries
from db.session import Session

PARAMETER = "as_of"
_ANSWERED_404 = ("/api/", "/export/", "/embed/")
_WRITES = ("POST", "PUT", "PATCH", "DELETE")
_SLUG_LIMIT = 80


def asked_meeting() -> str | None:
    """The meeting the request's address names (`as_of`), or None."""
    if request.path.startswith("/_dash"):
        raw = parse_qs(urlsplit(request.referrer or "").query).get(PARAMETER, [""])[-1]
    else:
        raw = request.args.get(PARAMETER, "")
    raw = raw.strip()
    return raw[:_SLUG_LIMIT + 1] or None


def unknown_meeting() -> str | None:
    """The `as_of` a page asked for that names no meeting (the page says so), or None."""
    return g.get("unknown_meeting") if has_app_context() else None


def viewed_meeting() -> dict | None:
    """The meeting the current request reads the store as of (slug, name, held_on, …), or None."""
    return g.get("meeting") if has_app_context() else None  # outside a request (the CLI, tests): none


def frozen_text(moment: dt.datetime) -> str:
    """When a meeting froze the store, in the page's language: '1 Dec 2026, 14:42 UTC' (the store writes UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return _("%(date)s, %(time)s UTC", date=format_date(moment.date(), format=SHORT_DATE),
             time=moment.strftime("%H:%M"))


def _enter() -> object:
    slug = asked_meeting()
    if slug is None:
        return None
    if request.method in _WRITES and not request.path.startswith("/_dash"):
        return json_error(409, _("A Board meeting's data cannot be changed: remove as_of to record or correct data "
                                 "(a correction shows as a change since the meeting)."))
    with Session() as session:
        found = meeting_queries.meeting(session, slug) if len(slug) <= _SLUG_LIMIT else None
    if found is None:
        if request.path.startswith(_ANSWERED_404):
            return error_response(404, _("There is no Board meeting %(meeting)s.", meeting=slug[:_SLUG_LIMIT]),
                                  links=[("/meetings", _("Board meetings"))])
        g.unknown_meeting = slug[:_SLUG_LIMIT]
        return None
    g.meeting = found
    g.asof_token = asof.enter(found["frozen"])
    return None


def _leave(_error=None) -> None:
    token = g.pop("asof_token", None)
    if token is not None:
        asof.leave(token)


def init_meetings(server: Flask) -> None:
    """Read every request with `as_of` as of its meeting."""
    server.before_request(_enter)
    server.teardown_request(_leave)
