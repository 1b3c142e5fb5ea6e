"""python-lsp-server plugin: AML diagnostics and quick fixes in any pylsp editor.

pylsp lints the buffer as typed (saved or not), so everything here works on
the document's text; the path only adds project evidence (training scripts).
Diagnostics carry the code in their ``code`` field, so the message does not
repeat it.  Code actions:

- each finding's own fix ("AML002: Migrate this ScriptRunConfig() to
  command()"): the fixer runs on the buffer with only that finding's code
  selected, and the action is offered when that finding comes out fixed; when it
  is fixed only together with related constructs (a script run is one rewrite
  group with its experiment and submit), with the whole selection, and the title
  says how many related constructs change too;
- one action that applies all the SAFE fixes, as ``azureml-v2 fix`` does, as a
  quick fix and as ``source.fixAll.azureml-v2``.

Each edit leaves the buffer as ``azureml-v2 fix`` writes the file (a file that began
with code still does once its first import goes).  Unsafe fixes are offered only when
the plugin setting ``unsafeFixes`` is true (as ruff's server does), and their titles
say "(unsafe)".  LSP columns count UTF-16 code units, the engine counts code points:
:func:`utf16_column` converts.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pylsp import hookimpl

from . import config
from .api import analyse, fix_text
from .documents import WholeFile
from .engine import Finding, SourceError, SourceText
from .engine.fixing import FixError
from .engine.suppression import unsuppressed
from .rules import rule_by_code
from .selection import Selection

SOURCE = "azureml-v2"
PLUGIN = "azureml_v2"
WARNING = 2
FIX_ALL_KIND = "source.fixAll.azureml-v2"
MAX_OWN_FIXES = 8  # findings per request that get their own action (each costs fixer runs)
log = logging.getLogger(__name__)


def _contained(hook: Callable[..., list[dict[str, Any]]]) -> Callable[..., list[dict[str, Any]]]:
    """An internal error in a hook gives no diagnostics or actions for the document (logged
    at debug level) instead of an error in the editor."""
    @functools.wraps(hook)
    def wrapper(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        try:
            return hook(*args, **kwargs)
        except Exception:  # noqa: BLE001 - RecursionError and MemoryError included
            log.debug("azureml-v2: internal error in %s", hook.__name__, exc_info=True)
            return []

    return wrapper


def utf16_column(line: str, char_col: int) -> int:
    prefix = line[:char_col]
    if prefix.isascii():
        return len(prefix)
    return len(prefix.encode("utf-16-le")) // 2


def _position(source: SourceText, offset: int) -> dict[str, int]:
    """LSP position of a code-point offset into the text (the end of the text included)."""
    start = 0
    for number, line in enumerate(source.lines):
        if offset < start + len(line):
            body = line.rstrip("\r\n")
            return {"line": number, "character": utf16_column(body, min(offset - start, len(body)))}
        start += len(line)
    last = source.lines[-1] if source.lines else "\n"
    if last.endswith(("\n", "\r")):
        return {"line": len(source.lines), "character": 0}
    return {"line": len(source.lines) - 1, "character": utf16_column(last, len(last))}


def _project(document: Any) -> tuple[Any, Selection]:
    start = Path(document.path).parent if document.path else None
    try:
        project = config.load(start=start) if start is not None else config.load()
    except config.ConfigError:
        project = config.ProjectConfig()
    return project.settings(), Selection.build(project.select, project.ignore)


def _forget_project() -> None:
    """A save changed the project on disk: what was learnt from its other files (which
    scripts launchers name, what local modules bind, what other files import) is read
    again when next needed, not kept for the server's lifetime."""
    from .engine import importers, project

    project.forget_indexes()
    importers.forget()


@hookimpl
def pylsp_settings(config: Any) -> dict[str, Any]:
    return {"plugins": {PLUGIN: {"enabled": True, "unsafeFixes": False}}}


@hookimpl
@_contained
def pylsp_lint(config: Any, workspace: Any, document: Any, is_saved: bool) -> list[dict[str, Any]]:
    if is_saved:
        _forget_project()
    text = document.source
    if "azureml" not in text:
        return []
    settings, selection = _project(document)
    try:
        analysis = analyse(text, path=document.path, settings=settings)
    except SourceError:
        return []  # pyflakes/flake8 report the syntax error
    source = analysis.source
    diagnostics = []
    for finding in unsuppressed(analysis.findings, source):
        if not selection(finding.code):
            continue
        diagnostic: dict[str, Any] = {
            "source": SOURCE,
            "code": finding.code,
            "message": finding.message,
            "severity": WARNING,
            "range": {
                "start": {"line": finding.line - 1,
                          "character": utf16_column(source.line(finding.line), finding.char_col)},
                "end": {"line": finding.end_line - 1,
                        "character": utf16_column(source.line(finding.end_line), finding.char_end_col)},
            },
        }
        rule = rule_by_code(finding.code)
        if rule is not None:
            diagnostic["codeDescription"] = {"href": rule.url}
        diagnostics.append(diagnostic)
    return diagnostics


def minimal_edit(old: str, new: str) -> dict[str, Any]:
    """One TextEdit that turns ``old`` into ``new``, spanning only what differs."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    if prefix and old[prefix - 1] == "\r":  # never split a CRLF pair
        prefix -= 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    if suffix and old[len(old) - suffix] == "\n" and len(old) - suffix > prefix and old[len(old) - suffix - 1] == "\r":
        suffix -= 1
    source = SourceText(old)
    start, end = _position(source, prefix), _position(source, len(old) - suffix)
    return {"range": {"start": start, "end": end}, "newText": new[prefix: len(new) - suffix]}


@hookimpl
@_contained
def pylsp_code_actions(config: Any, workspace: Any, document: Any, range: dict[str, Any],
                       context: dict[str, Any]) -> list[dict[str, Any]]:
    text = document.source
    if "azureml" not in text:
        return []
    settings, selection = _project(document)
    try:
        outcome = fix_text(text, path=document.path, settings=settings, selected=selection, unsafe=False)
    except (SourceError, FixError):
        return []
    first, last = range["start"]["line"] + 1, range["end"]["line"] + 1
    ours = [d for d in context.get("diagnostics", []) if d.get("source") == SOURCE]
    unsafe = bool(_plugin_settings(config, document).get("unsafeFixes", False))
    actions = own_fixes(text, document, settings, selection, first, last, unsafe, ours)
    if outcome.text == text or not outcome.fixed:
        return actions
    edit = {"changes": {document.uri: [minimal_edit(text, _as_written(text, outcome.text, settings))]}}
    count = len(outcome.fixed)
    title = f"Apply {count} safe Azure ML v2 fix{'es' if count != 1 else ''} (azureml-v2)"
    if any(first <= fixed.line <= last for fixed in outcome.fixed):
        actions.append({"title": title, "kind": "quickfix", "diagnostics": ours, "edit": edit})
    actions.append({"title": title, "kind": FIX_ALL_KIND, "edit": edit})
    return actions


def _as_written(text: str, fixed: str, settings: Any) -> str:
    """``fixed`` as ``azureml-v2 fix`` would write it over ``text``."""
    return WholeFile(text, None, settings, numbered=False).cells(fixed)[0]


def _plugin_settings(config: Any, document: Any) -> dict[str, Any]:
    try:
        return config.plugin_settings(PLUGIN, document_path=document.path) or {}
    except Exception:  # noqa: BLE001 - an odd configuration means the defaults
        return {}


def own_fixes(text: str, document: Any, settings: Any, selection: Selection, first: int, last: int,
              unsafe_allowed: bool, diagnostics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One action per finding on lines ``first``..``last`` whose own fix resolves it."""
    analysis = analyse(text, path=document.path, settings=settings)
    found = [f for f in unsuppressed(analysis.findings, analysis.source)
             if selection(f.code) and first <= f.line <= last][:MAX_OWN_FIXES]
    actions = []
    for finding in found:
        action = _own_fix(text, document, settings, selection, finding, unsafe_allowed)
        if action is not None:
            mine = [d for d in diagnostics if d.get("code") == finding.code
                    and d.get("range", {}).get("start", {}).get("line") == finding.line - 1]
            actions.append({**action, "kind": "quickfix", "diagnostics": mine})
    if actions:
        actions[0]["isPreferred"] = True
    return actions


def _own_fix(text: str, document: Any, settings: Any, selection: Selection, finding: Finding,
             unsafe_allowed: bool) -> dict[str, Any] | None:
    """Its code alone first, then with the related constructs; safe first, then (if allowed) unsafe."""
    scopes: list[Callable[[str], bool]] = [lambda code: code == finding.code and selection(code), selection]
    for unsafe in ((False, True) if unsafe_allowed else (False,)):
        for scope in scopes:
            try:
                outcome = fix_text(text, path=document.path, settings=settings, selected=scope, unsafe=unsafe)
            except (SourceError, FixError):
                return None
            mine = [f for f in outcome.fixed if (f.code, f.line, f.col) == (finding.code, finding.line, finding.col)]
            if not mine or outcome.text == text:
                continue
            same = sum(1 for f in outcome.fixed if f.code == finding.code) - 1
            others = len(outcome.fixed) - 1 - same
            title = f"{finding.code}: {_title(mine[0].description)}"
            if others:
                title += f" with {others} related construct{'s' if others != 1 else ''}"
            if same:
                title += f" (and {same} more {finding.code} in this file)"
            if unsafe:
                title += " (unsafe)"
            fixed = _as_written(text, outcome.text, settings)
            return {"title": title, "edit": {"changes": {document.uri: [minimal_edit(text, fixed)]}}}
    return None


def _title(description: str) -> str:
    """'ScriptRunConfig() -> command()' becomes 'Migrate this ScriptRunConfig() to command()'."""
    before, arrow, after = description.partition(" -> ")
    if arrow:
        after = after.split(":")[0].strip()
        return f"Migrate this {before.strip()} to {after}"
    if description.startswith("removed "):
        return "Remove " + description[len("removed "):]
    return description[:1].upper() + description[1:]
