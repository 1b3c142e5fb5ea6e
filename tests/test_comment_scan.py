"""The harm check's comment list: read from the lines when no string holds a ``#``,
from Python's tokenizer otherwise, and the same either way."""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from pathlib import Path

import pytest

from flake8_azureml_v2.engine.fixing import statements

ROOT = Path(__file__).parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"

CASES = [
    "x = 1  # one\n# two\n",
    "x = ('a'  # between the parts of one string\n     'b')\n",
    'url = "https://example.com/#anchor"  # a comment after it\n',
    'name = f"{x}#{y}"\n# after an f-string\n',
    "data = b'#raw'\r\n# crlf\r\n",
    'def f():\n    """Doc # not a comment."""\n    return 1  # a comment\n',
    "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nx = 1\n",
    "x = 1  # one # and the rest of the line\n",
    "x = 1\r# cr only\ry = 2\r",
    "value = {'a': 1,  # first\n         'b': 2}  # last\n",
    "s = '''\n# inside a triple-quoted string\n'''\n# outside\n",
    "x = 1\n",
    "label = '😀'  # ü after a wide character\n",
]


def _tokenized(text: str) -> list[str]:
    lines = io.StringIO(text, newline="")
    return [t.string for t in tokenize.generate_tokens(lines.readline) if t.type == tokenize.COMMENT]


@pytest.mark.parametrize("text", CASES)
def test_the_line_scan_finds_what_the_tokenizer_finds(text: str) -> None:
    assert statements.comments(text, ast.parse(text)) == _tokenized(text)


def _sources() -> list[Path]:
    found = sorted((ROOT / "flake8_azureml_v2").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))
    if CORPUS.is_dir():
        found += sorted(CORPUS.rglob("*.py"))
    return found


def test_every_python_file_here_and_in_the_corpus_gives_the_same_comments() -> None:
    checked = 0
    for path in _sources():
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # real code's invalid escape sequences
                tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        assert statements.comments(text, tree) == _tokenized(text), path
        checked += 1
    assert checked > 100
