"""The import clean-up's first source of unused imports: names nothing reads.  pyflakes, the
second, runs only where a name is read in a way the first cannot judge (a string that may be
``__all__`` or an annotation, a name bound twice); a docstring is never such a string."""

from __future__ import annotations

import ast

import pytest

from flake8_azureml_v2.engine.fixing import verify
from flake8_azureml_v2.engine.fixing.imports import unused_imports


class _NoPyflakes(verify.Snapshot):
    """A snapshot whose pyflakes run fails the test: the answer must come from the names alone."""

    @property
    def pyflakes(self):  # type: ignore[override]
        raise AssertionError("pyflakes ran")


def _unused(text: str, snapshot: type[verify.Snapshot] = verify.Snapshot) -> set[str]:
    found = unused_imports(snapshot(text, ast.parse(text)))
    return {name for names in found.values() for name in names}


@pytest.mark.parametrize("text", [
    'from old import Environment\n\n\ndef helper():\n    """Environment.from_file(): read it."""\n    return 1\n',
    'from old import Environment\n"""Environment is documented here."""\n',
])
def test_a_name_only_in_a_docstring_is_unused_without_pyflakes(text: str) -> None:
    assert _unused(text, _NoPyflakes) == {"old.Environment"}


@pytest.mark.parametrize("text, expected", [
    ('from old import Environment\n__all__ = ["Environment"]\n', set()),  # exported by name
    ('from old import Environment\nx: "Environment" = None\n', set()),  # a string annotation reads it
    ('from old import Environment\nlabel = "Environment"\n', {"old.Environment"}),  # a plain string does not
])
def test_a_name_in_a_string_that_is_not_a_docstring_is_judged_by_pyflakes(text: str, expected: set[str]) -> None:
    with pytest.raises(AssertionError, match="pyflakes ran"):
        _unused(text, _NoPyflakes)
    assert _unused(text) == expected


_USED_THEN_IMPORTED_AGAIN = "from old import Environment\nenv = Environment('a')\n{between}{again}\n{after}"


@pytest.mark.parametrize(("between", "again", "after", "unused"), [
    # audit n: a notebook's later cell imports again a name an earlier cell used; nothing reads it after
    ("", "from old import Environment", "print(1)\n", True),
    ("", "import old.Environment as Environment", "print(1)\n", False),  # (another dotted spelling: kept)
    ("", "from other import Environment", "print(1)\n", False),  # another object: the name changes
    ("Environment = None\n", "from old import Environment", "print(1)\n", False),  # bound in between
    ("", "from old import Environment", "env = Environment('b')\n", False),  # read after it
    ("def later():\n    return Environment('c')\n", "from old import Environment", "later()\n", False),  # may run after
    ("if env:\n    from old import Environment\n", "from old import Environment", "print(1)\n", True),  # same object
    ("", "if env:\n    from old import Environment", "print(1)\n", False),  # not one of the module's own statements
    ("", "from old import Environment", "print(eval('Environment'))\n", False),  # a name read from a string
])
def test_an_import_again_of_a_name_read_only_above_it_is_unused(between: str, again: str, after: str,
                                                                 unused: bool) -> None:
    text = _USED_THEN_IMPORTED_AGAIN.format(between=between, again=again, after=after)
    tree = ast.parse(text)
    found = unused_imports(verify.Snapshot(text, tree))
    statements = [s for s in tree.body if isinstance(s, ast.ImportFrom)]
    assert id(statements[0]) not in found  # the first import is read
    removed = [id(s) for s in statements[1:] if s.lineno > 2 and id(s) in found]
    assert bool(removed) is unused, (text, found)
