"""What kind of value an expression holds, as far as in-job logging needs to know.

v1's ``run.log`` took numbers and strings alike; MLflow keeps them apart
(``log_metric`` raises on a string).  A value is a number or a string only on
evidence: a literal, arithmetic, ``len()``/``float()``/``int()``/``str()``,
an f-string, a variable assigned one such value once, or an argparse option
declared with ``type=int``/``float``/``str`` (or a flag).  Anything else is
unknown, and the rewrite must then be correct for every kind at run time.
"""

from __future__ import annotations

import ast
from functools import cached_property

from ...engine.fixing.arguments import seen_alone
from ...engine.fixing.rewrite import FixContext
from ...engine.names import Ref

NUMBER, STRING, BOOL = "number", "string", "bool"

_NUMBER_CALLS = frozenset({"len", "int", "float", "round", "abs", "sum"})
_STRING_CALLS = frozenset({"str", "repr", "format", "ascii"})
_STRING_METHODS = frozenset({"format", "join", "upper", "lower", "strip", "lstrip", "rstrip", "replace", "title"})
_MATH_MODULES = frozenset({"math", "statistics"})
# numpy's scalar constructors: a number whatever they are given (np.float is an old alias of float).
_NUMPY_SCALARS = frozenset({"float", "int", "float16", "float32", "float64", "int8", "int16", "int32", "int64",
                            "uint8", "uint16", "uint32", "uint64"})
_MAX_DEPTH = 6
# What a list's uses may do without adding to it: its own methods that only read or remove,
# builtins that read it, and expressions that read it in place.
_KEEPING_METHODS = frozenset({"sort", "reverse", "pop", "remove", "clear", "copy", "count", "index"})
_READING_CALLS = frozenset({"len", "print", "enumerate", "sorted", "list", "tuple", "set", "sum", "min", "max",
                            "str", "repr", "any", "all", "zip", "reversed", "iter"})
_READING_PARENTS = (ast.Subscript, ast.Compare, ast.BinOp, ast.BoolOp, ast.UnaryOp, ast.FormattedValue, ast.For,
                    ast.comprehension, ast.If, ast.While, ast.Expr)
_SINGLE_ACTIONS = frozenset({"store", "store_true", "store_false", "count"})  # argparse actions that keep one value


def value_kind(ctx: FixContext, node: ast.expr | None, depth: int = 0) -> str | None:
    """NUMBER, STRING or BOOL when the evidence says so; None when it is unknown."""
    if node is None or depth > _MAX_DEPTH:
        return None
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return BOOL
        if isinstance(node.value, (int, float)):
            return NUMBER
        return STRING if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return STRING
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return BOOL
        return NUMBER if value_kind(ctx, node.operand, depth + 1) == NUMBER else None
    if isinstance(node, ast.BinOp):
        return _binary(ctx, node, depth)
    if isinstance(node, ast.Compare):
        return BOOL
    if isinstance(node, ast.Call):
        return _call(ctx, node, depth)
    if isinstance(node, ast.Name):
        return _variable(ctx, node, depth)
    if isinstance(node, ast.Attribute):
        return _ArgparseOptions.of(ctx).kind_of(ctx, node)
    if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "shape"
            and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int)):
        return NUMBER  # one dimension of an array's or a frame's shape
    return None


def _binary(ctx: FixContext, node: ast.BinOp, depth: int) -> str | None:
    left, right = value_kind(ctx, node.left, depth + 1), value_kind(ctx, node.right, depth + 1)
    if isinstance(node.op, ast.Add) and STRING in (left, right):
        return STRING
    if isinstance(node.op, ast.Mod) and left == STRING:
        return STRING
    if isinstance(node.op, ast.Mult) and {left, right} == {STRING, NUMBER}:
        return STRING
    if left == NUMBER and right == NUMBER:
        return NUMBER
    return None


def _call(ctx: FixContext, node: ast.Call, depth: int) -> str | None:
    func = node.func
    if isinstance(func, ast.Name) and ctx.binding_of(func) is None:  # a builtin, not a local name
        if func.id in _NUMBER_CALLS:
            return NUMBER
        if func.id in _STRING_CALLS:
            return STRING
        if func.id == "bool":
            return BOOL
    if isinstance(func, ast.Attribute):
        receiver = func.value
        if func.attr in _STRING_METHODS and value_kind(ctx, receiver, depth + 1) == STRING:
            return STRING
        if isinstance(receiver, ast.Name) and receiver.id in _MATH_MODULES and func.attr not in ("isnan", "isinf"):
            return NUMBER
        bound = ctx.binding_of(receiver) if isinstance(receiver, ast.Name) else None
        if bound is not None and bound.value == Ref("numpy") and func.attr in _NUMPY_SCALARS:
            return NUMBER
    return None


def holds_one_value(ctx: FixContext, node: ast.expr | None, depth: int = 0) -> bool:
    """Whether ``node`` never holds a list: a number, a string or a bool on the evidence above,
    or a command-line option that collects nothing (no ``nargs=``, no ``action="append"``),
    which is one value or None."""
    if node is None or depth > _MAX_DEPTH:
        return False
    if value_kind(ctx, node, depth) is not None:
        return True
    if isinstance(node, ast.Attribute):
        return _ArgparseOptions.of(ctx).holds_one_value(ctx, node)
    if isinstance(node, ast.Name):
        assigned = assigned_once(ctx, node)
        return assigned is not None and holds_one_value(ctx, assigned, depth + 1)
    return False


def element_kinds(ctx: FixContext, node: ast.expr | None, depth: int = 0) -> list[str | None]:
    """The kinds of what a list holds, as far as its source shows: each element of a list or
    tuple display, the element of a comprehension; [None] when that is not known."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return [value_kind(ctx, e) for e in node.elts]
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        return [value_kind(ctx, node.elt)]
    if isinstance(node, ast.Name) and depth < _MAX_DEPTH:
        assigned = assigned_once(ctx, node)
        if assigned is not None:
            kinds = element_kinds(ctx, assigned, depth + 1)
            if isinstance(assigned, (ast.List, ast.ListComp)):  # a list can grow after it is made
                kinds += _added_later(ctx, node, depth + 1)
            return kinds
    return [None]


def _added_later(ctx: FixContext, node: ast.Name, depth: int) -> list[str | None]:
    """The kinds of what the code appends to ``node``'s list after making it (an empty list
    filled by ``append`` says nothing by itself); [None] when any use of the variable could add
    what the source does not show (a call it is passed to, an alias, a subscript store)."""
    binding = ctx.binding_of(node)
    if binding is None:
        return [None]
    added: list[str | None] = []
    for use in ctx.uses_reaching(binding):
        if use is node:
            continue
        parent = ctx.parent(use)
        call = ctx.parent(parent) if isinstance(parent, ast.Attribute) else None
        if isinstance(call, ast.Call) and call.func is parent and not call.keywords:
            method, arguments = parent.attr, call.args  # type: ignore[union-attr]
            if method == "append" and len(arguments) == 1:
                added.append(value_kind(ctx, arguments[0], depth))
            elif method == "insert" and len(arguments) == 2:
                added.append(value_kind(ctx, arguments[1], depth))
            elif method == "extend" and len(arguments) == 1:
                added += element_kinds(ctx, arguments[0], depth)
            elif method not in _KEEPING_METHODS:
                return [None]
        elif isinstance(parent, ast.Call) and use in parent.args:
            if not (isinstance(parent.func, ast.Name) and parent.func.id in _READING_CALLS):
                return [None]
        elif not isinstance(parent, _READING_PARENTS) or isinstance(parent, ast.Subscript) and not isinstance(
                parent.ctx, ast.Load):
            return [None]
    return added


def assigned_once(ctx: FixContext, node: ast.Name) -> ast.expr | None:
    """The value of the one unconditional plain assignment to ``node``'s variable, or None."""
    binding = ctx.binding_of(node)
    if binding is None or len(ctx.bindings_named(node.id)) != 1 or binding.conditional:
        return None
    statement = binding.node
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.value
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        return statement.value
    return None


def _variable(ctx: FixContext, node: ast.Name, depth: int) -> str | None:
    binding = ctx.binding_of(node)
    if binding is None:
        return None
    if len(ctx.bindings_named(node.id)) != 1:  # bound again: only where this read sees one value (audit 2c)
        statement = binding.node
        if (seen_alone(ctx, binding, node) and isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            return value_kind(ctx, statement.value, depth + 1)
        return None
    statement = binding.node
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        return _loop_variable(statement, node.id)
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        # its one assignment gives every value it holds, in a loop or a branch too (audit, stop 64, lot c
        # L2: ``loss = 0.5 / (epoch + 1)`` in a training loop was of unknown kind)
        return value_kind(ctx, statement.value, depth + 1)
    assigned = assigned_once(ctx, node)
    return value_kind(ctx, assigned, depth + 1) if assigned is not None else None


def _loop_variable(loop: ast.For | ast.AsyncFor, name: str) -> str | None:
    """``for i in range(...)`` and the index of ``for i, x in enumerate(...)`` are integers."""
    iterator = loop.iter
    if not isinstance(iterator, ast.Call) or not isinstance(iterator.func, ast.Name):
        return None
    target = loop.target
    if iterator.func.id == "range" and isinstance(target, ast.Name) and target.id == name:
        return NUMBER
    if (iterator.func.id == "enumerate" and isinstance(target, ast.Tuple) and target.elts
            and isinstance(target.elts[0], ast.Name) and target.elts[0].id == name):
        return NUMBER
    return None


def argparse_option(ctx: FixContext) -> _ArgparseOptions:
    """What the program's ``argparse`` declarations say of its ``args.x`` values."""
    return _ArgparseOptions.of(ctx)


class _ArgparseOptions:
    """``args.x`` where ``args = parser.parse_args()``: the kind ``add_argument`` declared for x."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree

    @classmethod
    def of(cls, ctx: FixContext) -> _ArgparseOptions:
        found = ctx.cache.get("argparse")
        if not isinstance(found, _ArgparseOptions):
            found = ctx.cache["argparse"] = cls(ctx.model.tree)
        return found

    @cached_property
    def _options(self) -> tuple[dict[tuple[str, str], list[ast.Call]], dict[str, str]]:
        """((parser name, dest) -> its add_argument calls; args name -> parser name).  An option that
        ``parser.set_defaults(x=...)`` or ``args.x = ...`` may set otherwise has no declaration here
        (review, stop 63: ``set_defaults(compute=None)``)."""
        declared: dict[tuple[str, str], list[ast.Call]] = {}
        parsed: dict[str, str] = {}
        defaults: set[str] = set()  # the dests any parser's set_defaults() sets, a subparser's too ("*": any)
        stored: set[tuple[str, str]] = set()  # (variable, attribute) an assignment or setattr() sets ("*": any)
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and not isinstance(node.ctx, ast.Load):
                stored.add((node.value.id, node.attr))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "vars") \
                    and node.args and isinstance(node.args[0], ast.Name):
                named = node.args[1] if node.func.id == "setattr" and len(node.args) > 1 else None
                attribute = named.value if isinstance(named, ast.Constant) and isinstance(named.value, str) else "*"
                stored.add((node.args[0].id, attribute))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "set_defaults":
                defaults.update(k.arg or "*" for k in node.keywords)  # (on any parser: a subparser's, review)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
                if node.func.attr == "add_argument":
                    dest = option_dest(node)
                    if dest is not None:
                        declared.setdefault((node.func.value.id, dest), []).append(node)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                func = node.value.func
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    target = node.targets[0] if len(node.targets) == 1 else None
                    if func.attr == "parse_args" and isinstance(target, ast.Name):
                        parsed[target.id] = func.value.id
                    elif (func.attr == "parse_known_args" and isinstance(target, ast.Tuple) and target.elts
                          and isinstance(target.elts[0], ast.Name)):
                        parsed[target.elts[0].id] = func.value.id
        for parser, dest in list(declared):
            if ({dest, "*"} & defaults
                    or any({(args, dest), (args, "*")} & stored for args, by in parsed.items() if by == parser)):
                del declared[(parser, dest)]
        return declared, parsed

    def _declaration(self, ctx: FixContext, node: ast.Attribute) -> ast.Call | None:
        """The one ``add_argument`` call that declares ``args.x``, or None."""
        if not isinstance(node.value, ast.Name):
            return None
        declared, parsed = self._options
        parser = parsed.get(node.value.id)
        if parser is None or len(ctx.bindings_named(node.value.id)) != 1:
            return None
        calls = declared.get((parser, node.attr), [])
        return calls[0] if len(calls) == 1 else None

    def kind_of(self, ctx: FixContext, node: ast.Attribute) -> str | None:
        declaration = self._declaration(ctx, node)
        return _declared_kind(declaration) if declaration is not None else None

    def may_be(self, ctx: FixContext, node: ast.Attribute, value: object) -> bool:
        """Whether ``args.x`` may hold ``value``: its default, one of its literal choices, or, without
        choices, anything the command line gives."""
        declaration = self._declaration(ctx, node)
        if declaration is None:
            return True
        options = {k.arg: k.value for k in declaration.keywords if k.arg}
        default, choices = options.get("default"), options.get("choices")
        if not (isinstance(choices, (ast.List, ast.Tuple, ast.Set))
                and all(isinstance(n, ast.Constant) for n in choices.elts)):
            return True
        return any(isinstance(n, ast.Constant) and n.value == value for n in [default, *choices.elts])

    def holds_one_value(self, ctx: FixContext, node: ast.Attribute) -> bool:
        declaration = self._declaration(ctx, node)
        if declaration is None:
            return False
        options = {k.arg: k.value for k in declaration.keywords if k.arg}
        action = options.get("action")
        single = action is None or isinstance(action, ast.Constant) and action.value in _SINGLE_ACTIONS
        return single and "nargs" not in options


def option_dest(call: ast.Call) -> str | None:
    """Where ``parser.add_argument(...)`` stores its option: ``dest=``, else the first long flag
    (or the first name) with its dashes made underscores."""
    for keyword in call.keywords:
        if keyword.arg == "dest" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
            return keyword.value.value
    names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if not names:
        return None
    long = [n for n in names if n.startswith("--")]
    chosen = long[0][2:] if long else names[0].lstrip("-")
    return chosen.replace("-", "_")


def _declared_kind(call: ast.Call) -> str | None:
    options = {k.arg: k.value for k in call.keywords if k.arg}
    action = options.get("action")
    if isinstance(action, ast.Constant) and action.value in ("store_true", "store_false"):
        return BOOL
    if action is not None or "nargs" in options:
        return None
    kind = options.get("type")
    default = options.get("default")
    # An option left off the command line holds its default: None unless one is given.
    required = isinstance(options.get("required"), ast.Constant) and options["required"].value is True
    if isinstance(kind, ast.Name):
        declared = {"int": NUMBER, "float": NUMBER, "str": STRING}.get(kind.id)
        if declared is None or required:
            return declared
        # v1 logged None as a null metric; MLflow's log_metric rejects it, so without a
        # default of the same kind the value's kind is only known at run time.
        same = {NUMBER: (int, float, str), STRING: (str,)}[declared]  # argparse converts a string default with type=
        if isinstance(default, ast.Constant) and isinstance(default.value, same) and not isinstance(default.value, bool):
            return declared
        return None
    if kind is None:
        # Without type=, a value given on the command line is a string; only a
        # string default (or required=True) keeps the kind the same whether or not it is given.
        if required or isinstance(default, ast.Constant) and isinstance(default.value, str):
            return STRING
    return None
