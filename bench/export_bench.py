"""Benchmark of the server-side exports: time per image on a warm renderer, and for whole decks.

    .venv/bin/python bench/export_bench.py [--repeat 5]

Uses a fresh SQLite store seeded from seed/ in a temporary folder; prints the figures (no assertions).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import export  # noqa: E402
from dashboard.charts import CHARTS, ChartFilters  # noqa: E402
from db.session import init_engine  # noqa: E402
from seed.load import init_store  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="renders per chart and format (warm)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = init_engine(f"sqlite:///{tmp}/bench.sqlite3")
        init_store(engine)
        filters = ChartFilters(None, 2020)
        first = export.ExportRequest("active-by-region", "png", filters, 1920)
        cold, _ = timed(lambda: export.image(first, data_as_of=None, base_url="http://127.0.0.1:8050"))
        print(f"renderer cold start + first PNG: {cold:.2f} s")
        print(f"{'chart':28} {'format':6} {'median s':>9} {'p95 s':>7} {'bytes':>10}")
        per_format: dict[str, list[float]] = {}
        for chart_id in CHARTS:
            for fmt in export.IMAGE_FORMATS:
                request = export.ExportRequest(chart_id, fmt, filters, 1920)
                times, size = [], 0
                for _ in range(args.repeat):
                    seconds, payload = timed(lambda r=request: export.image(r, data_as_of=None,
                                                                            base_url="http://127.0.0.1:8050"))
                    times.append(seconds)
                    size = len(payload)
                per_format.setdefault(fmt, []).extend(times)
                p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
                print(f"{chart_id:28} {fmt:6} {statistics.median(times):9.3f} {p95:7.3f} {size:10,}")
        for fmt, times in per_format.items():
            print(f"all charts, {fmt}: median {statistics.median(times):.3f} s per image (warm, incl. query and figure)")
        for label, charts, f in [("whole deck, all charts, all regions", list(CHARTS), filters),
                                 ("deck of the overview, Europe", export.deck_charts("/"), ChartFilters(["Europe"], 2020))]:
            seconds, payload = timed(lambda c=charts, fl=f: export.deck(c, fl, data_as_of=None,
                                                                         base_url="http://127.0.0.1:8050"))
            print(f"{label}: {seconds:.2f} s, {len(payload):,} bytes")
        engine.dispose()


if __name__ == "__main__":
    main()
