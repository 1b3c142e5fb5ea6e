"""A training script that runs on without azureml-core keeps its v1 run.

Found on microsoft/recommenders (svd_training.py, wide_deep_training.py): the script
imports ``Run`` in a ``try`` and logs only ``if HAS_AML``.  Migrating the calls to MLflow
kept that guard, so the metrics (a HyperDrive primary metric among them) would be logged
only where azureml-core still imports, and a v2 job's environment (mlflow, azureml-mlflow)
need not have it: nothing would say they stopped.  The run is left, with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .migrate_helpers import fix, project

FLAG = """\
try:
    from azureml.core import Run
    HAS_AML = True
    run = Run.get_context()
except ModuleNotFoundError:
    HAS_AML = False

accuracy = 0.5
if HAS_AML:
    run.log("accuracy", accuracy)
"""

NONE_RUN = """\
run = None
try:
    import azureml.core
    run = azureml.core.Run.get_context()
except ImportError:
    pass

if run is not None:
    run.log("accuracy", 0.5)
"""

CALL_OUTSIDE = """\
try:
    from azureml.core import Run
    HAS_AML = True
except (ImportError, AttributeError):
    HAS_AML = False

if HAS_AML:
    run = Run.get_context()
    run.log("accuracy", 0.5)
"""


@pytest.mark.parametrize("program", [FLAG, NONE_RUN, CALL_OUTSIDE], ids=["flag", "none-run", "call-outside"])
def test_a_run_of_an_optional_import_is_left(tmp_path: Path, program: str) -> None:
    script = project(tmp_path, program, name="train.py")
    before = script.read_text()
    report = fix(script)
    left = [line for line in report.splitlines() if " AML011 left: " in line]
    assert len(left) == 1, report
    assert "the program runs on without azureml-core (the `try` at line " in left[0], left[0]
    assert left[0].endswith("[data-flow limit]"), left[0]
    assert " AML012 left: depends on line " in report, report
    assert script.read_text() == before


def test_an_import_whose_failure_stops_the_script_still_migrates(tmp_path: Path) -> None:
    """The look-alike: the handler raises, so the script never runs without azureml-core and
    its logging was never optional."""
    script = project(tmp_path, """\
try:
    from azureml.core import Run
except ImportError as error:
    raise SystemExit("install azureml-core") from error

run = Run.get_context()
run.log("accuracy", 0.5)
""", name="train.py")
    report = fix(script)
    text = script.read_text()
    assert " AML011 fixed: " in report and " AML012 fixed: " in report, report
    assert "Run.get_context()" not in text and 'mlflow.log_metric("accuracy", 0.5)' in text
