"""v1 parameters that v2 sets through methods of the new job (``job.set_limits(...)``).

A v1 config takes its limits as constructor arguments; a v2 sweep or AutoML job
takes them through setters called after the job is built.  A spec action made
by :func:`to_setter` moves an old argument into such a setter call;
:func:`setter_lines` writes the calls, with the v1 defaults that v2 would
otherwise leave unset written out explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Argument, Build


@dataclass(frozen=True)
class Setter:
    method: str  # ``set_limits``
    defaults: tuple[tuple[str, str], ...] = ()  # (keyword, value source): what v1 did when not given


def _collected(ctx: FixContext, rewrite: Rewrite) -> dict[str, dict[str, str]]:
    return ctx.cache.setdefault(f"setters:{id(rewrite)}", {})  # type: ignore[return-value]


def _comments(ctx: FixContext, rewrite: Rewrite) -> dict[str, list[str]]:
    """The comments that ended the lines of the arguments each setter takes, to write above it."""
    return ctx.cache.setdefault(f"setter comments:{id(rewrite)}", {})  # type: ignore[return-value]


def to_setter(method: str, keyword: str, convert: Callable[[Argument], str] | None = None) -> Build:
    """The old argument leaves the call and becomes ``keyword=`` of ``<job>.<method>(...)``."""

    def build(argument: Argument) -> list[str]:
        value = convert(argument) if convert is not None else argument.text
        _collected(argument.ctx, argument.rewrite).setdefault(method, {})[keyword] = value
        _comments(argument.ctx, argument.rewrite).setdefault(method, []).extend(argument.carry_comments(value))
        return []

    return Build(build)


def setter_lines(job: str, setters: Sequence[Setter], ctx: FixContext, rewrite: Rewrite) -> list[str]:
    """``job.set_x(...)`` statements: the given values, then the v1 defaults not given."""
    collected = _collected(ctx, rewrite)
    lines = []
    for setter in setters:
        given = collected.get(setter.method, {})
        arguments = dict(given)
        for keyword, value in setter.defaults:
            arguments.setdefault(keyword, value)
        if arguments:
            lines.extend(_comments(ctx, rewrite).get(setter.method, []))
            lines.append(f"{job}.{setter.method}({', '.join(f'{k}={v}' for k, v in arguments.items())})")
    return lines
