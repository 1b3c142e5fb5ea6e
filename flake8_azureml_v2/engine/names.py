"""Name resolution: what each name, attribute and call in one module refers to.

This is written once and shared by every rule and by the fixer.  One walk over
the module records:

* import bindings (aliases, ``from`` imports, star imports, imports inside
  functions or ``try/except ImportError`` blocks);
* simple value bindings (``exp = Experiment(ws, "x")``, ``run = exp.submit(c)``)
  so that later code knows what a variable holds;
* every call, attribute read and reference to a name of the old API, each with
  the values resolved *at that point* of the program.

Statements run in order.  Function bodies are walked after the enclosing
module, the way Python runs them, so they see the module's final bindings.
Inside ``if``/``try``/loops a binding to something unknown never erases a v1
binding: a fallback such as ``except ImportError: Run = None`` keeps ``Run``.

Values also flow through the module's own functions: a parameter holds what
every call site passes it (when they agree), and a call holds what its function
returns.  A second walk applies what the first one learnt.  Names imported from
other modules of the project take the value those modules bind, through the
``imported`` look-up the caller provides.

What counts as the old API (its classes, what their methods return) is the
:class:`~.surface.Surface` the caller passes in.
"""

from __future__ import annotations

import ast
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Union

from .surface import Surface

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_WORD = re.compile(r"\w+")
# (module, name) -> what another module of the project binds to that name.
ImportedValue = Callable[[str, str], "Value"]
MAX_WALKS = 3


@dataclass(frozen=True)
class Ref:
    """The expression names a module, class or function of the old API, by its qualified name."""

    qualname: str


@dataclass(frozen=True)
class Instance:
    """The expression evaluates to an instance of a v1 class."""

    type: str


@dataclass(frozen=True)
class Const:
    """The expression is a known string, such as a script path."""

    value: str


@dataclass(frozen=True)
class Local:
    """A class defined in this module, or an instance of one: known not to be v1."""

    name: str


Value = Union[Ref, Instance, Const, Local, None]


def is_v1_value(value: Value, surface: Surface | None = None) -> bool:
    if isinstance(value, Instance):
        return True
    if not isinstance(value, Ref):
        return False
    return surface.is_target_module(value.qualname) if surface is not None else False


@dataclass
class Scope:
    kind: str  # "module", "function", "class" or "comprehension"
    parent: Scope | None
    names: dict[str, Binding] = field(default_factory=dict)

    def lookup(self, name: str) -> Binding | None:
        found = self.names.get(name)
        if found is not None:
            return found
        scope = self.parent
        while scope is not None:
            if scope.kind != "class":  # a class body's names are not visible inside its methods
                found = scope.names.get(name)
                if found is not None:
                    return found
            scope = scope.parent
        return None


@dataclass(eq=False)
class Binding:
    name: str
    value: Value
    node: ast.AST
    scope: Scope
    uses: list[ast.Name] = field(default_factory=list)
    conditional: bool = False  # bound inside an if/try/loop: its value may not hold later
    within: str = ""  # the innermost block that makes it conditional, for messages: "a loop", "an if", ...

    def conditional_detail(self) -> str:
        """Why a fix cannot follow the value, for a refusal: the block it is assigned in."""
        return f"`{self.name}` is assigned inside {self.within or 'a conditional block'}"


@dataclass
class CallSite:
    node: ast.Call
    callee: Value
    receiver: Value
    method: str | None
    args: list[Value]
    kwargs: dict[str, Value]
    scope: Scope

    def argument(self, position: int, keyword: str) -> tuple[ast.expr | None, Value]:
        """The node and value of a parameter passed by position or keyword."""
        if keyword in self.kwargs:
            for kw in self.node.keywords:
                if kw.arg == keyword:
                    return kw.value, self.kwargs[keyword]
        positional = [a for a in self.node.args if not isinstance(a, ast.Starred)]
        if 0 <= position < len(positional) and len(positional) == len(self.node.args):
            return positional[position], self.args[position]
        return None, None


@dataclass
class AttributeRead:
    node: ast.Attribute
    receiver: Value
    scope: Scope


@dataclass
class Reference:
    node: ast.expr
    qualname: str


@dataclass
class ImportSite:
    node: ast.Import | ast.ImportFrom
    modules: tuple[str, ...]  # every qualified name the statement imports
    v1_modules: tuple[str, ...] = ()  # those that belong to the old API


@dataclass
class AttributeAssignment:
    """``target.attr = value`` where the target resolved to something known."""

    node: ast.Assign | ast.AnnAssign | ast.AugAssign
    target: ast.Attribute
    receiver: Value
    value: Value


@dataclass
class FlowHints:
    """What one walk learnt about the module's functions, for the next walk."""

    parameters: dict[int, dict[str, Value]] = field(default_factory=dict)  # id(def) -> parameter -> value
    returns: dict[int, Value] = field(default_factory=dict)  # id(def) -> what it returns

    def __bool__(self) -> bool:
        return bool(self.parameters or self.returns)


class Model:
    """Everything the walk found in one module."""

    def __init__(self, tree: ast.Module, text: str | None = None, *, surface: Surface,
                 imported: ImportedValue | None = None) -> None:
        """``text`` (the source of ``tree``) lets the walk skip function bodies that
        cannot involve v1 code; without it every body is walked."""
        self.tree = tree
        self.surface = surface
        self.imported = imported
        self.lines = [line for line in _LINE.findall(text) if line] if text is not None else None
        hints = FlowHints()
        for _ in range(MAX_WALKS):
            self._reset()
            walker = _Walker(self, hints)
            walker.run()
            learnt = walker.learnt()
            if learnt == hints or not learnt:
                break
            hints = learnt

    def _reset(self) -> None:
        self.imports: list[ImportSite] = []
        self.calls: list[CallSite] = []
        self.attribute_reads: list[AttributeRead] = []
        self.references: list[Reference] = []
        self.bindings: list[Binding] = []
        self.attribute_assignments: list[AttributeAssignment] = []
        self.binding_of_use: dict[int, Binding] = {}
        self.module_scope = Scope("module", None)
        self.scopes: list[Scope] = [self.module_scope]  # what keeps each scope alive (see _Walker._held_scope)
        self.__dict__.pop("calls_by_callee", None)
        self.__dict__.pop("calls_by_method", None)

    @cached_property
    def calls_by_callee(self) -> dict[str, list[CallSite]]:
        """Calls grouped by the qualified name of what they call (every rule looks here)."""
        found: dict[str, list[CallSite]] = {}
        for call in self.calls:
            if isinstance(call.callee, Ref):
                found.setdefault(call.callee.qualname, []).append(call)
        return found

    @cached_property
    def calls_by_method(self) -> dict[str, list[CallSite]]:
        """``x.m(...)`` calls on a known v1 instance, grouped by ``m``."""
        found: dict[str, list[CallSite]] = {}
        for call in self.calls:
            if call.method is not None and isinstance(call.receiver, Instance):
                found.setdefault(call.method, []).append(call)
        return found

    def calls_to(self, *qualnames: str) -> list[CallSite]:
        """Calls whose callee is exactly one of ``qualnames``, in source order."""
        found = [c for q in qualnames for c in self.calls_by_callee.get(q, ())]
        return sorted(found, key=lambda c: (c.node.lineno, c.node.col_offset)) if len(qualnames) > 1 else found

    def method_calls(self, instance_type: str, *methods: str) -> list[CallSite]:
        """``x.m(...)`` calls where ``x`` holds an instance of ``instance_type``."""
        return [
            c
            for m in methods
            for c in self.calls_by_method.get(m, ())
            if self.surface.is_subtype(c.receiver.type, instance_type)  # type: ignore[union-attr]
        ]


def _imported_module(node: ast.ImportFrom) -> str | None:
    if node.level:
        return None
    return node.module


def _same(values: list[Value]) -> Value:
    """The value every site agrees on, or None."""
    if not values or values[0] is None:
        return None
    return values[0] if all(v == values[0] for v in values[1:]) else None


class _Walker(ast.NodeVisitor):
    def __init__(self, model: Model, hints: FlowHints) -> None:
        self.model = model
        self.surface = model.surface
        self.hints = hints
        # What this walk sees, for the next one: call-site arguments and returns.
        self.site_arguments: dict[int, list[dict[str, Value]]] = {}
        self.returned: dict[int, list[Value]] = {}
        self.function_stack: list[ast.AST] = []
        self.scope = model.module_scope
        self.conditional = 0
        self.blocks: list[str] = []  # the conditional blocks around the statement walked, innermost last
        self.memo: dict[int, Value] = {}
        self.v1_names: set[str] = set()  # every name ever bound to something v1
        self._v1_pattern: re.Pattern[str] | None = None
        self._v1_pattern_size = -1
        self.deferred: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, Scope, dict[str, Value]]] = []

    # ast.NodeVisitor looks the method up by name for every node; the walk is the
    # engine's hot loop, so the lookup is cached per node class.
    _dispatch: dict[type, Callable[[_Walker, ast.AST], object]] = {}

    def visit(self, node: ast.AST) -> object:
        method = self._dispatch.get(node.__class__) or self._method(node.__class__)
        return method(self, node)

    @classmethod
    def _method(cls, node_class: type) -> Callable[[_Walker, ast.AST], object]:
        method = getattr(cls, "visit_" + node_class.__name__, cls.generic_visit)
        cls._dispatch[node_class] = method
        return method

    def generic_visit(self, node: ast.AST) -> None:
        # (the hot loop: ``visit`` is inlined, children are dispatched here directly)
        fields = _CHILD_FIELDS.get(node.__class__)
        if fields is None:
            fields = _child_fields(node.__class__)
        dispatch = self._dispatch
        for name in fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        (dispatch.get(item.__class__) or self._method(item.__class__))(self, item)
            elif isinstance(value, ast.AST):
                (dispatch.get(value.__class__) or self._method(value.__class__))(self, value)

    def run(self) -> None:
        for stmt in self.model.tree.body:
            self.visit(stmt)
        while self.deferred:
            func, parent, annotations = self.deferred.pop(0)
            self._walk_function(func, parent, annotations)

    def learnt(self) -> FlowHints:
        hints = FlowHints()
        for key, sites in self.site_arguments.items():
            parameters = {name: _same([site.get(name) for site in sites]) for name in sites[0]}
            if len(sites) and all(set(site) == set(sites[0]) for site in sites):
                agreed = {name: value for name, value in parameters.items() if value is not None}
                if agreed:
                    hints.parameters[key] = agreed
        for key, values in self.returned.items():
            value = _same(values)
            if value is not None and not isinstance(value, Local):
                hints.returns[key] = value
        return hints

    # -- scopes and bindings --------------------------------------------------

    def _new_scope(self, kind: str, parent: Scope | None) -> Scope:
        scope = Scope(kind, parent)
        self.model.scopes.append(scope)
        return scope

    def _held_scope(self) -> Scope:
        """The current scope as what the model records hold: a weak proxy.  A scope holds
        its bindings, so a strong link back would make every model a reference cycle, which
        only the cyclic collector frees, after walking it (a tenth of a check's time); the
        model's list of scopes keeps them alive as long as the model."""
        return weakref.proxy(self.scope)  # type: ignore[return-value]

    def bind(self, name: str, value: Value, node: ast.AST) -> None:
        self.memo.clear()  # what names resolve to may have changed
        existing = self.scope.names.get(name)
        surface = self.surface
        if (self.conditional and existing is not None and is_v1_value(existing.value, surface)
                and not is_v1_value(value, surface)):
            # a fallback never erases the v1 binding, but a fix must still know the name can hold it
            self.model.bindings.append(Binding(name, value, node, self._held_scope(), conditional=True,
                                               within=self.blocks[-1] if self.blocks else ""))
            return
        if is_v1_value(value, surface):
            self.v1_names.add(name)
        binding = Binding(name, value, node, self._held_scope(), conditional=self.conditional > 0,
                          within=self.blocks[-1] if self.conditional else "")
        self.scope.names[name] = binding
        self.model.bindings.append(binding)

    def bind_target(self, target: ast.expr, value: Value, node: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, value, node)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.bind_target(element, None, node)
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value, None, node)
        else:
            self.visit(target)

    def enclosing_function_parent(self) -> Scope:
        scope = self.scope
        while scope.kind == "class" and scope.parent is not None:
            scope = scope.parent
        return scope

    # -- resolution --------------------------------------------------------

    def resolve(self, node: ast.expr | None) -> Value:
        """What ``node`` evaluates to, as far as v1 is concerned (memoised until the next binding)."""
        if node is None:
            return None
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        value = self.memo[key] = self._resolve(node)
        return value

    def _resolve(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Name):
            found = self.scope.lookup(node.id)
            return found.value if found is not None else None
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            if isinstance(base, Ref):
                return Ref(self.surface.canonical(f"{base.qualname}.{node.attr}"))
            if isinstance(base, Instance):
                held = self.surface.attribute_type(base.type, node.attr)
                return Instance(held) if held else None
            return None
        if isinstance(node, ast.Call):
            return self.resolve_call(node)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            # an item of a mapping attribute: the surface names it "<attribute>[]"
            owner = self.resolve(node.value.value)
            if isinstance(owner, Instance):
                held = self.surface.attribute_type(owner.type, node.value.attr + "[]")
                return Instance(held) if held else None
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return Const(node.value)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.resolve(node.left), self.resolve(node.right)
            if isinstance(left, Const) and isinstance(right, Const):
                return Const(left.value + right.value)
            return None
        if isinstance(node, ast.NamedExpr):
            return self.resolve(node.value)
        return None

    def resolve_call(self, node: ast.Call) -> Value:
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = self.resolve(func.value)
            if isinstance(receiver, Instance):
                returned = self.surface.method_return(receiver.type, func.attr)
                return Instance(returned) if returned else None
        function = self._local_function(func)
        if function is not None:
            return self.hints.returns.get(id(function))
        callee = self.resolve(func)
        if isinstance(callee, Local):
            return callee
        if not isinstance(callee, Ref):
            return None
        qualname = callee.qualname
        if qualname in self.surface.classes:
            return Instance(qualname)
        returned = self.surface.call_returns.get(qualname)
        if returned is not None:
            return Instance(returned)
        if qualname in self.surface.path_joins and node.args and not node.keywords:
            parts = [self.resolve(a) for a in node.args]
            if all(isinstance(p, Const) for p in parts):
                return Const("/".join(p.value for p in parts))  # type: ignore[union-attr]
        return None

    # -- statements --------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        modules = []
        for alias in node.names:
            modules.append(alias.name)
            if alias.asname:
                self.bind(alias.asname, Ref(alias.name), node)
            else:
                top = alias.name.split(".", 1)[0]
                self.bind(top, Ref(top), node)
        self._record_import(node, modules)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = _imported_module(node)
        modules = []
        for alias in node.names:
            if module is None:
                if alias.name != "*":
                    self.bind(alias.asname or alias.name, self._from_project("." * node.level + (node.module or ""), alias.name), node)
                continue
            if alias.name == "*":
                modules.append(module)
                for short, canonical in self.surface.star_exports.get(module, {}).items():
                    self.bind(short, Ref(canonical), node)
                continue
            qualname = self.surface.canonical(f"{module}.{alias.name}")
            modules.append(f"{module}.{alias.name}")
            value: Value = Ref(qualname)
            if not self.surface.is_target_module(module):
                value = self._from_project(module, alias.name) or value
            self.bind(alias.asname or alias.name, value, node)
        self._record_import(node, modules)

    def _from_project(self, module: str, name: str) -> Value:
        """What another module of the project binds to ``name``, when it is v1."""
        if self.model.imported is None:
            return None
        value = self.model.imported(module, name)
        return value if isinstance(value, (Instance, Ref)) and is_v1_value(value, self.surface) else None

    def _record_import(self, node: ast.Import | ast.ImportFrom, modules: list[str]) -> None:
        marker = self.surface.marker
        if any(m == marker or m.startswith(marker + ".") for m in modules):
            v1 = tuple(m for m in modules if self.surface.is_target(m))
            self.model.imports.append(ImportSite(node, tuple(modules), v1))

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        value = self.resolve(node.value)
        for target in node.targets:
            self._assign(node, target, value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.annotation)
        if node.value is None:
            return
        self.visit(node.value)
        self._assign(node, node.target, self.resolve(node.value))

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self.bind(node.target.id, None, node)
        else:
            self._assign(node, node.target, None)

    def _assign(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign, target: ast.expr, value: Value) -> None:
        if isinstance(target, ast.Attribute):
            self.visit(target.value)
            receiver = self.resolve(target.value)
            if receiver is not None:
                self.model.attribute_assignments.append(AttributeAssignment(node, target, receiver, value))
            return
        self.bind_target(target, value, node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.scope.names.pop(target.id, None)
                self.memo.clear()
            else:
                self.visit(target)

    def _visit_function_header(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> dict[str, Value]:
        for decorator in getattr(node, "decorator_list", []):
            self.visit(decorator)
        args = node.args
        for default in [*args.defaults, *[d for d in args.kw_defaults if d is not None]]:
            self.visit(default)
        annotations: dict[str, Value] = {}
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            value: Value = None
            if arg.annotation is not None:
                self.visit(arg.annotation)
                hinted = self.resolve(arg.annotation)
                if isinstance(hinted, Ref) and hinted.qualname in self.surface.classes:
                    value = Instance(hinted.qualname)
            annotations[arg.arg] = value
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                annotations[arg.arg] = None
        return annotations

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        annotations = self._visit_function_header(node)
        if node.returns is not None:
            self.visit(node.returns)
        self.bind(node.name, None, node)
        self.deferred.append((node, self.enclosing_function_parent(), annotations))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        annotations = self._visit_function_header(node)
        self.deferred.append((node, self.enclosing_function_parent(), annotations))

    def _walk_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, parent: Scope, annotations: dict[str, Value]) -> None:
        from_calls = self.hints.parameters.get(id(node), {})
        annotations = {name: value if value is not None else from_calls.get(name) for name, value in annotations.items()}
        if not self._may_involve_v1(node, annotations):
            return
        outer_scope, outer_conditional, outer_blocks = self.scope, self.conditional, self.blocks
        self.scope, self.conditional, self.blocks = self._new_scope("function", parent), 0, []
        self.memo.clear()
        self.function_stack.append(node)
        for name, value in annotations.items():
            self.bind(name, value, node)
        if isinstance(node, ast.Lambda):
            self.visit(node.body)
            self.returned.setdefault(id(node), []).append(self.resolve(node.body))
        else:
            for stmt in node.body:
                self.visit(stmt)
        self.function_stack.pop()
        self.scope, self.conditional, self.blocks = outer_scope, outer_conditional, outer_blocks
        self.memo.clear()

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.visit(node.value)
        if self.function_stack:
            value = self.resolve(node.value) if node.value is not None else None
            self.returned.setdefault(id(self.function_stack[-1]), []).append(value)

    def _local_function(self, func: ast.expr) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The ``def`` a called name refers to, when it is a function of this module."""
        if not isinstance(func, ast.Name):
            return None
        found = self.scope.lookup(func.id)
        if found is None or not isinstance(found.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        if found.scope.kind == "class":
            return None
        return found.node

    def _record_site_arguments(self, node: ast.Call) -> None:
        """What a call of a module function passes each parameter, for the next walk."""
        function = self._local_function(node.func)
        if function is None:
            return
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return
        args = function.args
        positional = [a.arg for a in [*args.posonlyargs, *args.args]]
        if len(node.args) > len(positional):
            return
        passed: dict[str, Value] = {name: None for name in [*positional, *(a.arg for a in args.kwonlyargs)]}
        for name, argument in zip(positional, node.args):
            passed[name] = self.resolve(argument)
        for keyword in node.keywords:
            if keyword.arg in passed:
                passed[keyword.arg] = self.resolve(keyword.value)
        self.site_arguments.setdefault(id(function), []).append(passed)

    def _may_involve_v1(self, node: ast.AST, annotations: dict[str, Value]) -> bool:
        """A body that never spells the surface's marker nor a name bound to an old-API object (and
        takes no v1-annotated parameter) cannot hold v1 code: skip it.  Most of a
        large file is such code, and the walk is the engine's main cost."""
        lines = self.model.lines
        if lines is None or any(value is not None for value in annotations.values()):
            return True
        body = "".join(lines[node.lineno - 1:node.end_lineno])  # type: ignore[attr-defined]
        if self.surface.marker in body:
            return True
        if not self.v1_names:
            return False
        if all(_WORD.fullmatch(name) for name in self.v1_names):
            # a name spelled as a whole word is one of the body's maximal runs of word
            # characters: one scan, where a pattern of the names would be compiled anew
            # each time the set grows
            return not self.v1_names.isdisjoint(_WORD.findall(body))
        if self._v1_pattern is None or self._v1_pattern_size != len(self.v1_names):
            words = "|".join(re.escape(name) for name in sorted(self.v1_names))
            self._v1_pattern = re.compile(rf"\b(?:{words})\b")
            self._v1_pattern_size = len(self.v1_names)
        return self._v1_pattern.search(body) is not None

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        outer = self.scope
        self.scope = self._new_scope("class", outer)
        self.memo.clear()
        for stmt in node.body:
            self.visit(stmt)
        self.scope = outer
        self.memo.clear()
        self.bind(node.name, Local(node.name), node)

    def _conditional_block(self, statements: list[ast.stmt], within: str) -> None:
        self.conditional += 1
        self.blocks.append(within)
        for stmt in statements:
            self.visit(stmt)
        self.blocks.pop()
        self.conditional -= 1

    def visit_If(self, node: ast.If) -> None:
        self.visit(node.test)
        if _is_main_guard(node) and self.scope.kind == "module":
            # run as a script, the body runs in order like unguarded code; imported, none of it runs
            for stmt in node.body:
                self.visit(stmt)
            return
        self._conditional_block(node.body, "an if")
        self._conditional_block(node.orelse, "an if")

    def visit_While(self, node: ast.While) -> None:
        self.visit(node.test)
        self._conditional_block(node.body, "a loop")
        self._conditional_block(node.orelse, "a loop")

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.conditional += 1
        self.blocks.append("a loop")
        self.bind_target(node.target, None, node)
        self.blocks.pop()
        self.conditional -= 1
        self._conditional_block(node.body, "a loop")
        self._conditional_block(node.orelse, "a loop")

    visit_AsyncFor = visit_For

    def visit_Try(self, node: ast.Try) -> None:
        self._conditional_block(node.body, "a try")
        for handler in node.handlers:
            if handler.type is not None:
                self.visit(handler.type)
            self.conditional += 1
            self.blocks.append("an except")
            if handler.name:
                self.bind(handler.name, None, handler)
            self.blocks.pop()
            self.conditional -= 1
            self._conditional_block(handler.body, "an except")
        self._conditional_block(node.orelse, "a try")
        self._conditional_block(node.finalbody, "a try")

    visit_TryStar = visit_Try

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.bind_target(item.optional_vars, self.resolve(item.context_expr), node)
        for stmt in node.body:
            self.visit(stmt)

    visit_AsyncWith = visit_With

    def visit_Match(self, node: ast.Match) -> None:
        self.visit(node.subject)
        self.conditional += 1
        self.blocks.append("a match")
        for case in node.cases:
            for capture in ast.walk(case.pattern):
                name = getattr(capture, "name", None)
                if isinstance(name, str):
                    self.bind(name, None, case)
            if case.guard is not None:
                self.visit(case.guard)
            for stmt in case.body:
                self.visit(stmt)
        self.blocks.pop()
        self.conditional -= 1

    # -- expressions -------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        receiver: Value = None
        method = None
        if isinstance(func, ast.Attribute):
            receiver = self.resolve(func.value)
            method = func.attr
        site = CallSite(
            node=node,
            callee=self.resolve(func),
            receiver=receiver,
            method=method,
            args=[self.resolve(a) for a in node.args],
            kwargs={k.arg: self.resolve(k.value) for k in node.keywords if k.arg is not None},
            scope=self._held_scope(),
        )
        self.model.calls.append(site)
        self._record_site_arguments(node)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        value = self.resolve(node)
        if isinstance(value, Ref):
            if self.surface.is_target_module(value.qualname):
                self.model.references.append(Reference(node, value.qualname))
            root: ast.expr = node
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name):
                self._record_use(root)
            return
        receiver = self.resolve(node.value)
        if isinstance(receiver, Instance):
            self.model.attribute_reads.append(AttributeRead(node, receiver, self._held_scope()))
        self.visit(node.value)

    def visit_Constant(self, node: ast.Constant) -> None:
        """Literals hold no names: nothing to visit (a measurable share of the walk)."""

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            found = self._record_use(node)
            if found is None:
                return
            value = found.value
            if isinstance(value, Ref) and self.surface.is_target_module(value.qualname):
                self.model.references.append(Reference(node, value.qualname))

    def _record_use(self, node: ast.Name) -> Binding | None:
        found = self.scope.lookup(node.id)
        if found is not None:
            found.uses.append(node)
            self.model.binding_of_use[id(node)] = found
        return found

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        value = self.resolve(node.value)
        if self.scope.kind != "comprehension":
            self.bind(node.target.id, value, node)
            return
        # in a comprehension ``:=`` binds in the enclosing function or module (PEP 572), if the
        # comprehension runs at all
        inner = self.scope
        while self.scope.kind == "comprehension" and self.scope.parent is not None:
            self.scope = self.scope.parent
        self.conditional += 1
        self.blocks.append("a comprehension")
        try:
            self.bind(node.target.id, value, node)
        finally:
            self.blocks.pop()
            self.conditional -= 1
            self.scope = inner

    def _visit_comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        outer = self.scope
        self.visit(node.generators[0].iter)
        self.scope = self._new_scope("comprehension", outer)
        self.memo.clear()
        for index, generator in enumerate(node.generators):
            if index:
                self.visit(generator.iter)
            self.bind_target(generator.target, None, generator)
            for condition in generator.ifs:
                self.visit(condition)
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self.scope = outer
        self.memo.clear()

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _visit_comprehension


# Fields that can hold a node, per node class: names, operators' strings and counters never do,
# and ``ctx`` holds one the walk has no use for.  Asked of the class once, not of every node.
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_LEAF_FIELDS = frozenset({"ctx", "id", "attr", "arg", "name", "module", "level", "type_comment",
                          "kind", "conversion", "is_async", "simple", "lineno", "col_offset"})


def _child_fields(cls: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS[cls] = tuple(name for name in cls._fields if name not in _LEAF_FIELDS)  # type: ignore[attr-defined]
    return fields


def _is_main_guard(node: ast.If) -> bool:
    """``if __name__ == "__main__":`` without an ``else``."""
    test = node.test
    if node.orelse or not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [side for side in sides if isinstance(side, ast.Name) and side.id == "__name__"]
    mains = [side for side in sides if isinstance(side, ast.Constant) and side.value == "__main__"]
    return len(names) == 1 and len(mains) == 1
