"""Where things are: ast nodes as code-point offsets, and the ast-grep node for them.

Semantic decisions come from the ``ast``-based name model; ast-grep locates the
same node in its tree, which knows the commas and comments that editing needs.
Every look-up here is constant or logarithmic in the file's size (a node is found by
a binary search among the module's statements, then through the few nodes that hold
it), so a fix pass stays linear however many constructs it rewrites.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from functools import cached_property

from ast_grep_py import SgNode, SgRoot

from ..source import SourceText


class Locator:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.starts = source.starts

    @cached_property
    def root(self) -> SgNode:
        return SgRoot(self.source.text, "python").root()

    @cached_property
    def _top(self) -> tuple[list[int], list[SgNode]]:
        """The module's statements and where each starts: the one wide level of the tree."""
        children = self.root.children()
        return [child.range().start.index for child in children], children

    def _find(self, start: int, end: int, kind: str) -> SgNode | None:
        """The outermost node of ``kind`` spanning exactly ``start``-``end``, found by going
        down through the nodes that contain that span (a binary search among the module's
        statements, then a few children at each level): no walk of the whole tree, so a
        file with many rewrites stays linear."""
        current = self.root
        starts, children = self._top
        while True:
            span = current.range()
            if span.start.index == start and span.end.index == end and current.kind() == kind:
                return current
            index = bisect_right(starts, start) - 1
            while index >= 0 and not children[index].range().end.index >= end:
                if children[index].range().end.index < start:
                    return None
                index -= 1
            if index < 0:
                return None
            current = children[index]
            children = current.children()
            starts = [child.range().start.index for child in children]

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
        return self._find(self.start(node), self.end(node), kind)

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
