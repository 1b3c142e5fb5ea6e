"""Shared helpers for the test suite."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_azureml_v2.engine.project import forget_indexes

TESTS = Path(__file__).parent
RULE_FIXTURES = TESTS / "fixtures" / "rules"

_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>AML\d+(?:\s*,\s*AML\d+)*)")
_SUPPRESSED = re.compile(r"#\s*suppressed:\s*(?P<codes>AML\d+(?:\s*,\s*AML\d+)*)")
LOOKALIKE_MARKER = "# --- look-alikes: nothing below is flagged ---"


def _codes(match: re.Match[str] | None) -> list[str]:
    if match is None:
        return []
    return [c.strip() for c in match.group("codes").split(",")]


def expectations(path: Path) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    """(line, code) pairs marked ``# expect:`` and ``# suppressed:`` in a fixture."""
    expected: set[tuple[int, str]] = set()
    suppressed: set[tuple[int, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        expected.update((number, c) for c in _codes(_EXPECT.search(line)))
        suppressed.update((number, c) for c in _codes(_SUPPRESSED.search(line)))
    return expected, suppressed


def lookalike_start(path: Path) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == LOOKALIKE_MARKER:
            return number
    return None


def run(args: list[str], cwd: Path | None = None, input: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command with this interpreter's scripts first on PATH."""
    full_env = dict(os.environ)
    full_env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + full_env.get("PATH", "")
    full_env.update(env or {})
    return subprocess.run(args, cwd=cwd, input=input, capture_output=True, text=True, env=full_env, timeout=600)


@pytest.fixture(autouse=True)
def _fresh_project_indexes():
    forget_indexes()
    yield
    forget_indexes()
