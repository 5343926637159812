"""Lint: the code passes ruff with the project's settings (ruff.toml), so CI catches unused or shadowed names."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_passes():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: `make test` installs requirements-test.txt", pytrace=False)
    result = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


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
