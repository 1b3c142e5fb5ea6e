"""Call migrations as data: a spec says what each old parameter becomes, one
interpreter turns a call into edits.

A :class:`CallSpec` gives the old signature (positional order included), the
new callable, an action per parameter (keep it, rename it, map its value, drop
it, refuse the call, or build new arguments from it), the old defaults to write
out explicitly (each with an optional TODO comment), the attribute assignments
after the call that fold into it (``cfg.run_config.environment = env``), the
kind of value the call produces and the fix safety.  The interpreter edits the
call in place, argument by argument, so keyword order, comments between
arguments and line breaks survive.

A :class:`MethodSpec` does the same for a method called on a migrated object
(``run.get_status()`` on a submitted run): a template of the new expression.
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..findings import RefusalKind
from ..names import Binding, Const, Instance, Value
from ..nodes import all_nodes, declared_outside
from ..rule import FixSafety
from . import alignment, listedit, statements, symbols
from .arguments import bind_arguments
from .edits import Edit, apply_in_span
from .rewrite import FixContext, Rewrite


class Refused(Exception):
    """A spec action refuses the call; the rewrite is refused with this reason."""

    def __init__(self, reason: str, kind: RefusalKind = RefusalKind.NOT_YET) -> None:
        super().__init__(reason)
        self.kind = kind


@dataclass(frozen=True)
class Argument:
    """What an action sees of one old argument (and of the others in ``siblings``)."""

    name: str  # the old parameter
    node: ast.expr
    value: Value  # what the name model resolved it to
    ctx: FixContext
    rewrite: Rewrite
    siblings: dict[str, Argument] = field(default_factory=dict, compare=False, repr=False)
    # comments that leave the call with the argument's value: (start, end, comment) in the source
    carried: list[tuple[int, int, str]] = field(default_factory=list, compare=False, repr=False)
    # the call a value set by a later statement folds into (that statement goes)
    folded_into: ast.Call | None = field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        return self.ctx.locator.text(self.node)

    @property
    def statement(self) -> ast.stmt:
        """Where a note about the argument goes above: the call's statement, also for a value
        folded in from a statement that the fix deletes."""
        return self.ctx.statement_of(self.folded_into or self.node)

    def carry_comments(self, written: str) -> list[str]:
        """The argument's comments go where its value goes (a setter call): those inside
        it that ``written``, its new text, still holds, and the one ending its line, which
        is returned for the new place to write above itself.  An argument that shares its
        lines with other code keeps its comments where they are."""
        locator = self.ctx.locator
        inner, trailing = listedit.element_comments(locator.source.text, locator.start(self.node), locator.end(self.node))
        kept = statements.comments(written)
        for span in inner:
            if span[2] in kept:
                kept.remove(span[2])
                self.carried.append(span)
        if trailing is None:
            return []
        self.carried.append(trailing)
        return [trailing[2]]


# What an action returns: the new keyword arguments' source ("name=value"), or
# None to keep the argument where it is, renamed (see Keep / Map).
Converter = Callable[[Argument], str]
Builder = Callable[[Argument], "list[str]"]


@dataclass(frozen=True)
class Keep:
    """The argument stays, under ``name`` (the same name when None)."""

    name: str | None = None


@dataclass(frozen=True)
class Map:
    """The argument stays under ``name``; ``convert`` gives its new value's source."""

    name: str
    convert: Converter


@dataclass(frozen=True)
class Drop:
    """The argument goes; ``when`` (if given) says for which values, else it is refused."""

    note: str = ""
    when: Callable[[Argument], bool] | None = None
    otherwise: Keep | Map | Refuse | None = None  # what to do with the other values


@dataclass(frozen=True)
class Refuse:
    reason: str
    kind: RefusalKind = RefusalKind.NOT_YET


@dataclass(frozen=True)
class Build:
    """The argument is replaced, where it stands, by the new arguments ``build``
    writes (none: it is deleted); ``build`` may read the other arguments too."""

    build: Builder


Action = Keep | Map | Drop | Refuse | Build


@dataclass(frozen=True)
class Default:
    """A parameter the old call left out, whose old default is written out explicitly."""

    name: str  # the new keyword
    text: str  # its value's source
    todo: str = ""  # the comment that asks people to check the default
    unless: tuple[str, ...] = ()  # old parameters (or folds) that make the default moot
    helpers: Mapping[str, str] = field(default_factory=dict)  # module-level definitions the value names


@dataclass(frozen=True)
class Fold:
    """``variable.<path> = value`` after the call becomes the old parameter ``parameter``.

    Only an assignment the call's own block makes before anything else uses the variable
    moves into the new call.  One made later (after a submission) or conditionally
    changed the old object from then on: it becomes ``variable.<attribute> = <new value>``
    in place, when the new object has that ``attribute``; else the call is refused."""

    path: tuple[str, ...]
    parameter: str
    attribute: str | None = None


@dataclass(frozen=True)
class CallSpec:
    old: str  # qualified name of the old callable
    signature: tuple[str, ...]  # its parameters in positional order
    # (module, name) of the new callable (``name.attr`` names an attribute of it), or a
    # template naming what the caller passes in ``names`` (``"{client}.datastores.get"``)
    new: tuple[str, str] | str
    params: Mapping[str, Action]
    defaults: tuple[Default, ...] = ()
    folds: tuple[Fold, ...] = ()
    produces: str | None = None  # the kind of value the new call returns
    safety: FixSafety | None = None
    todo_prefix: str = "TODO"  # what a TODO comment starts with
    # Built last, from every argument at once (the command line of a job, say).
    finish: Callable[[dict[str, Argument], FixContext, Rewrite], list[str]] | None = None
    # The new callable's source when it depends on the arguments (``trial.sweep``);
    # built after every action ran, it replaces ``new``.
    callee: Callable[[dict[str, Argument], FixContext, Rewrite], str] | None = None
    # Parameters the old callable cannot do without: a call that omits one raises TypeError,
    # so there is no behaviour to carry over, only a guess.
    required: tuple[str, ...] = ()


def new_callable(new: tuple[str, str] | str, ctx: FixContext, names: Mapping[str, str] | None = None) -> str:
    """``("azure.ai.ml", "automl.classification")`` -> the imported ``automl``, then ``.classification``;
    a template is filled from ``names``."""
    if isinstance(new, str):
        return new.format(**(names or {}))
    module, name = new
    head, dot, tail = name.partition(".")
    return ctx.symbol(module, head) + dot + tail


@dataclass
class _FoldSite:
    parameter: str
    value: ast.expr
    statement: ast.Assign
    use: ast.Name
    fold: Fold


def apply_call_spec(spec: CallSpec, call: ast.Call, rewrite: Rewrite, ctx: FixContext,
                    binding: Binding | None = None, names: Mapping[str, str] | None = None) -> None:
    """Edit ``call`` into the new call; raises :class:`Refused`."""
    mark = len(rewrite.edits)  # what the actions write from here (a TODO above the statement) moves with it
    spreads = _spreads(call, ctx)
    plain = ast.Call(func=call.func, args=call.args, keywords=[k for k in call.keywords if k.arg is not None])
    bound = bind_arguments(plain, list(spec.signature))
    if isinstance(bound, str):
        raise Refused(bound, RefusalKind.DATA_FLOW)
    site = ctx.site(call)
    resolved: dict[str, Value] = {}
    if site is not None:
        resolved = {p: site.args[i] for i, p in enumerate(spec.signature[: len(site.args)])}
        resolved.update(site.kwargs)
    for spread in spreads:
        for key, node in spread.entries:
            if key in bound.values:
                raise Refused(f"{key} is passed twice", RefusalKind.DATA_FLOW)
            bound.values[key] = node
            resolved[key] = _value_of(node, ctx)
    for parameter in bound.values:
        if parameter not in spec.signature:
            raise Refused(f"unknown parameter {parameter}=")
    missing = [parameter for parameter in spec.required if parameter not in bound.values]
    if missing:
        raise Refused(f"{spec.old.rsplit('.', 1)[-1]}() without {missing[0]}=, which it requires, raises TypeError "
                      "as written: there is no behaviour to migrate", RefusalKind.IMPOSSIBLE)
    every_fold = _folds(spec, binding, rewrite, ctx) if binding is not None else []
    in_place = [f for f in every_fold if _set_in_place(f, every_fold, binding, ctx)]  # type: ignore[arg-type]
    folds = [f for f in every_fold if all(f is not g for g in in_place)]
    overridden = _overridden(folds, bound.values, call, rewrite, ctx)
    # Each argument sees the others; held weakly, or every argument would be a reference
    # cycle (with the context it holds) that only the cyclic collector frees.
    everything: dict[str, Argument] = weakref.WeakValueDictionary()  # type: ignore[assignment]
    arguments = {p: Argument(p, node, resolved.get(p), ctx, rewrite, everything) for p, node in bound.values.items()}
    folded = {f.parameter: Argument(f.parameter, f.value, _assigned_value(f, ctx), ctx, rewrite, everything,
                                    folded_into=call) for f in folds}

    def set_in_place(fold: _FoldSite) -> Argument:
        """The assignment's value, read among the call's own arguments."""
        siblings: dict[str, Argument] = weakref.WeakValueDictionary(everything)  # type: ignore[assignment]
        argument = Argument(fold.parameter, fold.value, _assigned_value(fold, ctx), ctx, rewrite, siblings)
        siblings[fold.parameter] = argument
        return argument
    everything.update(arguments)
    everything.update(folded)

    sg_call = ctx.locator.sg(call, "call")
    if sg_call is None:
        raise Refused("ast-grep could not locate the call", RefusalKind.HARM)
    container = sg_call.field("arguments")
    elements = listedit.elements(container)
    edits: list[Edit] = []
    removed: list[listedit.Element] = []
    extra: list[str] = []
    for index, element in enumerate(elements):
        spread = next((s for s in spreads if element.node.kind() == "dictionary_splat"
                       and element.start == ctx.locator.start(s.keyword)), None)
        if spread is not None:
            built = _spread_arguments(spec, spread, arguments, rewrite)
            if built:
                edits.append(Edit(element.start, element.end, ", ".join(built)))
            else:
                removed.append(element)
            edits.append(ctx.delete(spread.statement))
            continue
        parameter = element.keyword or spec.signature[index]
        if parameter in overridden:  # the value set after the call replaced it
            removed.append(element)
            continue
        argument = arguments[parameter]
        action = _action(spec, argument)
        if isinstance(action, Keep):
            if action.name is not None and action.name != element.keyword:
                edits.append(_keyword(element, action.name))
        elif isinstance(action, Map):
            new_value = action.convert(argument)
            if action.name != element.keyword:
                edits.append(_keyword(element, action.name))
            if new_value != argument.text:
                value = element.value.range()
                edits.append(Edit(value.start.index, value.end.index, new_value))
        elif isinstance(action, Drop):
            removed.append(element)
            if action.note:
                rewrite.notes.append(action.note)
        elif isinstance(action, Build):
            built = action.build(argument)
            if built:
                edits.append(Edit(element.start, element.end, ", ".join(built)))
            else:
                removed.append(element)
    for argument in folded.values():
        extra.extend(_keywords(spec, argument, rewrite))
    if spec.finish is not None:
        extra.extend(spec.finish(everything, ctx, rewrite))
    callee = spec.callee(everything, ctx, rewrite) if spec.callee is not None else new_callable(spec.new, ctx, names)
    edits.append(statements.replace(ctx.locator, call.func, callee))
    todos = []
    for default in spec.defaults:
        if default.name not in everything and not set(default.unless) & set(everything):
            extra.append(f"{default.name}={default.text}")
            rewrite.helpers.update(default.helpers)
            if default.todo:
                todos.append(default.todo)
    deletions = listedit.delete_carrying(ctx.text, container, removed,
                                         [span for argument in arguments.values() for span in argument.carried])
    edits.extend(deletions)
    kept = [e for e in elements if e not in removed]
    edits.extend(listedit.append(ctx.text, container, extra, ctx.locator.newline, kept, deletions))
    statement = ctx.statement_of(call)
    if any(_defined_later(f.value, call, ctx) for f in folds):
        assert binding is not None
        if any(f.statement.lineno < max(g.statement.lineno for g in folds) for f in in_place):
            raise Refused(f"`{binding.name}` is changed in place before its last setting", RefusalKind.DATA_FLOW)
        above = ctx.locator.line_start(ctx.locator.start(statement))
        lines_above = [e for e in rewrite.edits[mark:] if e.start == e.end == above]
        rewrite.edits[mark:] = [e for e in rewrite.edits[mark:] if all(e is not a for a in lines_above)]
        edits, statement = _move(binding, folds, lines_above + edits, ctx, every_fold)
    else:
        for setting in {id(f.statement): f.statement for f in folds}.values():
            edits.extend(ctx.delete_into(setting, call))  # its comments go above the call
    for fold in in_place:
        edits.extend(_in_place(spec, fold, set_in_place(fold), rewrite, ctx))
    for todo in todos:
        comment = f"# {spec.todo_prefix} {todo}"
        edits.extend(statements.insert_before(ctx.locator, statement, [comment]))
        rewrite.todos.append(comment)
    rewrite.edits.extend(edits)


@dataclass
class _Spread:
    """``**settings`` where ``settings = {"key": value, ...}`` is a literal dict used only there."""

    keyword: ast.keyword
    statement: ast.Assign
    entries: list[tuple[str, ast.expr]]


def _spreads(call: ast.Call, ctx: FixContext) -> list[_Spread]:
    """The call's ``**name`` arguments, read entry by entry; raises :class:`Refused`
    when one is not a literal dict with string keys that only this call reads."""
    found = []
    for keyword in call.keywords:
        if keyword.arg is not None:
            continue
        name = keyword.value
        binding = ctx.binding_of(name) if isinstance(name, ast.Name) else None
        statement = binding.node if binding is not None else None
        if (binding is None or binding.conditional or len(binding.uses) != 1 or len(ctx.bindings_named(binding.name)) != 1
                or not isinstance(statement, ast.Assign) or len(statement.targets) != 1
                or not isinstance(statement.value, ast.Dict) or ctx.parent(statement) is not ctx.parent(ctx.statement_of(call))):
            raise Refused("it passes **keyword arguments that are not a literal dict used only here", RefusalKind.DATA_FLOW)
        keys = statement.value.keys
        if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) and k.value.isidentifier() for k in keys):
            raise Refused(f"`{name.id}` has keys that are not literal parameter names", RefusalKind.DATA_FLOW)  # type: ignore[union-attr]
        found.append(_Spread(keyword, statement, [(k.value, v) for k, v in zip(keys, statement.value.values)]))  # type: ignore[union-attr]
    return found


def _value_of(node: ast.expr, ctx: FixContext) -> Value:
    """What a dict entry's value holds, as far as the name model knows it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Const(node.value)
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    return binding.value if binding is not None else None


def _spread_arguments(spec: CallSpec, spread: _Spread, arguments: dict[str, Argument], rewrite: Rewrite) -> list[str]:
    """The keyword arguments that replace ``**settings``, one per entry, each by its action."""
    return [text for key, _ in spread.entries for text in _keywords(spec, arguments[key], rewrite)]


def _keywords(spec: CallSpec, argument: Argument, rewrite: Rewrite) -> list[str]:
    """An argument that has no place in the call yet, as the new keyword arguments it becomes."""
    action = _action(spec, argument)
    if isinstance(action, Keep):
        return [f"{action.name or argument.name}={argument.text}"]
    if isinstance(action, Map):
        return [f"{action.name}={action.convert(argument)}"]
    if isinstance(action, Build):
        return action.build(argument)
    if isinstance(action, Drop) and action.note:
        rewrite.notes.append(action.note)
    return []


def _action(spec: CallSpec, argument: Argument) -> Action:
    action = spec.params.get(argument.name, Keep())
    if isinstance(action, Drop) and action.when is not None and not action.when(argument):
        if action.otherwise is None:
            raise Refused(f"{argument.name}={argument.text} has no v2 equivalent")
        action = action.otherwise
    if isinstance(action, Refuse):
        raise Refused(action.reason, action.kind)
    return action


def _keyword(element: listedit.Element, name: str) -> Edit:
    if element.keyword is None:
        return Edit(element.start, element.start, f"{name}=")
    name_node = element.node.field("name")
    return Edit(name_node.range().start.index, name_node.range().end.index, name)


def _folds(spec: CallSpec, binding: Binding, rewrite: Rewrite, ctx: FixContext) -> list[_FoldSite]:
    """``variable.<path> = value`` statements that set an old parameter after the call."""
    wanted = {fold.path: fold for fold in spec.folds}
    found = []
    for use in binding.uses:
        path: list[str] = []
        node: ast.AST = use
        parent = ctx.parent(node)
        while isinstance(parent, ast.Attribute) and parent.value is node:
            path.append(parent.attr)
            node, parent = parent, ctx.parent(parent)
        statement = parent
        if (tuple(path) in wanted and isinstance(statement, ast.Assign)
                and len(statement.targets) == 1 and statement.targets[0] is node):
            fold = wanted[tuple(path)]
            found.append(_FoldSite(fold.parameter, statement.value, statement, use, fold))
            rewrite.own_uses.add(id(use))
    return found


def _set_in_place(site: _FoldSite, folds: list[_FoldSite], binding: Binding, ctx: FixContext) -> bool:
    """The assignment does not run exactly once, right after the call, before the object is
    used: it is in another block (a branch, a loop), or a use of the object comes first."""
    made = binding.node
    if ctx.parent(site.statement) is not ctx.parent(made) or site.statement.lineno < made.lineno:  # type: ignore[attr-defined]
        return True
    settings = {id(f.use) for f in folds}
    return any(id(use) not in settings and made.lineno < use.lineno < site.statement.lineno  # type: ignore[attr-defined]
               for use in binding.uses)


def _in_place(spec: CallSpec, site: _FoldSite, argument: Argument, rewrite: Rewrite, ctx: FixContext) -> list[Edit]:
    """``variable.<path> = value`` -> ``variable.<attribute> = <new value>``, where it was."""
    attribute = site.fold.attribute
    keywords = _keywords(spec, argument, rewrite) if attribute is not None else []
    if attribute is None or len(keywords) != 1 or not keywords[0].startswith(f"{attribute}="):
        raise Refused(f"`{site.use.id}.{'.'.join(site.fold.path)}` is set after `{site.use.id}` is used, or "
                      "conditionally, and the new object cannot take it there", RefusalKind.DATA_FLOW)
    target = site.statement.targets[0]
    edits = [statements.replace(ctx.locator, target, f"{site.use.id}.{attribute}")]
    value = keywords[0][len(attribute) + 1:]
    if value != ctx.locator.text(site.value):
        edits.append(statements.replace(ctx.locator, site.value, value))
    return edits


def _overridden(folds: list[_FoldSite], values: dict[str, ast.expr], call: ast.Call, rewrite: Rewrite,
                ctx: FixContext) -> set[str]:
    """Parameters set in the call and again after it: the later value wins, as it did on the
    old object, so the call's own goes (from ``values`` too), when reading it did nothing
    (a name, a literal, an attribute of a name) and it was passed by keyword.  A variable
    holding an old object that only this argument read is taken over, so it migrates too."""
    overridden = set()
    for fold in folds:
        if fold.parameter not in values:
            continue
        value = values[fold.parameter]
        by_keyword = any(k.arg == fold.parameter for k in call.keywords)
        if not by_keyword or not _inert(value):
            raise Refused(f"{fold.parameter} is set both in the call and after it", RefusalKind.DATA_FLOW)
        overridden.add(fold.parameter)
        del values[fold.parameter]
        binding = ctx.binding_of(value) if isinstance(value, ast.Name) else None
        if binding is not None and isinstance(binding.value, Instance):
            rewrite.consumes.append(value)  # type: ignore[arg-type]
    return overridden


def _inert(node: ast.expr) -> bool:
    """Evaluating ``node`` has no effect to keep: a name, a literal, ``name.attr``."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, (ast.Name, ast.Constant))


def _assigned_value(fold: _FoldSite, ctx: FixContext) -> Value:
    for assignment in ctx.model.attribute_assignments:
        if assignment.node is fold.statement:
            return assignment.value
    return None


def _defined_later(value: ast.expr, call: ast.Call, ctx: FixContext) -> bool:
    for node in ast.walk(value):
        if isinstance(node, ast.Name):
            binding = ctx.binding_of(node)
            if binding is not None and getattr(binding.node, "lineno", 0) > call.lineno:
                return True
    return False


def _move(binding: Binding, folds: list[_FoldSite], edits: list[Edit], ctx: FixContext,
          settings: list[_FoldSite]) -> tuple[list[Edit], ast.stmt]:
    """Rebuild the call where its last folded assignment was: the values it now
    takes are defined after the original statement.  ``settings`` are every assignment
    of a fold's path, the ones set in place included."""
    statement = binding.node
    last = max(folds, key=lambda f: f.statement.lineno).statement
    if not isinstance(statement, ast.Assign) or ctx.parent(statement) is not ctx.parent(last):
        raise Refused("a folded assignment is in another block than the call", RefusalKind.DATA_FLOW)
    fold_ids = {id(f.statement) for f in settings}
    for use in binding.uses:
        owner = ctx.statement_of(use)
        if id(owner) not in fold_ids and statement.lineno < use.lineno < last.lineno:
            raise Refused(f"`{binding.name}` is used before all its settings are made", RefusalKind.DATA_FLOW)
    locator = ctx.locator
    start, end = locator.line_start(locator.start(statement)), locator.line_end(locator.end(statement))
    moved = apply_in_span(ctx.text, start, end, edits)
    call = statement.value
    if isinstance(call, ast.Call):  # arguments aligned with the bracket follow it as the callee is renamed
        bracket = locator.end(call.func)
        shift = sum(len(e.text) - (e.end - e.start) for e in edits if start <= e.start and e.end <= bracket)
        moved = alignment.realigned_statement(moved, bracket - start + shift, bracket - locator.line_start(bracket),
                                              symbols.plain_names)
    last_start, last_end = locator.line_start(locator.start(last)), locator.line_end(locator.end(last))
    kept_comments = statements.comments(ctx.text[locator.start(last):last_end])
    indent = locator.indentation(last)
    prefix = "".join(f"{indent}{comment}{locator.newline}" for comment in kept_comments)
    result = [Edit(start, end, ""), Edit(last_start, last_end, prefix + moved)]
    result.extend(ctx.delete(f.statement) for f in folds if f.statement is not last)
    return result, last


@dataclass(frozen=True)
class MethodSpec:
    """``receiver.method(...)`` on a migrated object -> ``template``.

    The template names ``{receiver}`` (the receiver's source), ``{client}``
    (the counterpart a provider gives, e.g. the workspace's client) and each
    parameter by name (``defaults`` gives the source for a parameter the call
    leaves out).  ``statement_only``: only a call that is a statement of
    its own maps (its value was not used).  ``accepts`` may refuse some
    argument values (v2 cannot express them)."""

    method: str
    signature: tuple[str, ...] = ()
    template: str = ""
    finding: str | None = None  # the code of the finding it resolves, if the call has one
    statement_only: bool = False
    accepts: Callable[[dict[str, ast.expr]], bool] | None = None
    attribute: bool = False  # ``receiver.method`` read as an attribute, not called
    helpers: Mapping[str, str] = field(default_factory=dict)  # helper functions the template calls
    defaults: Mapping[str, str] = field(default_factory=dict)  # parameter -> source when not passed
    # why the call's value, where it goes, cannot take the new value (of another type than v1's), or None
    refuses_use: Callable[[ast.Call, FixContext], str | None] | None = None


# calls that read variables by their names as strings: a program with one may read any variable
_NAME_READERS = frozenset({"locals", "globals", "vars", "dir", "eval", "exec", "getattr", "__import__"})


def _discarded(call: ast.Call, ctx: FixContext) -> bool:
    """``x = call(...)`` where nothing reads ``x``: the value is thrown away, as a statement's is
    (``_ = ...``, or a name assigned and never read: audit, stop 64, a launcher's unread
    ``result = run.wait_for_completion()``)."""
    statement = ctx.parent(call)
    if not (isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):
        return False
    binding = ctx.assigned_binding(call)
    if binding is None or binding.scope.kind == "class" or ctx.is_imported_elsewhere(binding):
        return False  # (a class attribute is read as ``self.x``)
    name = statement.targets[0].id
    # nothing reads it anywhere (a read before it in a loop sees it the next time round: review),
    # no ``global``/``nonlocal``/``del`` names it, and nothing reads variables by their names
    if {name, "*"} & set(ctx.hidden) or declared_outside(ctx.model.tree, name):
        return False  # a notebook's magic or shell line may read it (``%store result``, ``!echo {result}``)
    for node in all_nodes(ctx.model.tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Store):
            return False
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return False  # ``result |= ...`` reads it first
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _NAME_READERS:
            return False
        if isinstance(node, ast.Constant) and node.value == name:  # ``__all__``, ``getattr(module, "x")``
            return False
    return True


def apply_method_spec(spec: MethodSpec, use: ast.Name, rewrite: Rewrite, ctx: FixContext,
                      names: Mapping[str, str]) -> bool:
    """Rewrite the call (or attribute read) on ``use`` that ``spec`` describes; False when
    this use is not such a call or its arguments are not accepted."""
    parent = ctx.parent(use)
    if not isinstance(parent, ast.Attribute) or parent.attr != spec.method or parent.value is not use:
        return False
    outer = ctx.parent(parent)
    if spec.attribute:
        if isinstance(outer, ast.Call) and outer.func is parent:
            return False
        target: ast.AST = parent
        values: dict[str, str] = {}
    else:
        if not isinstance(outer, ast.Call) or outer.func is not parent:
            return False
        bound = bind_arguments(outer, list(spec.signature))
        if isinstance(bound, str) or (spec.accepts is not None and not spec.accepts(bound.values)):
            return False
        if spec.statement_only and not (isinstance(ctx.parent(outer), ast.Expr) or _discarded(outer, ctx)):
            return False
        why = spec.refuses_use(outer, ctx) if spec.refuses_use is not None else None
        if why is not None:
            ctx.why_not.setdefault(id(use), why)  # (the refusal that keeps ``use`` v1 says so)
            return False
        target = outer
        values = {**spec.defaults, **{p: ctx.locator.text(v) for p, v in bound.values.items()}}
    text = spec.template.format(receiver=use.id, **names, **values)
    rewrite.edits.append(statements.replace(ctx.locator, target, text))
    rewrite.helpers.update(spec.helpers)
    if spec.finding is not None:
        rewrite.findings.append((spec.finding, target))
    rewrite.own_uses.add(id(use))
    return True
