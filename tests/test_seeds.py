"""The two Microsoft migration articles' v1 programs, exactly as the articles print
them (the pipeline's undefined ``ws`` included), migrate and run.

The programs are read from the articles in ``../shared/seeds`` next to the
repository, never copied into it; the tests skip where that folder is absent.
Each migrated program is executed with the real azure-ai-ml (only MLClient's
network calls are recorded), and every job it submits passes the offline
checks ``create_or_update`` makes: ``_validate()`` and ``to_rest_job_object``.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from .conftest import TESTS
from .migrate_helpers import execute, fix, no_v1, project
from .support.harm import new_problems

SEEDS = TESTS.parent.parent / "shared" / "seeds"


def _v1_program(article: str) -> str:
    """The first python block after the article's "SDK v1" heading, dedented."""
    path = SEEDS / f"{article}.md"
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    text = path.read_text(encoding="utf-8").split("* SDK v1", 1)[1]
    found = re.search(r"```python\n(.*?)```", text, re.S)
    assert found is not None
    return textwrap.dedent(found.group(1))


def _submits(records: list[dict]) -> list[dict]:
    submits = [r for r in records if r["operation"] == "jobs.create_or_update"]
    for record in submits:
        assert record["valid"], record["errors"]
        assert record["rest_error"] is None, record["rest_error"]
    return submits


def _migrated(tmp_path: Path, article: str) -> tuple[Path, str]:
    script = project(tmp_path, _v1_program(article))
    original = script.read_text()
    report = fix(script)
    migrated = script.read_text()
    assert no_v1(migrated), migrated
    assert not new_problems(original, migrated)  # the article's own unused `import os` stays
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before  # a second run changes nothing
    return script, report


def test_script_run_article_migrates_and_runs(tmp_path: Path) -> None:
    script, report = _migrated(tmp_path, "upgrade-script-run-to-v2")
    assert "0 left" in report, report
    [submit] = _submits(execute(script))
    job = submit["job"]
    assert job["type"] == "command" and job["component"]["command"] == "python train.py"
    assert submit["code"] == "./src" and job["compute"] == "cpu-cluster"
    assert job["environment"]["conda_file"]["name"] == "pytorch-env"  # the article's conda file, read by v2
    assert submit["kwargs"]["experiment_name"] == "day1-experiment-train"


def test_pipeline_article_migrates_and_runs(tmp_path: Path) -> None:
    for script_name in ("train.py", "score.py", "eval.py"):
        (tmp_path / "src" / script_name).parent.mkdir(exist_ok=True)
        (tmp_path / "src" / script_name).write_text("print('step')\n")
    script, report = _migrated(tmp_path, "upgrade-pipelines-to-v2")
    migrated = script.read_text()
    assert "TODO(azureml-v2): AML003 v1's default environment" in migrated
    assert "TODO(azureml-v2): AML081" in migrated
    records = execute(script)
    created = [r for r in records if r["operation"] == "compute.begin_create_or_update"]
    assert created and created[0]["compute"]["size"] == "STANDARD_DS12_V2"
    assert created[0]["compute"]["idle_time_before_scale_down"] == 1800  # v1's default, kept
    [submit] = _submits(records)
    job = submit["job"]
    assert job["type"] == "pipeline" and job["settings"]["default_compute"] == "cpu-cluster"
    assert submit["kwargs"]["experiment_name"] == "train_score_eval_pipeline"
    jobs = job["jobs"]
    assert set(jobs) == {"train_step", "score_step", "eval_step"}
    train, score = jobs["train_step"], jobs["score_step"]
    assert train["component"]["command"].startswith(  # (v1's variables of the named data, exported)
        "export training_data=${{inputs.training_data}} model_output=${{outputs.model_output}} && "
        "python train.py --training_data ${{inputs.training_data}}")
    assert "--max_epocs 5 --learning_rate 0.1" in train["component"]["command"]
    assert score["inputs"]["model_input"]["path"] == "${{parent.jobs.train_step.outputs.model_output}}"
    environment = train["component"]["environment"]
    assert environment["image"].endswith("openmpi4.1.0-ubuntu22.04:20251130.v1")
    assert environment["conda_file"]["dependencies"][0] == "python=3.8.13"
    assert job["inputs"]["input_ds"]["path"] == "wasbs://demo@dprepdata.blob.core.windows.net/Titanic.csv"
