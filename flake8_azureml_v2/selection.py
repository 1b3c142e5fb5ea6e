"""``--select`` / ``--ignore`` with flake8's semantics: prefixes, longest match wins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def _longest(code: str, prefixes: tuple[str, ...]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ("AML",)
    ignore: tuple[str, ...] = ()

    @classmethod
    def build(cls, select: Iterable[str] | None, ignore: Iterable[str] | None) -> Selection:
        chosen = tuple(s.strip().upper() for s in (select or ()) if s.strip()) or ("AML",)
        dropped = tuple(s.strip().upper() for s in (ignore or ()) if s.strip())
        return cls(chosen, dropped)

    def __call__(self, code: str) -> bool:
        selected = _longest(code, self.select)
        if selected < 0:
            return False
        return selected > _longest(code, self.ignore)
