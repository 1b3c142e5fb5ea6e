"""Editing argument lists in place: what one-by-one and grouped deletions leave."""

from __future__ import annotations

import ast

import pytest
from ast_grep_py import SgRoot

from flake8_azureml_v2.engine.fixing import listedit
from flake8_azureml_v2.engine.fixing.edits import apply_edits

CASES = [
    ("f(a, b=1, c=2)", {"b", "c"}, "f(a)"),
    ("f(a, b=1, c=2, d=3)", {"b", "c"}, "f(a, d=3)"),
    ("f(b=1, c=2)", {"b", "c"}, "f()"),
    ("f(a, b=1, c=2,)", {"b", "c"}, "f(a,)"),
    ("f(\n    a,\n    b=1,\n    c=2,\n)", {"b", "c"}, "f(\n    a,\n)"),
    ("f(\n    a,\n    b=1,\n    c=2,\n    d=3,\n)", {"b", "c"}, "f(\n    a,\n    d=3,\n)"),
    ("f(a, b=1)", {"b"}, "f(a)"),
    ("f(\n    a,  # keep me\n    b=1,\n)", {"b"}, "f(\n    a,  # keep me\n)"),
    ("f(a, b=1,\n  c=2)", {"b"}, "f(a,\n  c=2)"),  # no trailing blank where b was
    ("f(\n  a=1,\n  b=2,\n)", {"a", "b"}, "f(\n  \n)"),  # everything goes, its trailing comma too
    # a run of whole lines goes; its comments stay, each on a line of its own
    ("f(\n    a,\n    b=[\n        1,\n    ],  # why b\n    c=2,  # why c\n    d=3,\n)", {"b", "c"},
     "f(\n    a,\n    # why b\n    # why c\n    d=3,\n)"),
    ("f(\r\n    a,\r\n    b=1,  # why\r\n    c=2,\r\n    d=3,\r\n)", {"b", "c"},
     "f(\r\n    a,\r\n    # why\r\n    d=3,\r\n)"),
    ("f(\n    a,\n    b='#not a comment',\n    c=2,\n    d=3,\n)", {"b", "c"}, "f(\n    a,\n    d=3,\n)"),
    # the run ends on the kept element's line: what precedes it there goes too
    ("f(a,\n  b=[1],  # why b\n  c=2, d=3, e=4)", {"b", "c", "d"}, "f(a,\n  # why b\n  e=4)"),
    ("f(a,\n  b=1, c=2, e=4)", {"b", "c"}, "f(a,\n  e=4)"),  # one line, its indentation kept
    # one element over whole lines of its own: a note on one of its items stays, on a line of its own
    ("f(a,\n  b=[1,  # why 1\n     2],\n  c=3)", {"b"}, "f(a,\n  # why 1\n  c=3)"),
    # the last element goes with its comma and the blanks before that comma
    ("f(a, b=1 , c=2)", {"c"}, "f(a, b=1)"),
    ("f(a, b=1\n  , c=2)", {"c"}, "f(a, b=1\n  )"),  # blanks that begin a line stay
    # leading commas (set 22's imports): the last element's line goes whole, with no blank line left
    ("f(\n  a\n  , b=1\n  , c=2\n  )", {"c"}, "f(\n  a\n  , b=1\n  )"),
    ("f(\r\n  a\r\n  , c=2\r\n  )", {"c"}, "f(\r\n  a\r\n  )"),
    ("f(\n  a\n  , c=2  # why\n  )", {"c"}, "f(\n  a\n    # why\n  )"),  # its comment stays
    # a comment between the last element and the comma before it: the element's own line goes whole (review 67)
    ("f(\n    a,\n    # the run\n    c=run\n)", {"c"}, "f(\n    a\n    # the run\n)"),
    ("f(\n    a,  # the run\n    c=run)", {"c"}, "f(\n    a  # the run\n    )"),
    # a run that ends the list and would take comments with it: the comma before it stays (a trailing
    # comma), the run's comments stay where it began, and the closing bracket, which they would
    # comment out, starts a line at the indentation of the line the call opens on
    ("f(a,\n  b=1,  # why b\n  c=2)", {"b", "c"}, "f(a,\n  # why b\n)"),
    ("if t:\n    x = f(a,\n          b=[1,  # one\n             2],  # why b\n          c=2)", {"b", "c"},
     "if t:\n    x = f(a,\n          # one\n          # why b\n    )"),
    ("f(a,\r\n  b=1,  # why b\r\n  c=2)", {"b", "c"}, "f(a,\r\n  # why b\r\n)"),
    ("f(a, b=1,  # why b\r\n  c=2)", {"b", "c"}, "f(a)"),  # (on the kept line: plain, for the comment check)
    ("f(a,  # target\n  b=1,\n  c=2,\n  )", {"b", "c"}, "f(a,  # target\n  )"),
    ("f(a,\n  b=[1  # data\n  ])", {"b"}, "f(a,\n  # data\n)"),  # one element, its comment inside it
    ("f(a,\n  b='#not a comment', c=2)", {"b", "c"}, "f(a)"),
    ("f(a,  # target\n  b=[1],\n  )", {"b"}, "f(a,  # target\n  )"),  # nothing dropped: as before
]


@pytest.mark.parametrize(("source", "doomed", "expected"), CASES)
def test_delete_many(source: str, doomed: set[str], expected: str) -> None:
    call = SgRoot(source, "python").root().find(kind="call")
    container = call.field("arguments")
    elements = [e for e in listedit.elements(container) if e.keyword in doomed]
    result = apply_edits(source, listedit.delete_many(source, container, elements))
    assert result == expected
    ast.parse(result)


@pytest.mark.parametrize(("source", "expected"), [
    ("f(a=1)", "f(x=0)"),
    ("f(\n  a=1,\n  b=2,\n)", "f(\n  x=0\n)"),
])
def test_new_arguments_take_the_place_of_removed_ones(source: str, expected: str) -> None:
    call = SgRoot(source, "python").root().find(kind="call")
    container = call.field("arguments")
    every = listedit.elements(container)
    edits = listedit.delete_many(source, container, every) + listedit.append(source, container, ["x=0"], "\n", [])
    assert apply_edits(source, edits) == expected


@pytest.mark.parametrize(("source", "doomed", "expected"), [
    # the last element goes with its own comma: the kept one's is a trailing comma, and a new
    # element goes below the comment on its line, not a second comma beside it (review 84)
    ("f(a,  # target\n  b=[1],\n  )", {"b"}, "f(a,  # target\n    x=0,\n  )"),
    # the comma goes with the removed elements: the new element brings its own
    ("f(a,\n  b=1,\n  c=2)", {"b", "c"}, "f(a,\n    x=0)"),  # (one level in from the bracket's line)
    ("f(\n    a,  # the run\n    c=run)", {"c"}, "f(\n    a,  # the run\n    x=0\n    )"),
    # a run whose comments stay: the kept element's comma stays, and the new element follows it
    ("f(a,\n  b=1,  # why b\n  c=2)", {"b", "c"}, "f(a,\n    x=0,\n  # why b\n)"),
    # a run that starts on the kept element's line is removed plainly (its comment with it, which the
    # fixer's comment check then refuses), and the new element does not go inside it (review 85)
    ("f(a, b=[1  # data\n  ])", {"b"}, "f(a,\n    x=0)"),
])
def test_appended_after_removed_elements(source: str, doomed: set[str], expected: str) -> None:
    call = SgRoot(source, "python").root().find(kind="call")
    container = call.field("arguments")
    every = listedit.elements(container)
    removing = listedit.delete_many(source, container, [e for e in every if e.keyword in doomed])
    kept = [e for e in every if e.keyword not in doomed]
    result = apply_edits(source, removing + listedit.append(source, container, ["x=0"], "\n", kept, removing))
    assert result == expected
    ast.parse(result)


def test_a_backslash_between_arguments_is_no_argument() -> None:
    """ast-grep gives a line-ending backslash a node of its own: positional arguments are still
    counted right past it, and deleting next to it leaves Python that parses."""
    source = "f(1, \\\n  2, \\\n  c=3)"
    call = SgRoot(source, "python").root().find(kind="call")
    container = call.field("arguments")
    assert [(e.keyword, e.node.text()) for e in listedit.elements(container)] == [(None, "1"), (None, "2"), ("c", "c=3")]
    for doomed in listedit.elements(container):
        ast.parse(apply_edits(source, listedit.delete(source, container, doomed)))


BACKSLASHED = """\
from azureml.core import Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
src = ScriptRunConfig(source_directory='.', \\
                      script='train.py', \\
                      compute_target='cpu')
run = Experiment(ws, 'e').submit(src)
"""


def test_calls_continued_with_backslashes_are_migrated(tmp_path) -> None:
    from .migrate_helpers import fix, project

    script = project(tmp_path, BACKSLASHED)
    report = fix(script)
    assert "AML002 fixed" in report and "internal error" not in report, report
    assert "command(code='.', \\\n" in script.read_text()
    ast.parse(script.read_text())


@pytest.mark.parametrize(("source", "expected"), [
    ("f(a, b=1)", "f(a, b=1, x=0)"),
    ("f(\n    a,\n    b=1,\n)", "f(\n    a,\n    b=1,\n    x=0,\n)"),
    # the last line holds two arguments: the new one lines up with its first, not with a fixed step
    ("if c:\n    g = f(\n        a, b=1\n    )", "if c:\n    g = f(\n        a, b=1,\n        x=0\n    )"),
    # the last argument shares the bracket's line: one level in from that line
    ("if c:\n    g = f(a, b=1\n    )", "if c:\n    g = f(a, b=1,\n        x=0\n    )"),
])
def test_an_appended_argument_follows_the_list_layout(source: str, expected: str) -> None:
    call = SgRoot(source, "python").root().find(kind="call")
    result = apply_edits(source, listedit.append(source, call.field("arguments"), ["x=0"], "\n"))
    assert result == expected
    ast.parse(result)


@pytest.mark.parametrize(("source", "expected"), [
    # the comments inside the element and the one ending its line go with it; the others stay
    ("f(a,\n    b=[1,  # one\n       2],  # why b\n    c=2,  # why c\n)", "f(a,\n    c=2,  # why c\n)"),
    ("f(a,\n    c=2,\n    b=[1],  # why b\n)", "f(a,\n    c=2,\n)"),  # the last one, with its comma
    ("f(a,\n    b=1  # why b\n)", "f(a\n)"),  # the last one, without a comma: no deletion covers its comment
    ("f(a,\r\n    b=1,  # why b\r\n    c=2)", "f(a,\r\n    c=2)"),
])
def test_comments_carried_away_with_their_element_are_not_kept_behind(source: str, expected: str) -> None:
    call = SgRoot(source, "python").root().find(kind="call")
    container = call.field("arguments")
    doomed = [e for e in listedit.elements(container) if e.keyword == "b"]
    value = doomed[0].value.range()
    inner, trailing = listedit.element_comments(source, value.start.index, value.end.index)
    moved = [*inner, trailing]
    assert [source[start:end] for start, end, _ in moved] == [comment for _, _, comment in moved]
    result = apply_edits(source, listedit.delete_carrying(source, container, doomed, moved))
    assert result == expected
    ast.parse(result)


@pytest.mark.parametrize("source", [
    "f(a, b=[1,  # one\n  2],  # why b\n  c=2)",  # b starts on a's line
    "f(a,\n  b=1, c=2,  # about both\n  d=3)",  # c follows b on its line: b ends no line
])
def test_an_element_sharing_its_lines_keeps_its_comments(source: str) -> None:
    call = SgRoot(source, "python").root().find(kind="call")
    element = next(e for e in listedit.elements(call.field("arguments")) if e.keyword == "b")
    value = element.value.range()
    inner, trailing = listedit.element_comments(source, value.start.index, value.end.index)
    assert trailing is None and (inner == [] or "one" in source)
