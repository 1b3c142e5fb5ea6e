"""The flake8 adapter: hands flake8's tree to the engine and yields its findings."""

from __future__ import annotations

import ast
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import __version__, config, notebooks
from .api import analyse
from .engine import Settings, SourceError

# A deeply nested expression (a long string concatenation) exceeds the default
# recursion limit of tree walks, flake8's own pyflakes included, and flake8 then
# drops every finding of the file.  From Python 3.11 on, Python-to-Python calls do
# not grow the C stack, so a higher limit is safe for the whole flake8 process.
if sys.version_info >= (3, 11) and sys.getrecursionlimit() < 10_000:
    sys.setrecursionlimit(10_000)

# Importing notebooks registers the .ipynb reader, so the training-script index
# also sees script= in notebooks and flake8 agrees with `azureml-v2 check`.
_NOTEBOOKS = notebooks.SUFFIX
_STDIN_NAMES = frozenset({"stdin", "-", ""})
log = logging.getLogger(__name__)


class AzureMLV2Checker:
    name = "flake8-azureml-v2"
    version = __version__
    settings = Settings()

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--aml-training-scripts",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            help=(
                "gitignore-style patterns naming training scripts for AML010 "
                "(default: [tool.azureml-v2] training-scripts in pyproject.toml)"
            ),
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        patterns = tuple(getattr(options, "aml_training_scripts", None) or ())
        try:
            project = config.load()
        except config.ConfigError:
            project = config.ProjectConfig()
        if patterns:
            cls.settings = project.settings(training_scripts=patterns, base=Path.cwd())
        else:
            cls.settings = project.settings()

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        """The findings; never raises: an internal error costs this file its AML findings
        (logged at debug level, ``flake8 -vv`` shows it) and flake8 goes on."""
        if not any("azureml" in line for line in self.lines):
            return
        path = None if self.filename in _STDIN_NAMES else self.filename
        try:
            analysis = analyse("".join(self.lines), path=path, settings=self.settings, tree=self.tree)
            found = [(f.line, f.col, f.text, type(self)) for f in analysis.findings]
        except SourceError:
            return  # flake8 reports the syntax error itself (E999)
        except Exception:  # noqa: BLE001 - RecursionError and MemoryError included
            log.debug("flake8-azureml-v2: internal error on %s; no AML findings for it", self.filename, exc_info=True)
            return
        yield from found
