"""Locating ast nodes in ast-grep's tree: down from the module's statements, by span."""

from __future__ import annotations

import ast
from pathlib import Path

from ast_grep_py import SgNode

from flake8_azureml_v2.engine.fixing.locate import Locator
from flake8_azureml_v2.engine.source import SourceText

SOURCE = 'x = "é😀"; f(1)\r\nif x:\r\n\ty = g(h("€", k=2))\r\n' + "".join(f"v{i} = call{i}(a, b={i})\n" for i in range(60))
PACKAGE = Path(__file__).parent.parent / "flake8_azureml_v2"


def _calls(text: str) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Call)]


def test_every_call_is_found_with_its_exact_text() -> None:
    source = SourceText(SOURCE)
    locator = Locator(source)
    for call in _calls(SOURCE):
        node = locator.sg(call, "call")
        assert node is not None
        assert node.text() == locator.text(call) == ast.get_source_segment(SOURCE, call)


def _every_span(root: SgNode) -> dict[tuple[int, int, str], SgNode]:
    """(start, end, kind) -> the outermost such node, from a walk of the whole tree."""
    found: dict[tuple[int, int, str], SgNode] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        span = node.range()
        found.setdefault((span.start.index, span.end.index, node.kind()), node)
        stack.extend(node.children())
    return found


def test_going_down_finds_what_a_walk_of_the_whole_tree_finds() -> None:
    texts = [SOURCE] + [path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py"))[:40]]
    checked = 0
    for text in texts:
        locator = Locator(SourceText(text))
        for (start, end, kind), node in _every_span(locator.root).items():
            found = locator._find(start, end, kind)
            assert found is not None, (start, end, kind)
            assert (found.range().start.index, found.range().end.index, found.kind()) == (start, end, kind)
            assert len(list(found.ancestors())) == len(list(node.ancestors()))  # the outermost, not a nested one
            checked += 1
    assert checked > 10_000


def test_a_kind_that_does_not_span_the_node_is_not_found() -> None:
    locator = Locator(SourceText(SOURCE))
    call = _calls(SOURCE)[0]
    assert locator.sg(call, "identifier") is None
