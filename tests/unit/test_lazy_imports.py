"""Memory per worker (issue 14: <= 200 MB after the load run): what only some requests need is imported by them,
not by every worker at start. A worker is `import app` with SEED_ON_START=false, as in production (README
'Production'): it never migrates, reads a workbook only for an .xlsx import, draws a deck or an image only on an
export."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string

from dashboard.translation import CANDIDATE_LOCALES, LANGUAGE_NAMES
from dashboard.uploads import column_letter, column_number

ROOT = Path(__file__).resolve().parents[2]

# package -> what uses it; each costs a worker megabytes of memory (measured with `python -X importtime` and the
# resident memory of a started worker, README 'Speed')
ON_DEMAND = {
    "alembic": "migrations (python -m seed init, the first start of the embedded store)",
    "mako": "Alembic's templates",
    "pygments": "Mako's error pages",
    "openpyxl": "the .xlsx imports (dashboard.uploads)",
    "pptx": "the decks (dashboard.export)",
    "kaleido": "the PNG/SVG/PDF exports (dashboard.export)",
}


@pytest.fixture(scope="module")
def worker_modules(tmp_path_factory) -> set[str]:
    """The top-level packages a freshly started worker has imported (the app touches no store at import)."""
    store = tmp_path_factory.mktemp("worker") / "store.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{store}", "SEED_ON_START": "false", "LOG_LEVEL": "ERROR",
           "PYTHONPATH": str(ROOT)}
    script = "import json, sys; import app; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("package", ON_DEMAND)
def test_a_worker_starts_without_what_only_some_requests_need(worker_modules, package):
    assert package not in worker_modules, f"{package} is imported at start; only {ON_DEMAND[package]} need it"


def test_the_workbook_scan_names_columns_as_openpyxl_does():
    """The scan before openpyxl (which is imported only when the scan has passed) names cells as openpyxl would."""
    for index in [*range(1, 800), 16383, 16384, 18278]:
        assert column_letter(index) == get_column_letter(index)
        assert column_number(get_column_letter(index)) == column_index_from_string(get_column_letter(index)) == index


def test_language_names_are_babels():
    assert set(LANGUAGE_NAMES) == set(CANDIDATE_LOCALES)
    for lang, name in LANGUAGE_NAMES.items():
        assert name == Locale.parse(lang).get_display_name(lang).capitalize()


def test_a_worker_builds_and_encodes_figures_without_plotlys_graph_objects(tmp_path):
    """Issue 14: the builders return plain figure dicts, so a worker neither validates figures (tens of milliseconds
    each) nor loads plotly's graph object classes and validators (about 19 MB): Dash imports plotly.graph_objects
    (a lazy module) and its Figure class, nothing more; building every figure and encoding it as Dash does (plotly's
    JSON encoder) loads no trace, layout or validator module."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite3'}", "SEED_ON_START": "false",
           "LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)}
    script = (
        "import json, sys\n"
        "import app\n"
        "from plotly.io.json import to_json_plotly\n"
        "from dashboard.translation import translator\n"
        "from tests.unit.test_figure_schema import _every_figure\n"
        "figures = {lang: _every_figure(lang) for lang in ('en', 'fr')}\n"
        "encoded = to_json_plotly(figures)\n"
        "print(json.dumps([len(encoded), sorted(m for m in sys.modules if m.startswith('plotly'))]))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    size, modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert size > 100_000  # the figures were built and encoded
    objects = [m for m in modules if m == "plotly.validator_cache" or m.startswith("plotly.validators")
               or (m.startswith("plotly.graph_objs.") and m != "plotly.graph_objs._figure")]
    assert not objects, f"serving figures loaded plotly's graph objects: {objects}"
