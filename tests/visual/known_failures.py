"""The visual cases that fail on today's layouts (issue 13). Each is marked xfail(strict=True) by
tests/visual/conftest.py: a fix that makes one pass fails the run until its line is removed here.
Regenerate after a fix with `python -m tests.visual.known_failures artifacts/visual/report.json` (prints the list
from the last run's report) and paste it below; the goal is an empty list.
"""

from __future__ import annotations

KNOWN_LAYOUT_FAILURES: list[str] = [
]


def _from_report(path: str) -> list[str]:
    import json

    from tests.visual import harness

    data = json.load(open(path))
    failing = [k for k, m in data["charts"].items() if m["error"] or m["overlaps"] or m["outside"] or m["missing"]]
    failing += [k for k, d in data["decks"].items() if d["problems"]]
    failing += [k for k, p in data["prints"].items()
                if harness.PrintFinding(**{f: p[f] for f in ("pages", "empty_pages", "missing", "limit")}).problems()]
    return sorted(failing)


if __name__ == "__main__":
    import sys

    for case in _from_report(sys.argv[1] if len(sys.argv) > 1 else "artifacts/visual/report.json"):
        print(f'    "{case}",')
