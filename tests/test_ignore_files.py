"""The folder walk honours every ignore file ruff honours, and ``--force-exclude`` (issue 15)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run

V1 = "from azureml.core import Workspace\nws = Workspace.from_config()\n"
ISOLATED = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def _tree(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(V1)


def _checked(cwd: Path, *args: str, env: dict[str, str] | None = None) -> list[str]:
    result = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--select", "AML020", *args], cwd=cwd,
                 env={"HOME": str(cwd), "XDG_CONFIG_HOME": str(cwd / ".xdg"), **ISOLATED, **(env or {})})
    assert result.returncode in (0, 1), result.stderr
    return sorted(line.split(":")[0] for line in result.stdout.splitlines())


def _git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True, env={**os.environ, **ISOLATED})


def test_dot_ignore_files_count_and_the_last_matching_pattern_decides(tmp_path: Path) -> None:
    _tree(tmp_path, "a.py", "gen/b.py", "gen/keep.py", "notes/c.py")
    (tmp_path / ".gitignore").write_text("gen/*.py\n")
    (tmp_path / ".ignore").write_text("!gen/keep.py\nnotes/\n")
    assert _checked(tmp_path, ".") == ["a.py", "gen/keep.py"]


def test_git_info_exclude_is_honoured_in_a_repository(tmp_path: Path) -> None:
    _git_init(tmp_path)
    _tree(tmp_path, "a.py", "scratch/b.py")
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("scratch/\n")
    assert _checked(tmp_path, ".") == ["a.py"]


def test_global_excludes_file_from_git_config_and_its_default(tmp_path: Path) -> None:
    _git_init(tmp_path)
    _tree(tmp_path, "a.py", "mine.py", "other.py")
    (tmp_path / "excludes").write_text("mine.py\n")
    config = tmp_path / "gitconfig"
    config.write_text(f"[core]\n\texcludesFile = {tmp_path / 'excludes'}\n")
    assert _checked(tmp_path, ".", env={"GIT_CONFIG_GLOBAL": str(config)}) == ["a.py", "other.py"]
    (tmp_path / ".xdg" / "git").mkdir(parents=True)
    (tmp_path / ".xdg" / "git" / "ignore").write_text("other.py\n")
    assert _checked(tmp_path, ".") == ["a.py", "mine.py"]  # git's default place, without core.excludesFile


def test_global_excludes_do_not_apply_outside_a_repository(tmp_path: Path) -> None:
    _tree(tmp_path, "a.py", "other.py")
    (tmp_path / ".xdg" / "git").mkdir(parents=True)
    (tmp_path / ".xdg" / "git" / "ignore").write_text("other.py\n")
    assert _checked(tmp_path, ".") == ["a.py", "other.py"]


def test_a_parent_folders_ignore_file_applies_when_walking_a_subfolder(tmp_path: Path) -> None:
    _git_init(tmp_path)
    _tree(tmp_path, "src/a.py", "src/gen_b.py")
    (tmp_path / ".gitignore").write_text("gen_*.py\n")
    assert _checked(tmp_path / "src", ".") == ["a.py"]
    assert _checked(tmp_path, "src") == ["src/a.py"]


def test_named_files_are_checked_unless_force_exclude(tmp_path: Path) -> None:
    _tree(tmp_path, "legacy/old.py", "new.py")
    (tmp_path / "pyproject.toml").write_text('[tool.azureml-v2]\nexclude = ["legacy/"]\n')
    assert _checked(tmp_path, "legacy/old.py", "new.py") == ["legacy/old.py", "new.py"]
    assert _checked(tmp_path, "--force-exclude", "legacy/old.py", "new.py") == ["new.py"]
    assert _checked(tmp_path, "--force-exclude", "--exclude", "new.py", "legacy/old.py", "new.py") == ["legacy/old.py"]
    assert _checked(tmp_path / "legacy", "--force-exclude", "old.py") == []  # patterns are relative to the project


@pytest.mark.parametrize("command", ["check", "fix"])
def test_force_exclude_with_nothing_left_exits_zero(tmp_path: Path, command: str) -> None:
    _tree(tmp_path, "legacy/old.py")
    result = run([sys.executable, "-m", "flake8_azureml_v2", command, "--force-exclude", "--exclude", "legacy/",
                  "legacy/old.py"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "legacy/old.py").read_text() == V1
