"""Detectors for the shapes most rules share, built from the shared name model."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .context import Context
from .names import Instance, Ref
from .rule import Detector, Hit
from .v1api import is_subtype


def calls_to(*qualnames: str, members: bool = False) -> Detector:
    """Calls of a v1 class or function; with ``members``, also of its attributes
    (``Workspace.from_config()``, ``Dataset.File.from_files()``)."""
    wanted = frozenset(qualnames)
    prefixes = tuple(q + "." for q in qualnames)

    def detect(ctx: Context) -> Iterator[Hit]:
        for call in ctx.model.calls:
            callee = call.callee
            if not isinstance(callee, Ref):
                continue
            name = callee.qualname
            if name in wanted or (members and name.startswith(prefixes)):
                yield call.node

    return detect


def method_calls(instance_type: str, *methods: str) -> Detector:
    """``x.method(...)`` where ``x`` is known to hold an ``instance_type``."""

    def detect(ctx: Context) -> Iterator[Hit]:
        for call in ctx.model.method_calls(instance_type, *methods):
            yield call.node

    return detect


def attribute_reads(instance_type: str, *attributes: str) -> Detector:
    """``x.attribute`` where ``x`` is known to hold an ``instance_type``."""
    wanted = frozenset(attributes)

    def detect(ctx: Context) -> Iterator[Hit]:
        for read in ctx.model.attribute_reads:
            receiver = read.receiver
            if (
                read.node.attr in wanted
                and isinstance(receiver, Instance)
                and is_subtype(receiver.type, instance_type)
            ):
                yield read.node

    return detect


def references(*qualnames: str) -> Detector:
    """Any mention of a v1 name: ``except ComputeTargetException:``."""
    wanted = frozenset(qualnames)

    def detect(ctx: Context) -> Iterator[Hit]:
        for ref in ctx.model.references:
            if ref.qualname in wanted:
                yield ref.node

    return detect


def member_calls(class_qualname: str, v2_for: Callable[[str], str]) -> Detector:
    """``Cls(...)`` and ``Cls.<member>(...)`` calls, each message naming the v2 form
    that ``v2_for(member)`` gives ("" stands for the constructor)."""
    prefix = class_qualname + "."
    short = class_qualname.rsplit(".", 1)[1]

    def detect(ctx: Context) -> Iterator[Hit]:
        for call in ctx.model.calls:
            callee = call.callee
            if not isinstance(callee, Ref):
                continue
            name = callee.qualname
            if name == class_qualname:
                member = ""
            elif name.startswith(prefix):
                member = name[len(prefix):]
            else:
                continue
            v1 = f"{short}.{member}()" if member else f"{short}()"
            yield call.node, f"{v1} is Azure ML SDK v1; use {v2_for(member)}"

    return detect
