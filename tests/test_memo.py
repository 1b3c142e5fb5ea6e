"""The content-keyed cache the fixer's project questions share (engine/memo.py)."""

from __future__ import annotations

import pytest

from flake8_azureml_v2 import notebooks
from flake8_azureml_v2.engine.memo import ByContent


def test_the_same_content_is_worked_out_once_and_other_content_again():
    made: list[str] = []
    cache: ByContent[int] = ByContent(4)

    def length(text: str) -> int:
        return cache.get(text, lambda: made.append(text) or len(text))

    assert [length("abc"), length("abc"), length(b"abc".decode()), length("abcd")] == [3, 3, 3, 4]
    assert made == ["abc", "abcd"]


def test_the_least_recently_used_is_dropped_first():
    cache: ByContent[str] = ByContent(2)
    cache.get("one", lambda: "1")
    cache.get("two", lambda: "2")
    cache.get("one", lambda: "again")  # used again: "two" is now the oldest
    cache.get("three", lambda: "3")
    assert cache.get("one", lambda: "made") == "1"
    assert cache.get("two", lambda: "made") == "made"


def test_a_result_that_raises_is_not_kept():
    cache: ByContent[str] = ByContent(2)

    def fail() -> str:
        raise ValueError("no")

    with pytest.raises(ValueError):
        cache.get("x", fail)
    assert cache.get("x", lambda: "made") == "made"


def test_a_notebook_is_taken_apart_once_per_content(monkeypatch):
    calls: list[bytes] = []
    real = notebooks.take_apart
    monkeypatch.setattr(notebooks, "take_apart", lambda nb: calls.append(nb.data) or real(nb))
    cell = '{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": ["%s"]}'
    body = '{"cells": [%s], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    first = (body % (cell % "import azureml.core  # first")).encode()
    second = (body % (cell % "import azureml.core  # second")).encode()
    path = notebooks.Path("a.ipynb")
    texts = [[p[0] for p in notebooks.index_programs(path, data)] for data in (first, first, second, first)]
    assert texts[0] == texts[1] == texts[3] != texts[2]
    assert "# first" in texts[0][0] and "# second" in texts[2][0]
    assert calls == [first, second]
