"""What ``fix`` would do to each finding, learnt by running the real fixer in memory.

``check --statistics``, the ``[*]`` markers, the JSON/SARIF ``fix`` fields and
``azureml-v2 report`` all need to know, per finding, whether ``fix`` resolves it
with its safe fixes, only with ``--unsafe-fixes``, or not at all and why.  Only
the fixer knows (a rewrite can be refused for data flow or harm), so this runs
it on the program ``check`` just analysed, never writing anything: once without
unsafe fixes, and once with them unless the first run left nothing for lack of
``--unsafe-fixes`` (then the second run would do exactly what the first did).

A finding is matched to the fixer's records by its code and its place in the
file as read; the verdict keeps the refusal's root kind (what a migration report
groups by) and its detail, with line references in the file as read.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from .engine import Finding
from .engine.findings import RefusalKind


class Applicability(str, enum.Enum):
    SAFE = "safe"  # `azureml-v2 fix` resolves it
    UNSAFE = "unsafe"  # only `azureml-v2 fix --unsafe-fixes` does
    NONE = "none"  # no automatic fix resolves it: manual work


Key = tuple[int, int, int, str]  # (cell or 0, line, col, code) of a finding in the file as read


def key_of(finding: Finding) -> Key:
    return (getattr(finding, "cell", None) or 0, finding.line, finding.col, finding.code)


@dataclass(frozen=True)
class Verdict:
    applicability: Applicability
    kind: RefusalKind | None = None  # UNSAFE for unsafe fixes; the refusal's root kind for NONE
    reason: str = ""  # why it is left (NONE) or what the safe run said (UNSAFE)
    description: str = ""  # what the fix does (SAFE, UNSAFE)
    todos: tuple[str, ...] = ()  # the TODO(azureml-v2) comments the fix writes
    notes: tuple[str, ...] = ()  # what the fix assumed or chose (defaults a person should check)

    @property
    def fixable(self) -> bool:
        return self.applicability is not Applicability.NONE

    @property
    def reason_kind(self) -> str | None:
        """The kind as reports name it: 'unsafe fix not enabled', 'data-flow limit', ..."""
        return self.kind.value if self.kind is not None else None


@dataclass(frozen=True)
class Run:
    """One dry run of the fixer over a program: what it fixed and what it left, by finding key."""

    fixed: dict[Key, tuple[str, tuple[str, ...], tuple[str, ...]]]  # key -> (description, todos, notes)
    left: dict[Key, tuple[RefusalKind, str]]  # key -> (root kind, detail in the file as read)

    @property
    def withholds_unsafe_fixes(self) -> bool:
        return any(kind is RefusalKind.UNSAFE for kind, _ in self.left.values())


def judge(findings: Iterable[Finding], safe: Run, unsafe: Run) -> dict[Key, Verdict]:
    """The verdict on each finding from the two runs.  A finding a run both fixed and left (an
    import of several names, some of which stay) is still reported after that run: not resolved."""
    verdicts: dict[Key, Verdict] = {}
    for finding in findings:
        key = key_of(finding)
        if key in safe.fixed and key not in safe.left:
            description, todos, notes = safe.fixed[key]
            verdicts[key] = Verdict(Applicability.SAFE, description=description, todos=todos, notes=notes)
        elif key in unsafe.fixed and key not in unsafe.left:
            description, todos, notes = unsafe.fixed[key]
            _, said = safe.left.get(key, (RefusalKind.UNSAFE, ""))
            verdicts[key] = Verdict(Applicability.UNSAFE, RefusalKind.UNSAFE, said, description, todos, notes)
        else:
            kind, detail = unsafe.left.get(key) or safe.left.get(key) or (None, "")
            verdicts[key] = Verdict(Applicability.NONE, kind, detail)
    return verdicts


def refused(findings: Iterable[Finding], kind: RefusalKind, reason: str) -> dict[Key, Verdict]:
    """Every finding of a program the fixer cannot take at all (a %%writefile -a cell, a FixError)."""
    return {key_of(f): Verdict(Applicability.NONE, kind, reason) for f in findings}


def hint(verdicts: Iterable[Verdict]) -> str:
    """The closing line's fix hint, as ruff words it: '[*] N fixable with `azureml-v2 fix`, M more ...'."""
    safe = unsafe = 0
    for verdict in verdicts:
        safe += verdict.applicability is Applicability.SAFE
        unsafe += verdict.applicability is Applicability.UNSAFE
    if not safe and not unsafe:
        return ""
    text = f"[*] {safe} fixable with `azureml-v2 fix`" if safe else "0 fixable with `azureml-v2 fix`"
    if unsafe:
        text += f", {unsafe} more with `--unsafe-fixes`"
    return text + "."
