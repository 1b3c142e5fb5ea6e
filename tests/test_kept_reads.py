"""Reads of other files that project-wide questions repeat: kept while the file is unchanged,
read again once it is not, and never a different answer from reading the disk."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from flake8_azureml_v2.engine import Settings, files, project


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths ``read_regular`` opens, in order."""
    opened: list[str] = []
    real = files.read_regular

    def counting(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
        opened.append(os.path.basename(path))
        return real(path, limit)

    monkeypatch.setattr(files, "read_regular", counting)
    files.forget_kept()
    yield opened
    files.forget_kept()


def _same_times(path: Path, like: os.stat_result) -> None:
    os.utime(path, ns=(like.st_atime_ns, like.st_mtime_ns))


def test_an_unchanged_file_is_read_once(tmp_path: Path, reads: list[str]) -> None:
    (tmp_path / "a.py").write_bytes(b"print(1)\n")
    assert files.read_kept(tmp_path / "a.py") == b"print(1)\n"
    assert files.read_kept(str(tmp_path / "a.py")) == b"print(1)\n"
    assert reads == ["a.py"]


def test_a_replaced_file_is_read_again_even_with_the_same_size_and_time(tmp_path: Path, reads: list[str]) -> None:
    target = tmp_path / "a.py"
    target.write_bytes(b"print(1)\n")
    before = target.stat()
    assert files.read_kept(target) == b"print(1)\n"
    (tmp_path / "new.tmp").write_bytes(b"print(2)\n")  # as this tool writes: a new file renamed over it
    _same_times(tmp_path / "new.tmp", before)
    os.replace(tmp_path / "new.tmp", target)
    assert target.stat().st_size == before.st_size and target.stat().st_mtime_ns == before.st_mtime_ns
    assert files.read_kept(target) == b"print(2)\n"
    assert reads == ["a.py", "a.py"]


@pytest.mark.parametrize("new", [b"print(22)\n", b"print(3)\n"], ids=["another size", "another time"])
def test_a_file_changed_in_place_is_read_again(tmp_path: Path, reads: list[str], new: bytes) -> None:
    target = tmp_path / "a.py"
    target.write_bytes(b"print(1)\n")
    before = target.stat()
    assert files.read_kept(target) == b"print(1)\n"
    target.write_bytes(new)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert files.read_kept(target) == new
    assert reads == ["a.py", "a.py"]


def test_a_kept_file_over_the_limit_is_too_large(tmp_path: Path, reads: list[str]) -> None:
    (tmp_path / "a.py").write_bytes(b"x = 1\n" * 10)
    assert len(files.read_kept(tmp_path / "a.py")) == 60
    with pytest.raises(files.TooLarge):
        files.read_kept(tmp_path / "a.py", limit=59)
    assert files.read_kept(tmp_path / "a.py", limit=60) == b"x = 1\n" * 10


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_is_refused_without_blocking_and_not_kept(tmp_path: Path, reads: list[str]) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    for _ in range(2):
        with pytest.raises(files.NotARegularFile):
            files.read_kept(tmp_path / "pipe.py")
    assert reads == ["pipe.py", "pipe.py"]


def test_a_missing_file_raises_as_a_read_does(tmp_path: Path, reads: list[str]) -> None:
    with pytest.raises(FileNotFoundError):
        files.read_kept(tmp_path / "missing.py")


def test_forgetting_the_indexes_forgets_kept_files(tmp_path: Path, reads: list[str]) -> None:
    (tmp_path / "a.py").write_bytes(b"print(1)\n")
    files.read_kept(tmp_path / "a.py")
    project.forget_indexes()
    files.read_kept(tmp_path / "a.py")
    assert reads == ["a.py", "a.py"]


def test_the_least_recently_read_go_first_past_the_bound(tmp_path: Path, reads: list[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "KEPT_BYTES", 25)
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_bytes(b"print(1)\n")  # 9 bytes each: two fit
    for name in ("a.py", "b.py", "a.py", "c.py", "a.py", "b.py"):
        files.read_kept(tmp_path / name)
    # a kept (read again before c), b dropped when c came, then read again
    assert reads == ["a.py", "b.py", "c.py", "b.py"]


def test_the_fixed_text_of_an_unwritten_file_wins_over_a_kept_read(tmp_path: Path, reads: list[str]) -> None:
    (tmp_path / "a.py").write_bytes(b"print(1)\n")
    assert files.read_as_fixed(tmp_path / "a.py") == b"print(1)\n"
    files.record_unwritten(tmp_path / "a.py", b"print(2)\n")
    try:
        assert files.read_as_fixed(tmp_path / "a.py") == b"print(2)\n"
        assert files.read_as_found(tmp_path / "a.py") == b"print(1)\n"
    finally:
        files.forget_unwritten()
    assert files.read_as_fixed(tmp_path / "a.py") == b"print(1)\n"
    assert reads == ["a.py"]


def _same_branch_by_parents(reader: Path, script: Path) -> bool:
    """The definition ``same_branch`` keeps, spelt with ``Path.parents``."""
    return (reader.parent == script.parent or reader.parent in script.parents or script.parent in reader.parents
            or reader.parent.parent in (script.parent.parent, script.parent.parent.parent))


def test_same_branch_answers_as_the_parents_do() -> None:
    folders = ["", "a", "a/b", "a/b/c", "a/c", "b", "b/a", "a/b/c/d", "c/b/c"]
    paths = [Path(folder) / "x.py" for folder in folders] + [Path("/") / folder / "x.py" for folder in folders]
    answers = set()
    for reader, script in itertools.product(paths, repeat=2):
        expected = _same_branch_by_parents(reader, script)
        assert project.same_branch(reader, script) is expected, (reader, script)
        answers.add(expected)
    assert answers == {True, False}


def test_texts_mentioning_reads_only_the_files_wanted(tmp_path: Path, reads: list[str]) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "near").mkdir()
    (tmp_path / "far").mkdir()
    for folder in ("near", "far"):
        (tmp_path / folder / "train.py").write_bytes(b"run.log('a', 1)\n")
    settings = Settings(project_index=True)
    found = list(project.texts_mentioning(tmp_path / "near" / "x.py", settings, (".py",), b"log",
                                          lambda path: path.parent.name == "near"))
    assert [(path.parent.name, data) for path, data in found] == [("near", b"run.log('a', 1)\n")]
    assert reads == ["train.py"]
    everything = list(project.texts_mentioning(tmp_path / "near" / "x.py", settings, (".py",), b"log"))
    assert sorted(path.parent.name for path, _ in everything) == ["far", "near"]
