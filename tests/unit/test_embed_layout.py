"""The embed page's frame (issue 13): a chart too tall for a short frame scrolls above its footer instead of
squeezing its rows; a heatmap of a few rows fills the frame; a tall heatmap keeps the page's plot height under
the bands laid out for a phone's frame."""

from dashboard import ids


def _find(node, wanted):
    """The first component of the tree (a Dash component) for which wanted(component) is true."""
    if wanted(node):
        return node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


def _embed(dash_app, chart_id, **params):
    from dashboard.pages.embed import layout

    query = "&".join(f"{k}={v}" for k, v in params.items())
    with dash_app.server.test_request_context(f"/embed/{chart_id}?{query}"):
        return layout(chart_id=chart_id, **params)


def _graph(tree):
    return _find(tree, lambda c: getattr(c, "id", None) == ids.Embed.GRAPH)


def test_many_bars_keep_a_readable_row_and_the_frame_scrolls(dash_app, app_store):
    tree = _embed(dash_app, "gender-parity", year="2020")
    graph = _graph(tree)
    from dashboard.figures.style import _values

    rows = len({str(v) for t in graph.figure["data"] for v in (_values(t.get("y")) or [])})
    assert rows >= 10
    assert int(graph.style["minHeight"].removesuffix("px")) >= 24 * rows  # not squeezed into a 400 px frame
    image = _find(tree, lambda c: "chart-image" in (getattr(c, "className", "") or ""))
    assert image.style["overflowY"] == "auto"
    # the box that scrolls is one Tab stop, so a keyboard scrolls it too, and is named by its chart
    assert image.tabIndex == "0" and image.role == "region"
    assert image.to_plotly_json()["props"]["aria-label"] == tree.children[0].children  # the page's h1: the title


def test_a_heatmap_of_a_few_rows_fills_the_frame_as_any_chart_does(dash_app, app_store):
    graph = _graph(_embed(dash_app, "activations-by-month", region="Europe", year="2020"))
    # not 'height: 100%' of a wrapper without a height (plotly then draws 450 px, taller than a 400 px frame)
    assert graph.style.get("height") is None and graph.style["flex"] == "1 1 auto"


def test_a_tall_heatmap_keeps_the_pages_plot_height_under_the_frames_bands(dash_app, app_store):
    from dashboard.charts import render
    from dashboard.filters import ChartFilters

    graph = _graph(_embed(dash_app, "website-presence", region="Europe", year="2020"))
    with dash_app.server.test_request_context("/"):
        page = render("website-presence", ChartFilters(["Europe"], 2020)).figure["layout"]
    embed = graph.figure["layout"]

    def plot(layout):
        return layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]

    assert embed["margin"]["t"] > page["margin"]["t"]  # the title wraps in a phone's frame
    assert plot(embed) == plot(page)
