"""Nothing moves while a page arrives (issue 14: cumulative layout shift <= 0.05 on the Board's pages).

Dash draws a page in steps: the shell (navbar, filter bar, footer), then the page's content (Dash Pages' router
callback), then each graph and dropdown once Dash has fetched its code (async-graph.js, async-dropdown.js). On a
slow line the content arrives before that code; the test makes this order certain by holding every async chunk
until the content is in the page, then measures the layout shifts (PerformanceObserver 'layout-shift', the
browser's own measure, which Lighthouse reads too) until every chart has drawn."""

import pytest

from tests.browser.waits import wait_until_settled

pytestmark = pytest.mark.browser

CLS_LIMIT = 0.05
PAGES = ["/", "/map", "/engagement", "/events"]

OBSERVE_SHIFTS = """
window.__layoutShifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__layoutShifts.push({value: entry.value, sources: (entry.sources || []).map(s => {
      const n = s.node, r = s.previousRect, c = s.currentRect;
      const name = !n ? '?' : n.nodeName + (n.id ? '#' + n.id : '') +
        (typeof n.className === 'string' && n.className ? '.' + n.className.trim().split(/\\s+/).join('.') : '');
      return `${name} y ${Math.round(r.y)} -> ${Math.round(c.y)}, height ${Math.round(r.height)} -> ` +
        `${Math.round(c.height)}`;
    })});
  }
}).observe({type: 'layout-shift', buffered: true});
"""

# Every graph drawn (the map with its land), every grid with rows; as bench/serve_bench.py's DRAWN_JS.
DRAWN = """() => {
  const content = document.getElementById('_pages_content');
  if (!content || !content.querySelector('.page')) return false;
  for (const graph of content.querySelectorAll('.dash-graph')) {
    const plot = graph.querySelector('.js-plotly-plot');
    if (!plot || !plot._fullLayout || !plot.querySelector('.main-svg')) return false;
    if (plot.querySelector('.geo') && !plot.querySelector('g.layer.land path')) return false;
  }
  for (const grid of content.querySelectorAll('.ag-root')) {
    if (!grid.querySelector('.ag-row, .ag-overlay-no-rows-wrapper, .ag-overlay-no-rows-center')) return false;
  }
  return !!document.querySelector('.filter-bar .dash-dropdown');
}"""
CONTENT_SHOWN = "() => !!document.querySelector('#_pages_content .page')"
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def _shifts_while_loading(browser, url: str, viewport: dict) -> list[dict]:
    """Open `url` in a new profile with Dash's async chunks held until the content is shown; return the shifts."""
    context = browser.new_context(viewport=viewport)
    context.add_init_script(OBSERVE_SHIFTS)
    held, released = [], []

    def hold(route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    context.route("**/async-*.js", hold)
    page = context.new_page()
    page.set_default_timeout(30000)
    try:
        page.goto(url)
        page.wait_for_function(CONTENT_SHOWN)
        page.evaluate(TWO_FRAMES)  # the content laid out and painted before any graph or dropdown code arrives
        assert held, "no async chunk was requested before the content: the test no longer holds anything back"
        released.append(True)
        for route in held:
            route.continue_()
        page.wait_for_function(DRAWN)
        wait_until_settled(page)
        page.evaluate(TWO_FRAMES)
        return page.evaluate("window.__layoutShifts")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [{"width": 1350, "height": 940}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES)
def test_cls001_nothing_moves_while_the_page_arrives(browser, live_server, path, viewport):
    """The shell, the content and every chart keep their places as they arrive: the footer does not jump down,
    the filter bar does not grow, a chart's box is as tall before it is drawn as after."""
    shifts = _shifts_while_loading(browser, live_server + path, viewport)
    total = sum(s["value"] for s in shifts)  # at least the CLS (which keeps the worst window of shifts)
    assert total <= CLS_LIMIT, f"layout shift {total:.3f} on {path}: " + "; ".join(
        f"{s['value']:.3f} {s['sources']}" for s in shifts if s["value"] >= 0.001)
