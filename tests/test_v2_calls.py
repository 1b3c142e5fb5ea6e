"""benchmarks/v2_calls.py: calls of the v2 APIs are bound against the installed azure-ai-ml
and MLflow, so a method, keyword or argument count the real packages do not have is found
in fixed code (the harm gate counts what a fix adds).  Most azure-ai-ml builders take
``**kwargs``: an unknown keyword binds there, and only the offline job checks catch it."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
_spec = importlib.util.spec_from_file_location("v2_calls", ROOT / "benchmarks" / "v2_calls.py")
assert _spec is not None and _spec.loader is not None
v2_calls = importlib.util.module_from_spec(_spec)
sys.modules["v2_calls"] = v2_calls
_spec.loader.exec_module(v2_calls)

HEAD = """\
from azure.ai.ml import Input, MLClient, command
from azure.identity import DefaultAzureCredential
import mlflow

ml_client = MLClient.from_config(DefaultAzureCredential())
"""


@pytest.mark.parametrize(("body", "expected"), [
    ("job = command('python t.py')\n", [("azure.ai.ml.command", "too many positional arguments")]),
    ("ml_client.jobs.stream()\n", [("MLClient.jobs.stream", "missing a required argument: 'name'")]),
    ("ml_client.jobs.submit(job)\n", [("MLClient.jobs.submit", "no such attribute")]),
    ("mlflow.log_metric('a')\n", [("mlflow.log_metric", "missing a required argument: 'value'")]),
    ("mlflow.set_tag('a', 'b', step=1)\n", [("mlflow.set_tag", "got an unexpected keyword argument 'step'")]),
    ("print(ml_client.location)\n", [("MLClient.location", "no such attribute")]),  # a v1 Workspace attribute
    ("from azure.ai.ml.entities import Workspacee\n", [("azure.ai.ml.entities.Workspacee", "cannot be imported")]),
])
def test_a_call_the_real_package_does_not_take_is_found(tmp_path: Path, body: str, expected: list) -> None:
    (tmp_path / "f.py").write_text(HEAD + body)
    assert v2_calls.unbound_calls(tmp_path / "f.py") == expected


@pytest.mark.parametrize("body", [
    "job = command(code='.', command='python t.py', environment='e@latest', compute='c')\n"
    "ml_client.jobs.create_or_update(job, experiment_name='e')\nml_client.jobs.stream(job.name)\n"
    "mlflow.log_metric('a', 1.0, step=2)\nprint(ml_client.workspace_name)\n",
    "ml_client = other()\nml_client.jobs.submit(job)\n",  # not only ever an MLClient: not known
    "def f(ml_client):\n    ml_client.jobs.submit(job)\n",  # a parameter of that name
    "command(*parts)\nmlflow.log_metric(**values)\n",  # spread arguments bind anything
    "print(ml_client.workspace_name, ml_client._credential)\n",  # a property; a private one set per instance
    "other = ml_client.from_config(DefaultAzureCredential())\n",  # a classmethod: no self to fill
    "from somewhere import command\ncommand(x=1)\n",  # not the v2 one
])
def test_calls_that_bind_or_are_not_known_are_silent(tmp_path: Path, body: str) -> None:
    (tmp_path / "f.py").write_text(HEAD + body)
    assert v2_calls.unbound_calls(tmp_path / "f.py") == []


def test_a_notebook_is_one_program_of_its_code_cells(tmp_path: Path) -> None:
    cells = [HEAD, "%matplotlib inline\nmlflow.log_metric('loss')\n", "%%bash\nmlflow.log_metric(1, 2, 3, 4, 5, 6, 7, 8, 9)\n"]
    notebook = {"cells": [{"cell_type": "code", "source": cell, "metadata": {}, "outputs": []} for cell in cells],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "n.ipynb").write_text(json.dumps(notebook))
    assert v2_calls.unbound_calls(tmp_path / "n.ipynb") == [
        ("mlflow.log_metric", "missing a required argument: 'value'")]
