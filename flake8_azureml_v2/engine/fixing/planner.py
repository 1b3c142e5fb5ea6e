"""Decide which rewrites hold together, and in which mode each is applied.

Rewrites depend on each other through variables.  A rewrite that takes over a
use of a migrated variable *needs* the rewrite that migrates it: without the
new counterpart, the new code names nothing.  The reverse depends on the
provider: one that can keep the old object alive (it adds ``ml_client`` beside
``ws``) does not need its consumers, and switches to keep-alive mode when some
use of the old object stays; one that cannot (a ``ScriptRunConfig`` rewritten
in place) needs every consumer, so they are applied together or not at all.

Refusals travel along those needs with their reason, so every finding that is
left says why, in a :class:`~..findings.Refusal` with a kind.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..findings import line_ref, Finding, Refusal, RefusalKind
from ..names import Binding, Instance
from ..rule import FixSafety
from . import handlers, reaching
from .rewrite import FixContext, Rewrite, called_helpers, describe_use, snippet
from .symbols import plain_names

# Given a finding, why it may not be fixed (a noqa comment, not selected), or None.
Permission = Callable[[Finding], "Refusal | None"]
SafetyOf = Callable[[str], FixSafety]

UNSAFE_DETAIL = "unsafe fix (may change runtime behaviour): enable it with --unsafe-fixes"
# Said of an object kept beside its new counterpart, unless no migrated code ends up using the counterpart.
BESIDE = "; the migrated code uses the new object beside it"


@dataclass
class Plan:
    rewrites: list[Rewrite]
    refused: dict[int, Refusal] = field(default_factory=dict)  # id(rewrite) -> why it is not applied
    needs: dict[int, list[Rewrite]] = field(default_factory=lambda: defaultdict(list))
    optional: dict[int, list[Rewrite]] = field(default_factory=lambda: defaultdict(list))  # provider -> consumers
    untaken: dict[int, list[ast.Name]] = field(default_factory=lambda: defaultdict(list))  # provider -> uses that stay
    stays: dict[int, Refusal] = field(default_factory=dict)  # why a kept-alive object's findings are left
    _reverse: dict[int, list[Rewrite]] | None = field(default=None, repr=False)  # needs, reversed (built once)

    def accepted(self) -> list[Rewrite]:
        return [r for r in self.rewrites if id(r) not in self.refused]

    def refuse(self, rewrite: Rewrite, refusal: Refusal) -> None:
        """Refuse ``rewrite`` and, transitively, everything that needs it."""
        dependents = self._dependents()
        work = [(rewrite, refusal)]
        while work:
            current, why = work.pop()
            if id(current) in self.refused:
                continue
            self.refused[id(current)] = why
            line = getattr(current.node, "lineno", 0)
            for dependent in dependents.get(id(current), []):
                if id(dependent) not in self.refused:
                    work.append((dependent, why.blocking(line)))

    def _dependents(self) -> dict[int, list[Rewrite]]:
        if self._reverse is None:
            reverse: dict[int, list[Rewrite]] = defaultdict(list)
            by_id = {id(r): r for r in self.rewrites}
            for needer, needed in self.needs.items():
                for other in needed:
                    reverse[id(other)].append(by_id[needer])
            self._reverse = reverse
        return self._reverse

    def modes(self, applied: set[int]) -> dict[int, bool]:
        """For each applied rewrite (ids in ``applied``): does it keep its old object alive?

        A provider keeps it alive when a use stays untranslated, when another module
        imports it, or when a consumer is not applied or is itself kept alive (its
        original construct, and so its use of the provider, stays)."""
        by_id = {id(r): r for r in self.rewrites if id(r) in applied}
        alive: dict[int, bool] = {}
        for rewrite in by_id.values():
            self._keeps_alive(rewrite, by_id, alive)
        self._alike(by_id, alive)
        return alive

    def _alike(self, by_id: dict[int, Rewrite], alive: dict[int, bool]) -> None:
        """Providers of one variable that share a consumer (``ws`` made in ``try:`` and again in
        ``except:``) name one counterpart there: when one keeps its old object alive (its
        counterpart is a new name beside it), all of them do (review g: the ``try:`` one was
        replaced in place, and the use after the block named a client only ``except:`` made)."""
        by_consumer: dict[int, list[Rewrite]] = defaultdict(list)
        for key, consumers in self.optional.items():
            provider = by_id.get(key)
            if provider is None or provider.binding is None:
                continue
            for consumer in consumers:
                by_consumer[id(consumer)].append(provider)
        changed = True
        while changed:
            changed = False
            for providers in by_consumer.values():
                for name in {p.binding.name for p in providers}:  # type: ignore[union-attr]
                    same = [p for p in providers if p.binding.name == name]  # type: ignore[union-attr]
                    if len(same) > 1 and any(alive.get(id(p)) for p in same):
                        for p in same:
                            if not alive.get(id(p)) and p.can_keep_alive:
                                alive[id(p)], changed = True, True

    def _keeps_alive(self, rewrite: Rewrite, by_id: dict[int, Rewrite], alive: dict[int, bool]) -> bool:
        # (a method, not a recursive closure: that would be a reference cycle holding the plan)
        key = id(rewrite)
        if key in alive:
            return alive[key]
        alive[key] = False  # a cycle of optional needs cannot keep itself alive
        if not rewrite.can_keep_alive:
            return False
        result = bool(self.untaken.get(key)) or rewrite.must_keep_alive or any(
            id(c) not in by_id or self._keeps_alive(c, by_id, alive) for c in self.optional.get(key, []))
        alive[key] = result
        return result

    def is_idle(self, rewrite: Rewrite, applied: set[int], modes: dict[int, bool]) -> bool:
        """A kept-alive provider whose counterpart no applied, migrated consumer uses.

        A consumer that is itself kept alive passes the question on to its own consumers:
        a submit migrated off a kept ``Experiment(ws, ...)`` still names ``ws``'s client.
        One that only deletes its use (``uses_counterpart`` false) uses nothing."""
        if not modes.get(id(rewrite), False):
            return False
        seen: set[int] = set()
        work = list(self.optional.get(id(rewrite), []))
        while work:
            consumer = work.pop()
            if id(consumer) in seen or id(consumer) not in applied or not consumer.uses_counterpart:
                continue
            seen.add(id(consumer))
            if not modes.get(id(consumer), False):
                return False
            work.extend(self.optional.get(id(consumer), []))
        return True

    def clusters(self) -> list[list[Rewrite]]:
        """Accepted rewrites in groups that must be applied together (mutual needs),
        providers before the rewrites that need them."""
        accepted = self.accepted()
        ids = {id(r) for r in accepted}
        graph = {id(r): [id(o) for o in self.needs.get(id(r), []) if id(o) in ids] for r in accepted}
        by_id = {id(r): r for r in accepted}
        order = {id(r): i for i, r in enumerate(accepted)}
        return [[by_id[key] for key in sorted(component, key=order.__getitem__)]
                for component in _components(graph, [id(r) for r in accepted])]


def _components(graph: dict[int, list[int]], order: list[int]) -> list[set[int]]:
    """Strongly connected components, each after the components it needs (Tarjan, iterative)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    found: list[set[int]] = []
    counter = 0
    for root in order:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = graph.get(node, [])
            if child < len(edges):
                work.append((node, child + 1))
                target = edges[child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


class _Spans:
    """Refused rewrites by the span of their construct: which one encloses a use."""

    def __init__(self, rewrites: Iterable[Rewrite], ctx: FixContext) -> None:
        spans = sorted((ctx.locator.start(r.node), ctx.locator.end(r.node), i, r)
                       for i, r in enumerate(rewrites) if r.refusal is not None)
        self.spans = spans
        self.starts = [s[0] for s in spans]
        self.ctx = ctx

    def enclosing(self, node: ast.AST) -> Rewrite | None:
        offset = self.ctx.locator.start(node)
        index = bisect_right(self.starts, offset)
        for start, end, _, rewrite in reversed(self.spans[max(index - 8, 0):index]):
            if start <= offset < end:
                return rewrite
        return None


class _Replaced:
    """What the rewrites replace, by span: which one's edit takes a use of a variable away."""

    def __init__(self, rewrites: Iterable[Rewrite]) -> None:
        self.spans = sorted(((e.start, e.end, i, r) for i, r in enumerate(rewrites)
                             if r.refusal is None for e in r.edits if e.end > e.start), key=lambda s: s[:3])
        self.starts = [s[0] for s in self.spans]

    def replacer(self, use: ast.Name, start: int, end: int, provider: Rewrite) -> Rewrite | None:
        """Another rewrite one of whose edits replaces ``use``, none of whose edits writes its name
        (one that moves the argument's text elsewhere, as a new keyword, still reads the variable)."""
        for index in range(bisect_right(self.starts, start) - 1, -1, -1):
            span_start, span_end, _, rewrite = self.spans[index]
            if (rewrite is not provider and span_start <= start and end <= span_end
                    and not any(writes_name(e.text, use.id) for e in [*rewrite.edits, *(rewrite.alive_edits or [])])):
                return rewrite
        return None


def writes_name(text: str, name: str) -> bool:
    """Whether code ``text`` (a fragment) reads ``name``; in a plain string literal it is only
    text (a datastore registered under its variable's name).  What does not tokenize, and an
    f-string, is searched as text: a false yes only keeps a use."""
    named = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    after_dot = False
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NAME and token.string == name and not after_dot:
                return True
            if token.type == tokenize.STRING and "f" in token.string.split(token.string[-1])[0].lower():
                if named.search(token.string):
                    return True
            if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
                after_dot = token.type == tokenize.OP and token.string == "."
    except (tokenize.TokenError, SyntaxError):
        return bool(named.search(text))
    return False


def _consuming_call(rewrite: Rewrite, ctx: FixContext) -> ast.Call | None:
    """The reported call whose argument is the new object an unassigned rewrite makes in place
    (``ScriptRunConfig(compute_target=ComputeTarget(ws, n))``): that call gets it only when its
    own rewrite comes along; left as it is, it would be handed an object it cannot take."""
    if rewrite.bindings or not isinstance(rewrite.node, ast.expr):
        return None
    child: ast.AST = rewrite.node
    parent = ctx.parent(child)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call) and child is not parent.func and ctx.findings_for(parent):
            return parent
        if isinstance(parent, (ast.Attribute, ast.Subscript, ast.Lambda, ast.comprehension)) or (
                isinstance(parent, ast.Call) and child is parent.func):
            return None  # read from, called or deferred: not handed over as it is
        child, parent = parent, ctx.parent(parent)
    return None


def decide(rewrites: list[Rewrite], ctx: FixContext, permission: Permission, unsafe: bool,
           safety_of: SafetyOf) -> Plan:
    plan = Plan(rewrites)
    for rewrite in rewrites:
        if rewrite.refusal is not None:
            plan.refused[id(rewrite)] = rewrite.refusal
    provider = {id(b): r for r in rewrites for b in r.bindings}
    consumer = {id(name): r for r in rewrites for name in r.consumes}
    by_node = {id(r.node): r for r in rewrites}
    covering = {**{id(node): r for r in rewrites for _, node in r.findings}, **by_node}
    refused_spans = _Spans(rewrites, ctx)
    replaced = _Replaced(rewrites) if any(r.released_by_replacers for r in rewrites) else None
    handled = [(e.start, e.end) for r in rewrites for e in [*r.edits, *(r.alive_edits or [])]]
    guarded_calls = handlers.guarded_old_calls(ctx)
    pending: list[tuple[Rewrite, Refusal]] = []
    shared: list[tuple[Rewrite, Rewrite, Refusal]] = []

    for rewrite in rewrites:
        for binding in rewrite.bindings:
            for use in ctx.uses_reaching(binding):
                if id(use) in rewrite.own_uses:
                    other = _unprovided_reaching(use, binding, provider, rewrite, ctx)
                    if other is not None:
                        pending.append((rewrite, _mixed(use, other, ctx)))
                    continue
                taker = consumer.get(id(use))
                sharer = _sharer(use, binding, rewrite, provider, ctx) if taker is None else None
                if sharer is not None:
                    # Another assignment's rewrite translates this use for its own value; this
                    # one's value reaches it too, so the two go together or not at all (and
                    # only when they make the same object under the same name: see _alike).
                    plan.needs[id(rewrite)].append(sharer)
                    plan.needs[id(sharer)].append(rewrite)
                    shared.append((rewrite, sharer, Refusal(
                        RefusalKind.DATA_FLOW,
                        f"`{binding.name}` is also used at {describe_use(ctx.locator, ctx, use)}, where it may hold "
                        f"this value or the one assigned at {line_ref(getattr(sharer.node, 'lineno', 0))}, whose fix "
                        "translates it differently", (use.lineno,))))
                    continue
                if taker is None or taker is rewrite:
                    if rewrite.can_keep_alive and _changes(use, ctx):
                        # kept alive, the old object would take the change and its counterpart miss it
                        pending.append((rewrite, Refusal(
                            RefusalKind.DATA_FLOW,
                            f"`{binding.name}` is changed at {describe_use(ctx.locator, ctx, use)}, after the new "
                            "object is made from it: the change would not reach the migrated code", (use.lineno,))))
                        continue
                    if rewrite.can_keep_alive:
                        replacer = replaced.replacer(use, ctx.locator.start(use), ctx.locator.end(use), rewrite) \
                            if replaced is not None and rewrite.released_by_replacers else None
                        if replacer is not None:  # gone with it: kept while it is not applied
                            plan.optional[id(rewrite)].append(replacer)
                        else:
                            plan.untaken[id(rewrite)].append(use)
                        continue
                    enclosing = refused_spans.enclosing(use)
                    if enclosing is not None and enclosing is not rewrite:
                        plan.needs[id(rewrite)].append(enclosing)
                        continue
                    why = ctx.why_not.get(id(use))
                    pending.append((rewrite, Refusal(
                        RefusalKind.DATA_FLOW,
                        f"`{binding.name}` is also used at {describe_use(ctx.locator, ctx, use)}, "
                        f"which this fix cannot translate{f' ({why})' if why else ''}", (use.lineno,))))
                    continue
                plan.needs[id(taker)].append(rewrite)
                if rewrite.can_keep_alive:
                    plan.optional[id(rewrite)].append(taker)
                else:
                    plan.needs[id(rewrite)].append(taker)
        for name in rewrite.consumes:
            binding = ctx.binding_of(name)
            if binding is None or id(binding) not in provider:
                pending.append((rewrite, Refusal(RefusalKind.DATA_FLOW, _unfollowed(name, binding), (name.lineno,))))
                continue
            other = _unprovided_reaching(name, binding, provider, rewrite, ctx)
            if other is not None:
                pending.append((rewrite, _mixed(name, other, ctx)))
        consumer_call = _consuming_call(rewrite, ctx)
        if consumer_call is not None:
            taker = covering.get(id(consumer_call))
            if taker is None:
                pending.append((rewrite, Refusal(
                    RefusalKind.DATA_FLOW,
                    f"its value goes into `{snippet(ctx.locator, consumer_call)}` ({line_ref(consumer_call.lineno)}), "
                    "which stays as it is and takes no new object", (consumer_call.lineno,))))
            elif taker is not rewrite:
                plan.needs[id(rewrite)].append(taker)
        for node in rewrite.requires:
            needed = by_node.get(id(node))
            if needed is None:
                pending.append((rewrite, Refusal(
                    RefusalKind.NOT_YET,
                    f"{line_ref(node.lineno)} (`{snippet(ctx.locator, node)}`) is not something this fix can migrate",  # type: ignore[attr-defined]
                    (node.lineno,))))  # type: ignore[attr-defined]
            else:
                plan.needs[id(rewrite)].append(needed)
                plan.needs[id(needed)].append(rewrite)
        policy = _policy(rewrite, ctx, permission, unsafe, safety_of)
        if policy is not None:
            pending.append((rewrite, policy))
        guarded = (_helper_name_taken(rewrite, ctx) or _old_handler(rewrite, ctx, handled, guarded_calls)
                   or _silent_need(rewrite, ctx))
        if guarded is not None:
            pending.append((rewrite, guarded))

    for rewrite in rewrites:
        for binding in rewrite.bindings:
            unseen = reaching.unseen_uses(ctx, binding)
            if unseen and not rewrite.must_keep_alive:
                rewrite.must_keep_alive, rewrite.keep_reason = True, unseen
            elif ctx.is_imported_elsewhere(binding) and not rewrite.must_keep_alive:
                # (another module reads the old object: audit, stop 63, a submitted ``run`` imported by a report)
                rewrite.must_keep_alive = True
                rewrite.keep_reason = f"another module of the project imports `{binding.name}`"
    refused_first = [(r, plan.refused.pop(id(r))) for r in rewrites if id(r) in plan.refused]
    for rewrite, refusal in [*refused_first, *pending]:
        plan.refuse(rewrite, refusal)
    for rewrite in rewrites:
        if rewrite.must_keep_alive and not rewrite.can_keep_alive:
            plan.refuse(rewrite, Refusal(RefusalKind.DATA_FLOW, f"{rewrite.keep_reason}, so it must stay" if rewrite.keep_reason
                                         else "another module of the project imports "
                                         f"`{rewrite.binding.name if rewrite.binding else '?'}`, so it must stay"))
        elif rewrite.must_keep_alive and rewrite.binding is not None:
            plan.stays[id(rewrite)] = Refusal(RefusalKind.DATA_FLOW, (
                f"{rewrite.keep_reason}, so it stays as it is" if rewrite.keep_reason else
                f"another module of the project imports `{rewrite.binding.name}`, so it stays{BESIDE}"))
    for rewrite in plan.accepted():
        if rewrite.can_keep_alive and plan.untaken.get(id(rewrite)):
            use = plan.untaken[id(rewrite)][0]
            why = ctx.why_not.get(id(use))
            plan.stays[id(rewrite)] = Refusal(
                RefusalKind.DATA_FLOW,
                f"`{use.id}` is also used at {describe_use(ctx.locator, ctx, use)}, which stays as it is"
                f"{f' ({why})' if why else ''}{BESIDE}", (use.lineno,))
    _check_accepted(plan, shared, provider, ctx)
    return plan


def _check_accepted(plan: Plan, shared: list[tuple[Rewrite, Rewrite, Refusal]], provider: dict[int, Rewrite],
                    ctx: FixContext) -> None:
    """What only the accepted set can tell: two assignments sharing a use must be rewritten
    alike, and an old call that registers with an object that stays must stay with it."""
    for rewrite, sharer, refusal in shared:
        if not _alike(rewrite, sharer, plan):
            plan.refuse(rewrite, refusal)
    for rewrite in plan.accepted():
        kept = next((name for name in rewrite.registers_with if _stays(provider, ctx.binding_of(name), plan)), None)
        if kept is not None:
            plan.refuse(rewrite, Refusal(RefusalKind.DATA_FLOW, (
                f"`{kept.id}` stays as it is for code that still needs it, and {rewrite.registration}"),
                (kept.lineno,)))
    for rewrite in plan.accepted():
        # a rewrite that only deletes its use of an object that stays would take a call away
        # from the v1 object still there (run.complete() on the run v1 code goes on using)
        kept = None if rewrite.uses_counterpart or not rewrite.use_has_effect else next(
            (name for name in rewrite.consumes if _stays(provider, ctx.binding_of(name), plan)), None)
        if kept is not None:
            plan.refuse(rewrite, Refusal(RefusalKind.DATA_FLOW, (
                f"`{kept.id}` stays as it is for code that still needs it, and this call on it stays with it"),
                (kept.lineno,)))
    for refused in [key for key in plan.stays if key in plan.refused]:
        del plan.stays[refused]


def _unfollowed(name: ast.Name, binding: Binding | None) -> str:
    """Why the object a rewrite consumes has no rewrite to provide it: where its value comes from."""
    where = f"`{name.id}` ({line_ref(name.lineno)})"
    if binding is None:
        return f"{where} is not bound in this module"
    if isinstance(binding.node, (ast.Import, ast.ImportFrom)):
        return f"{where} is imported from another module, whose object this fix does not follow"
    return f"{where} holds something this fix cannot migrate"


def _unprovided_reaching(use: ast.Name, binding: Binding, provider: dict[int, Rewrite], rewrite: Rewrite,
                         ctx: FixContext) -> Binding | None:
    """Another assignment of the name, of an old object, whose value may reach ``use`` (one branch
    of a ``try`` or an ``if`` assigns it, the other ``binding``) and that no rewrite migrates: there the new code
    would name an object that was never made, or the old object under the new name.  One whose
    value ``rewrite`` itself migrates (a look-up it takes along) is no such assignment."""
    taken = {id(node) for _, node in rewrite.findings}
    for other in ctx.bindings_named(use.id):
        value = getattr(other.node, "value", None)
        if (other is not binding and other.scope is binding.scope and id(other) not in provider
                and isinstance(other.value, Instance) and id(value) not in taken and id(other.node) not in taken
                and any(seen is use for seen in ctx.uses_reaching(other))):
            return other
    return None


def _mixed(use: ast.Name, other: Binding, ctx: FixContext) -> Refusal:
    return Refusal(RefusalKind.DATA_FLOW,
                   f"`{use.id}` at {line_ref(use.lineno)} may also hold the value assigned at "
                   f"{line_ref(getattr(other.node, 'lineno', 0))} (`{snippet(ctx.locator, other.node)}`), "
                   "which this fix does not migrate", (use.lineno,))


def _stays(provider: dict[int, Rewrite], binding: Binding | None, plan: Plan) -> bool:
    """The object ``binding`` holds is kept as it is, beside its new counterpart."""
    found = provider.get(id(binding)) if binding is not None else None
    return found is not None and id(found) in plan.stays


def _alike(one: Rewrite, other: Rewrite, plan: Plan) -> bool:
    """Both applied, in place, by the same rule and under the same name: whichever of the two
    values a shared use sees, it is the same kind of new object, so its translation holds."""
    applied = [id(one), id(other)]
    return (all(key not in plan.refused and key not in plan.stays for key in applied)
            and one.code == other.code and one.counterpart == other.counterpart)


def _sharer(use: ast.Name, binding: Binding, rewrite: Rewrite, provider: dict[int, Rewrite],
            ctx: FixContext) -> Rewrite | None:
    """The rewrite of another assignment of the name that translates ``use`` (a use this
    binding's value may reach though the name model gave it to that assignment)."""
    other = ctx.binding_of(use)
    if other is None or other is binding:
        return None
    found = provider.get(id(other))
    return found if found is not None and found is not rewrite and id(use) in found.own_uses else None


# Methods that change the collection they are called on (``env.environment_variables.update(...)``).
_CHANGING = frozenset({"update", "append", "extend", "insert", "setdefault", "pop", "remove", "clear", "add",
                       "discard", "sort", "reverse", "popitem"})


def _changes(use: ast.Name, ctx: FixContext) -> bool:
    """Does this use change the object (a field of it) rather than read it: ``x.a = v``,
    ``x.a[k] = v``, ``x.a += v``, ``del x.a``, ``x.a.update(...)``?"""
    node: ast.AST = use
    parent = ctx.parent(node)
    depth = 0
    while isinstance(parent, (ast.Attribute, ast.Subscript)) and getattr(parent, "value", None) is node:
        node, parent, depth = parent, ctx.parent(parent), depth + 1
    if depth == 0:
        return False
    if isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del)):
        return True
    if isinstance(parent, ast.AugAssign) and parent.target is node:
        return True
    # ``x.a.update(...)``: the chain ends in a changing method of a field
    return (depth >= 2 and isinstance(node, ast.Attribute) and node.attr in _CHANGING
            and isinstance(parent, ast.Call) and parent.func is node)


def _old_handler(rewrite: Rewrite, ctx: FixContext, handled: list[tuple[int, int]],
                 guarded_calls: list[ast.Call]) -> Refusal | None:
    """A rewrite inside ``try:`` whose handler expects the old code's failure: the new code
    fails otherwise, so the handler would stop running.  So is one that replaces an old call
    in such a ``try:`` away from where it is reported.  A handler some rewrite translates is
    not in the way."""
    replaced = handlers.replaced_calls(guarded_calls, rewrite.edits, ctx) if guarded_calls else []
    for node in (rewrite.node, *replaced):
        for try_node in handlers.enclosing_tries(node, ctx):
            for handler in try_node.handlers:
                for caught in handlers.caught(handler):
                    start, end = ctx.locator.start(caught), ctx.locator.end(caught)
                    if handlers.expects_old_failure(caught, node, ctx) and not any(
                            a <= start and end <= b for a, b in handled):
                        where = "" if node is rewrite.node else f"; it rewrites `{snippet(ctx.locator, node.func)}(...)` there"
                        return Refusal(RefusalKind.DATA_FLOW, (
                            f"it runs inside `try:` with `except {snippet(ctx.locator, caught)}` "
                            f"({line_ref(handler.lineno)}){where}: the new code raises other exceptions, so that "
                            "handler would no longer run"), (handler.lineno,))
    return None


def _helper_name_taken(rewrite: Rewrite, ctx: FixContext) -> Refusal | None:
    """A helper the new code calls whose name the program already gives to something else (a
    function or variable of its own, at module level or in a function, an import): the new code
    would call that.  A module-level definition that is the helper, as an earlier run wrote it
    (the same code, whatever the names it imports are called here), is used."""
    if not rewrite.helpers:
        return None
    for name in sorted(called_helpers(rewrite.helpers, [e.text for e in [*rewrite.edits, *(rewrite.alive_edits or [])]])):
        bound = ctx.bindings_named(name)
        if not bound and name not in ctx.model.module_scope.names:
            continue
        if _written_before(name, rewrite.helpers[name], ctx.model.tree) and all(
                isinstance(b.node, ast.stmt) and b.node in ctx.model.tree.body for b in bound):
            continue
        where = next((getattr(b.node, "lineno", None) for b in bound if getattr(b.node, "lineno", None)), None)
        at = f" ({line_ref(where)})" if where is not None else ""
        return Refusal(RefusalKind.NOT_YET, (
            f"the program has its own `{name}`{at}, the name of a helper the new code calls: rename "
            "it, and this migrates"), (where,) if where is not None else ())
    return None


def _written_before(name: str, code: str, tree: ast.Module) -> bool:
    """Is every module-level binding of ``name`` the helper ``code`` defines, as a run wrote it?"""
    try:
        helper = next(s for s in ast.parse(plain_names(code)).body
                      if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Assign)))
    except (SyntaxError, StopIteration):
        return False
    found = False
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == name:
            if not isinstance(helper, (ast.FunctionDef, ast.AsyncFunctionDef)) or _shape(statement) != _shape(helper):
                return False
            found = True
        elif isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in statement.targets):
            if not isinstance(helper, ast.Assign) or _shape(statement.value) != _shape(helper.value):
                return False
            found = True
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and any(
                (isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id == name)
                or (isinstance(n, ast.alias) and (n.asname or n.name) == name) for n in ast.walk(statement)):
            return False  # bound some other way (an import, a loop, a with)
    return found


def _shape(node: ast.AST) -> str:
    """The code of ``node`` with every plain name blanked out: the local names of what it imports
    may differ from file to file (``mlflow`` or ``mlflow_v2``), the rest may not."""
    dumped = ast.dump(node, annotate_fields=False)
    return re.sub(r"Name\('[^']*'", "Name('_'", dumped)


def _silent_need(rewrite: Rewrite, ctx: FixContext) -> Refusal | None:
    """A rewrite whose new code needs what no import shows (``silent_needs``), inside ``try:``
    with a handler that catches everything: where that is missing, the handler's path would
    run as if the old call had failed, and nothing would say why."""
    if not rewrite.silent_needs:
        return None
    for edit in [*rewrite.edits, *(rewrite.alive_edits or [])]:
        needs = [rewrite.silent_needs[name] for name in sorted(called_helpers(rewrite.helpers, [edit.text]))
                 if name in rewrite.silent_needs]
        handler = handlers.catch_all_handler(edit.start, ctx) if needs else None
        if handler is not None:
            return Refusal(RefusalKind.DATA_FLOW, (
                f"it runs inside `try:` with `{handlers.clause(handler, ctx)}` ({line_ref(handler.lineno)}), which would also catch the new "
                f"code failing for want of {needs[0]}, and go on as if the old call had failed"), (handler.lineno,))
    return None


def _policy(rewrite: Rewrite, ctx: FixContext, permission: Permission, unsafe: bool,
            safety_of: SafetyOf) -> Refusal | None:
    """Refusals that come from the user's settings rather than from the code."""
    safety = rewrite.safety or safety_of(rewrite.code)
    if safety is FixSafety.MANUAL:
        return Refusal(RefusalKind.NOT_YET, "no automatic fix: migrate by hand")
    if safety is FixSafety.UNSAFE and not unsafe:
        return Refusal(RefusalKind.UNSAFE, UNSAFE_DETAIL)
    for code, node in [*rewrite.findings, *rewrite.alive_findings]:
        for finding in ctx.claimed(node, code):
            blocked = permission(finding)
            if blocked is not None:
                return Refusal(blocked.kind, f"{line_ref(finding.line)}: {blocked.detail}", (finding.line,), blocked.cause)
    return None
