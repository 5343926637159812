"""Crafted requests to Dash's callback endpoint answer a clear 4xx (or a clean no-update), logged in one line,
never a 500 or a traceback: unknown outputs, malformed bodies, and every server callback sent wrong types."""

from __future__ import annotations

import json
import logging

import pytest
from dash._utils import split_callback_id

from tests.conftest import csrf_headers

URL = "/_dash-update-component"

# What the browser sends for each input and state (the values the fuzzing below replaces one at a time).
PLAUSIBLE = {
    ("shell-url", "search"): "?year=2020", ("shell-url", "pathname"): "/members",
    ("shell-region", "value"): ["Europe"], ("shell-year", "value"): 2020,
    ("shell-year", "options"): [{"label": "2020", "value": 2020}],
    ("shell-region", "options"): [{"label": "Europe", "value": "Europe"}],
    ("shell-member-search", "value"): "madrid", ("shell-member-search", "search_value"): "mad",
    ("shell-poll", "n_intervals"): 1, ("shell-data-version", "data"): 1,
    ("shell-page-filters", "data"): {"regions": None, "year": 2020},
    ("members-search", "value"): "ber", ("members-grid", "getRowsRequest"): {"startRow": 0, "endRow": 100},
    ("members-grid", "id"): "members-grid", ("events-grid", "id"): "events-grid",
    ("action-plan-status-chart", "clickData"): {"points": [{"customdata": ["L1"]}]},
    ("map-colour-by", "value"): "engagement", ("map-graph", "clickData"): {"points": [{"customdata": ["berlin"]}]},
    ("engagement-sort", "value"): "total", ("engagement-matrix", "clickData"): {"points": [{"customdata": ["berlin"]}]},
    ("audit-grid", "selectedRows"): [], ("audit-revert", "n_clicks"): 1, ("events-kinds", "value"): ["wmd"],
    ("events-grid", "getRowsRequest"): {"startRow": 0, "endRow": 100}, ("_pages_location", "pathname"): "/",
    ("_pages_location", "search"): "", ("_pages_store", "data"): {},
}
WRONG = [["a", "b"], {"a": 1}, 12345, "zz", True, None, [{"x": [1]}], -1.5]


@pytest.fixture
def client(dash_app, app_store):
    client = dash_app.server.test_client()
    client.get("/")  # the first request sets Dash up (its callback map)
    return client


def _post(client, body):
    return client.post(URL, json=body, headers=csrf_headers(client))


def _assert_no_traceback(caplog):
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR or "Traceback" in r.getMessage()]
    assert bad == [], [r.getMessage()[:200] for r in bad]


def test_unknown_output_answers_404_in_one_line(client, caplog):
    caplog.set_level(logging.WARNING)
    response = _post(client, {"output": "nope.children", "outputs": {"id": "nope", "property": "children"},
                              "inputs": [], "state": []})
    assert response.status_code == 404 and response.is_json
    assert response.get_json()["error"]["message"] == "There is no such callback."
    _assert_no_traceback(caplog)
    assert [r.getMessage() for r in caplog.records if r.name == "dashboard.dispatch"] == [
        "callback request refused (404): unknown output 'nope.children'"]


@pytest.mark.parametrize("body", [
    [1], "text", {"output": 5}, {"output": "members-grid.dashGridOptions", "inputs": [], "state": []},
    {"output": "members-grid.dashGridOptions", "inputs": "x", "state": []},
    {"output": "members-grid.dashGridOptions", "inputs": [{"id": "other", "property": "value", "value": "x"}]},
    {"output": "members-grid.dashGridOptions", "outputs": {"id": "members-grid", "property": "nope"},
     "inputs": [{"id": "members-search", "property": "value", "value": "x"}], "state": []},
    {"output": "map-graph.figure", "inputs": [{"id": "map-graph", "property": "clickData", "value": "x"}]},
])
def test_malformed_callback_bodies_answer_400(client, caplog, body):
    caplog.set_level(logging.WARNING)
    response = _post(client, body)
    assert response.status_code in (400, 404) and response.is_json
    _assert_no_traceback(caplog)


def _outputs(output: str):
    """The outputs as dash-renderer sends them (pattern ids as objects, an ALL output as a list)."""
    split = split_callback_id(output)
    outs = []
    for o in split if isinstance(split, list) else [split]:
        oid, prop = o["id"], o["property"].split("@")[0]
        if oid.startswith("{"):
            oid = json.loads(oid)
            if ["ALL"] in oid.values():
                outs.append([{"id": {k: "overview" if v == ["ALL"] else v for k, v in oid.items()}, "property": prop}])
                continue
        outs.append({"id": oid, "property": prop})
    return outs if isinstance(split, list) else outs[0]


def _server_callbacks(dash_app):
    """Every server callback whose inputs are plain ids (the Record page's pattern-matched forms apart)."""
    for output, spec in dash_app.app.callback_map.items():
        items = spec["inputs"] + spec["state"]
        if "callback" in spec and not any(str(i["id"]).startswith("{") for i in items):
            yield output, spec


def test_every_callback_sent_wrong_types_answers_cleanly(client, dash_app, caplog):
    caplog.set_level(logging.WARNING)
    callbacks = list(_server_callbacks(dash_app))
    assert len(callbacks) >= 15
    statuses = set()
    for output, spec in callbacks:
        items = [(i["id"], i["property"]) for i in spec["inputs"] + spec["state"]]
        n_inputs = len(spec["inputs"])
        for position, key in enumerate(items):
            for wrong in WRONG:
                values = [PLAUSIBLE.get(k) for k in items]
                values[position] = wrong
                sent = [{"id": i, "property": p, "value": v} for (i, p), v in zip(items, values)]
                body = {"output": output, "outputs": _outputs(output), "inputs": sent[:n_inputs],
                        "state": sent[n_inputs:], "changedPropIds": [f"{key[0]}.{key[1]}"]}
                response = _post(client, body)
                statuses.add(response.status_code)
                assert response.status_code < 500, (output, key, wrong, response.get_data(as_text=True)[:300])
                text = response.get_data(as_text=True)
                assert "Something went wrong" not in text, (output, key, wrong)  # the on_error toast: a failure
    _assert_no_traceback(caplog)
    assert 200 in statuses and 400 in statuses
