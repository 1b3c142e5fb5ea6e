"""The pre-commit hooks, run by the real ``pre-commit try-repo`` against this working tree.

try-repo builds the hook's virtualenv with pip from a git repository, which
needs the package index for flake8, ast-grep-py and pathspec.  The working
tree (tracked and new files, not yet committed) is copied into a scratch git
repository first, so the hooks under test are exactly the ones on disk.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import run

pytestmark = pytest.mark.integration

ROOT = Path(__file__).parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
V1_JOB = (
    "import os\n"
    "from azureml.core import Workspace, Datastore\n"
    "\n"
    "ws = Workspace.from_config()\n"
    "print(ws.name, os.sep)\n"
)
FIXED_JOB = (
    "import os\n"
    "from azureml.core import Workspace\n"
    "\n"
    "ws = Workspace.from_config()\n"
    "print(ws.name, os.sep)\n"
)
CLEAN = "from azure.ai.ml import MLClient\n\nprint(MLClient)\n"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of the working tree, as pre-commit would clone it."""
    copy = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    _git("init", "-q", cwd=copy)
    _git("add", "-A", cwd=copy)
    _git("commit", "-q", "-m", "snapshot of the working tree", cwd=copy)
    return copy


@pytest.fixture
def consumer(tmp_path: Path) -> Path:
    _git("init", "-q", cwd=tmp_path)
    (tmp_path / "job.py").write_text(V1_JOB)
    (tmp_path / "clean.py").write_text(CLEAN)
    _git("add", "job.py", "clean.py", cwd=tmp_path)
    return tmp_path


def _try_repo(hook_repo: Path, consumer: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """Both hooks of the repository (no hook id), in one environment build (about 25 s)."""
    assert PRE_COMMIT.exists(), "pre-commit is a test dependency"
    env = {**GIT_ENV, "PRE_COMMIT_COLOR": "never"}
    return run([str(PRE_COMMIT), "try-repo", str(hook_repo), "--files", *files, "--verbose"], cwd=consumer, env=env)


def _hook_output(stdout: str, name: str) -> str:
    """The lines pre-commit printed for one hook: its status line up to the next hook's."""
    lines = stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(name))
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("azureml-v2 ")), len(lines))
    return "\n".join(lines[start:end])


def test_the_hook_file_declares_both_hooks() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"azureml-v2-check", "azureml-v2-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "jupyter"]
        assert hook["minimum_pre_commit_version"] == "2.9.0"


def test_hooks_block_v1_code_rewrite_it_and_pass_clean_files(hook_repo: Path, consumer: Path) -> None:
    result = _try_repo(hook_repo, consumer, "job.py", "clean.py")
    assert result.returncode == 1, result.stdout + result.stderr
    check = _hook_output(result.stdout, "azureml-v2 check")
    assert "Failed" in check.splitlines()[0]
    assert "job.py:2:1: AML099" in check and "job.py:4:6: AML020" in check
    assert "clean.py" not in check
    fix = _hook_output(result.stdout, "azureml-v2 fix")
    assert "Failed" in fix.splitlines()[0] and "files were modified by this hook" in fix
    assert (consumer / "job.py").read_text() == FIXED_JOB  # the unused Datastore import is gone
    assert (consumer / "clean.py").read_text() == CLEAN

    passing = _try_repo(hook_repo, consumer, "clean.py")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in _hook_output(passing.stdout, "azureml-v2 check").splitlines()[0]
    assert "Passed" in _hook_output(passing.stdout, "azureml-v2 fix").splitlines()[0]
