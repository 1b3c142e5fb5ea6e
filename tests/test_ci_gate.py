"""CI gates: ``check --write-baseline`` / ``--baseline`` and ``check --add-noqa``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from flake8_azureml_v2.add_noqa import add_noqa
from flake8_azureml_v2.baseline import normalise
from flake8_azureml_v2.api import analyse

from .conftest import run

LEGACY = """\
from azureml.core import Workspace, Experiment, ScriptRunConfig

ws = Workspace.from_config()
backup = Workspace.from_config()
experiment = Experiment(ws, 'day1')
config = ScriptRunConfig(source_directory='src', script='train.py', compute_target='cpu')
run = experiment.submit(config)
print(run.get_portal_url())
"""

# Lines added above, the ScriptRunConfig call reformatted (black style), the portal URL finding
# fixed, one more copy of a baselined call, and one new v1 call.
EDITED = """\
\"\"\"Submit the day-1 job.\"\"\"
import os

from azureml.core import Workspace, Experiment, ScriptRunConfig

ws = Workspace.from_config()
backup = Workspace.from_config()
third = Workspace.from_config()
experiment = Experiment(ws, "day1")
config = ScriptRunConfig(
    source_directory="src",
    script="train.py",  # the entry point
    compute_target="cpu",
)
run = experiment.submit(config)
print(run.studio_url, os.sep)
run.wait_for_completion(show_output=True)
"""


def _azureml_v2(*args: str, cwd: Path) -> tuple[int, str, str]:
    result = run([sys.executable, "-m", "flake8_azureml_v2", *args], cwd=cwd)
    return result.returncode, result.stdout, result.stderr


def _reported(stdout: str) -> list[tuple[int, str]]:
    return [(int(line.split(":")[1]), line.split()[1]) for line in stdout.splitlines()]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "submit.py").write_text(LEGACY, encoding="utf-8")
    return tmp_path


def test_only_new_findings_fail_against_the_baseline(repo: Path) -> None:
    code, _, err = _azureml_v2("check", "--write-baseline", "ci/aml-baseline.json", "jobs", cwd=repo)
    assert code == 0, err
    assert "Wrote 7 findings" in err
    (repo / "jobs" / "submit.py").write_text(EDITED, encoding="utf-8")
    code, out, err = _azureml_v2("check", "--baseline", "ci/aml-baseline.json", "jobs", cwd=repo)
    assert code == 1, err
    # the third Workspace.from_config() (beyond the two baselined) and the new wait_for_completion()
    assert _reported(out) == [(8, "AML020"), (17, "AML041")]
    assert "(6 more in the baseline)" in err


def test_a_clean_run_against_the_baseline_passes_from_any_folder(repo: Path) -> None:
    _azureml_v2("check", "--write-baseline", "ci/aml-baseline.json", "jobs", cwd=repo)
    code, out, err = _azureml_v2("check", "--baseline", "../ci/aml-baseline.json", ".", cwd=repo / "jobs")
    assert (code, out) == (0, ""), err


def test_the_baseline_file_is_sorted_one_entry_per_line_and_drops_fixed_findings(repo: Path) -> None:
    baseline = repo / "aml-baseline.json"
    _azureml_v2("check", "--write-baseline", str(baseline), "jobs", cwd=repo)
    first = baseline.read_text(encoding="utf-8")
    _azureml_v2("check", "--write-baseline", str(baseline), "jobs", cwd=repo)
    assert baseline.read_text(encoding="utf-8") == first  # stable: rewriting changes nothing
    document = json.loads(first)
    rows = document["findings"]
    assert [(r["path"], r["code"], r["fingerprint"]) for r in rows] == sorted(
        (r["path"], r["code"], r["fingerprint"]) for r in rows)
    entry_lines = [line for line in first.splitlines() if '"fingerprint"' in line]
    assert len(entry_lines) == len(rows) == 6  # the two identical calls share one entry with count 2
    assert next(r for r in rows if r["code"] == "AML020")["count"] == 2
    assert {r["path"] for r in rows} == {"jobs/submit.py"}

    (repo / "jobs" / "submit.py").write_text(LEGACY.replace("run.get_portal_url()", "run.studio_url"),
                                             encoding="utf-8")
    _azureml_v2("check", "--write-baseline", str(baseline), "jobs", cwd=repo)
    codes = {r["code"] for r in json.loads(baseline.read_text(encoding="utf-8"))["findings"]}
    assert "AML042" not in codes and len(codes) == 5


def test_a_missing_baseline_is_an_error(repo: Path) -> None:
    code, _, err = _azureml_v2("check", "--baseline", "nope.json", "jobs", cwd=repo)
    assert code == 2 and "--write-baseline" in err


def test_normalise_ignores_layout_comments_quotes_and_trailing_commas() -> None:
    one = "f(a='x', b=[1, 2])"
    other = 'f(\n    a="x",  # note\n    b=[\n        1,\n        2,\n    ],\n)'
    assert normalise(one) == normalise(other)
    assert normalise("f(a='x')") != normalise("f(a='y')")


NOQA_SOURCE = (
    "from azureml.core import Workspace, Experiment  # keep: E501\r\n"
    "import os  # noqa: E402\r\n"
    "ws = Workspace.from_config()  # noqa: E501  \r\n"
    "exp = Experiment(ws, 'données')\r\n"
    "run = exp.submit(None, tags={'note': '''multi\r\n"
    "line'''})\r\n"
    "other = Experiment(ws, 'x') if os.sep else \\\r\n"
    "    None\r\n"
    "again = Experiment(ws, 'y')  # noqa: AML\r\n"
)


def test_add_noqa_marks_each_line_and_keeps_every_other_byte(tmp_path: Path) -> None:
    target = tmp_path / "job.py"
    target.write_bytes(NOQA_SOURCE.encode("utf-8"))
    code, _, err = _azureml_v2("check", "--add-noqa", "job.py", cwd=tmp_path)
    assert code == 0, err
    after = target.read_bytes().decode("utf-8")
    assert after.splitlines()[:4] == [
        "from azureml.core import Workspace, Experiment  # keep: E501  # noqa: AML099",
        "import os  # noqa: E402",
        "ws = Workspace.from_config()  # noqa: E501, AML020  ",
        "exp = Experiment(ws, 'données')  # noqa: AML040",
    ]
    assert after.count("\r\n") == NOQA_SOURCE.count("\r\n")
    # lines that cannot take a trailing comment are reported, not edited
    assert "job.py:5: AML001 left" in err and "job.py:7: AML040 left" in err
    for inserted in ("  # noqa: AML099", ", AML020", "  # noqa: AML040"):
        after = after.replace(inserted, "", 1)
    assert after == NOQA_SOURCE

    flake8 = run([sys.executable, "-m", "flake8", "--select", "AML", "job.py"], cwd=tmp_path)
    assert {line.split()[1] for line in flake8.stdout.splitlines()} == {"AML001", "AML040"}
    assert [line.split(":")[1] for line in flake8.stdout.splitlines()] == ["5", "7"]


def test_add_noqa_twice_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "job.py"
    target.write_bytes(NOQA_SOURCE.encode("utf-8"))
    _azureml_v2("check", "--add-noqa", "job.py", cwd=tmp_path)
    once = target.read_bytes()
    os.utime(target, (1_000_000_000, 1_000_000_000))
    code, _, err = _azureml_v2("check", "--add-noqa", "job.py", cwd=tmp_path)
    assert code == 0 and "Added 0 noqa directives" in err
    assert target.read_bytes() == once and target.stat().st_mtime == 1_000_000_000


def test_add_noqa_merges_several_codes_on_one_line() -> None:
    text = "from azureml.core import Workspace\nws = Workspace.from_config(); Workspace.from_config().get_default_datastore()  # noqa:E501\n"
    findings = analyse(text).findings
    outcome = add_noqa(text, findings)
    assert outcome.text.splitlines()[1].endswith("# noqa:E501, AML020, AML028") or \
        outcome.text.splitlines()[1].endswith("# noqa: E501, AML020, AML028")
    assert add_noqa(outcome.text, []).text == outcome.text
