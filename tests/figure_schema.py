"""Figure builders return plain figure dicts (issue 14: no plotly graph objects on a request); the tests check
them against plotly's schema here, once, and read them as go.Figure objects."""

from __future__ import annotations

import functools

import plotly.graph_objects as go

from dashboard.figures.style import TEMPLATE


def validated(fig) -> go.Figure:
    """`fig`, a builder's figure dict, through plotly's schema (go.Figure raises on a property plotly does not
    know or a value of the wrong kind), as a go.Figure to read. It must be a plain dict of plain dicts and lists,
    every trace naming its type, carrying the house template (plotly.js has no default template of ours)."""
    assert isinstance(fig, dict) and set(fig) == {"data", "layout"}, type(fig)
    assert isinstance(fig["data"], list) and all(isinstance(t, dict) and t.get("type") for t in fig["data"])
    assert fig["layout"].get("template") == TEMPLATE
    return go.Figure(fig)


def validating(builder):
    """`builder` whose figure dict is checked and returned as a go.Figure (validated)."""
    @functools.wraps(builder)
    def build(*args, **kwargs):
        return validated(builder(*args, **kwargs))
    return build
