"""Writing fixed files: no lost update, and the owner, group, mode and hard links survive."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from flake8_azureml_v2 import fix_command
from flake8_azureml_v2.engine import Settings
from flake8_azureml_v2.runner import Target
from flake8_azureml_v2.selection import Selection
from flake8_azureml_v2.writing import Changed, replace_file

from .conftest import run

UNUSED = "from azureml.core import Datastore, Workspace\nws = Workspace.from_config()\n"
FIXED = "from azureml.core import Workspace\nws = Workspace.from_config()\n"
TOOL = [sys.executable, "-m", "flake8_azureml_v2"]
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _fix_in_process(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[fix_command.Totals, str, str]:
    totals = fix_command.Totals()
    fix_command.fix_one(Target(path.name, path), Settings(), Selection(), fix_command.Options(), totals)
    captured = capsys.readouterr()
    return totals, captured.out, captured.err


def test_text_appended_while_fixing_is_never_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # do-no-harm race_lost_update.sh, made deterministic: the file grows between the read and the write.
    job = tmp_path / "job.py"
    job.write_text(UNUSED)
    real_process = fix_command.process

    def process_then_append(*args, **kwargs):
        result = real_process(*args, **kwargs)
        with open(job, "a", encoding="utf-8") as stream:
            stream.write("# appended by an editor\n")
        return result

    monkeypatch.setattr(fix_command, "process", process_then_append)
    totals, out, err = _fix_in_process(job, capsys)
    assert job.read_text() == UNUSED + "# appended by an editor\n"
    assert err == ("job.py: error: cannot write: the file changed while it was being fixed, so it was not written; "
                   "run the fix again; the file is unchanged\n")
    assert (totals.errors, totals.files_changed, totals.fixed) == (1, 0, 0)
    assert " fixed:" not in out  # nothing was fixed after all
    assert fix_command.exit_code(totals, fix_command.Options()) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # the report's positions are those of the file as read, since nothing was written
    assert "job.py:2:6: AML020 left: unsafe fix" in out


def test_replace_file_checks_the_bytes_also_when_rewriting_in_place(tmp_path: Path) -> None:
    job = tmp_path / "job.py"
    job.write_text("new line\n" + UNUSED)
    os.link(job, tmp_path / "other_name.py")  # two links: the in-place path
    with pytest.raises(Changed):
        replace_file(job, FIXED.encode(), expected=UNUSED.encode())
    assert job.read_text() == "new line\n" + UNUSED
    replace_file(job, FIXED.encode(), expected=("new line\n" + UNUSED).encode())
    assert job.read_text() == FIXED


def test_a_file_growing_under_a_real_concurrent_writer_loses_nothing(tmp_path: Path) -> None:
    job = tmp_path / "r.py"
    job.write_text("from azureml.core import Workspace, Experiment\n"
                   + "".join(f"x{i} = Workspace.from_config()\n" for i in range(400)))
    fixer = subprocess.Popen([*TOOL, "fix", "--unsafe-fixes", "r.py"], cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    appended = 0
    while fixer.poll() is None:
        appended += 1
        with open(job, "a", encoding="utf-8") as stream:
            stream.write(f"# APPENDED-{appended}\n")
        time.sleep(0.01)
    _, err = fixer.communicate()
    for _ in range(3):
        appended += 1
        with open(job, "a", encoding="utf-8") as stream:
            stream.write(f"# APPENDED-{appended}\n")
    markers = [line for line in job.read_text().splitlines() if line.startswith("# APPENDED-")]
    assert markers == [f"# APPENDED-{n}" for n in range(1, appended + 1)], err
    assert fixer.returncode in (0, 2)  # 2: refused because the file changed under it
    assert "Traceback" not in err


def test_hard_links_and_mode_survive(tmp_path: Path) -> None:
    job = tmp_path / "job.py"
    job.write_text(UNUSED)
    job.chmod(0o640)
    other = tmp_path / "same_file.py"
    os.link(job, other)
    inode = job.stat().st_ino
    result = run([*TOOL, "fix", "job.py"], cwd=tmp_path)
    assert result.returncode == 1 and "Fixed 1 finding in 1 file" in result.stdout
    assert job.read_text() == FIXED and other.read_text() == FIXED
    assert job.stat().st_ino == inode and job.stat().st_nlink == 2
    assert stat.S_IMODE(job.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.py", "same_file.py"]


@pytest.mark.skipif(not ROOT, reason="giving a file to another owner needs root")
def test_owner_and_group_survive_an_atomic_replace(tmp_path: Path) -> None:
    job = tmp_path / "job.py"
    job.write_text(UNUSED)
    os.chown(job, 12345, 23456)
    job.chmod(0o604)
    inode = job.stat().st_ino
    result = run([*TOOL, "fix", "job.py"], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    info = job.stat()
    assert job.read_text() == FIXED and info.st_ino != inode  # replaced by a new file...
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (12345, 23456, 0o604)  # ...with the old owner


SYSTEM_PYTHON = "/usr/bin/python3"


@pytest.mark.skipif(not ROOT or not os.path.exists(SYSTEM_PYTHON), reason="runs the fixer as another user")
def test_a_file_whose_owner_cannot_be_kept_is_rewritten_in_place() -> None:
    # The fixer runs as 'nobody' on a root-owned, world-writable file: a new file would belong to
    # nobody, so the content is written into the existing file instead.
    site = next(Path(sys.prefix).glob("lib/python3*/site-packages"))
    project = Path(__file__).resolve().parents[1]
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o777)
        job = folder / "job.py"
        job.write_text(UNUSED)
        job.chmod(0o666)
        inode = job.stat().st_ino
        env = {"PYTHONPATH": f"{project}{os.pathsep}{site}", "PATH": "/usr/bin:/bin", "HOME": str(folder)}

        def as_nobody() -> None:
            os.setgid(65534)
            os.setuid(65534)

        result = subprocess.run([SYSTEM_PYTHON, "-m", "flake8_azureml_v2", "fix", "job.py"], cwd=folder, env=env,
                                preexec_fn=as_nobody, capture_output=True, text=True, timeout=300)
        assert result.returncode == 1, result.stderr
        info = job.stat()
        assert job.read_text() == FIXED
        assert (info.st_ino, info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (inode, 0, 0, 0o666)
        assert sorted(p.name for p in folder.iterdir()) == ["job.py"]
    finally:
        shutil.rmtree(folder)


def test_read_only_files_are_refused(tmp_path: Path) -> None:
    job = tmp_path / "job.py"
    job.write_text(UNUSED)
    job.chmod(0o444)
    result = run([*TOOL, "fix", "job.py"], cwd=tmp_path)
    assert result.returncode == 2
    assert "job.py: error: cannot write: the file is read-only; the file is unchanged" in result.stderr
    assert job.read_text() == UNUSED
