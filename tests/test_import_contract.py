"""The one-way order of the code (pyproject.toml, [tool.importlinter]) is checked: the tree as
it is keeps it, and a part that imports a later part is refused."""

import shutil
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ["laeringsmiljo", "applications", "selection"]


def lint_imports(folder):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=folder, capture_output=True, text=True, timeout=120
    )


def copy_of_the_code(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            BASE_DIR / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(BASE_DIR / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_the_import_order():
    result = lint_imports(BASE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_a_part_that_imports_a_later_part_is_refused(tmp_path):
    code = copy_of_the_code(tmp_path)
    (code / "selection" / "evidence" / "probe.py").write_text(
        "from selection.letters.models import Letter  # noqa: F401\n"
    )
    result = lint_imports(code)
    assert result.returncode == 1
    assert (
        "core < applications < evidence < scoring < process < letters < archive < followup BROKEN"
        # The report wraps a long contract name at the terminal's width.
        in " ".join(result.stdout.split())
    )
    assert "selection.evidence.probe -> selection.letters.models" in result.stdout


def test_the_core_that_imports_an_app_is_refused(tmp_path):
    code = copy_of_the_code(tmp_path)
    (code / "laeringsmiljo" / "probe.py").write_text(
        "from applications.models import Application  # noqa: F401\n"
    )
    result = lint_imports(code)
    assert result.returncode == 1
    assert "laeringsmiljo.probe -> applications.models" in result.stdout
