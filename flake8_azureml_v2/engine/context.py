"""What a rule sees: the name model, the source, the path and the settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .names import Model
from .settings import Settings
from .source import SourceText


class Context:
    def __init__(self, model: Model, source: SourceText, path: Path | None, settings: Settings) -> None:
        self.model = model
        self.source = source
        self.path = path  # None on stdin or when the path does not exist on disk
        self.settings = settings
        self.cache: dict[str, Any] = {}  # facts several rules derive once per module
