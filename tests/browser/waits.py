"""Waits on a condition for the browser tests (never a fixed sleep): a plot element that has stopped moving, a
hover Plotly has registered, a page whose Dash callbacks and fonts are done."""

# The element's box unchanged over `frames` consecutive animation frames (a responsive graph re-laying itself
# out after a scroll or a resize moves it between frames).
_STILL = """(el, frames) => new Promise(resolve => {
    let last = '', same = 0;
    const check = () => {
        const r = el.getBoundingClientRect(), now = [r.x, r.y, r.width, r.height].join(',');
        same = now === last ? same + 1 : 0;
        last = now;
        if (same >= frames) { resolve(true); } else { requestAnimationFrame(check); }
    };
    requestAnimationFrame(check);
})"""
_FORGET_HOVER = "el => { el.closest('.js-plotly-plot')._hoverdata = undefined; }"
_HOVERED = "el => (el.closest('.js-plotly-plot')._hoverdata || []).length > 0"
_SETTLED = "() => !document.querySelector('[data-dash-is-loading]') && document.fonts.status === 'loaded'"


def wait_until_still(locator, *, frames: int = 10) -> None:
    """Wait until `locator`'s element stays where it is for `frames` animation frames."""
    locator.evaluate(_STILL, frames)


def wait_until_settled(page) -> None:
    """Wait until no Dash component is loading and the page's fonts are in (before a screenshot)."""
    page.wait_for_function(_SETTLED)


def click_plot(page, locator, *, dx: float = 0.5, dy: float = 0.5) -> None:
    """Click a plotted element as a user would: bring it into view, let the plot settle, hover until Plotly has
    registered the point under the pointer (its click reports that point), then click."""
    locator.scroll_into_view_if_needed()
    wait_until_still(locator)
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] * dx, box["y"] + box["height"] * dy
    handle = locator.element_handle()
    handle.evaluate(_FORGET_HOVER)
    page.mouse.move(x, y)
    page.wait_for_function(_HOVERED, arg=handle)
    page.mouse.click(x, y)
