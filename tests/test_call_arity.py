"""The verification step's call check: a call of the module's own function must pass
arguments that bind to its parameters (a helper a fix writes, a call a fix changes);
neither parsing nor pyflakes sees a TypeError waiting to happen."""

from __future__ import annotations

import ast

import pytest

from flake8_azureml_v2.engine.fixing import verify
from flake8_azureml_v2.engine.fixing.call_arity import mismatched_calls


@pytest.mark.parametrize(("source", "expected"), [
    ("def h(name, **columns):\n    pass\nh('fold', 'description', auc=1)\n",
     {("h", "2 positional arguments where it takes 1"): 1}),
    ("def h(a, b=1):\n    pass\nh(1, c=2)\n", {("h", "no parameter named c"): 1}),
    ("def h(a, b):\n    pass\nh(1)\nh(b=2)\n", {("h", "no value for b"): 1, ("h", "no value for a"): 1}),
    ("def h(a, *, key):\n    pass\nh(1)\n", {("h", "no value for key"): 1}),
    ("def h(a, b=1):\n    pass\nh(1, a=2)\n", {("h", "two values for a"): 1}),
    ("def h(a, /, b):\n    pass\nh(a=1, b=2)\n", {("h", "no parameter named a"): 1}),
    ("def h():\n    pass\ndef g():\n    h(1)\n", {("h", "1 positional arguments where it takes 0"): 1}),
])
def test_a_call_that_cannot_bind_is_found(source: str, expected: dict) -> None:
    assert dict(mismatched_calls(ast.parse(source))) == expected


@pytest.mark.parametrize("source", [
    "def h(name, description=None, **columns):\n    pass\nh('fold', 'd', auc=1)\nh(name='f', description='d', x=2)\n",
    "def h(a, *args, b=1, **kw):\n    pass\nh(1, 2, 3, b=4, c=5)\n",
    "def h(a, b):\n    pass\nh(*pair)\nh(**both)\nh(1, **rest)\n",  # spread: anything may bind
    "def h(a, /, **kw):\n    pass\nh(1, a=2)\n",  # a positional-only name is free for **kw
    "def h(a):\n    pass\nh = other\nh(1, 2)\n",  # bound twice: not known to be the def
    "def h(a):\n    pass\ndef g(h):\n    h(1, 2)\n",  # a parameter shadows it
    "@cache\ndef h(a):\n    pass\nh(1, 2)\n",  # a decorator may change the signature
    "class C:\n    def h(self, a):\n        pass\ndef h():\n    pass\nh()\n",  # the name is bound twice
    "def h(a):\n    pass\nobj.h(1, 2)\n",  # an attribute call is another function
    "def h(a, b=2, *, c=3):\n    pass\nh(1)\nh(1, 2, c=4)\nh(b=1, a=2)\n",
])
def test_look_alikes_are_silent(source: str) -> None:
    assert not mismatched_calls(ast.parse(source))


def test_a_fix_that_breaks_a_call_of_a_written_helper_is_harm() -> None:
    """The row helper once took no description while the rewritten call still passed it:
    the fixed script raised TypeError on its first row.  The check now refuses such a text."""
    before = "def log_row(name, description=None, **columns):\n    pass\n\nlog_row('fold', 'first fold', auc=0.8)\n"
    after = before.replace("def log_row(name, description=None, **columns)", "def log_row(name, **columns)")
    snapshot = verify.Snapshot(before, ast.parse(before))
    assert verify.harm(snapshot, after) == (
        "it calls `log_row()` with arguments that do not bind (2 positional arguments where it takes 1)")
    already = verify.Snapshot(after, ast.parse(after))  # a call the user's own code already got wrong
    assert verify.harm(already, after.replace("0.8", "0.9")) is None
