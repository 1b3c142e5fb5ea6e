"""Names that new code needs, written as placeholders and chosen at the end.

A rewrite writes ``symbol("azure.ai.ml.entities", "Environment")`` where the
new name goes.  Only once every edit of a pass is known does the import
manager decide what the name is called in this module: the plain name when it
is free, the existing import when there is one, or an alias when the old
library's ``Environment`` still stays in use beside the new one.  The
placeholder uses private-use characters, which never occur in real code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .edits import Edit

_OPEN, _SEP, _CLOSE = "\ue000", "\ue001", "\ue002"
_PLACEHOLDER = re.compile(f"{_OPEN}([^{_SEP}{_CLOSE}]*){_SEP}([^{_CLOSE}]*){_CLOSE}")
_TEMPORARY = "__fix_symbol_{}__"


@dataclass(frozen=True, order=True)
class Symbol:
    module: str
    name: str  # "" for ``import module`` itself

    @property
    def wanted(self) -> str:
        """The local name it gets when nothing is in the way."""
        return self.name or self.module.split(".")[0]


def symbol(module: str, name: str = "") -> str:
    return f"{_OPEN}{module}{_SEP}{name}{_CLOSE}"


def plain_names(text: str) -> str:
    """``text`` with each placeholder written as the name it wants (to compare with code
    an earlier run wrote)."""
    return _PLACEHOLDER.sub(lambda m: Symbol(m.group(1), m.group(2)).wanted, text)


def symbols_in(text: str) -> list[Symbol]:
    return sorted({Symbol(m, n) for m, n in _PLACEHOLDER.findall(text)})


def has_symbols(text: str) -> bool:
    return _OPEN in text


class StandIns:
    """A unique identifier for each symbol the edit texts name, so that the staged
    text parses and binding analysis can run before local names are chosen."""

    def __init__(self, texts: list[str]) -> None:
        found = sorted({Symbol(m, n) for text in texts for m, n in _PLACEHOLDER.findall(text)})
        self._by_symbol = {s: _TEMPORARY.format(i) for i, s in enumerate(found)}
        self.symbols = {name: s for s, name in self._by_symbol.items()}  # stand-in -> symbol

    def stage(self, text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self._by_symbol[Symbol(m.group(1), m.group(2))], text)

    def renames(self, staged: str, chosen: dict[str, str]) -> list[Edit]:
        """The edits that turn the staged text's stand-ins into the chosen names."""
        if not self.symbols:
            return []
        pattern = re.compile("|".join(re.escape(name) for name in sorted(self.symbols, key=len, reverse=True)))
        return [Edit(m.start(), m.end(), chosen[m.group(0)]) for m in pattern.finditer(staged)]

    def final(self, text: str, chosen: dict[str, str]) -> str:
        """``text`` with every placeholder replaced by the local name chosen for it."""
        return _PLACEHOLDER.sub(lambda m: chosen[self._by_symbol[Symbol(m.group(1), m.group(2))]], text)


# What consumers write for an object another rewrite migrates: the planner only
# knows at the end whether the old object stays alive beside its counterpart.
_CP_OPEN, _CP_CLOSE = "\ue003", "\ue004"
_COUNTERPART = re.compile(f"{_CP_OPEN}([0-9]+){_CP_CLOSE}")


def counterpart(key: int) -> str:
    return f"{_CP_OPEN}{key}{_CP_CLOSE}"


def without_counterparts(text: str) -> str:
    """``text`` with each counterpart's stand-in (named by an object's identity) made one same mark:
    what a name derived from the text may depend on, run after run."""
    return _COUNTERPART.sub(_CP_OPEN + _CP_CLOSE, text)


def counterparts_in(text: str) -> set[int]:
    return {int(k) for k in _COUNTERPART.findall(text)}


def resolve_counterparts(text: str, chosen: dict[int, str]) -> str:
    if _CP_OPEN not in text:
        return text
    return _COUNTERPART.sub(lambda m: chosen[int(m.group(1))], text)
