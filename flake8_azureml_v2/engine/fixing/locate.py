"""Where things are: ast nodes as code-point offsets, and the ast-grep node for them.

Semantic decisions come from the ``ast``-based name model; ast-grep locates the
same node in its tree, which knows the commas and comments that editing needs.
Every look-up here is constant or logarithmic in the file's size, so a fix pass
stays linear however many constructs it rewrites.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from functools import cached_property

from ast_grep_py import SgNode, SgRoot

from ..source import SourceText


# Up to this many look-ups, ast-grep finds each node by its range (a walk in Rust);
# past it, one walk in Python indexes every node, so a file with many rewrites stays linear.
_FINDS_BEFORE_INDEX = 32


class Locator:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.starts = source.starts
        self._finds = 0

    @cached_property
    def root(self) -> SgNode:
        return SgRoot(self.source.text, "python").root()

    @cached_property
    def _by_span(self) -> dict[tuple[int, int, str], SgNode]:
        """Every named ast-grep node by (start, end, kind), from one walk of its tree."""
        found: dict[tuple[int, int, str], SgNode] = {}
        stack = [self.root]
        while stack:
            node = stack.pop()
            span = node.range()
            found.setdefault((span.start.index, span.end.index, node.kind()), node)
            stack.extend(node.children())
        return found

    def offset(self, line: int, byte_col: int) -> int:
        return self.starts[line - 1] + self.source.char_col(line, byte_col)

    def start(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def text(self, node: ast.AST) -> str:
        return self.source.text[self.start(node):self.end(node)]

    def sg(self, node: ast.AST, kind: str) -> SgNode | None:
        """The ast-grep node of ``kind`` spanning exactly the same text as ``node``."""
        if "_by_span" not in self.__dict__ and self._finds < _FINDS_BEFORE_INDEX:
            self._finds += 1
            return self.root.find(kind=kind, range={"start": self._point(node.lineno, node.col_offset),  # type: ignore[attr-defined]
                                                    "end": self._point(node.end_lineno, node.end_col_offset)})  # type: ignore[attr-defined]
        return self._by_span.get((self.start(node), self.end(node), kind))

    def _point(self, line: int, byte_col: int) -> dict[str, int]:
        """An ast position as ast-grep counts it: 0-based line, column in code points."""
        return {"line": line - 1, "column": self.source.char_col(line, byte_col)}

    def _line_index(self, offset: int) -> int:
        """0-based line of ``offset``; past the end, the empty line after a final
        line break, or the last line when the text has no final line break."""
        count = len(self.source.lines)
        index = bisect_right(self.starts, offset) - 1
        if index >= count:
            return count if self.source.text.endswith(("\n", "\r")) or not count else count - 1
        return max(index, 0)

    def line_start(self, offset: int) -> int:
        """Offset of the first character of the line holding ``offset``."""
        return self.starts[self._line_index(offset)]

    def line_end(self, offset: int) -> int:
        """Offset just past the line break of the line holding ``offset``."""
        return self.starts[min(self._line_index(offset) + 1, len(self.starts) - 1)]

    def indentation(self, node: ast.AST) -> str:
        start = self.start(node)
        return self.source.text[self.line_start(start):start]

    @cached_property
    def newline(self) -> str:
        for line in self.source.lines:
            if line.endswith("\r\n"):
                return "\r\n"
            if line.endswith("\n"):
                return "\n"
            if line.endswith("\r"):
                return "\r"
        return "\n"
