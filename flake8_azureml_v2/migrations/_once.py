"""Reading a v1 construct once per fixer pass, when several rewrites need what it says.

A step, its estimator and the pipeline all ask what a step's arguments are; each
asks through :func:`read_once`, so the answer (or the refusal) is computed once
and every asker sees the same objects.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TypeVar

from ..engine.findings import RefusalKind
from ..engine.fixing.rewrite import FixContext
from ..engine.fixing.specs import Refused
from .data_refs import Refused as DataRefused

T = TypeVar("T")


def read_once(ctx: FixContext, kind: str, node: ast.AST, read: Callable[[], T]) -> T:
    """``read()`` for ``node`` the first time; after that, its answer, or the same refusal
    raised again (as :class:`Refused`, with its kind)."""
    answers: dict[int, T] = ctx.cache.setdefault(f"{kind}:answers", {})  # type: ignore[assignment]
    refusals: dict[int, tuple[str, RefusalKind]] = ctx.cache.setdefault(f"{kind}:refusals", {})  # type: ignore[assignment]
    key = id(node)
    if key in refusals:
        raise Refused(*refusals[key])
    if key not in answers:
        try:
            answers[key] = read()
        except (Refused, DataRefused) as reason:
            refusals[key] = (str(reason), reason.kind)
            raise Refused(str(reason), reason.kind) from None
    return answers[key]
