"""Bytes a first visit downloads (new browser profile), per page and per kind of file; prints figures, asserts nothing.

Usage: .venv/bin/python bench/page_weight.py [--url http://127.0.0.1:8050] [--pages / /map /engagement]
Without --url it starts the app (`python app.py`) on a free port against a fresh SQLite store and stops it after.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, _chromium, serve  # noqa: E402 - after the path is set

PAGES = ["/", "/map", "/engagement", "/gender", "/action-plan", "/events", "/members", "/sources"]


def _kind(url: str, content_type: str) -> str:
    if "plotly" in url and url.split("?")[0].endswith(".js"):
        return "plotly.js"
    if "dash_ag_grid" in url:
        return "dash_ag_grid"
    if url.split("?")[0].endswith(".js") or "javascript" in content_type:
        return "other JavaScript"
    if "_dash-update-component" in url or "json" in content_type:
        return "data (callbacks, JSON)"
    if "css" in content_type or "font" in content_type or url.split("?")[0].endswith((".woff", ".woff2")):
        return "CSS and fonts"
    return "HTML and other"


def measure(base_url: str, pages: list[str]) -> dict[str, dict]:
    """Open each page in a new browser profile; print and return {page: {"bytes", "raw", "requests", "kinds"}}."""
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        print(f"{'page':<14}{'transferred':>14}{'uncompressed':>15}  requests  by kind (transferred)")
        for path in pages:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            responses = []
            page.on("requestfinished", lambda req, store=responses: store.append(req))
            page.goto(base_url + path)
            page.wait_for_load_state("networkidle")
            with contextlib.suppress(Exception):
                page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length > 0 "
                                       "|| !document.querySelector('.dash-graph')", timeout=20000)
            page.wait_for_load_state("networkidle")
            total = raw = 0
            by_kind: dict[str, int] = collections.Counter()
            for req in responses:
                sizes = req.sizes()
                response = req.response()
                body = sizes["responseBodySize"]
                content_type = (response.headers.get("content-type", "") if response else "")
                encoded = body + sizes["responseHeadersSize"]
                total += encoded
                by_kind[_kind(req.url, content_type)] += encoded
                raw += len(response.body()) if response and response.status == 200 else 0
            kinds = ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in by_kind.most_common())
            print(f"{path:<14}{total / 1e6:>11.2f} MB{raw / 1e6:>12.2f} MB  {len(responses):>8}  {kinds}")
            results[path] = {"bytes": total, "raw": raw, "requests": len(responses), "kinds": dict(by_kind)}
            context.close()
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running dashboard; default: start one on a fresh SQLite store")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    args = parser.parse_args()
    if args.url:
        measure(args.url.rstrip("/"), args.pages)
        return
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp), f"sqlite:///{tmp}/store.sqlite3") as url:
        measure(url, args.pages)


if __name__ == "__main__":
    main()
