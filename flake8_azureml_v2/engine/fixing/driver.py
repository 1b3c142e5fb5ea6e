"""The fix loop: plan, apply, re-parse, repeat until nothing changes.

Overlapping rewrites are applied in later passes.  The loop is capped; hitting
the cap is an error, never a silent stop.  Output that does not parse, or that
lost a comment, is refused and the input is returned unchanged.
"""

from __future__ import annotations

import ast
import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from ..analysis import Analysis, analyse
from ..findings import Finding
from ..names import Binding, Model, Ref
from ..rule import FixSafety, Rule
from ..settings import Settings
from ..source import SourceError, SourceText, parse
from ..suppression import codes_on_line, file_is_exempt
from ..v1api import is_v1
from . import imports, planner, statements
from .edits import Edit, apply_edits, conflicts
from .outcome import Fixed, FixError, FixOutcome, Left
from .units import FixContext, Unit

MAX_PASSES = 10
IMPORT_CODES = ("AML099", "AML010")  # their fix is the import clean-up below

Selector = Callable[[str], bool]


def _permission(source: SourceText, selected: Selector) -> planner.Permission:
    def check(finding: Finding) -> str | None:
        if not selected(finding.code):
            return f"{finding.code} is not selected"
        codes = codes_on_line(source.line(finding.line))
        if codes is not None and (not codes or finding.code in codes or finding.code.startswith(tuple(codes))):
            return f"{finding.code} is suppressed with # noqa"
        return None

    return check


def _rules_with_fixers(rules: Sequence[Rule] | None) -> list[Rule]:
    if rules is None:
        from ...rules import all_rules

        rules = all_rules()
    return [r for r in rules if r.fixer is not None]


def fix_text(
    text: str,
    *,
    path: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    selected: Selector = lambda code: True,
    unsafe: bool = False,
    rules: Sequence[Rule] | None = None,
    max_passes: int = MAX_PASSES,
) -> FixOutcome:
    """Rewrite ``text``; raises :class:`SourceError` or :class:`FixError`."""
    original = text
    outcome = FixOutcome(text)
    fixers = _rules_with_fixers(rules)
    last_left: dict[tuple[int, int, str], str] = {}
    for number in range(1, max_passes + 1):
        outcome.passes = number
        analysis = analyse(text, path=path, settings=settings, rules=rules)
        if analysis.model is None or file_is_exempt(analysis.source):
            break
        new_text, applied, left = _one_pass(analysis, fixers, selected, unsafe, path)
        last_left = {}
        for unit, reason in left:
            for code, node in unit.findings:
                last_left.setdefault((node.lineno, node.col_offset, code), reason)  # type: ignore[attr-defined]
        if new_text == text:
            break
        outcome.fixed.extend(applied)
        text = new_text
    else:
        raise FixError(f"fixes did not settle after {max_passes} passes; nothing was written")
    _verify(original, text)
    outcome.text = text
    # The last pass changed nothing, so its analysis describes ``text``.
    permission = _permission(analysis.source, selected)
    for finding in analysis.findings:
        if permission(finding) is not None:
            continue
        reason = last_left.get((finding.line, finding.col, finding.code))
        outcome.left.append(Left(finding, reason or _default_reason(finding, fixers)))
    return outcome


def _default_reason(finding: Finding, fixers: list[Rule]) -> str:
    from ...rules import rule_by_code

    if finding.code in IMPORT_CODES:
        return "the names it imports are still used; the import is removed once nothing uses them"
    rule = rule_by_code(finding.code)
    if rule is not None and rule.fix_safety is FixSafety.MANUAL:
        return f"no sound automatic rewrite, migrate it by hand: {finding.message}"
    if not any(r.code == finding.code for r in fixers):
        return "no automatic fix for this rule yet"
    return "this form is not migrated automatically"


def _one_pass(
    analysis: Analysis, fixers: list[Rule], selected: Selector, unsafe: bool, path: object
) -> tuple[str, list[Fixed], list[tuple[Unit, str]]]:
    ctx = FixContext(analysis)
    units: list[Unit] = []
    for rule in fixers:
        assert rule.fixer is not None
        units.extend(u for u in rule.fixer(ctx) if u is not None)
    permission = _permission(analysis.source, selected)
    decision = planner.decide(units, ctx, permission, unsafe)
    chosen: list[Edit] = []
    groups: list[list[Unit]] = []
    deferred: list[tuple[Unit, str]] = []
    for group in sorted(decision.accepted, key=lambda g: min(ctx.locator.start(u.node) for u in g)):
        edits = [e for u in group for e in u.edits]
        if conflicts(edits, chosen) or _self_conflict(edits):
            deferred.extend((u, "deferred to a later pass") for u in group)
            continue
        chosen.extend(edits)
        groups.append(group)
    dead = _dead_v1_names(ctx, chosen)
    for group in list(groups):
        clash = _clash(ctx, group, dead)
        if clash is not None:
            groups.remove(group)
            deferred.extend((u, clash) for u in group)
    chosen = [e for g in groups for u in g for e in u.edits]
    dead = _dead_v1_names(ctx, chosen)
    applied: list[Fixed] = []
    required: set[tuple[str, str]] = set()
    for group in groups:
        for unit in group:
            required |= unit.imports
            applied.append(Fixed(unit.code, unit.node.lineno, unit.description, tuple(unit.notes),  # type: ignore[attr-defined]
                                 col=unit.node.col_offset))  # type: ignore[attr-defined]
            for code, node in unit.findings:
                if node is not unit.node:
                    applied.append(Fixed(code, node.lineno, f"rewritten with the {unit.code} fix on line {unit.node.lineno}",  # type: ignore[attr-defined]
                                         col=node.col_offset))  # type: ignore[attr-defined]
    text = analysis.source.text
    if chosen:
        text = apply_edits(text, chosen)
    text = _fix_imports(text, required, dead, selected, path, applied)
    return text, applied, decision.left + deferred


def _v1_import_bindings(ctx: FixContext) -> list[Binding]:
    return [
        b for b in ctx.model.bindings
        if isinstance(b.node, (ast.Import, ast.ImportFrom)) and isinstance(b.value, Ref) and is_v1(b.value.qualname)
    ]


def _dead_v1_names(ctx: FixContext, edits: list[Edit]) -> set[str]:
    """v1 imported names whose every use lies inside a rewritten span."""
    spans = [(e.start, e.end) for e in edits if e.end > e.start]
    dead = set()
    for binding in _v1_import_bindings(ctx):
        offsets = [ctx.locator.start(use) for use in binding.uses]
        if all(any(a <= o < b for a, b in spans) for o in offsets):
            dead.add(binding.name)
    return dead


def _clash(ctx: FixContext, group: list[Unit], dead: set[str]) -> str | None:
    """A v2 name the group needs is still bound to v1 code that stays."""
    live = {b.name: b for b in _v1_import_bindings(ctx) if b.name not in dead}
    for unit in group:
        for _, name in unit.imports:
            if name in live:
                return f"`{name}` is still used by v1 code, so the v2 {name} cannot be imported"
    return None


def _self_conflict(edits: list[Edit]) -> bool:
    ordered = sorted(set(edits))
    return any(a.overlaps(b) for a, b in zip(ordered, ordered[1:]))


def _fix_imports(text: str, required: set[tuple[str, str]], dead: set[str], selected: Selector, path: object, applied: list[Fixed]) -> str:
    try:
        tree = parse(text)
    except SourceError as exc:
        raise FixError(f"a rewrite would not parse ({exc}); nothing was written") from None
    from .locate import Locator

    model = Model(tree)
    source = SourceText(text)
    locator = Locator(source)
    is_init = path is not None and Path(str(path)).name == "__init__.py"

    def may_remove(node: ast.stmt) -> bool:
        if is_init:
            return False
        codes = codes_on_line(source.line(node.lineno))
        if codes is not None and (not codes or any(c.startswith(tuple(codes)) or c in codes for c in IMPORT_CODES)):
            return False
        return any(selected(code) for code in IMPORT_CODES)

    try:
        changes = imports.plan(model, locator, required, may_remove, dead)
    except imports.ImportClash as exc:
        raise FixError(f"cannot add v2 imports: {exc}; nothing was written") from None
    if not changes.edits:
        return text
    by_line: dict[int, list[str]] = {}
    for line, dotted in changes.removed:
        by_line.setdefault(line, []).append(dotted)
    for line, names in by_line.items():
        applied.append(Fixed("AML099", line, f"removed the unused v1 import of {', '.join(names)}"))
    return apply_edits(text, changes.edits)


def _verify(original: str, text: str) -> None:
    if text == original:
        return
    try:
        ast.parse(text)
    except SyntaxError as exc:
        raise FixError(f"the fixed code would not parse (line {exc.lineno}: {exc.msg}); nothing was written") from None
    lost = Counter(statements.comments(original)) - Counter(statements.comments(text))
    if lost:
        sample = next(iter(lost))
        raise FixError(f"a rewrite would drop the comment {sample!r}; nothing was written")
