"""The one entry point every adapter calls: source in, findings out."""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import project
from .context import Context
from .findings import Finding
from .modules import ProjectModules
from .names import Model
from .rule import Rule
from .settings import Settings
from .source import SourceError, SourceText, deep_recursion, parse, paused_gc
from .surface import Surface


@dataclass
class Analysis:
    source: SourceText
    findings: list[Finding] = field(default_factory=list)
    model: Model | None = None
    context: Context | None = None


def analyse(
    text: str,
    *,
    rules: Sequence[Rule],
    surface: Surface,
    path: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    tree: ast.Module | None = None,
    remember: bool = True,
) -> Analysis:
    """Run every rule over one module.

    ``path`` is the file's location on disk (None for stdin); ``tree`` lets the
    flake8 adapter reuse the tree flake8 already parsed.  ``remember=False`` keeps
    the project index from recording this text as the file's (a fixer pass's text
    is not on disk: other files must not see it, or results would depend on order).  A file that never
    contains the surface's marker costs one substring test.  Raises
    :class:`~.source.SourceError` when the text does not parse or is too deep
    to walk.
    """
    source = SourceText(text)
    if surface.marker not in text:
        return Analysis(source)
    settings = settings or Settings()
    location = _existing(path)
    if tree is None and location is not None:
        tree = project.parsed_tree(location, text)
    if tree is None:
        tree = parse(text, str(path) if path is not None else "<stdin>")
    try:
        with deep_recursion(), paused_gc():
            return _analyse(text, source, tree, rules, surface, location, settings, remember)
    except RecursionError:
        raise SourceError("cannot analyse: too deeply nested") from None


def _analyse(text: str, source: SourceText, tree: ast.Module, rules: Sequence[Rule], surface: Surface,
             location: Path | None, settings: Settings, remember: bool = True) -> Analysis:
    imported = None
    if location is not None and settings.project_index:
        imported = ProjectModules(location, project.root_for(location, settings), surface)
    model = Model(tree, text, surface=surface, imported=imported)
    if not model.imports and not model.references:
        return Analysis(source, model=model)
    if location is not None and remember:
        project.remember(location, model)
    context = Context(model, source, location, settings)
    findings: set[Finding] = set()
    for rule in rules:
        for hit in rule.detect(context):
            node, message = hit if isinstance(hit, tuple) else (hit, rule.default_message)
            findings.add(_finding(rule.code, message, node, source))
    return Analysis(source, sorted(findings, key=_order), model, context)


def _order(finding: Finding) -> tuple[int, int, str, str, int, int, int, int]:
    """Finding's own order (its compared fields, in order), as one tuple: far cheaper to
    sort by than the dataclass comparison on a file with many findings."""
    return (finding.line, finding.col, finding.code, finding.message, finding.end_line, finding.end_col,
            finding.char_col, finding.char_end_col)


def _existing(path: str | os.PathLike[str] | None) -> Path | None:
    if path is None:
        return None
    absolute = Path(os.path.abspath(path))
    return absolute if absolute.is_file() else None


def _finding(code: str, message: str, node: ast.AST, source: SourceText) -> Finding:
    line = node.lineno  # type: ignore[attr-defined]
    col = node.col_offset  # type: ignore[attr-defined]
    end_line = getattr(node, "end_lineno", None) or line
    end_col = getattr(node, "end_col_offset", None) or col
    return Finding(
        line=line,
        col=col,
        code=code,
        message=message,
        end_line=end_line,
        end_col=end_col,
        char_col=source.char_col(line, col),
        char_end_col=source.char_col(end_line, end_col),
        node=node,
    )
