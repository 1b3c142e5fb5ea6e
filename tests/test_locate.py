"""Locating ast nodes in ast-grep's tree: by range while few are asked for, by an index after."""

from __future__ import annotations

import ast

from flake8_azureml_v2.engine.fixing import locate
from flake8_azureml_v2.engine.fixing.locate import Locator
from flake8_azureml_v2.engine.source import SourceText

SOURCE = 'x = "é😀"; f(1)\r\nif x:\r\n\ty = g(h("€", k=2))\r\n' + "".join(f"v{i} = call{i}(a, b={i})\n" for i in range(60))


def _calls(text: str) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Call)]


def test_every_call_is_found_with_its_exact_text_before_and_after_the_index() -> None:
    source = SourceText(SOURCE)
    calls = _calls(SOURCE)
    assert len(calls) > locate._FINDS_BEFORE_INDEX  # both ways are exercised
    locator = Locator(source)
    found = [locator.sg(call, "call") for call in calls]
    assert "_by_span" in locator.__dict__  # the index was built once the finds ran out
    indexed = Locator(source)
    indexed._finds = locate._FINDS_BEFORE_INDEX  # straight to the index
    for call, node, other in zip(calls, found, (indexed.sg(c, "call") for c in calls)):
        assert node is not None and other is not None
        assert node.text() == other.text() == locator.text(call) == ast.get_source_segment(SOURCE, call)
        assert node.range().start.index == other.range().start.index


def test_a_kind_that_does_not_span_the_node_is_not_found() -> None:
    locator = Locator(SourceText(SOURCE))
    call = _calls(SOURCE)[0]
    assert locator.sg(call, "identifier") is None
