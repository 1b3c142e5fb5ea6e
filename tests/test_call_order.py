"""The verification step's call-order check: a module-level call of the module's own function
must not run before a global that function reads is bound (pyflakes checks function bodies
only after the whole module, so it cannot see this)."""

from __future__ import annotations

import ast

import pytest

from flake8_azureml_v2.engine.fixing import verify
from flake8_azureml_v2.engine.fixing.call_order import late_reads


@pytest.mark.parametrize(("source", "expected"), [
    ("def h():\n    return os.sep\nh()\nimport os\n", {("h", "os"): 1}),
    ("def h():\n    return os.sep\nif True:\n    x = h()\nimport os\n", {("h", "os"): 1}),
    ("def a():\n    return b()\ndef b():\n    return json.dumps(1)\na()\nimport json\n", {("a", "json"): 1}),
    ("def h():\n    return VALUE\nx = h()\nVALUE = 1\n", {("h", "VALUE"): 1}),
    # the first call reads only what is bound, another function called later does not
    ("import os\ndef h():\n    return os.sep\ndef k():\n    return LATER\nh()\nk()\nLATER = 1\n", {("k", "LATER"): 1}),
    ("import os\ndef h():\n    return os.sep + g()\ndef g():\n    return VALUE\nh()\nh()\nVALUE = 1\n",
     {("h", "VALUE"): 2}),
])
def test_a_call_before_the_binding_is_found(source: str, expected: dict) -> None:
    assert dict(late_reads(ast.parse(source))) == expected


@pytest.mark.parametrize("source", [
    "import os\ndef h():\n    return os.sep\nh()\n",  # bound first
    "def h():\n    import os\n    return os.sep\nh()\nimport os\n",  # the function's own import
    "def h():\n    return os.sep\nimport os\nh()\n",  # called after the import
    "h()\ndef h():\n    return os.sep\nimport os\n",  # called before it exists: pyflakes' business
    "from x import *\ndef h():\n    return os.sep\nh()\nimport os\n",  # a star import may bind anything
    "for i in range(2):\n    if i:\n        h()\n    import os\n    def h():\n        return os.sep\n",  # loops
    "def h():\n    global VALUE\n    VALUE = 2\n    return VALUE\nh()\nVALUE = 1\n",  # its own write first
    "def h():\n    return len(x)\nx = []\nh()\n",  # builtins and bound names
    "import os\ndef h():\n    return os.sep\nh()\nh()\nimport os\n",  # all bound at the first call
])
def test_look_alikes_are_silent(source: str) -> None:
    assert not late_reads(ast.parse(source))


def test_removing_an_import_a_called_function_needs_before_its_re_import_is_harm() -> None:
    """A notebook imports a name, calls a function that reads it, and imports it again in a
    later cell: pyflakes calls the first import unused, but removing it breaks the call."""
    before = """\
from azureml.core import Environment

def get_environment_safe(parent_run):
    try:
        return parent_run.get_environment()
    except AttributeError:
        return Environment.load_from_directory(".")

env = get_environment_safe(None)
from azureml.core import Environment
print(Environment)
"""
    after = before.replace("from azureml.core import Environment\n\ndef", "def", 1)
    snapshot = verify.Snapshot(before, ast.parse(before))
    assert verify.harm(snapshot, after) == (
        "it makes `get_environment_safe()` read `Environment` before the statement that binds `Environment` has run")
    kept = before.replace("print(Environment)", "print(Environment, 1)")
    assert verify.harm(snapshot, kept) is None
