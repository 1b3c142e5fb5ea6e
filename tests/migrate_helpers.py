"""Run the fixer on a v1 program, then execute the result with the real azure-ai-ml."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from .conftest import TESTS, run

CONFIG_JSON = '{"subscription_id": "00000000-0000-0000-0000-000000000000", "resource_group": "rg", "workspace_name": "ws"}'
CONDA_YML = "name: pytorch-env\ndependencies:\n  - python=3.10\n  - pip\n"
_RUNNER = (
    "import sys, runpy; sys.path.insert(0, {support!r}); import azure_recorder; "
    "azure_recorder.install(); runpy.run_path({script!r}, run_name='__main__')"
)


def project(tmp_path: Path, program: str, name: str = "job.py") -> Path:
    """A folder with the program, a config.json for MLClient.from_config, ./src and a conda file."""
    (tmp_path / "config.json").write_text(CONFIG_JSON)
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "train.py").write_text("print('training')\n")
    (tmp_path / "pytorch-env.yml").write_text(CONDA_YML)
    script = tmp_path / name
    script.write_text(textwrap.dedent(program), encoding="utf-8")
    return script


def write_notebook(path: Path, sources: list[str]) -> Path:
    """A notebook of code cells, one per source (nbformat 4.5, as Jupyter saves it)."""
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
             for source in sources]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n")
    return path


def fix(script: Path, *flags: str) -> str:
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", *flags, script.name], cwd=script.parent)
    assert result.returncode in (0, 1), result.stderr + result.stdout
    return result.stdout + result.stderr


def assert_fixed_point(script: Path) -> None:
    """A second ``fix --unsafe-fixes`` leaves the file byte for byte as it is."""
    before = script.read_bytes()
    report = fix(script)
    assert script.read_bytes() == before, report


def execute(script: Path, env: dict[str, str] | None = None) -> list[dict]:
    """Run the program with MLClient's service calls recorded (``env``: the recorder's settings)."""
    record = script.parent / "recorded.json"
    code = _RUNNER.format(support=str(TESTS / "support"), script=script.name)
    result = run([sys.executable, "-c", code], cwd=script.parent, env={"AML_RECORD_FILE": str(record), **(env or {})})
    assert result.returncode == 0, result.stderr
    return json.loads(record.read_text())


def execute_failing(script: Path) -> tuple[str, list[dict]]:
    """Run the program as ``execute`` does, expecting it to fail: its stderr and the calls recorded."""
    record = script.parent / "recorded.json"
    code = _RUNNER.format(support=str(TESTS / "support"), script=script.name)
    result = run([sys.executable, "-c", code], cwd=script.parent, env={"AML_RECORD_FILE": str(record)})
    assert result.returncode != 0, result.stdout
    return result.stderr, json.loads(record.read_text()) if record.exists() else []


def mlflow_store(tmp_path: Path, seed: dict | None = None) -> dict[str, str]:
    """The recorder's settings for jobs that are MLflow runs in a local file store."""
    # (this machine's own MLflow store is another one: code that reads the workspace's runs
    # must point MLflow at the workspace first, as it must in real life)
    return {"AML_MLFLOW_URI": (tmp_path / "mlruns").as_uri(), "MLFLOW_ALLOW_FILE_STORE": "true",
            "AML_MLFLOW_SEED": json.dumps(seed or {}), "MLFLOW_TRACKING_URI": (tmp_path / "local-mlruns").as_uri()}


def submitted(records: list[dict]) -> list[dict]:
    """The submitted jobs: each valid, and accepted by the REST conversion create_or_update runs next."""
    jobs = [r for r in records if r["operation"] == "jobs.create_or_update"]
    for record in jobs:
        assert record["valid"], record["errors"]
        assert record["rest_error"] is None, record["rest_error"]
    return jobs


def ruff_clean(script: Path) -> None:
    result = run([sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F401,F811,F821", script.name],
                 cwd=script.parent)
    assert result.returncode == 0, result.stdout


def no_v1(text: str) -> bool:
    """No v1 import is left (the v2 base image name also contains 'azureml')."""
    return "from azureml" not in text and "import azureml" not in text


def migrate_to_one_job(script: Path, codes: tuple[str, ...]) -> tuple[str, dict]:
    """Fix the program and run it: each of ``codes`` is fixed, no v1 import is left, the result
    is ruff-clean and submits one job that passes the offline checks, and a second run of the
    fixer changes nothing.  The migrated text and the job."""
    report = fix(script)
    migrated = script.read_text()
    for code in codes:
        assert f"{code} fixed" in report, report
    assert no_v1(migrated), migrated
    ruff_clean(script)
    (job,) = submitted(execute(script))
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before  # the second run changes nothing
    return migrated, job["job"]
