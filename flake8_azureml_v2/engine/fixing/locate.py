"""Where things are: ast nodes as code-point offsets, and the ast-grep node for them.

Semantic decisions come from the ``ast``-based name model; ast-grep locates the
same node in its tree, which knows the commas and comments that editing needs.
"""

from __future__ import annotations

import ast
from functools import cached_property

from ast_grep_py import SgNode, SgRoot

from ..source import SourceText


class Locator:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.starts: list[int] = []
        offset = 0
        for line in source.lines:
            self.starts.append(offset)
            offset += len(line)
        self.starts.append(offset)

    @cached_property
    def root(self) -> SgNode:
        return SgRoot(self.source.text, "python").root()

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
        line, end_line = node.lineno - 1, node.end_lineno - 1  # type: ignore[attr-defined]
        start_col = self.source.char_col(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end_col = self.source.char_col(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return self.root.find(kind=kind, range={
            "start": {"line": line, "column": start_col},
            "end": {"line": end_line, "column": end_col},
        })

    def line_start(self, offset: int) -> int:
        return self.source.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        """Offset just past the newline of the line holding ``offset``."""
        found = self.source.text.find("\n", offset)
        return len(self.source.text) if found < 0 else found + 1

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
        return "\n"
