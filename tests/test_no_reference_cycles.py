"""Checking and fixing a module leave no reference cycle behind.

A file's trees and models are freed by reference counting while the cyclic
collector is paused (``paused_gc``).  One cycle that reaches them (a scope and its
bindings, arguments that see each other, a recursive closure, pyflakes' checker, a
tree that lists itself) keeps all of it alive until the collector walks it: a tenth
of the time of a corpus check or fix.  Not a timing: the collector must find nothing.
"""

from __future__ import annotations

import ast
import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_azureml_v2 import api

EXAMPLE = Path(__file__).parent.parent / "examples" / "v1_script_run" / "submit.py"
PROGRAM = '''from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig
from azureml.core.runconfig import RunConfiguration

ws = Workspace.from_config()
exp = Experiment(workspace=ws, name="exp")
env = Environment.from_conda_specification(name="env", file_path="env.yml")


def submit(script):
    cfg = ScriptRunConfig(source_directory="./src", script=script, compute_target="cpu", environment=env)
    cfg.run_config.node_count = 2
    return exp.submit(cfg)


for name in ["a.py", "b.py"]:
    run = submit(name)
    print(run.get_portal_url())
    run.wait_for_completion(show_output=True)
rc = RunConfiguration()
'''


# written before any test pauses the collector (json.dumps with indent leaves cycles of its own)
NOTEBOOK = json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                                  "source": source} for source in ("%pip install azure-ai-ml\n", PROGRAM)],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1).encode()


@pytest.fixture
def collector_paused() -> Iterator[None]:
    api.fix_text(PROGRAM, unsafe=True)  # modules load on first use; their classes are cycles that stay
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _cyclic_garbage() -> list[str]:
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        found = sorted({type(o).__qualname__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    return found


@pytest.mark.parametrize("text", [PROGRAM, EXAMPLE.read_text()], ids=["program", "example"])
def test_checking_leaves_no_cycle(text: str, collector_paused: None) -> None:
    analysis = api.analyse(text)
    assert analysis.findings
    del analysis
    assert _cyclic_garbage() == []


@pytest.mark.parametrize("text", [PROGRAM, EXAMPLE.read_text()], ids=["program", "example"])
def test_fixing_leaves_no_cycle(text: str, collector_paused: None) -> None:
    outcome = api.fix_text(text, unsafe=True)
    assert outcome.fixed and outcome.text != text
    del outcome
    assert _cyclic_garbage() == []


def test_the_node_index_is_ast_walk_and_its_parents_without_holding_the_tree(collector_paused: None) -> None:
    """The index kept on a tree: the nodes in ``ast.walk``'s order and each node's parent,
    the tree's own children included, though nothing kept refers back to the tree."""
    import ast

    from flake8_azureml_v2.engine.nodes import all_nodes, parent_of

    for path in sorted((Path(__file__).parent.parent / "flake8_azureml_v2" / "engine").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        expected = {id(child): parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        assert all_nodes(tree) == list(ast.walk(tree))
        assert all(parent_of(tree, node) is expected.get(id(node)) for node in ast.walk(tree)), path
        assert parent_of(tree, tree.body[0]) is tree and parent_of(tree, tree) is None
        del tree
        assert _cyclic_garbage() == []  # the index freed with its tree, by reference counting


def test_comparing_trees_leaves_no_cycle(collector_paused: None) -> None:
    """What ``ast.dump(a) == ast.dump(b)`` says (positions and quotes aside), without the
    reference cycle each ``ast.dump`` call leaves behind."""
    from flake8_azureml_v2.engine.nodes import same_tree

    one = ast.parse("MLClient.from_config(DefaultAzureCredential(), path='../')", mode="eval").body
    same = ast.parse('MLClient.from_config(DefaultAzureCredential(),  path="../")', mode="eval").body
    others = [ast.parse(text, mode="eval").body for text in (
        "MLClient.from_config(DefaultAzureCredential(), path='..')", "MLClient.from_config(DefaultAzureCredential())",
        "MLClient.from_config(AzureCliCredential(), path='../')", "MLClient(DefaultAzureCredential(), path='../')",
        "MLClient.from_config(DefaultAzureCredential(), path=b'../')")]
    assert same_tree(one, same)
    assert [same_tree(one, other) for other in others] == [False] * len(others)
    assert _cyclic_garbage() == []


def test_a_notebooks_joined_cells_leave_no_cycle(collector_paused: None) -> None:
    """A notebook's program keeps a locator per text it was asked about; the locator must not
    hold the program, or the program and its parsed tree wait for the collector."""
    from flake8_azureml_v2.notebook_files import read_notebook
    from flake8_azureml_v2.notebooks import take_apart

    parts = take_apart(read_notebook(NOTEBOOK))
    assert str(parts.program.locator(parts.program.text)(3)) != ""
    del parts
    assert _cyclic_garbage() == []


REFUSED_RUN_CONFIGURATION = '''from azureml.core import Experiment, ScriptRunConfig, Workspace
from azureml.core.runconfig import RunConfiguration

ws = Workspace.from_config()
rc = RunConfiguration(framework="R")
src = ScriptRunConfig(source_directory=".", script="train.py", run_config=rc)
Experiment(ws, "e").submit(src)
'''


def test_a_refusal_kept_for_the_pass_leaves_no_cycle(collector_paused: None) -> None:
    """A run configuration's refusal is kept for the pass; kept with its traceback, its frames
    would hold the fix context, and with it the whole analysis."""
    outcome = api.fix_text(REFUSED_RUN_CONFIGURATION, unsafe=True)
    assert any("framework 'R'" in str(left.refusal) for left in outcome.left)
    del outcome
    assert _cyclic_garbage() == []
