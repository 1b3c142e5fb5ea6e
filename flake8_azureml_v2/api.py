"""The engine set up for Azure ML SDK v1: its rules and its v1 surface.

Adapters (the command line, flake8, pylsp, notebooks) call these; the engine
itself is given the rules and the surface and knows neither.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .engine.analysis import Analysis
from .engine.analysis import analyse as _analyse
from .engine.fixing.outcome import FixOutcome
from .engine.rule import Rule
from .engine.settings import Settings
from .rules import all_rules
from .v1api import SURFACE


def analyse(text: str, *, rules: Sequence[Rule] | None = None, **options: Any) -> Analysis:
    """Findings for one module (see :func:`flake8_azureml_v2.engine.analysis.analyse`)."""
    return _analyse(text, rules=all_rules() if rules is None else rules, surface=SURFACE, **options)


def fix_text(text: str, *, rules: Sequence[Rule] | None = None, **options: Any) -> FixOutcome:
    """Fix one module (see :func:`flake8_azureml_v2.engine.fixing.driver.fix_text`).

    With a ``path`` on disk, the module-level names other files of the project
    import are protected from renaming and deletion."""
    from .engine.fixing.driver import fix_text as _fix_text  # the fixer loads only when fixing

    if "protected" not in options:
        options["protected"] = _imported_elsewhere(options.get("path"), options.get("settings"))
    return _fix_text(text, rules=all_rules() if rules is None else rules, surface=SURFACE, **options)


def _imported_elsewhere(path: object, settings: Settings | None) -> frozenset[str]:
    if path is None:
        return frozenset()
    location = Path(os.path.abspath(str(path)))
    settings = settings or Settings()
    if not settings.project_index or not location.is_file():
        return frozenset()
    from .engine import importers, project

    return importers.imported_names(location, project.root_for(location, settings))
