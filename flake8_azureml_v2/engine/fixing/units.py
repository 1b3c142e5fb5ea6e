"""What a rule's fixer hands to the planner.

A *unit* is one rewrite: the edits for one construct, the findings it resolves,
and how it depends on other constructs.  A unit that migrates a variable
(``ws = Workspace.from_config()``) names that binding; every use of the
variable must then be translated by the unit itself or taken over by another
unit (``Experiment(ws, ...)`` is taken over by the experiment's unit).  Units
that depend on each other are applied together or not at all, so a program is
never half rewritten.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property

from ..analysis import Analysis
from ..findings import Finding
from ..names import Binding, CallSite, Model, Ref, Value
from ..rule import FixSafety
from . import statements
from .edits import Edit
from .locate import Locator


@dataclass(eq=False)
class Unit:
    code: str
    node: ast.AST  # where the unit's main finding is reported
    description: str  # what the rewrite does, e.g. "ScriptRunConfig() -> command()"
    safety: FixSafety = FixSafety.UNSAFE
    edits: list[Edit] = field(default_factory=list)
    findings: list[tuple[str, ast.AST]] = field(default_factory=list)  # (code, node) it resolves
    binding: Binding | None = None  # the variable it migrates
    extra_bindings: list[Binding] = field(default_factory=list)  # more variables it migrates
    own_uses: set[int] = field(default_factory=set)  # ids of uses of ``binding`` it translates
    consumes: list[ast.Name] = field(default_factory=list)  # uses of other v1 variables it takes over
    requires: list[ast.AST] = field(default_factory=list)  # nodes whose own units must come along
    imports: set[tuple[str, str]] = field(default_factory=set)  # (module, name) the new code needs
    notes: list[str] = field(default_factory=list)
    refusal: str | None = None

    def __post_init__(self) -> None:
        if not self.findings:
            self.findings.append((self.code, self.node))

    @property
    def bindings(self) -> list[Binding]:
        return ([self.binding] if self.binding is not None else []) + self.extra_bindings

    def refuse(self, reason: str) -> Unit:
        if self.refusal is None:
            self.refusal = reason
        return self


class FixContext:
    """Everything a fixer may read while it builds units for one pass."""

    def __init__(self, analysis: Analysis) -> None:
        assert analysis.model is not None
        self.analysis = analysis
        self.model: Model = analysis.model
        self.locator = Locator(analysis.source)
        self.text = analysis.source.text
        self.cache: dict[str, object] = {}  # plans shared by fixers within one pass

    @cached_property
    def parents(self) -> dict[int, ast.AST]:
        found: dict[int, ast.AST] = {}
        for parent in ast.walk(self.model.tree):
            for child in ast.iter_child_nodes(parent):
                found[id(child)] = parent
        return found

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(id(node))

    def statement_of(self, node: ast.AST) -> ast.stmt:
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parent(current)
        assert current is not None
        return current

    @cached_property
    def _sites(self) -> dict[int, CallSite]:
        return {id(site.node): site for site in self.model.calls}

    @cached_property
    def _references(self) -> dict[int, str]:
        return {id(ref.node): ref.qualname for ref in self.model.references}

    def callee(self, call: ast.AST) -> str | None:
        """The qualified name a call's function resolves to, if it is a known name."""
        site = self._sites.get(id(call))
        return site.callee.qualname if site is not None and isinstance(site.callee, Ref) else None

    def reference(self, node: ast.AST) -> str | None:
        """The qualified v1 name an expression such as ``ComputeTargetException`` names."""
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

    def delete(self, statement: ast.AST) -> Edit:
        """Delete a statement, leaving ``pass`` where its block would become empty."""
        assert isinstance(statement, ast.stmt)
        return statements.delete(self.locator, statement, statements.is_alone(statement, self.parent(statement)))

    def binding_of(self, name: ast.Name) -> Binding | None:
        return self.model.binding_of_use.get(id(name))

    @cached_property
    def names_in_module(self) -> frozenset[str]:
        """Every identifier bound or read anywhere: used to pick fresh names."""
        found: set[str] = set()
        for node in ast.walk(self.model.tree):
            if isinstance(node, ast.Name):
                found.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.add(node.name)
            elif isinstance(node, ast.arg):
                found.add(node.arg)
            elif isinstance(node, ast.alias):
                found.add((node.asname or node.name).split(".")[0])
        return frozenset(found)

    def findings_at(self, node: ast.AST) -> list[Finding]:
        line, col = node.lineno, node.col_offset  # type: ignore[attr-defined]
        return [f for f in self.analysis.findings if f.line == line and f.col == col]

    def bindings_named(self, name: str) -> list[Binding]:
        return [b for b in self.model.bindings if b.name == name]

    def assigned_binding(self, call: ast.AST) -> Binding | None:
        """The binding made by ``name = <call>`` when ``call`` is the whole value."""
        statement = self.parent(call)
        if not isinstance(statement, ast.Assign) or statement.value is not call:
            return None
        if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
            return None
        for binding in self.model.bindings:
            if binding.node is statement and binding.name == statement.targets[0].id:
                return binding
        return None


def snippet(locator: Locator, node: ast.AST, limit: int = 40) -> str:
    text = " ".join(locator.text(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
    return f"line {use.lineno} (`{snippet(locator, outer)}`)"
