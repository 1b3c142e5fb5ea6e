"""What a rule's fixer hands to the planner: rewrites, and what they may read.

A *rewrite* is the fix of one construct: its edits, the findings it resolves,
its safety, and how it depends on other constructs through the program's
variables.  A rewrite that migrates a variable (``ws = Workspace.from_config()``)
names that binding; every use of the variable is translated by the rewrite
itself or taken over by another rewrite (``Experiment(ws, ...)`` consumes its
use of ``ws``).  When other code still needs the old object, a rewrite that
can *keep it alive* adds its new counterpart beside it instead of replacing it
(``ml_client = MLClient...`` after ``ws = ...``); one that cannot is refused.
The planner (:mod:`.planner`) works out which rewrites hold together.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property

from ..analysis import Analysis
from ..findings import line_ref, Finding, Refusal, RefusalKind
from ..names import Binding, CallSite, Model, Ref, Value
from ..nodes import all_nodes, parent_of
from . import reaching
from ..rule import FixSafety
from . import statements
from .edits import Edit
from .locate import Locator
from .symbols import counterpart, symbol


@dataclass(eq=False)
class Rewrite:
    code: str
    node: ast.AST  # where the rewrite's main finding is reported
    description: str  # what the rewrite does, e.g. "ScriptRunConfig() -> command()"
    safety: FixSafety | None = None  # None: the safety its rule declares
    edits: list[Edit] = field(default_factory=list)
    findings: list[tuple[str, ast.AST]] = field(default_factory=list)  # (code, node) it resolves
    binding: Binding | None = None  # the variable it migrates
    extra_bindings: list[Binding] = field(default_factory=list)  # more variables it migrates
    own_uses: set[int] = field(default_factory=set)  # ids of uses of its bindings it translates itself
    consumes: list[ast.Name] = field(default_factory=list)  # uses of other migrated variables it takes over
    requires: list[ast.AST] = field(default_factory=list)  # nodes whose own rewrites must come along
    imports: set[tuple[str, str]] = field(default_factory=set)  # names written literally that need an import
    notes: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)  # TODO comments the edits write
    refusal: Refusal | None = None
    # Keeping the old object alive: the edits that add the new counterpart beside it
    # (None: this rewrite cannot keep it alive), and what they resolve.
    alive_edits: list[Edit] | None = None
    alive_findings: list[tuple[str, ast.AST]] = field(default_factory=list)
    alive_description: str = ""
    # What consumers write for the migrated object (see FixContext.counterpart), in
    # each mode; None where this rewrite has no counterpart to offer.
    counterpart: str | None = None
    alive_counterpart: str | None = None
    # The kept-alive counterpart is already in the code (an earlier run added it beside the old object).
    counterpart_present: bool = False
    # Module-level helper functions the new code calls: name -> source (with
    # symbols), written once per module, after its imports.
    helpers: dict[str, str] = field(default_factory=dict)
    # What a helper needs at run time that no import of the module shows (a plugin package):
    # helper name -> what.  Inside ``try:`` with a handler that catches everything, the new code
    # failing for want of it would take the handler's path without a word, so it is not made there.
    silent_needs: dict[str, str] = field(default_factory=dict)
    # The old object must stay even when every use is migrated (another module imports it,
    # or its statement has an effect the new code relies on: say which in ``keep_reason``).
    must_keep_alive: bool = False
    keep_reason: str = ""
    # Consumed objects the old call also registers itself with (a v1 step becomes the
    # producer of its outputs): while one of them stays, old code still relies on the
    # call, so it stays too.  ``registration`` says what the registration is.
    registers_with: list[ast.Name] = field(default_factory=list)
    registration: str = ""
    # Whether, applied, it uses what the rewrites it consumes from make: one that only deletes
    # its use of the old object does not, so it alone keeps no kept-alive provider's edits.
    uses_counterpart: bool = True
    # Whether taking its use of an object away takes an effect away from it (``run.complete()``):
    # a lookup's (``Environment.get(ws, ...)`` becoming a reference string) does not, so it may
    # leave an object that stays for other code.
    use_has_effect: bool = True
    # Whether a use of its variable inside what another rewrite replaces (and does not write
    # again) goes with that rewrite: such a rewrite names the object another way (a datastore
    # by the name it was registered under), so it needs nothing of this one, and this one
    # keeps its old object only while that rewrite is not applied.
    released_by_replacers: bool = False
    # Whether, applied, it says so in a line of its own (one that only clears the way for other
    # rewrites, such as calls passing None where they handed over the run a function no longer
    # needs, does not).
    reported: bool = True

    def __post_init__(self) -> None:
        if not self.findings:
            self.findings.append((self.code, self.node))

    @property
    def bindings(self) -> list[Binding]:
        return ([self.binding] if self.binding is not None else []) + self.extra_bindings

    @property
    def can_keep_alive(self) -> bool:
        return self.alive_edits is not None

    def refuse(self, detail: str, kind: RefusalKind = RefusalKind.NOT_YET, related: tuple[int, ...] = ()) -> Rewrite:
        if self.refusal is None:
            self.refusal = Refusal(kind, detail, related)
        return self


def called_helpers(offered: dict[str, str], texts: list[str]) -> set[str]:
    """The helpers the new text calls, and those they call: a rewrite kept alive (or in part)
    may offer a helper none of its applied edits uses."""
    called: set[str] = set()
    pending = list(texts)
    while pending:
        text = pending.pop()
        for name, code in offered.items():
            if name not in called and re.search(rf"\b{re.escape(name)}\b", text):
                called.add(name)
                pending.append(code)
    return called


class FixContext:
    """Everything a fixer may read while it builds rewrites for one pass.

    Look-ups are indexed once per pass, so that building n rewrites stays linear."""

    def __init__(self, analysis: Analysis, protected: Collection[str] = (), hidden: Collection[str] = (),
                 anchored: Collection[str] = (), installs: Mapping[str, str] | None = None) -> None:
        assert analysis.model is not None
        self.analysis = analysis
        self.protected = frozenset(protected)  # module-level names other modules import
        self.hidden = frozenset(hidden)  # names read by code the engine cannot see
        self.anchored = tuple(anchored)  # what marks a comment line no fix moves
        self.installs = dict(installs or {})  # package -> the line that installs it on the way
        self.model: Model = analysis.model
        self.locator = Locator(analysis.source)
        self.text = analysis.source.text
        self.cache: dict[str, object] = {}  # plans shared by fixers within one pass
        self._reaching: dict[int, list[ast.Name]] = {}
        self.why_not: dict[int, str] = {}  # id(use) -> why a fixer could not translate that use (for its refusal)
        self.left_why: dict[int, Refusal] = {}  # id(a finding's node) -> why it is left, when no rewrite covers it

    # -- the tree -------------------------------------------------------------

    def parent(self, node: ast.AST) -> ast.AST | None:
        return parent_of(self.model.tree, node)

    def statement_of(self, node: ast.AST) -> ast.stmt:
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parent(current)
        assert current is not None
        return current

    @cached_property
    def _blocks(self) -> dict[int, tuple[list[ast.stmt], int]]:
        """Every statement -> (the statement list it belongs to, its index there)."""
        found: dict[int, tuple[list[ast.stmt], int]] = {}
        for node in all_nodes(self.model.tree):
            for name in _block_fields(node.__class__):
                block = getattr(node, name, None)
                if isinstance(block, list):
                    for index, statement in enumerate(block):
                        found[id(statement)] = (block, index)
        return found

    def top_level_statement(self, node: ast.AST) -> ast.stmt:
        """The module-level statement that contains ``node``."""
        statement = self.statement_of(node)
        while not isinstance(self.parent(statement), ast.Module):
            statement = self.statement_of(self.parent(statement))  # type: ignore[arg-type]
        return statement

    def place_in_block(self, statement: ast.AST) -> tuple[list[ast.stmt], int] | None:
        """The statement list ``statement`` belongs to, and its index there."""
        return self._blocks.get(id(statement))

    def block_of(self, statement: ast.stmt) -> list[ast.stmt] | None:
        """The statement list ``statement`` belongs to."""
        found = self._blocks.get(id(statement))
        return found[0] if found is not None else None

    def uses_reaching(self, binding: Binding) -> list[ast.Name]:
        """``binding.uses`` and the uses that may see its value though the name model gave
        them to a later binding in a branch (see :mod:`.reaching`)."""
        if id(binding) not in self._reaching:
            self._reaching[id(binding)] = reaching.uses_reaching(self, binding)
        return self._reaching[id(binding)]

    def settled_in_its_block(self, binding: Binding) -> bool:
        """A binding made inside an ``if``/``try``/loop that is as good as unconditional for its
        uses: the only binding of its name, and every use of it comes after it in its own block
        (or in a statement nested there), where it always holds the value it was given."""
        if len(self.bindings_named(binding.name)) != 1 or not isinstance(binding.node, ast.stmt):
            return False
        place = self.place_in_block(binding.node)
        if place is None:
            return False
        block, index = place
        for use in self.uses_reaching(binding):
            statement: ast.AST | None = self.statement_of(use)
            while statement is not None and (found := self.place_in_block(statement)) is not None \
                    and found[0] is not block:
                statement = self.parent(statement)
                while statement is not None and not isinstance(statement, ast.stmt):
                    statement = self.parent(statement)
            if statement is None or (found := self.place_in_block(statement)) is None or found[1] <= index:
                return False
        return True

    def next_statement(self, statement: ast.stmt) -> ast.stmt | None:
        found = self._blocks.get(id(statement))
        if found is None:
            return None
        block, index = found
        return block[index + 1] if index + 1 < len(block) else None

    # -- names and values -------------------------------------------------------

    @cached_property
    def _sites(self) -> dict[int, CallSite]:
        return {id(site.node): site for site in self.model.calls}

    def site(self, call: ast.AST) -> CallSite | None:
        return self._sites.get(id(call))

    @cached_property
    def _references(self) -> dict[int, str]:
        return {id(ref.node): ref.qualname for ref in self.model.references}

    @cached_property
    def _bindings_by_node(self) -> dict[int, list[Binding]]:
        found: dict[int, list[Binding]] = defaultdict(list)
        for binding in self.model.bindings:
            found[id(binding.node)].append(binding)
        return found

    @cached_property
    def _bindings_by_name(self) -> dict[str, list[Binding]]:
        found: dict[str, list[Binding]] = defaultdict(list)
        for binding in self.model.bindings:
            found[binding.name].append(binding)
        return found

    def callee(self, call: ast.AST) -> str | None:
        """The qualified name a call's function resolves to, if it is a known name."""
        site = self._sites.get(id(call))
        return site.callee.qualname if site is not None and isinstance(site.callee, Ref) else None

    def reference(self, node: ast.AST) -> str | None:
        """The qualified old-API name an expression such as ``ComputeTargetException`` names."""
        return self._references.get(id(node))

    def value_of_argument(self, node: ast.expr) -> Value:
        """What the name model resolved an argument expression to, where the call was seen."""
        parent = self.parent(node)
        if isinstance(parent, ast.keyword):
            parent = self.parent(parent)
        site = self._sites.get(id(parent)) if parent is not None else None
        if site is None:
            return None
        for arg, value in zip(site.node.args, site.args):
            if arg is node:
                return value
        for keyword in site.node.keywords:
            if keyword.value is node:
                return site.kwargs.get(keyword.arg)  # type: ignore[arg-type]
        return None

    def bindings_at(self, statement: ast.AST) -> list[Binding]:
        """The bindings a statement makes (an import binds one per name)."""
        return self._bindings_by_node.get(id(statement), [])

    def is_imported_elsewhere(self, binding: Binding) -> bool:
        """Another module of the project imports this module-level binding by name."""
        return binding.scope.kind == "module" and ("*" in self.protected or binding.name in self.protected)

    def binding_of(self, name: ast.Name) -> Binding | None:
        return self.model.binding_of_use.get(id(name))

    def bindings_named(self, name: str) -> list[Binding]:
        return self._bindings_by_name.get(name, [])

    def may_hold_another_value(self, name: ast.Name, alike: Callable[[object], bool] | None = None) -> bool:
        """Whether another assignment in the scope of ``name``'s binding gives it a value of
        another kind (``env = None`` in one branch, a v1 object in the other) that may reach this
        use: one after the use, with the use following its binding in the same block, cannot (a
        later notebook cell that builds ``env`` again, or the v2 one a fix wrote there: audit q).
        ``alike``: values of one kind for the caller (a looked-up and a created compute target)."""
        binding = self.binding_of(name)
        if binding is None:
            return True
        others = [other for other in self.bindings_named(name.id)
                  if other.scope is binding.scope and other.value != binding.value
                  and not (alike is not None and alike(other.value) and alike(binding.value))]
        return bool(others) and not reaching.sees_only(self, binding, name)

    def unassigned_reason(self, value: ast.AST, what: str) -> str:
        """Why ``value`` (a construct no ``assigned_binding`` holds) cannot be followed: where
        its value goes instead, for a refusal that names ``what`` it is."""
        parent = self.parent(value)
        if isinstance(parent, ast.Return):
            return f"the {what} is returned: the code that receives it is not followed"
        if isinstance(parent, ast.AnnAssign):
            return f"the {what} is assigned with a type annotation, which would go on naming the v1 class"
        if isinstance(parent, ast.Assign) and parent.value is value:
            targets = parent.targets
            if len(targets) == 1 and isinstance(targets[0], ast.Attribute):
                return f"the {what} is assigned to an attribute (`{snippet(self.locator, targets[0])}`), which this fix does not follow"
            return f"the {what} is assigned to several names or unpacked"
        return f"the {what} is not assigned to a variable"

    def assigned_binding(self, call: ast.AST) -> Binding | None:
        """The binding made by ``name = <call>`` when ``call`` is the whole value."""
        statement = self.parent(call)
        if not isinstance(statement, ast.Assign) or statement.value is not call:
            return None
        if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
            return None
        for binding in self._bindings_by_node.get(id(statement), []):
            if binding.name == statement.targets[0].id:
                return binding
        return None

    def visible(self, at: ast.AST, binding: Binding) -> bool:
        """True when ``binding.name`` still means ``binding`` at the call ``at``."""
        site = self._sites.get(id(at))
        return site is not None and site.scope.lookup(binding.name) is binding

    def holds_at(self, at: ast.AST, binding: Binding) -> bool:
        """``visible``, or in straight-line code of the binding's scope: no other assignment
        to the name lies between the binding and the call ``at``, and no loop runs the call
        again after a later one (a notebook that sets ``name = ...`` again in a later cell)."""
        if self.visible(at, binding):
            return True
        site = self._sites.get(id(at))
        if site is None or site.scope is not binding.scope or not hasattr(at, "lineno"):
            return False
        end = reaching.position(at)
        if not reaching.position(binding.node) < end or reaching.rebound_between(self, binding, end):
            return False
        node = self.parent(at)
        while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                                           ast.Lambda, ast.Module)):
            if isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.comprehension)):
                return False
            node = self.parent(node)
        return True

    @cached_property
    def names_in_module(self) -> frozenset[str]:
        """Every identifier bound or read anywhere: used to pick fresh names."""
        found: set[str] = set()
        for node in all_nodes(self.model.tree):
            kind = node.__class__  # ``ast.parse`` made the tree: its nodes are of these very classes
            if kind is ast.Name:
                found.add(node.id)
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.ClassDef:
                found.add(node.name)
            elif kind is ast.arg:
                found.add(node.arg)
            elif kind is ast.alias:
                found.add((node.asname or node.name).split(".")[0])
        return frozenset(found)

    def fresh_name(self, base: str, taken: set[str] | None = None) -> str:
        module, extra = self.names_in_module, taken or set()

        def used(name: str) -> bool:
            return name in module or name in extra

        if not used(base):
            return base
        number = 1
        while used(f"{base}_{number}"):
            number += 1
        return f"{base}_{number}"

    @cached_property
    def indent_unit(self) -> str:
        """One level of indentation as this file writes it (a tab, or N spaces)."""
        found: list[str] = []
        for node in all_nodes(self.model.tree):
            if isinstance(node, ast.stmt) and node.col_offset:
                indent = self.locator.indentation(node)
                if indent and not indent.strip():
                    found.append(indent)
        if not found:
            return "    "
        shortest = min(found, key=len)
        return "\t" if shortest.startswith("\t") else shortest

    # -- findings -------------------------------------------------------------

    @cached_property
    def _findings_by_node(self) -> dict[int, list[Finding]]:
        found: dict[int, list[Finding]] = defaultdict(list)
        for finding in self.analysis.findings:
            if finding.node is not None:
                found[id(finding.node)].append(finding)
        return found

    def findings_for(self, node: ast.AST, code: str | None = None) -> list[Finding]:
        found = self._findings_by_node.get(id(node), [])
        return [f for f in found if code is None or f.code == code]

    def claimed(self, node: ast.AST, code: str) -> list[Finding]:
        """The findings a rewrite's claim on ``node`` under ``code`` stands for: those of that code
        there or, where the check names the node under a sibling code (a rule's variant of the same
        construct), every finding there.  A rewrite of the node resolves them, and a suppression or
        selection of their codes must stop it all the same."""
        found = self._findings_by_node.get(id(node), [])
        return [f for f in found if f.code == code] or list(found)

    # -- edits ----------------------------------------------------------------

    def delete(self, statement: ast.AST) -> Edit:
        """Delete a statement, leaving ``pass`` where its block would become empty."""
        assert isinstance(statement, ast.stmt)
        return statements.delete(self.locator, statement, statements.is_alone(statement, self.parent(statement)))

    def delete_into(self, statement: ast.AST, use: ast.AST) -> list[Edit]:
        """Delete a statement whose value moves to ``use`` (a single-use list inlined there, a
        setting folded into a constructor): its comments go above the statement that holds ``use``."""
        assert isinstance(statement, ast.stmt)
        if not statements.is_alone(statement, self.parent(statement)):
            place = self.place_in_block(statement)
            previous = place[0][place[1] - 1] if place is not None and place[1] > 0 else None
            moved = statements.delete_moving_comments(self.locator, statement, self.statement_of(use), previous,
                                                      self.anchored)
            if moved is not None:
                return moved
        return [self.delete(statement)]

    def symbol(self, module: str, name: str = "") -> str:
        """Where new code names ``module.name``: the import manager picks the local name."""
        return symbol(module, name)

    def counterpart(self, binding: Binding) -> str:
        """Where new code names the counterpart of the object ``binding`` holds: the
        provider's rewrite fills it in once the planner knows whether the old object
        stays alive (``ws`` replaced by ``ml_client``, or ``ml_client`` beside ``ws``)."""
        return counterpart(id(binding))

    @cached_property
    def module_functions(self) -> frozenset[str]:
        """Names of functions defined at module level (helpers already written)."""
        return frozenset(s.name for s in self.model.tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)))


def snippet(locator: Locator, node: ast.AST, limit: int = 40) -> str:
    """The node's source on one line, cut to ``limit`` characters between words, not inside a name
    (``run_config.environment.environment_va...`` read as a name that is not there)."""
    text = " ".join(locator.text(node).split())
    if len(text) <= limit or (len(text) <= 2 * limit and _DOTTED.fullmatch(text)):
        return text  # (a dotted name is shown whole while it stays short)
    cut = text[: limit - 3]
    if cut[-1:].isalnum() or cut[-1:] == "_":
        rest = _WORD.match(text, len(cut))  # the name the cut falls in ends a little further on
        cut += rest.group(0) if rest is not None and len(rest.group(0)) <= limit // 2 else ""
    return cut + "..." if len(cut) < len(text) else text


_DOTTED = re.compile(r"\w+(?:\.\w+)*")
_WORD = re.compile(r"\w+")


def describe_use(locator: Locator, context: FixContext, use: ast.Name) -> str:
    """``line N (`ws.get_default_datastore()`)`` for an untranslatable use."""
    outer: ast.AST = use
    while True:
        parent = context.parent(outer)
        if isinstance(parent, (ast.Attribute, ast.Call, ast.Subscript)) and not isinstance(parent, ast.stmt):
            if isinstance(parent, ast.Call) and outer is not parent.func:
                break
            outer = parent
            continue
        break
    if isinstance(context.parent(outer), ast.Return) and outer is use:
        return f"{line_ref(use.lineno)} (`return {use.id}`: the callers' uses are not followed)"
    return f"{line_ref(use.lineno)} (`{snippet(locator, outer)}`)"


@cache
def _block_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node class that can hold a statement list: asked once per class, not
    with four attribute look-ups on every node of the tree."""
    return tuple(name for name in ("body", "orelse", "finalbody", "handlers") if name in kind._fields)
