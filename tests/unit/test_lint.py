"""Lint: the code passes ruff with the project's settings (ruff.toml), so CI catches unused or shadowed names; the
imports keep to the layers of README "Architecture" (.importlinter), and a wrong arrow fails."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_passes():
    ruff = _tool("ruff")
    result = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: `make test` installs requirements-test.txt", pytrace=False)
    return path


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_tool("lint-imports"), "--no-cache", "--no-logo"], cwd=root, capture_output=True, text=True,
                          env={"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(root)}, timeout=120)


def test_imports_keep_to_the_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


PACKAGES = ("dashboard", "db", "seed", "config")


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory) -> Path:
    """The first-party packages (their .py files) and the contracts, copied where a test may break them."""
    root = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            target = root / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    shutil.copy(ROOT / ".importlinter", root / ".importlinter")
    return root


# (file, the line a careless change adds, the contract that must then fail)
WRONG_ARROWS = [
    ("db/models.py", "import seed.load", "The interface over the seed over the store over the settings"),
    ("seed/load.py", "from dashboard import ids", "The interface over the seed over the store over the settings"),
    ("config/settings.py", "import db.session", "The interface over the seed over the store over the settings"),
    ("db/session.py", "from flask import request", "The store knows nothing of the web, the seed or the interface"),
    ("dashboard/ids.py", "from dashboard.pages import overview",
     "Inside dashboard: the pages over the interface over the figures"),
    ("dashboard/layer_less.py", "import json", "Inside dashboard: the pages over the interface over the figures"),
    ("dashboard/figures/style.py", "import dash", "Figures are pure"),
    ("dashboard/figures/map.py", "from db.session import Session", "Figures are pure"),
    ("dashboard/pages/overview.py", "from sqlalchemy import select", "No SQL outside db/"),
    ("dashboard/pages/record.py", "from db import models", "never the models"),
    ("seed/load.py", "import app", "Nothing imports app.py"),
]


@pytest.mark.parametrize("file,line,contract", WRONG_ARROWS, ids=[f"{f}: {line}" for f, line, _c in WRONG_ARROWS])
def test_a_wrong_arrow_fails(tree_copy, file, line, contract):
    """Each contract bites: one wrong import in a copy of the tree breaks it (and lint-imports exits non-zero)."""
    path = tree_copy / file
    original = path.read_text(encoding="utf-8") if path.exists() else None
    path.write_text(f"{line}\n" + (original or ""), encoding="utf-8")
    try:
        result = _lint_imports(tree_copy)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in " ".join(broken.split()), result.stdout  # long names wrap


def _function_level_first_party_imports(path: Path) -> list[str]:
    """`path:line` of each first-party import inside a function or class whose line has no comment saying why."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for inner in ast.walk(node):
            names = ([a.name for a in inner.names] if isinstance(inner, ast.Import) else
                     [inner.module or ""] if isinstance(inner, ast.ImportFrom) else [])
            if any(n.split(".")[0] in (*PACKAGES, "app") for n in names) and "#" not in lines[inner.lineno - 1]:
                found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_first_party_imports_are_at_module_level():
    """An import hidden in a function hides an arrow from readers and from lint-imports (CONVENTIONS 1); one that a
    cycle or Dash forces says why on its line."""
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")] + [ROOT / "app.py"]
    assert sorted({hit for path in files for hit in _function_level_first_party_imports(path)}) == []


def test_translation_function_is_never_shadowed():
    """`_` is the translation function; using it as a throwaway name broke a page once."""
    offenders = []
    for path in list((ROOT / "dashboard").rglob("*.py")) + [ROOT / "app.py"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            shadows = stripped.startswith(("for _,", "for _ in")) or (
                stripped.startswith("_ =") and "gettext" not in stripped)
            if shadows:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
