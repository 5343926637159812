"""Reading the Dash component trees that page layouts and callbacks return, in tests."""

from __future__ import annotations


def texts(component) -> list[str]:
    """The text of a Dash component tree, one string per leaf."""
    if component is None:
        return []
    if isinstance(component, str | int | float):
        return [str(component)]
    if isinstance(component, list | tuple):
        return [t for c in component for t in texts(c)]
    return texts(getattr(component, "children", None))
