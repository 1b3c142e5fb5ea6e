"""The file system under ``check`` and ``fix``: links, loops, FIFOs, devices and the project index's cost."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from flake8_azureml_v2.v1api import SURFACE
from flake8_azureml_v2.engine import Settings, files, project
from flake8_azureml_v2.engine.files import NotARegularFile, TooLarge, read_regular, walk

from .conftest import run

V1 = "from azureml.core import Workspace, Experiment\nws = Workspace.from_config()\n"
TOOL = [sys.executable, "-m", "flake8_azureml_v2"]
ORCHESTRATOR = ("from azureml.core import ScriptRunConfig\n"
                "config = ScriptRunConfig(source_directory='src', script='train.py')\n")
TRAIN = "import azureml.core\nprint('training')\n"

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX file system features")


def _files(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in walk(folder, (".py",))]


def _reported(output: str) -> list[str]:
    return sorted(line.split(":")[0] for line in output.splitlines())


def test_walk_yields_regular_files_only(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(V1)
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing.py")
    (tmp_path / "folder.py").mkdir()
    assert _files(tmp_path) == ["a.py"]


def test_check_of_a_tree_with_a_fifo_and_a_device_link_does_not_block(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(V1)
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    result = run([*TOOL, "check", "."], cwd=tmp_path)  # run() has a timeout: a hang fails the test
    assert (result.returncode, _reported(result.stdout)) == (1, ["a.py", "a.py"])
    assert result.stderr == "Found 2 findings.\n"


def test_named_fifo_or_device_is_an_error_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    (tmp_path / "good.py").write_text(V1)
    for command in ("check", "fix"):
        result = run([*TOOL, command, "pipe.py", "zero.py", "good.py"], cwd=tmp_path)
        assert result.returncode == 2
        errors = [line for line in result.stderr.splitlines() if "error" in line]
        assert errors == ["pipe.py: error: cannot read: not a regular file (a FIFO)",
                          "zero.py: error: cannot read: not a regular file (a character device)"]
    with pytest.raises(NotARegularFile):
        read_regular(tmp_path / "pipe.py")


def test_project_index_never_opens_a_fifo_even_when_excluded(tmp_path: Path) -> None:
    # do-no-harm fifo_hang.sh: checking ONE file used to hang on a FIFO elsewhere in the project
    (tmp_path / ".git").mkdir()
    (tmp_path / "other").mkdir()
    os.mkfifo(tmp_path / "other" / "pipe.py")
    (tmp_path / "other" / "zero.py").symlink_to("/dev/zero")
    (tmp_path / "a.py").write_text(V1)
    for extra in ([], ["--exclude", "other"]):
        result = run([*TOOL, "check", *extra, "a.py"], cwd=tmp_path)
        assert result.returncode == 1 and _reported(result.stdout) == ["a.py", "a.py"], result.stderr


def test_project_index_honours_exclude(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "submit.py").write_text(ORCHESTRATOR)
    (tmp_path / "jobs" / "src").mkdir()
    (tmp_path / "jobs" / "src" / "train.py").write_text(TRAIN)
    named = run([*TOOL, "check", "jobs/src/train.py"], cwd=tmp_path)
    assert "AML010 azureml import in a training script (jobs/submit.py:2 names it with script=)" in named.stdout
    excluded = run([*TOOL, "check", "--exclude", "submit.py", "jobs/src/train.py"], cwd=tmp_path)
    assert "AML010" not in excluded.stdout and "AML099" in excluded.stdout
    # [tool.azureml-v2] exclude applies too
    (tmp_path / "pyproject.toml").write_text('[tool.azureml-v2]\nexclude = ["jobs/submit.py"]\n')
    configured = run([*TOOL, "check", "jobs/src/train.py"], cwd=tmp_path)
    assert "AML010" not in configured.stdout and "AML099" in configured.stdout


def _training_project(root: Path) -> Path:
    (root / ".git").mkdir()
    (root / "submit.py").write_text(ORCHESTRATOR)
    (root / "src").mkdir()
    train = root / "src" / "train.py"
    train.write_text(TRAIN)
    return train


def test_project_index_skips_files_above_the_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    train = _training_project(tmp_path)
    assert project.index_at(tmp_path, SURFACE).reference_to(train) is not None
    project.forget_indexes()
    monkeypatch.setattr(project, "MAX_FILE_BYTES", len(ORCHESTRATOR) - 1)
    assert project.index_at(tmp_path, SURFACE).reference_to(train) is None
    with pytest.raises(TooLarge):
        read_regular(tmp_path / "submit.py", limit=10)


def test_project_index_first_lookup_notes_only_files_naming_it(tmp_path: Path) -> None:
    """A one-file check notes the mentions of the files that hold the name it looks up;
    a later lookup of another name notes the rest, and finds its launcher all the same."""
    train = _training_project(tmp_path)
    (tmp_path / "other.py").write_text(ORCHESTRATOR.replace("'src'", "'jobs'").replace("train.py", "score.py"))
    (tmp_path / "jobs").mkdir()
    score = tmp_path / "jobs" / "score.py"
    score.write_text(TRAIN)
    index = project.index_at(tmp_path, SURFACE)
    reference = index.reference_to(train)
    assert reference is not None and reference.orchestrator.name == "submit.py"
    assert set(index.mentions) == {"train.py"}  # other.py was kept aside, unread for mentions
    reference = index.reference_to(score)
    assert reference is not None and reference.orchestrator.name == "other.py"
    assert set(index.mentions) == {"train.py", "score.py"}
    assert index.reference_to(tmp_path / "src" / "unnamed.py") is None


def test_project_root_is_known_once_per_folder(tmp_path: Path) -> None:
    """Files of one folder share their root; a marker added later counts once the caches are forgotten."""
    (tmp_path / "pkg").mkdir()
    assert project.find_root(tmp_path / "pkg" / "a.py", tmp_path) == tmp_path
    (tmp_path / "pkg" / "pyproject.toml").write_text("")
    assert project.find_root(tmp_path / "pkg" / "b.py", tmp_path) == tmp_path  # cached for the folder
    project.forget_indexes()
    assert project.find_root(tmp_path / "pkg" / "b.py", tmp_path) == tmp_path / "pkg"


def test_project_root_asks_each_shared_ancestor_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders of a deep tree share their ancestors' answers: a sibling folder probes only itself."""
    (tmp_path / "pyproject.toml").write_text("")
    for leaf in ("c", "d"):
        (tmp_path / "a" / "b" / leaf).mkdir(parents=True)
    project.forget_indexes()
    probed: list[Path] = []
    real_exists = os.path.exists

    def exists(path: str) -> bool:
        probed.append(Path(path).parent)
        return real_exists(path)

    monkeypatch.setattr(os.path, "exists", exists)
    assert project.find_root(tmp_path / "a" / "b" / "c" / "x.py", None) == tmp_path
    assert set(probed) == {tmp_path / "a" / "b" / "c", tmp_path / "a" / "b", tmp_path / "a", tmp_path}
    probed.clear()
    assert project.find_root(tmp_path / "a" / "b" / "d" / "y.py", None) == tmp_path
    assert set(probed) == {tmp_path / "a" / "b" / "d"}


@pytest.mark.parametrize(("bound", "value"), [("MAX_FILES", 1), ("MAX_TOTAL_BYTES", 1)])
def test_project_index_scan_stops_at_its_bounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bound: str,
                                                 value: int) -> None:
    _training_project(tmp_path)
    for index in range(5):
        (tmp_path / f"more_{index}.py").write_text("import azureml.core\n")
    index = project.index_at(tmp_path, SURFACE)
    index.scan_all()
    assert index.complete
    project.forget_indexes()
    monkeypatch.setattr(project, bound, value)
    index = project.index_at(tmp_path, SURFACE, Settings())
    index.scan_all()
    assert not index.complete
    assert sum(len(paths) for paths in index.mentions.values()) <= 1


def test_folder_link_loops_add_nothing(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "job.py").write_text(V1)
    (tmp_path / "pkg" / "sub" / "up").symlink_to("../..")  # a loop back to the tree's root
    (tmp_path / "pkg" / "self").symlink_to(".")
    (tmp_path / "alias").symlink_to("pkg")  # a second way into the same folder
    assert _files(tmp_path) == ["pkg/sub/job.py"]
    result = run([*TOOL, "check", "."], cwd=tmp_path)
    assert _reported(result.stdout) == ["pkg/sub/job.py"] * 2


def test_links_leading_out_of_the_tree_are_not_followed(tmp_path: Path) -> None:
    # do-no-harm symlink_outside.sh: fix used to rewrite a file outside the tree through a link
    outside, tree = tmp_path / "outside", tmp_path / "tree"
    (outside / "lib").mkdir(parents=True)
    tree.mkdir()
    (tree / ".git").mkdir()
    victim = outside / "victim.py"
    victim.write_text(V1)
    (outside / "lib" / "also.py").write_text(V1)
    (tree / "link.py").symlink_to("../outside/victim.py")
    (tree / "linked_folder").symlink_to("../outside/lib")
    (tree / "own.py").write_text(V1)
    assert _files(tree) == ["own.py"]
    result = run([*TOOL, "fix", "--unsafe-fixes", "."], cwd=tree)
    assert result.returncode == 0, result.stderr
    assert victim.read_text() == V1 and (outside / "lib" / "also.py").read_text() == V1
    assert "MLClient" in (tree / "own.py").read_text()
    assert (tree / "link.py").is_symlink()


def test_a_named_link_to_a_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    outside, tree = tmp_path / "outside", tmp_path / "tree"
    outside.mkdir()
    tree.mkdir()
    (tree / ".git").mkdir()
    victim = outside / "victim.py"
    victim.write_text(V1)
    (tree / "link.py").symlink_to("../outside/victim.py")
    result = run([*TOOL, "fix", "--unsafe-fixes", "link.py"], cwd=tree)
    assert result.returncode == 2
    assert f"link.py: error: cannot write: it resolves to {victim}, outside " in result.stderr
    assert victim.read_text() == V1
    assert run([*TOOL, "check", "link.py"], cwd=tree).returncode == 1  # reading through it is harmless


def test_a_link_inside_the_tree_is_fixed_once_through_its_target(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "real.py").write_text(V1)
    (tmp_path / "a_link.py").symlink_to("real.py")
    assert _files(tmp_path) == ["real.py"]
    check = run([*TOOL, "check", "."], cwd=tmp_path)
    assert _reported(check.stdout) == ["real.py"] * 2
    named = run([*TOOL, "fix", "--unsafe-fixes", "a_link.py"], cwd=tmp_path)  # in the project: allowed
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "a_link.py").is_symlink() and "MLClient" in (tmp_path / "real.py").read_text()


def test_a_link_to_a_file_the_walk_skips_is_still_checked(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()  # a skipped folder
    (tmp_path / "build" / "gen.py").write_text(V1)
    (tmp_path / "gen.py").symlink_to("build/gen.py")
    assert _files(tmp_path) == ["gen.py"]


def test_a_folder_name_pattern_is_skipped_without_compiling(tmp_path: Path) -> None:
    """``name/`` names that folder at any depth: the walk skips it, and only the other patterns are
    compiled (a one-file check imports no pattern library for the checkpoint folder it always skips)."""
    spec, skipped = files.walk_filters([".ipynb_aml_checkpoints/", "/out/", "*.tmp.py"])
    assert ".ipynb_aml_checkpoints" in skipped and "out" not in skipped and files.SKIPPED_FOLDERS <= skipped
    assert spec is not None and spec.match_file("out/x.py") and spec.match_file("a/b.tmp.py")
    assert files.walk_filters([".ipynb_aml_checkpoints/"])[0] is None
    (tmp_path / "deep" / ".ipynb_aml_checkpoints").mkdir(parents=True)
    (tmp_path / "deep" / ".ipynb_aml_checkpoints" / "a.py").write_text("")
    (tmp_path / "deep" / "b.py").write_text("")
    walked = [p.name for p in files.walk(tmp_path, (".py",), None, skipped=skipped)]
    assert walked == ["b.py"]
