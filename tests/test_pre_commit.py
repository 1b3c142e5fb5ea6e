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
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.py").write_text(V1_JOB)  # excluded: the hooks pass --force-exclude
    (tmp_path / "pyproject.toml").write_text('[tool.azureml-v2]\nexclude = ["legacy/"]\n')
    _git("add", "job.py", "clean.py", "legacy/old.py", "pyproject.toml", cwd=tmp_path)
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
    result = _try_repo(hook_repo, consumer, "job.py", "clean.py", "legacy/old.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "legacy/old.py" not in result.stdout and (consumer / "legacy" / "old.py").read_text() == V1_JOB
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


# --- the README's blocks, copied as a user copies them (issue 15) ------------------------------------


def _readme_blocks() -> list[str]:
    """The YAML blocks of the README's pre-commit section, in order."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### pre-commit\n"):readme.index("### In CI")]
    return [part.split("```")[0] for part in section.split("```yaml\n")[1:]]


def _pre_commit(consumer: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([str(PRE_COMMIT), *args], cwd=consumer, env={**GIT_ENV, "PRE_COMMIT_COLOR": "never"})


def test_readme_local_hooks_run_the_installed_tool(consumer: Path) -> None:
    local = _readme_blocks()[0]
    assert "repo: local" in local
    (consumer / ".pre-commit-config.yaml").write_text(local)
    result = _pre_commit(consumer, "run", "--files", "job.py", "clean.py", "legacy/old.py")
    assert result.returncode == 1, result.stdout + result.stderr
    check = _hook_output(result.stdout, "azureml-v2 check")
    assert "job.py:4:6: AML020" in check and "legacy" not in result.stdout
    assert (consumer / "job.py").read_text() == FIXED_JOB
    assert (consumer / "legacy" / "old.py").read_text() == V1_JOB
    again = _pre_commit(consumer, "run", "--files", "clean.py", "legacy/old.py")
    assert again.returncode == 0, again.stdout + again.stderr


def test_readme_remote_hooks_pinned_to_a_commit(hook_repo: Path, consumer: Path) -> None:
    remote = _readme_blocks()[1]
    assert "rev: 0123456789abcdef0123456789abcdef01234567" in remote
    config = remote.replace("https://github.com/<owner>/flake8-azureml-v2", str(hook_repo))
    (consumer / ".pre-commit-config.yaml").write_text(config)
    frozen = _pre_commit(consumer, "autoupdate", "--bleeding-edge", "--freeze")  # as the README says
    assert frozen.returncode == 0, frozen.stdout + frozen.stderr
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True).stdout.strip()
    assert f"rev: {head}" in (consumer / ".pre-commit-config.yaml").read_text()  # the newest commit, pinned
    result = _pre_commit(consumer, "run", "--files", "job.py", "legacy/old.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "job.py:4:6: AML020" in _hook_output(result.stdout, "azureml-v2 check")
    assert "legacy" not in result.stdout
