"""Dash, with its once-per-process server set-up made safe for threaded workers (gunicorn gthread).

Dash 4.4 marks its set-up done *before* doing it (filling the registry of its JavaScript bundles, copying the
callbacks): under a threaded worker, a request arriving meanwhile finds the registry empty, and the first page load
after a start fails with 500s ("... is not a registered library. Registered libraries are: []"). Reported upstream as
plotly/dash#3971, with a fix proposed in plotly/dash#3980 that is not released. Until it is: one thread sets up while
the others wait, and a set-up that failed (the database down at a worker's first request: the layout reads it) is
tried again by the next request instead of leaving the worker broken.
"""

from __future__ import annotations

import threading

from dash import Dash


class ThreadSafeDash(Dash):
    def __init__(self, *args, **kwargs):
        self._setup_lock = threading.Lock()
        self._setup_complete = False
        super().__init__(*args, **kwargs)

    def _setup_server(self):
        if self._setup_complete:
            return
        with self._setup_lock:
            if self._setup_complete:
                return
            self._got_first_request["setup_server"] = False  # a failed earlier attempt left it set
            super()._setup_server()
            self._setup_complete = True
