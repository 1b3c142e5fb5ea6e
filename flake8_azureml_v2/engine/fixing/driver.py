"""The fix loop: plan, apply, verify, repeat until nothing changes.

Each pass analyses the text, asks every rule's fixer for rewrites, lets the
planner decide what holds together, and applies the accepted rewrites with
their imports.  The result must do no harm (:mod:`.verify`); when it would,
the rewrites are searched for the culprit, which is refused with the reason
on its finding, and the rest of the file still gets the fixes that pass.
Overlapping rewrites wait for a later pass.  The loop is capped; hitting the
cap is an error, never a silent stop.  Every position reported refers to the
text the caller passed in.
"""

from __future__ import annotations

import ast
import bisect
import os
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from ..analysis import Analysis, analyse
from ..findings import Finding, Refusal, RefusalKind, line_ref, render_lines
from ..nodes import all_nodes, parent_of
from ..rule import FixSafety, Rule
from ..settings import Settings
from ..source import SourceText, paused_gc
from ..suppression import codes_on_line, file_is_exempt
from ..surface import Surface
from . import alignment, imports, planner, statements, submodules, verify
from .edits import Edit, EditConflict, EditSet, OffsetMap, apply_edits
from .locate import Locator
from .outcome import Fixed, FixError, FixOutcome, Left
from .rewrite import FixContext, Rewrite, called_helpers
from .symbols import StandIns, resolve_counterparts

MAX_PASSES = 10
_T = TypeVar("_T")

Selector = Callable[[str], bool]


@dataclass
class _Rules:
    """What the loop needs to know of the rules it was given."""

    all: Sequence[Rule]
    fixers: list[Rule]
    safety: dict[str, FixSafety]
    removal_codes: tuple[str, ...]  # rules whose fix is removing unused imports
    manual_kinds: dict[str, RefusalKind]  # why each MANUAL rule's findings are left
    fixed_with: frozenset[str]  # rules whose constructs another rule's fix rewrites

    @classmethod
    def of(cls, rules: Sequence[Rule]) -> _Rules:
        return cls(
            rules,
            [r for r in rules if r.fixer is not None],
            {r.code: r.fix_safety for r in rules},
            tuple(r.code for r in rules if r.removes_unused_imports),
            {r.code: r.manual_kind for r in rules if r.fix_safety is FixSafety.MANUAL},
            frozenset(r.code for r in rules if r.fixed_with is not None),
        )

    def safety_of(self, code: str) -> FixSafety:
        return self.safety.get(code, FixSafety.UNSAFE)


@dataclass
class _Pass:
    text: str
    maps: list[OffsetMap] = field(default_factory=list)  # output -> input positions, last step first
    snapshot: verify.Snapshot | None = None  # of ``text``: the next pass's starting point
    removed_imports: bool = False  # a removal can leave another import unused (a try/except pair)
    fixed: list[Fixed] = field(default_factory=list)  # positions in the pass's input coordinates
    refusals: dict[int, Refusal] = field(default_factory=dict)  # id(finding) -> why it is left


def _permission(source: SourceText, selected: Selector) -> planner.Permission:
    def check(finding: Finding) -> Refusal | None:
        if not selected(finding.code):
            return Refusal(RefusalKind.SUPPRESSED, f"{finding.code} is not selected")
        codes = codes_on_line(source.line(finding.line))
        if codes is not None and (not codes or finding.code in codes or finding.code.startswith(tuple(codes))):
            return Refusal(RefusalKind.SUPPRESSED, f"{finding.code} is suppressed with # noqa")
        return None

    return check


def fix_text(
    text: str,
    *,
    rules: Sequence[Rule],
    surface: Surface,
    path: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    selected: Selector = lambda code: True,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
    protected: Collection[str] = (),
    analysed: Analysis | None = None,
    hidden: Collection[str] = (),
    tree: ast.Module | None = None,
    proposals: dict[object, object] | None = None,
    anchored: Collection[str] = (),
    installs: Mapping[str, str] | None = None,
) -> FixOutcome:
    """Rewrite ``text``; raises :class:`SourceError` when it cannot be analysed and
    :class:`FixError` when the fixes do not settle.

    ``protected`` names module-level bindings other files import: they stay.
    ``hidden`` names what code the engine cannot see reads (say, a notebook's magic
    lines): a module-level binding of such a name keeps its name and value.
    ``analysed`` is this text's analysis with these rules and settings, when the
    caller has it already (a check that goes on to ask what fix would do): the
    first pass starts from it instead of analysing again.  ``tree`` is ``text`` parsed, when
    the caller has parsed it already (a notebook's joined cells): it is not parsed again.
    ``proposals`` is a dict shared by runs that start from the same ``analysed`` (what fix
    would do, safe and unsafe): what depends on the text alone is made once for both, since the
    mode and the selection only decide what the planner accepts.  That is each pass's analysis and
    the fixers' rewrites for it, and the build of a set of edits (where both runs apply the same
    edits, or come to the same text, the second does not make them again).  ``anchored``: a
    comment line holding one of these strings stays where it is (it joins pieces of the text that
    run apart, such as a notebook's cells); no fix moves it with the code next to it.  ``installs``:
    packages the text installs on its way (a notebook's ``!pip install`` line), each with the text of
    the line that does it: a new import of one goes below that line when nothing needs it sooner."""
    with paused_gc():
        return _fix(text, rules, surface, path, settings, selected, unsafe, max_passes, protected, analysed, hidden,
                    tree, proposals, anchored, installs or {})


def _fix(text: str, rules: Sequence[Rule], surface: Surface, path: str | os.PathLike[str] | None,
         settings: Settings | None, selected: Selector, unsafe: bool, max_passes: int,
         protected: Collection[str], analysed: Analysis | None = None, hidden: Collection[str] = (),
         tree: ast.Module | None = None, proposals: dict[object, object] | None = None,
         anchored: Collection[str] = (), installs: Mapping[str, str] | None = None) -> FixOutcome:
    known = _Rules.of(rules)
    original = SourceText(text)
    outcome = FixOutcome(text)
    maps: list[OffsetMap] = []
    analysis: Analysis | None = None
    last = _Pass(text, snapshot=verify.Snapshot(text, tree) if tree is not None else None)
    for number in range(1, max_passes + 1):
        outcome.passes = number
        checked = last.snapshot if last.snapshot is not None and last.snapshot.text == text else None
        if number == 1 and analysed is not None and analysed.source.text == text:
            analysis = analysed
        else:
            analysis = None  # the last pass's tree and model go before this pass's are made
            analysis = proposals.get(("analysis", text)) if proposals is not None else None
            if analysis is None:
                analysis = analyse(text, rules=rules, surface=surface, path=path, settings=settings,
                                   tree=checked.tree if checked is not None else None, remember=number == 1)
                if proposals is not None:
                    proposals[("analysis", text)] = analysis
        if analysis.model is None or file_is_exempt(analysis.source) or not analysis.findings:
            # (every construct a rewrite changes, and every import the clean-up removes, is a
            # finding: a text without one has nothing to fix, and a pass would only confirm it)
            last = _Pass(text)
            break
        last = _one_pass(analysis, known, surface, selected, unsafe, path, protected, hidden,
                         first=number == 1 or last.removed_imports, before=checked, proposals=proposals,
                         anchored=anchored, installs=installs or {})
        if last.text == text:
            break
        outcome.fixed.extend(_on_disk(f, maps, analysis.source, original) for f in last.fixed)
        maps[0:0] = last.maps
        text = last.text
    else:
        raise FixError(f"fixes did not settle after {max_passes} passes; nothing was written")
    outcome.text = text
    if analysis is None or analysis.model is None or file_is_exempt(analysis.source):
        return outcome
    outcome.to_input = _position_mapper(maps, analysis.source, original)
    permission = _permission(analysis.source, selected)
    for finding in analysis.findings:
        if permission(finding) is not None:
            continue
        refusal = last.refusals.get(id(finding)) or _default_refusal(finding, known, analysis)
        outcome.left.append(Left(finding, refusal))
    return outcome


def _shared(shared: dict[object, Any] | None, key: object, make: Callable[[], _T]) -> _T:
    """``make()``, made once per ``shared`` dict and ``key`` (each time without a dict)."""
    if shared is None:
        return make()
    if key not in shared:
        shared[key] = make()
    return shared[key]  # type: ignore[no-any-return]


def _annotated(finding: Finding, analysis: Analysis) -> str | None:
    """The annotation of ``x: T = <value>`` when the finding is in the value: a rewrite of the
    value would leave ``T`` naming the old type (and its import in use)."""
    if finding.node is None or analysis.model is None:
        return None
    node: ast.AST | None = finding.node
    while node is not None and not isinstance(node, ast.stmt):
        node = parent_of(analysis.model.tree, node)
    if not isinstance(node, ast.AnnAssign) or node.value is None:
        return None
    inside = finding.node is node.value or any(n is finding.node for n in ast.walk(node.value))
    return ast.unparse(node.annotation) if inside else None


def _default_refusal(finding: Finding, known: _Rules, analysis: Analysis | None = None) -> Refusal:
    if finding.code in known.removal_codes:
        if isinstance(finding.node, ast.ImportFrom) and any(alias.name == "*" for alias in finding.node.names):
            return Refusal(RefusalKind.DATA_FLOW, "a star import: the names it binds are not all known, so it "
                                                  "stays; import the ones the code reads by name")
        return Refusal(RefusalKind.BLOCKED, "the names it imports are still used by code that stays v1")
    safety = known.safety.get(finding.code)
    if safety is FixSafety.MANUAL:
        if known.manual_kinds[finding.code] is RefusalKind.IMPOSSIBLE:
            return Refusal(RefusalKind.IMPOSSIBLE, f"no sound automatic rewrite; migrate it by hand: {finding.message}")
        return Refusal(RefusalKind.NOT_YET, f"no automatic fix; migrate it by hand: {finding.message}")
    if finding.code not in known.fixed_with and not any(r.code == finding.code for r in known.fixers):
        return Refusal(RefusalKind.NOT_YET, f"no automatic fix for this rule yet; {finding.message}")
    annotation = _annotated(finding, analysis) if analysis is not None else None
    if annotation is not None:
        return Refusal(RefusalKind.NOT_YET, f"its value is assigned with a type annotation (`{annotation}`), which "
                       f"would go on naming the old type: drop the annotation, then fix; {finding.message}")
    return Refusal(RefusalKind.NOT_YET, f"this form is not migrated automatically; {finding.message}")


# -- positions on disk --------------------------------------------------------


def _to_original(offset: int, maps: list[OffsetMap], left: bool = False) -> int:
    for offset_map in maps:
        offset = offset_map.old(offset, left)
    return offset


def _line_col(source: SourceText, offset: int) -> tuple[int, int, int]:
    """(1-based line, UTF-8 byte column, code-point column) of ``offset``."""
    line, char_col = source.position(min(offset, len(source.text)))
    prefix = source.line(line)[:char_col]
    return line, len(prefix.encode("utf-8", "surrogatepass")), char_col


def _line_mapper(maps: list[OffsetMap], current: SourceText, original: SourceText) -> Callable[[int], int]:
    """Line of ``current`` (a pass's text) -> line of the text the caller passed in."""
    def line(number: int) -> int:
        if not maps or not 0 < number <= len(current.lines):
            return number
        return original.line_of(_to_original(current.starts[number - 1], maps))

    return line


def _on_disk(fixed: Fixed, maps: list[OffsetMap], current: SourceText, original: SourceText) -> Fixed:
    mapper = _line_mapper(maps, current, original)
    fixed = replace(fixed, description=render_lines(fixed.description, mapper),
                    notes=tuple(render_lines(n, mapper) for n in fixed.notes))
    if not maps:
        return fixed
    line, col, _ = _line_col(original, _to_original(fixed.offset, maps))
    return replace(fixed, line=line, col=col)


def _position_mapper(maps: list[OffsetMap], current: SourceText,
                     original: SourceText) -> Callable[[int, int], tuple[int, int]]:
    """(line, byte column) of the fixed text -> (line, byte column) of the input text."""
    def position(line: int, col: int) -> tuple[int, int]:
        if not maps or not 0 < line <= len(current.lines):
            return line, col
        offset = current.offset(line, current.char_col(line, col))
        found_line, found_col, _ = _line_col(original, _to_original(offset, maps))
        return found_line, found_col

    return position


# -- one pass -----------------------------------------------------------------


@dataclass
class _Build:
    """The outcome of applying a set of rewrites (and the import clean-up) to a text."""

    text: str
    maps: list[OffsetMap]  # from the new text back to the pass input, last step first
    removed: list[tuple[int, list[str]]]  # (offset of the import in the pass input, dotted names)
    harm: str | None = None
    snapshot: verify.Snapshot | None = None  # of ``text``, when it was checked
    # a rewrite's text (a TODO comment it writes) as the build wrote it: counterparts and names chosen
    written: Callable[[str], str] = field(default=lambda text: text)


class _Applier:
    """Applies sets of accepted rewrites to one pass's text, with imports, and checks them."""

    def __init__(self, analysis: Analysis, ctx: FixContext, known: _Rules, surface: Surface, selected: Selector,
                 path: object, protected: Collection[str], before: verify.Snapshot | None = None,
                 shared: dict[object, Any] | None = None, hidden: Collection[str] = ()) -> None:
        self.analysis = analysis
        self.shared = shared  # builds made for another mode's run of the same text (see fix_text)
        self.ctx = ctx
        self.known = known
        self.surface = surface
        self.selected = selected
        self.protected = protected
        self.hidden = hidden
        self.is_init = path is not None and Path(str(path)).name == "__init__.py"
        if before is None or before.text != analysis.source.text:
            before = verify.Snapshot(analysis.source.text, analysis.model.tree)  # type: ignore[union-attr]
        self.before = before
        self.imports_allowed = True
        self.held_back: _Build | None = None  # the import clean-up alone, when it did harm and was skipped

    @staticmethod
    def edits_of(rewrite: Rewrite, plan: planner.Plan, applied: set[int], modes: dict[int, bool]) -> list[Edit]:
        if modes.get(id(rewrite), False):
            return [] if plan.is_idle(rewrite, applied, modes) else list(rewrite.alive_edits or [])
        return list(rewrite.edits)

    def build(self, rewrites: list[Rewrite], plan: planner.Plan) -> _Build:
        applied = {id(r) for r in rewrites}
        modes = plan.modes(applied)
        active = [r for r in rewrites if not plan.is_idle(r, applied, modes)]
        edits = [e for r in rewrites for e in self.edits_of(r, plan, applied, modes)]
        source = self.analysis.source.text
        counterparts = self._counterpart_names(rewrites, modes)
        try:
            edits = [Edit(e.start, e.end, resolve_counterparts(e.text, counterparts)) for e in edits]
        except KeyError:
            return _Build(source, [], [], "new code names an object whose migration is not applied")
        edits.extend(self._helpers(active, edits))
        literal = {pair for r in active for pair in r.imports}
        # what the build below reads: the same edits, imports and names make the same build
        key = ("build", source, tuple((e.start, e.end, e.text) for e in edits), frozenset(literal),
               tuple(sorted(counterparts.items())), self.imports_allowed)
        return _shared(self.shared, key, lambda: self._build(source, edits, literal, counterparts))

    def _build(self, source: str, edits: list[Edit], literal: set[tuple[str, str]],
               counterparts: dict[int, str]) -> _Build:
        stand_ins = StandIns([e.text for e in edits])
        staged_edits = [Edit(e.start, e.end, stand_ins.stage(e.text)) for e in edits]
        try:
            staged_text = apply_edits(source, staged_edits)
        except EditConflict as exc:
            return _Build(source, [], [], f"its edits overlap ({exc})")
        staged = self.before if staged_text == source else verify.snapshot(staged_text)
        if isinstance(staged, str):
            return _Build(source, [], [], staged)
        staged_source = SourceText(staged_text)
        staged_locator = Locator(staged_source)
        try:
            written = [(start, end) for start, end, *_ in OffsetMap(staged_edits).spans]
            plan_imports = imports.plan(staged, staged_locator, stand_ins.symbols, literal,
                                        lambda node, text=staged_source, tree=staged.tree: self._may_remove(node, text, tree),
                                        self.surface.is_removable_import,
                                        written, self.surface.star_exports, _installed_at(staged_source.text, self.ctx),
                                        _part_starts(staged_source.text, self.ctx.anchored), self._removable)
        except imports.ImportClash as exc:
            return _Build(source, [], [], f"its new imports would clash: {exc}")
        # The rewrites with the chosen names, then the import edits moved over the
        # difference between each stand-in and its name: two exact steps.
        rewritten = [Edit(e.start, e.end, stand_ins.final(e.text, plan_imports.chosen)) for e in edits]
        try:
            text_a = apply_edits(source, rewritten)
            renames = stand_ins.renames(staged_text, plan_imports.chosen)
            forward = OffsetMap(renames).new
            import_edits = [Edit(forward(e.start), forward(e.end), e.text) for e in plan_imports.edits]
            text = apply_edits(text_a, import_edits)
        except EditConflict as exc:
            return _Build(source, [], [], f"its import edits overlap a rewrite ({exc})")
        back = OffsetMap(staged_edits)
        removed = [(back.old(staged_locator.start(node)), names) for node, names in plan_imports.removed]
        # The staged tree is done with: freed before the fixed text is parsed, a large file's
        # heap holds two trees at a time, not three (a fuller heap also makes parsing slower).
        plan_imports.removed = []
        del staged, staged_source, staged_locator
        maps = [OffsetMap(import_edits), OffsetMap(rewritten)]
        layout = self._layout(text_a, text, rewritten, import_edits, *maps)
        if layout:
            text = apply_edits(text, layout)
            maps.insert(0, OffsetMap(layout))
        reason, checked = verify.judge(self.before, text, self.protected, self.hidden)
        unread = verify.unused_locals_added(self.before, checked) if reason is not None and checked else frozenset()
        dropped = statements.drop_unread_targets(Locator(SourceText(text)), checked.tree, unread,
                                                 lambda value: value not in self._calls_before) if unread else None
        if dropped:  # (a local whose one read a rewrite folded away: its calls stay, for their effects)
            text = apply_edits(text, dropped)
            maps.insert(0, OffsetMap(dropped))
            reason, checked = verify.judge(self.before, text, self.protected, self.hidden)

        def written(piece: str) -> str:
            try:
                return stand_ins.final(resolve_counterparts(piece, counterparts), plan_imports.chosen)
            except KeyError:  # not text of this build's edits: nothing of it was chosen
                return piece

        return _Build(text, maps, removed, reason, checked, written)

    @staticmethod
    def _counterpart_names(rewrites: list[Rewrite], modes: dict[int, bool]) -> dict[int, str]:
        """What each migrated binding is called in new code, as the rewrites' modes decide."""
        chosen: dict[int, str] = {}
        for rewrite in rewrites:
            alive = modes.get(id(rewrite), False)
            text = (rewrite.alive_counterpart or rewrite.counterpart) if alive else rewrite.counterpart
            if text is not None:
                for binding in rewrite.bindings:
                    chosen[id(binding)] = text
        return chosen

    def _helpers(self, rewrites: list[Rewrite], edits: list[Edit]) -> list[Edit]:
        """The edits that write every module-level helper the applied rewrites use, once,
        after the imports that come before the first use (a notebook's later cells may
        import more), set off by two blank lines as the text will be once ``edits``
        deleted what they delete.  One block, before the first rewrite that uses one; in
        a text of parts that may run on their own (a notebook's cells), each helper goes to
        the part that first calls it (audit h: helpers for the last cells were written into
        an optional cell, and skipping it broke them)."""
        helpers: dict[str, str] = {}
        first_use: int | None = None
        bound = self.ctx.model.module_scope.names
        called = called_helpers({n: c for r in rewrites for n, c in r.helpers.items()}, [e.text for e in edits])
        for rewrite in rewrites:
            for name, code in rewrite.helpers.items():
                if name not in bound and name in called:
                    helpers.setdefault(name, code)
                    start = self.ctx.locator.start(self.ctx.top_level_statement(rewrite.node))
                    first_use = start if first_use is None else min(first_use, start)
        if not helpers or first_use is None:
            return []
        parts = _part_starts(self.analysis.source.text, self.ctx.anchored)
        groups = _by_first_call(helpers, edits, self.ctx.model.tree, self.ctx.locator, parts) if parts else {}
        if groups:
            return [e for at, names in sorted(groups.items())
                    for e in self._helper_block({n: helpers[n] for n in names}, at, edits, parts)]
        return self._helper_block(helpers, first_use, edits)

    def _helper_block(self, helpers: dict[str, str], first_use: int, edits: list[Edit],
                      parts: Sequence[int] = ()) -> list[Edit]:
        """The edit that writes ``helpers`` before ``first_use``, after the imports above it (in its
        own part, when there are parts)."""
        locator = self.ctx.locator
        newline = locator.newline
        part = bisect.bisect_right(parts, first_use)
        since = parts[part - 1] if parts and part else 0
        body = [s for s in self.ctx.model.tree.body if locator.start(s) < first_use]
        imports = [s for s in body if isinstance(s, (ast.Import, ast.ImportFrom)) and locator.start(s) >= since]
        if imports:
            at = locator.line_end(locator.end(imports[-1]))
        elif body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
            at = locator.line_end(locator.end(body[0]))
        else:
            at = locator.line_start(first_use) if body else 0
        unit = self.ctx.indent_unit
        blocks = [newline.join(_reindent(line, unit) for line in code.rstrip("\n").split("\n"))
                  for _, code in sorted(helpers.items())]
        source = locator.source.text
        joined = (newline * 3).join(blocks) + newline
        if at and source[at - 1] in "\r\n" and not imports and body:
            # before the statement that first uses them
            text = newline * max(0, 2 - statements.trailing_blank_lines(source[:at])) + joined
        else:
            text = joined if at == 0 else newline * 2 + joined
        following = statements.remaining_after(source, at, edits)
        if following.strip():  # code follows: two blank lines after a definition, as PEP 8 has it
            text += newline * max(0, 2 - statements.leading_blank_lines(following))
        return [Edit(at, at, text)]

    def _layout(self, text_a: str, text: str, rewritten: list[Edit], import_edits: list[Edit],
                imported: OffsetMap, rewrites: OffsetMap) -> list[Edit]:
        """The blank lines and argument indentation ``text`` needs to keep the source's layout
        (``rewritten`` made ``text_a`` of the source, ``import_edits`` made ``text`` of that;
        ``rewrites`` and ``imported`` map positions across each step)."""
        calls = [site.node for site in self.ctx.model.calls]
        moved = alignment.realigned(self.ctx.locator, calls, rewritten, text, lambda at: imported.new(rewrites.new(at)))
        spacing = _spacing(self.analysis.source, text_a, text, rewritten, import_edits, imported, rewrites)
        return [*spacing, *moved]

    @cached_property
    def _calls_before(self) -> frozenset[str]:
        """The text of every call of the pass's input (a call the fix wrote is none of them; a comment
        or a string that spells one out is no call)."""
        locator = self.ctx.locator
        return frozenset(locator.text(node) for node in all_nodes(self.before.tree) if isinstance(node, ast.Call))

    @cached_property
    def _removal_selected(self) -> bool:
        """Does the selection fix the codes this file's unused imports are reported under (a rule set
        may report them under one code in some files and another elsewhere: selecting one of the codes
        leaves the other)?"""
        removal = self.known.removal_codes
        reported = {f.code for f in self.analysis.findings if f.code in removal}
        return all(self.selected(code) for code in reported) if reported else any(map(self.selected, removal))

    def _removable(self, dotted: str) -> bool:
        """An import the clean-up may take once nothing reads it: the old API's, and a bare import of
        the marker package where one was reported (it read the old API's modules through it)."""
        return self.surface.is_removable_import(dotted) or (dotted == self.surface.marker and self._marker_reported)

    def _bare_marker(self, node: ast.stmt) -> bool:
        return isinstance(node, ast.Import) and any(alias.name == self.surface.marker for alias in node.names)

    @cached_property
    def _marker_reported(self) -> bool:
        """A bare import of the marker package had a finding of its own in the pass input (it read
        the old API's modules through it), so the clean-up may take it once nothing reads it."""
        removal = self.known.removal_codes
        return any(finding.code in removal and isinstance(finding.node, ast.stmt) and self._bare_marker(finding.node)
                   for finding in self.analysis.findings)

    def _may_remove(self, node: ast.stmt, staged: SourceText, tree: ast.Module) -> bool:
        """May the import clean-up remove (part of) this import of the staged text?"""
        if self.is_init or not self.imports_allowed:
            return False
        if not self._removal_selected:
            return False
        if "*" in self.before.dynamic_reads and not isinstance(imports.scope_of(node, tree), ast.Module):
            return False  # a name read from a string may be one an import in a function binds (the
            # module's own names the harm check keeps, and says why)
        if imports.kept_on_purpose(node, staged, tree) is not None:
            return False
        codes = codes_on_line(staged.line(node.lineno))
        removal = self.known.removal_codes
        return not (codes is not None and (not codes or any(c.startswith(tuple(codes)) or c in codes for c in removal)))


def _one_pass(analysis: Analysis, known: _Rules, surface: Surface, selected: Selector, unsafe: bool,
              path: object, protected: Collection[str], hidden: Collection[str], first: bool = True,
              before: verify.Snapshot | None = None, proposals: dict[object, object] | None = None,
              anchored: Collection[str] = (), installs: Mapping[str, str] | None = None) -> _Pass:
    ctx, rewrites = _proposed(analysis, known, protected, hidden, proposals, anchored, installs or {})
    if before is None and proposals is not None:  # what the checks find in the text: also asked once
        before = _shared(proposals, ("before", analysis.source.text),
                         lambda: verify.Snapshot(analysis.source.text, analysis.model.tree))  # type: ignore[arg-type]
    permission = _permission(analysis.source, selected)
    plan = planner.decide(rewrites, ctx, permission, unsafe, known.safety_of)
    applier = _Applier(analysis, ctx, known, surface, selected, path, frozenset(protected) | frozenset(hidden), before,
                       proposals, frozenset(hidden))
    clusters = _without_conflicts(plan, applier)
    if not clusters and not first:
        # nothing to rewrite, and the previous pass removed no import (which could leave
        # another unused): this pass cannot change the text
        build = _Build(analysis.source.text, [], [])
    else:
        build = _settle(plan, clusters, applier)
    result = _Pass(build.text if build.harm is None else analysis.source.text)
    if build.harm is None:
        result.maps = build.maps
        result.snapshot = build.snapshot
        result.removed_imports = bool(build.removed)
        applied = [r for cluster in clusters for r in cluster if id(r) not in plan.refused]
        result.fixed = _fixed_records(applied, plan, ctx, build.written)
        result.fixed.extend(_removed_records(build.removed, ctx, known))
    _record_refusals(result, plan, ctx, known, rewrites)
    if applier.held_back is not None:
        _held_back_refusals(result, applier, ctx, known)
    return result


def _held_back_refusals(result: _Pass, applier: _Applier, ctx: FixContext, known: _Rules) -> None:
    """The imports the clean-up would have removed say why it did not: an import of names that
    must stay bound names its own (audit y: every line named the first of them)."""
    held_back = applier.held_back
    assert held_back is not None
    guarded = verify.guarded(applier.before, applier.protected)
    statements = {ctx.locator.start(node): node for node in ctx.model.tree.body
                  if isinstance(node, (ast.Import, ast.ImportFrom))}
    for finding, offset, _ in _removed_findings(held_back.removed, ctx, known):
        node = statements.get(offset)
        own = sorted(guarded & _bound_by(node)) if node is not None else []
        why = verify.must_stay_defined(applier.before, own) if own else held_back.harm
        result.refusals.setdefault(id(finding), Refusal(RefusalKind.HARM, f"the unused import is not removed: {why}"))


def _bound_by(node: ast.Import | ast.ImportFrom) -> set[str]:
    return {alias.asname or (alias.name.split(".")[0] if isinstance(node, ast.Import) else alias.name)
            for alias in node.names}


def _proposed(analysis: Analysis, known: _Rules, protected: Collection[str], hidden: Collection[str],
              proposals: dict[object, object] | None, anchored: Collection[str] = (),
              installs: Mapping[str, str] | None = None) -> tuple[FixContext, list[Rewrite]]:
    """The fixers' rewrites for ``analysis`` (and their context), asked once per ``proposals``."""
    key = ("proposed", analysis.source.text, tuple(id(rule) for rule in known.fixers), frozenset(protected),
           frozenset(hidden), frozenset(anchored), frozenset((installs or {}).items()))
    found = proposals.get(key) if proposals is not None else None
    if found is not None:
        return found  # type: ignore[return-value]
    ctx = FixContext(analysis, protected, hidden, anchored, installs)
    rewrites: list[Rewrite] = []
    for rule in known.fixers:
        assert rule.fixer is not None
        rewrites.extend(r for r in rule.fixer(ctx) if r is not None)
    if proposals is not None:
        proposals[key] = (ctx, rewrites)
    return ctx, rewrites


def _without_conflicts(plan: planner.Plan, applier: _Applier) -> list[list[Rewrite]]:
    """The clusters to apply this pass: those whose edits overlap an earlier
    cluster's wait for the next pass (their dependents with them)."""
    while True:
        clusters = plan.clusters()
        applied = {id(r) for c in clusters for r in c}
        modes = plan.modes(applied)
        accepted = EditSet()
        clash = None
        for cluster in clusters:
            edits = [e for r in cluster for e in applier.edits_of(r, plan, applied, modes)]
            if not accepted.add(edits):
                clash = cluster
                break
        if clash is None:
            return clusters
        for rewrite in clash:
            plan.refuse(rewrite, Refusal(RefusalKind.NOT_YET, "overlaps another rewrite; it is retried in the next pass"))


def _settle(plan: planner.Plan, clusters: list[list[Rewrite]], applier: _Applier) -> _Build:
    """Apply as many clusters as do no harm.  The first harmful cluster is found by
    bisecting over prefixes (dependency order keeps each prefix consistent)."""
    checked_empty = False
    while True:
        active = [c for c in clusters if all(id(r) not in plan.refused for r in c)]
        flat = [r for c in active for r in c]
        build = applier.build(flat, plan)
        if build.harm is None:
            return build
        if not active:  # the import clean-up alone did the harm
            applier.held_back = build
            return build
        if not checked_empty:
            checked_empty = True
            alone = applier.build([], plan)
            if alone.harm is not None:
                applier.imports_allowed = False  # even the import clean-up alone would harm: skip it
                applier.held_back = alone
                continue
        low, high = 0, len(active)  # prefix ``low`` does no harm, prefix ``high`` does
        high_harm = build.harm
        while high - low > 1:
            middle = (low + high) // 2
            trial = applier.build([r for c in active[:middle] for r in c], plan)
            if trial.harm is None:
                low = middle
            else:
                high, high_harm = middle, trial.harm
        culprit = active[high - 1]
        line = getattr(culprit[0].node, "lineno", 0)
        for rewrite in culprit:
            plan.refuse(rewrite, Refusal(RefusalKind.HARM, f"not applied: {high_harm}", (line,)))


def _spacing(source: SourceText, text_a: str, text: str, rewritten: list[Edit], import_edits: list[Edit],
             imported: OffsetMap, rewrites: OffsetMap) -> list[Edit]:
    """The blank lines to take out of ``text`` where deleted statements let the runs of blank
    lines around them meet (``rewritten`` edits ``source`` into ``text_a``, ``import_edits``
    edit that into ``text``)."""
    to_text = imported.new
    points = [(to_text(rewrites.new(e.start)), *statements.deleted_spacing(source, e.start, e.end))
              for e in rewritten if _deletes_lines(source.text, e)]
    # an import's neighbours as the author wrote them: in the source, not in the rewritten text
    points += [(to_text(e.start), *statements.deleted_spacing(source, rewrites.old(e.start), rewrites.old(e.end)))
               for e in import_edits if _deletes_lines(text_a, e)]
    return statements.excess_blank_lines(text, points) if points else []


def _deletes_lines(text: str, edit: Edit) -> bool:
    """The edit removes whole lines and writes nothing."""
    return (not edit.text and edit.end > edit.start and (edit.start == 0 or text[edit.start - 1] in "\r\n")
            and (edit.end == len(text) or text[edit.end - 1] in "\r\n"))


def _installed_at(text: str, ctx: FixContext) -> dict[str, int]:
    """Where in ``text`` each package the program installs on its way becomes importable."""
    found = {}
    for package, line in ctx.installs.items():
        match = re.search(re.escape(line) + r"(?!\d)", text)
        if match is not None:
            found[package] = match.start()
    return found


def _by_first_call(helpers: dict[str, str], edits: list[Edit], tree: ast.Module, locator: Locator,
                   parts: Sequence[int]) -> dict[int, list[str]]:
    """The helpers grouped by where the statement that first calls one (through the others it
    calls) starts, one group per part; empty when one is called from no edit."""
    calls = {name: [e.start for e in edits if re.search(rf"(?<![\w.]){re.escape(name)}\(", e.text)
                    and not any(e.text.startswith(f"def {other}(") for other in helpers)] for name in helpers}
    for _ in helpers:  # a helper only other helpers call is first called where they are
        for name, code in helpers.items():
            for other in helpers:
                if other != name and re.search(rf"(?<![\w.]){re.escape(other)}\(", code):
                    calls[other].extend(calls[name])
    if not all(calls.values()):
        return {}
    starts = [locator.start(statement) for statement in tree.body]
    first: dict[str, int] = {name: starts[max(0, bisect.bisect_right(starts, min(offsets)) - 1)] if starts else 0
                             for name, offsets in calls.items()}
    by_part: dict[int, list[str]] = {}
    for name in helpers:
        by_part.setdefault(bisect.bisect_right(parts, first[name]), []).append(name)
    return {min(first[name] for name in names): names for names in by_part.values()}


def _part_starts(text: str, anchored: tuple[str, ...]) -> list[int]:
    """Where each part of ``text`` that may run on its own begins: a line that starts with one of the
    ``anchored`` marks (a notebook's cell separators, an editor's ``# %%``)."""
    if not anchored:
        return []
    pattern = re.compile("^(?:" + "|".join(re.escape(mark) for mark in anchored) + ")", re.MULTILINE)
    return [match.start() for match in pattern.finditer(text)]


def _reindent(line: str, unit: str) -> str:
    """A helper's line (written with four-space levels) in the file's own indentation."""
    stripped = line.lstrip(" ")
    levels = (len(line) - len(stripped)) // 4
    return unit * levels + stripped


def _position(ctx: FixContext, node: ast.AST) -> tuple[int, int, int]:
    """(line, byte column, offset) of a node in the pass input."""
    return node.lineno, node.col_offset, ctx.locator.start(node)  # type: ignore[attr-defined]


def _fixed(code: str, node: ast.AST, description: str, ctx: FixContext, notes: tuple[str, ...] = (),
           todos: tuple[str, ...] = ()) -> Fixed:
    line, col, offset = _position(ctx, node)
    return Fixed(code, line, description, notes, col, todos, offset)


def _fixed_records(applied: list[Rewrite], plan: planner.Plan, ctx: FixContext,
                   written: Callable[[str], str]) -> list[Fixed]:
    ids = {id(r) for r in applied}
    modes = plan.modes(ids)
    records: list[Fixed] = []
    for rewrite in applied:
        if plan.is_idle(rewrite, ids, modes):
            continue
        alive = modes.get(id(rewrite), False)
        resolved = rewrite.alive_findings if alive else rewrite.findings
        description = (rewrite.alive_description or rewrite.description) if alive else rewrite.description
        if alive and not resolved:
            continue
        main = rewrite.node
        if not rewrite.reported:
            continue  # it clears the way for the rewrites that resolve findings
        todos = tuple(written(todo) for todo in (*rewrite.todos, *_helper_todos(rewrite)))
        # each record under the code the check reports there (a claim may name a sibling code)
        main_codes = _claimed_codes(ctx, main, rewrite.code)
        records.append(_fixed(main_codes[0], main, description, ctx, tuple(dict.fromkeys(rewrite.notes)), todos))
        done = {(code, id(main)) for code in main_codes}
        companion = f"rewritten with the {main_codes[0]} fix on {line_ref(main.lineno)}"  # type: ignore[attr-defined]
        records += [_fixed(code, main, companion, ctx) for code in main_codes[1:]]
        for claim, node in resolved:
            for code in _claimed_codes(ctx, node, claim):
                if (code, id(node)) not in done:
                    done.add((code, id(node)))
                    records.append(_fixed(code, node, companion, ctx))
    return records


def _claimed_codes(ctx: FixContext, node: ast.AST, code: str) -> list[str]:
    """The codes of the findings a claim stands for (``code`` itself where the check reports none there)."""
    return list(dict.fromkeys(f.code for f in ctx.claimed(node, code))) or [code]


def _helper_todos(rewrite: Rewrite) -> tuple[str, ...]:
    """The TODO comments written by the helpers a rewrite uses (a written-out default says what to check)."""
    return tuple(line.strip() for code in rewrite.helpers.values() for line in code.splitlines()
                 if line.strip().startswith("# TODO"))


def _removed_findings(removed: list[tuple[int, list[str]]], ctx: FixContext,
                      known: _Rules) -> list[tuple[Finding, int, list[str]]]:
    """The import findings the clean-up's removals resolve, with each removal's offset and names."""
    by_offset = {}
    for finding in ctx.analysis.findings:
        if finding.code in known.removal_codes and finding.node is not None:
            by_offset.setdefault(ctx.locator.start(finding.node), finding)
    return [(by_offset[offset], offset, names) for offset, names in removed if offset in by_offset]


def _removed_records(removed: list[tuple[int, list[str]]], ctx: FixContext, known: _Rules) -> list[Fixed]:
    return [Fixed(finding.code, finding.line, f"removed the unused v1 import of {', '.join(names)}", (),
                  finding.col, (), offset) for finding, offset, names in _removed_findings(removed, ctx, known)]


def _record_refusals(result: _Pass, plan: planner.Plan, ctx: FixContext, known: _Rules,
                     rewrites: list[Rewrite]) -> None:
    """Why each finding of this pass is left: from the rewrite that would have fixed it."""
    applied = {id(r) for r in plan.accepted()}
    modes = plan.modes(applied)
    for rewrite in rewrites:
        refusal = plan.refused.get(id(rewrite)) or plan.stays.get(id(rewrite))
        if (refusal is not None and not rewrite.counterpart_present and id(rewrite) in applied
                and plan.is_idle(rewrite, applied, modes)):
            # no new object beside the old one: nothing migrated uses it, and no earlier run made it
            refusal = replace(refusal, detail=refusal.detail.removesuffix(planner.BESIDE))
        if refusal is None and modes.get(id(rewrite), False):
            refusal = _kept_for(rewrite, plan, modes)
            if rewrite.counterpart_present or not plan.is_idle(rewrite, applied, modes):
                # its new object is (or was, by an earlier pass or run) made beside it for migrated code
                refusal = replace(refusal, detail=refusal.detail + planner.BESIDE)
        if refusal is None:
            continue
        for code, node in rewrite.findings:
            for finding in ctx.claimed(node, code):
                result.refusals.setdefault(id(finding), refusal)
    for finding in ctx.analysis.findings:  # a construct a fixer saw and said why it could not take
        why = ctx.left_why.get(id(finding.node)) if finding.node is not None else None
        if why is not None:
            result.refusals.setdefault(id(finding), why)
    _import_refusals(result, ctx, known, rewrites)
    _companion_refusals(result, plan, ctx, known, rewrites)


def _companion_refusals(result: _Pass, plan: planner.Plan, ctx: FixContext, known: _Rules,
                        rewrites: list[Rewrite]) -> None:
    """A construct no rule fixes on its own (a method call on an object, an attribute read)
    is rewritten with the object it is used on; when that object's rewrite was refused, the
    construct is left for the same reason, said as a dependency on the object's line."""
    own = {rule.code for rule in known.fixers}
    refused_bindings: dict[int, tuple[Rewrite, Refusal]] = {}
    for rewrite in rewrites:
        refusal = plan.refused.get(id(rewrite))
        if refusal is None:
            continue
        assigned = ctx.assigned_binding(rewrite.node) if isinstance(rewrite.node, ast.expr) else None
        for binding in rewrite.bindings or ([assigned] if assigned is not None else []):
            refused_bindings.setdefault(id(binding), (rewrite, refusal))
    if not refused_bindings:
        return
    for finding in ctx.analysis.findings:
        if (id(finding) in result.refusals or finding.node is None or finding.code in own
                or finding.code in known.removal_codes or known.safety.get(finding.code) is FixSafety.MANUAL):
            continue  # (what no rewrite can fix stays reported as such, whatever it depends on)
        used_on = [_receiver(finding.node), _wrapped(finding.node) if finding.code in known.fixed_with else None]
        bindings = [ctx.binding_of(name) for name in used_on if name is not None]
        found = next((refused_bindings[id(b)] for b in bindings if b is not None and id(b) in refused_bindings), None)
        if found is not None:
            rewrite, refusal = found
            result.refusals[id(finding)] = refusal.blocking(getattr(rewrite.node, "lineno", 0))


def _wrapped(node: ast.AST) -> ast.Name | None:
    """The object a wrapper call is given: ``x`` of ``Wrapper(x)`` or ``Wrapper(x).m()``."""
    current = node
    while isinstance(current, (ast.Attribute, ast.Subscript)) or (
            isinstance(current, ast.Call) and isinstance(current.func, (ast.Attribute, ast.Subscript))):
        current = current.func if isinstance(current, ast.Call) else current.value
    if isinstance(current, ast.Call) and current.args and isinstance(current.args[0], ast.Name):
        return current.args[0]
    return None


def _receiver(node: ast.AST) -> ast.Name | None:
    """The object a construct is used on: ``x`` of ``x.m()``, ``x.a.b`` or ``x[k].m()``."""
    current = node
    while isinstance(current, (ast.Call, ast.Attribute, ast.Subscript)):
        current = current.func if isinstance(current, ast.Call) else current.value
    return current if isinstance(current, ast.Name) and current is not node else None


def _first_reads(ctx: FixContext, names: set[str]) -> dict[str, ast.Name]:
    """The first read of each of ``names`` anywhere in the module."""
    found: dict[str, ast.Name] = {}
    for node in all_nodes(ctx.model.tree):
        if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
            if node.id not in found or node.lineno < found[node.id].lineno:
                found[node.id] = node
    return found


def _rewriting(use: ast.AST, rewrites: Sequence[Rewrite], ctx: FixContext) -> Rewrite | None:
    """The first rewrite whose edits would replace the text of ``use``."""
    at = ctx.locator.start(use)
    return next((r for r in rewrites if isinstance(getattr(r.node, "lineno", None), int)
                 and any(e.start <= at < e.end for e in r.edits)), None)


def _kept_for(rewrite: Rewrite, plan: planner.Plan, modes: dict[int, bool]) -> Refusal:
    """Why a provider keeps its old object: a consumer that stays as it is."""
    for consumer in plan.optional.get(id(rewrite), []):
        why = plan.refused.get(id(consumer))
        if why is not None:
            return why.blocking(getattr(consumer.node, "lineno", 0))
        if modes.get(id(consumer), False):
            deeper = _kept_for(consumer, plan, modes)
            stays = plan.stays.get(id(consumer))
            if deeper.detail != _STAYS or stays is None:
                return deeper
            # the consumer keeps the object for a use of its own (a parameter the function still needs)
            return replace(stays, detail=stays.detail.removesuffix(planner.BESIDE)).blocking(
                getattr(consumer.node, "lineno", 0))
    return Refusal(RefusalKind.DATA_FLOW, _STAYS)


_STAYS = "it stays for code that still needs it"


def _import_refusals(result: _Pass, ctx: FixContext, known: _Rules, rewrites: Sequence[Rewrite] = ()) -> None:
    """An import that stays says which of its names is still used, and where: by the finding on
    that line, or by the rewrite (left) whose edits would have changed it."""
    by_line: dict[int, list[Finding]] = {}
    for finding in ctx.analysis.findings:
        if finding.code not in known.removal_codes:
            by_line.setdefault(finding.line, []).append(finding)
    # the old imports nothing reads: they go together, so none of them loads a submodule for another
    unused = {id(f.node) for f in ctx.analysis.findings if f.code in known.removal_codes
              and isinstance(f.node, (ast.Import, ast.ImportFrom)) and not any(b.uses for b in ctx.bindings_at(f.node))}
    for finding in ctx.analysis.findings:
        if finding.code not in known.removal_codes or id(finding) in result.refusals:
            continue
        node = finding.node
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        side_effects = [ctx.model.surface.side_effect_of(imports.dotted_name(node, alias)) for alias in node.names]
        if side_effects and all(side_effects):
            result.refusals[id(finding)] = Refusal(
                RefusalKind.IMPOSSIBLE, f"the import stays for what importing it does: {side_effects[0]}")
            continue
        purpose = imports.kept_on_purpose(node, ctx.analysis.source, ctx.model.tree)
        if purpose is not None:
            result.refusals[id(finding)] = Refusal(RefusalKind.SUPPRESSED, purpose)
            continue
        uses = [(binding.name, binding.uses[0]) for binding in ctx.bindings_at(node) if binding.uses]
        loaded = submodules.loads_read_submodule(node, ctx.model.tree, ctx.text, unused) if not uses else None
        if loaded is not None:
            module, chain, line = loaded
            loads = f"may load `{module[:-1]}` on the way" if module.endswith("?") else f"loads `{module}`"
            result.refusals[id(finding)] = Refusal(
                RefusalKind.BLOCKED,
                f"the import {loads}, which `{chain}` at {line_ref(line)} reads through "
                f"`import {module.split('.')[0]}`; the import goes once that is migrated", (line,))
            continue
        if not uses:  # a binding the name model did not follow (a fallback, a masked cell): any read counts
            names = {alias.asname or alias.name.split(".")[0] for alias in node.names}
            uses = [(name, read) for name, read in _first_reads(ctx, names).items()]
        exported = imports.exported_names(ctx.model.tree) if not uses else {}
        listed = [alias.asname or alias.name.split(".")[0] for alias in node.names]
        if any(name in exported for name in listed):
            name = next(name for name in listed if name in exported)
            result.refusals[id(finding)] = Refusal(
                RefusalKind.BLOCKED, f"`{name}` is exported with `__all__` at {line_ref(exported[name])}; the import "
                "stays while the module exports it", (exported[name],))
            continue
        if uses:
            name, use = min(uses, key=lambda pair: pair[1].lineno)
            users = by_line.get(use.lineno, [])
            holder = _rewriting(use, rewrites, ctx) if not users else None
            if holder is not None:  # (a value built on its own line that a left rewrite would take in)
                result.refusals[id(finding)] = Refusal(
                    RefusalKind.BLOCKED, f"`{name}` is still used at {line_ref(use.lineno)}, which the {holder.code} fix "
                    f"at {line_ref(holder.node.lineno)} rewrites, and that is left; the import goes once that is "
                    "migrated", (use.lineno, holder.node.lineno))
                continue
            if not users:  # no rule reports that use: nothing will migrate it for the import to go
                result.refusals[id(finding)] = Refusal(
                    RefusalKind.NOT_YET, f"`{name}` is still used at {line_ref(use.lineno)}, a use no rule migrates: "
                    "change it by hand and the import goes", (use.lineno,))
                continue
            result.refusals[id(finding)] = Refusal(
                RefusalKind.BLOCKED, f"`{name}` is still used at {line_ref(use.lineno)} ({users[0].code}: "
                f"{users[0].message}); the import goes once that is migrated", (use.lineno,))
