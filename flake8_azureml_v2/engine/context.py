"""What a rule sees: the name model, the source, the path and the settings."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pathspec

from .names import Model
from .settings import Settings
from .source import SourceText

_RUN_GET_CONTEXT = "azureml.core.Run.get_context"


class Context:
    def __init__(self, model: Model, source: SourceText, path: Path | None, settings: Settings) -> None:
        self.model = model
        self.source = source
        self.path = path  # None on stdin or when the path does not exist on disk
        self.settings = settings

    @cached_property
    def training_evidence(self) -> str | None:
        """Why this file counts as a training script, or None when it does not."""
        if self.model.calls_to(_RUN_GET_CONTEXT):
            return "it calls Run.get_context()"
        if self.settings.training_evidence:
            return self.settings.training_evidence
        if self.path is None:
            return None
        pattern = self._matching_glob()
        if pattern is not None:
            return f"it matches the training-script pattern {pattern!r}"
        if self.settings.project_index:
            from .project import index_for

            index = index_for(self.path, self.settings)
            reference = index.reference_to(self.path)
            if reference is not None and reference.orchestrator != self.path:
                return reference.describe(index.root)
        return None

    def _matching_glob(self) -> str | None:
        assert self.path is not None
        base = self.settings.base or Path.cwd()
        try:
            relative = self.path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            relative = self.path.as_posix()
        for pattern in self.settings.training_scripts:
            if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(relative):
                return pattern
        return None
