"""Dash's callback endpoint (POST /_dash-update-component), answering crafted requests with a clear 4xx.

Dash 4.4 looks the requested output up in its callback map and indexes the body without checking it: an unknown
output, a body that is not an object, or inputs that are not the callback's own raise KeyError / TypeError deep
in the dispatch, which Flask answers with a 500 and a logged traceback, to anyone. Here the body is checked against
the callback it names before Dash reads it: an unknown output answers 404, a malformed body 400, each logged as one
line. Properties whose JSON type is the same on every component (a location's pathname and search are text, a
click counter a number, clickData an object...) are checked here too; the values of the rest ('value', 'data')
are the callbacks' business: they parse them with dashboard.validation, which turns a wrong type into a notice
or "no update", never an exception.
"""

from __future__ import annotations

import logging

from dash.exceptions import CallbackException, InvalidCallbackReturnValue
from flask import abort, request

from dashboard.i18n import _
from dashboard.responses import json_error
from dashboard.threadsafe import ThreadSafeDash

logger = logging.getLogger(__name__)


class RequestRefused(Exception):
    def __init__(self, status: int, message: str, detail: str):
        super().__init__(detail)
        self.status, self.message, self.detail = status, message, detail


_TEXT, _NUMBER, _OBJECT, _LIST = (str,), (int, float), (dict,), (list,)
PROPERTY_TYPES: dict[str, tuple[type, ...]] = {
    "pathname": _TEXT, "search": _TEXT, "href": _TEXT, "hash": _TEXT, "search_value": _TEXT, "filename": _TEXT,
    "contents": _TEXT, "n_clicks": _NUMBER, "n_intervals": _NUMBER, "clickData": _OBJECT, "hoverData": _OBJECT,
    "selectedData": _OBJECT, "relayoutData": _OBJECT, "getRowsRequest": _OBJECT, "selectedRows": _LIST,
}


def _describe(value: object) -> str:
    return repr(value)[:80]


def _check_items(kind: str, sent: object, declared: list[dict]) -> None:
    """`sent` (a body's inputs or state) must name the callback's declared ids and properties, in order."""
    if not isinstance(sent, list) or len(sent) != len(declared):
        raise RequestRefused(400, _("The callback request does not match the callback."),
                             f"{kind}: expected {len(declared)} items, got {_describe(sent)}")
    for item, spec in zip(sent, declared):
        pattern = str(spec["id"]).startswith("{")  # pattern-matching ids are declared as JSON text
        if pattern:
            items = item if isinstance(item, list) else [item]
            if not all(isinstance(i, dict) and isinstance(i.get("id"), dict) for i in items):
                raise RequestRefused(400, _("The callback request does not match the callback."),
                                     f"{kind}: bad pattern-matching item {_describe(item)}")
        elif not (isinstance(item, dict) and item.get("id") == spec["id"] and item.get("property") == spec["property"]):
            raise RequestRefused(400, _("The callback request does not match the callback."),
                                 f"{kind}: expected {spec['id']}.{spec['property']}, got {_describe(item)}")
        for one in (item if isinstance(item, list) else [item]):
            _check_type(one)


def _check_type(item: dict) -> None:
    """A value of a property with a fixed JSON type must have it (or be null)."""
    expected = PROPERTY_TYPES.get(str(item.get("property")))
    value = item.get("value")
    if item.get("property") == "pathname" and not (isinstance(value, str) and value.startswith("/")):
        # a browser's location always has one; Dash's own page router fails on anything else
        raise RequestRefused(400, _("The callback request does not match the callback."),
                             f"{item.get('id')}.pathname = {_describe(value)}")
    if expected is None or value is None:
        return
    if not isinstance(value, expected) or (isinstance(value, bool) and expected is _NUMBER):
        raise RequestRefused(400, _("The callback request does not match the callback."),
                             f"{item.get('id')}.{item.get('property')} = {_describe(value)}")


def check_callback_body(body: object, callback_map: dict) -> None:
    """Raise RequestRefused unless `body` asks for a registered server callback with its own inputs and state."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        raise RequestRefused(400, _("A callback request is a JSON object naming its output."),
                             f"body {_describe(body)}")
    output = body["output"]
    spec = callback_map.get(output)
    if spec is None or "callback" not in spec:
        raise RequestRefused(404, _("There is no such callback."), f"unknown output {_describe(output)}")
    _check_items("inputs", body.get("inputs", []), spec.get("inputs", []))
    _check_items("state", body.get("state", []), spec.get("state", []))
    outputs = body.get("outputs", [])
    if not isinstance(outputs, (list, dict)):
        raise RequestRefused(400, _("The callback request does not match the callback."),
                             f"outputs {_describe(outputs)}")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise RequestRefused(400, _("The callback request does not match the callback."),
                             f"changedPropIds {_describe(changed)}")


def _asked_for_all(body: object) -> bool:
    """Whether the request names an output with an ALL wildcard (its list of components comes from the request)."""
    return isinstance(body, dict) and '["ALL"]' in str(body.get("output", ""))


def _mismatch(err: CallbackException):
    """Dash's own check of a request's outputs and inputs against the callback (dash/_validate.py) raises a bare
    CallbackException: a crafted request, answered 400 in one line; so is a return value that does not fit an ALL
    output's list of components, which the request gives. Anything else (a callback returning the wrong shape) is
    a bug: logged with the traceback, answered 500."""
    if type(err) is CallbackException or (isinstance(err, InvalidCallbackReturnValue)
                                          and _asked_for_all(request.get_json(silent=True))):
        logger.warning("callback request refused (400): %s", " ".join(str(err).split())[:200])
        return json_error(400, _("The callback request does not match the callback."))
    logger.error("callback failed: %s", request.path, exc_info=err)
    return json_error(500, _("The server could not answer this request. The error was logged."))


class CheckedDash(ThreadSafeDash):
    """Dash whose callback endpoint refuses requests that do not match a registered callback (404/400 JSON)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.server.register_error_handler(CallbackException, _mismatch)

    def _initialize_context(self, body):  # Dash's first look at the body (dash/backends/_flask.py _dispatch)
        try:
            check_callback_body(body, self.callback_map)
        except RequestRefused as err:
            logger.warning("callback request refused (%s): %s", err.status, err.detail)
            abort(json_error(err.status, err.message))
        return super()._initialize_context(body)
