"""The app's Dash class survives the first requests of a threaded worker (plotly/dash#3971) and a failed set-up."""

from __future__ import annotations

import threading
import time

from dash import Dash, html

from dashboard.threadsafe import ThreadSafeDash

RENDERER = "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js"


def _first_requests(cls, layout) -> tuple[int, int]:
    """Status of a page request (whose set-up is slow) and of a bundle request arriving during that set-up."""
    app = cls(__name__)
    app.layout = layout
    statuses = {}

    def page():
        statuses["page"] = app.server.test_client().get("/").status_code

    thread = threading.Thread(target=page)
    thread.start()
    time.sleep(0.2)  # the page request is now inside the set-up (its layout sleeps)
    statuses["bundle"] = app.server.test_client().get(RENDERER).status_code
    thread.join()
    return statuses["page"], statuses["bundle"]


def _slow_layout():
    time.sleep(0.6)
    return html.Div("ok")


def test_thr001_stock_dash_fails_a_bundle_requested_during_setup():
    """Shows the bug this class works around; when a Dash release fixes it, this test says so (then drop the class)."""
    assert _first_requests(Dash, _slow_layout) == (200, 500)


def test_thr002_bundle_requested_during_setup_waits_and_succeeds():
    assert _first_requests(ThreadSafeDash, _slow_layout) == (200, 200)


def test_thr003_failed_setup_is_tried_again():
    calls = {"n": 0}

    def flaky_layout():  # called once when assigned, then by the set-up of the first request, which fails
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("database down")
        return html.Div("ok")

    app = ThreadSafeDash(__name__)
    app.layout = flaky_layout
    client = app.server.test_client()
    assert client.get("/").status_code == 500  # the set-up failed
    assert client.get("/").status_code == 200
    assert client.get(RENDERER).status_code == 200
