"""Before/after pairs for ``azureml-v2 fix``: exact bytes, a no-op second run,
and untouched files where nothing may change."""

from __future__ import annotations

import ast
import os
import shutil
import sys
from pathlib import Path

import pytest

from flake8_azureml_v2.api import fix_text

from .conftest import TESTS, run

CASES = sorted(p for p in (TESTS / "fixtures" / "fix").iterdir() if p.is_dir())
OLD = 1_000_000_000  # a fixed, old modification time


def _fix(path: Path, args: list[str]) -> str:
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", *args, path.name], cwd=path.parent)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout + result.stderr


def _args(case: Path) -> list[str]:
    args = case / "args.txt"
    return args.read_text().split() if args.exists() else []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_pair(case: Path, tmp_path: Path) -> None:
    before = (case / "before.py").read_bytes()
    expected = (case / "after.py").read_bytes()
    ast.parse(expected)
    target = tmp_path / "job.py"
    if (case / "project").is_dir():  # the files the program's jobs run, beside it
        shutil.copytree(case / "project", tmp_path, dirs_exist_ok=True)
    target.write_bytes(before)
    os.utime(target, (OLD, OLD))
    _fix(target, _args(case))
    assert target.read_bytes() == expected
    if expected == before:
        assert target.stat().st_mtime == OLD  # not rewritten at all
    # a second run schedules nothing and leaves the file alone
    os.utime(target, (OLD, OLD))
    _fix(target, _args(case))
    assert target.read_bytes() == expected and target.stat().st_mtime == OLD
    outcome = fix_text(expected.decode("utf-8"), path=target, unsafe="--unsafe-fixes" in _args(case))
    assert outcome.fixed == []


def test_crlf_tabs_and_non_ascii_outside_edits_are_byte_identical() -> None:
    case = TESTS / "fixtures" / "fix" / "crlf_tabs_non_ascii"
    before = (case / "before.py").read_bytes()
    after = (case / "after.py").read_bytes()
    assert b"\r\n" in before and b"\n" not in before.replace(b"\r\n", b"")
    assert b"\n" not in after.replace(b"\r\n", b"")  # every line ending is still CRLF
    unchanged_lines = [line for line in before.split(b"\r\n") if b"azureml" not in line and b"Workspace" not in line
                       and b"Experiment" not in line and b"ScriptRunConfig" not in line and b"source_directory" not in line
                       and b"script=" not in line and b"compute_target" not in line and b"submit" not in line
                       and b"get_portal_url" not in line and b"Environment" not in line]
    for line in unchanged_lines:
        assert line in after.split(b"\r\n")
    assert "« titanic » 😀".encode() in after and b"\t# the script lives in src/" in after
    assert b"compute=\"cpu-cluster\",  # a shared cluster" in after


def test_noqa_on_one_construct_keeps_the_whole_program() -> None:
    case = TESTS / "fixtures" / "fix" / "noqa_blocks_the_program"
    assert (case / "before.py").read_bytes() == (case / "after.py").read_bytes()


def _blank_line_problems(path: Path) -> int:
    """ruff's blank-line rules (E301-E306, preview) on one file."""
    result = run([sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--preview", "--select",
                  "E301,E302,E303,E304,E305,E306", "--output-format", "concise", "--exit-zero", path.name], cwd=path.parent)
    return sum(1 for line in result.stdout.splitlines() if ": E30" in line or "blank-line" in line)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_a_fix_adds_no_blank_line_problem(case: Path, tmp_path: Path) -> None:
    """Helpers are set off by two blank lines, as PEP 8 has it for definitions."""
    (tmp_path / "before.py").write_bytes((case / "before.py").read_bytes())
    (tmp_path / "after.py").write_bytes((case / "after.py").read_bytes())
    assert _blank_line_problems(tmp_path / "after.py") <= _blank_line_problems(tmp_path / "before.py")
