"""Settings the engine needs; adapters fill them from flake8 options or pyproject.toml."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    # gitignore-style patterns, relative to ``base``, naming training scripts (code that runs inside a job)
    training_scripts: tuple[str, ...] = ()
    base: Path | None = None
    # Where to look for orchestration files when a file has no project marker above it.
    project_root_hint: Path | None = None
    # Follow script= / script_name= / entry_script= across the project.
    project_index: bool = True
    # gitignore-style patterns the project index skips (the command line's and the configuration's excludes).
    exclude: tuple[str, ...] = ()
    # Set by an adapter that knows from elsewhere that the text runs inside a job
    # (a notebook cell that writes a script the notebook submits): why, for the rules about in-job code.
    training_evidence: str | None = None
    # Set with it: the qualified names of the calls there that name the text as the script they run.
    launchers: tuple[str, ...] = ()
    # Set with it: the file on disk whose text holds this program and names it (the notebook that
    # writes the script), so that file's other uses of the script can be looked at too.
    named_in: Path | None = None
    # Set with it: where in that file a call naming it still stands once this run has fixed the file
    # (``cell 5:1``), or None when none is left: that call runs the program as it was written for.
    unmigrated_launcher: str | None = None
    # Set with it: the file name it is written to, that file's program as this run leaves it, and
    # how a message names one of that program's lines.
    written_as: str | None = None
    # The path a written program is written to (``%%writefile ../train/train.py``), which may not
    # be on disk yet: its neighbours there are its project neighbours.
    written_at: Path | None = None
    launcher_text: str | None = None
    launcher_line_name: Callable[[int], str] | None = None
