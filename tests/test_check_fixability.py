"""check's fix applicability (issue 15): [*] markers, the fix hint, --statistics, JSON and SARIF,
the concise and full formats, colour only where asked for, and the progress line on a terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .conftest import run
from .support.pty_run import run_on_terminal

JOB = (
    "import os\n"
    "from azureml.core import Datastore\n"
    "from azureml.core import Workspace\n"
    "from azureml.pipeline.steps import DatabricksStep\n"
    "\n"
    "ws = Workspace.from_config()\n"
    "print(ws.name, os.sep)\n"
    "step = DatabricksStep(name=\"db\")\n"
)
CORE = "import of azureml.core (Azure ML SDK v1); use azure.ai.ml (azure-ai-ml) and MLflow instead"
STEPS = "import of azureml.pipeline.steps (Azure ML SDK v1); use azure.ai.ml (azure-ai-ml) and MLflow instead"
WORKSPACE = "Workspace.from_config() is Azure ML SDK v1; use MLClient.from_config(DefaultAzureCredential())"
DATABRICKS = ("DatabricksStep() is Azure ML SDK v1 and has no v2 equivalent; "
              "move the work out of the pipeline or into a command/spark component")
CLOSING = "Found 5 findings.\n[*] 1 fixable with `azureml-v2 fix`, 2 more with `--unsafe-fixes`.\n"
PLAIN = {"NO_COLOR": "", "FORCE_COLOR": ""}


@pytest.fixture
def job(tmp_path: Path) -> Path:
    (tmp_path / "job.py").write_text(JOB)
    return tmp_path


def check(folder: Path, *args: str, env: dict[str, str] | None = None):
    return run([sys.executable, "-m", "flake8_azureml_v2", "check", *args, "job.py"], cwd=folder,
               env={**PLAIN, **(env or {})})


def test_concise_marks_what_fix_resolves_safely_and_ends_with_the_hint(job: Path) -> None:
    result = check(job, "--output-format", "concise")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"job.py:2:1: AML099 [*] {CORE}",
        f"job.py:3:1: AML099 {CORE}",
        f"job.py:4:1: AML099 {STEPS}",
        f"job.py:6:6: AML020 {WORKSPACE}",
        f"job.py:8:8: AML062 {DATABRICKS}",
    ]
    assert result.stderr == CLOSING


def test_text_in_a_pipe_stays_flake8s_format_and_runs_no_fixer(job: Path) -> None:
    result = check(job)
    assert "[*]" not in result.stdout and result.stdout.startswith(f"job.py:2:1: AML099 {CORE}\n")
    assert result.stderr == "Found 5 findings.\n"
    flake8 = run([sys.executable, "-m", "flake8", "--select", "AML", "job.py"], cwd=job)
    assert result.stdout == flake8.stdout


def test_json_and_sarif_carry_each_findings_applicability_and_reason_kind(job: Path) -> None:
    rows = json.loads(check(job, "--output-format", "json").stdout)
    fixes = [(row["code"], row["location"]["row"], row["fix"]["applicability"], row["fix"].get("reason")) for row in rows]
    assert fixes == [
        ("AML099", 2, "safe", None),
        ("AML099", 3, "unsafe", "unsafe fix not enabled"),
        ("AML099", 4, "none", "blocked"),
        ("AML020", 6, "unsafe", "unsafe fix not enabled"),
        ("AML062", 8, "none", "impossible"),
    ]
    assert rows[0]["fix"] == {"applicability": "safe", "message": "removed the unused v1 import of azureml.core.Datastore"}
    assert rows[4]["fix"]["detail"] == f"no sound automatic rewrite; migrate it by hand: {DATABRICKS}"
    sarif = json.loads(check(job, "--output-format", "sarif").stdout)
    assert [r["properties"]["fix"] for r in sarif["runs"][0]["results"]] == [row["fix"] for row in rows]


def test_statistics_count_per_code_with_the_fixable_marker(job: Path) -> None:
    result = check(job, "--statistics")
    assert result.returncode == 1
    assert result.stdout == (
        "3\tAML099\t[*] v1-import (1 with --unsafe-fixes)\n"
        "1\tAML020\t[ ] workspace (1 with --unsafe-fixes)\n"
        "1\tAML062\t[ ] databricks-step\n"
    )
    assert result.stderr == CLOSING
    table = json.loads(check(job, "--statistics", "--output-format", "json").stdout)
    assert table[0] == {"code": "AML099", "name": "v1-import", "count": 3, "fixable": True, "safe": 1, "unsafe": 1,
                        "none": 1}


def test_full_shows_the_source_with_the_construct_underlined_and_what_fix_does(job: Path) -> None:
    output = check(job, "--output-format", "full", "--select", "AML020,AML062").stdout
    assert output == (
        f"AML020 {WORKSPACE}\n"
        " --> job.py:6:6\n"
        "  |\n"
        "4 | from azureml.pipeline.steps import DatabricksStep\n"
        "5 |\n"
        "6 | ws = Workspace.from_config()\n"
        "  |      ^^^^^^^^^^^^^^^^^^^^^^^\n"
        "7 | print(ws.name, os.sep)\n"
        "8 | step = DatabricksStep(name=\"db\")\n"
        "  |\n"
        "help: `azureml-v2 fix --unsafe-fixes` fixes it: Workspace.from_config() -> MLClient\n"
        "note: only with unsafe fixes, which may change runtime behaviour\n"
        "docs: `azureml-v2 rule AML020`, https://learn.microsoft.com/azure/machine-learning/migrate-to-v2-resource-workspace\n"
        "\n"
        f"AML062 {DATABRICKS}\n"
        " --> job.py:8:8\n"
        "  |\n"
        "6 | ws = Workspace.from_config()\n"
        "7 | print(ws.name, os.sep)\n"
        "8 | step = DatabricksStep(name=\"db\")\n"
        "  |        ^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "  |\n"
        "help: no v2 equivalent\n"
        f"note: no automatic fix (impossible): no sound automatic rewrite; migrate it by hand: {DATABRICKS}\n"
        "docs: `azureml-v2 rule AML062`, "
        "https://learn.microsoft.com/azure/machine-learning/migrate-to-v2-execution-pipeline\n"
    )


def test_colour_only_when_forced_or_on_a_terminal_and_no_color_wins(job: Path) -> None:
    forced = check(job, "--output-format", "concise", "--select", "AML062", env={"FORCE_COLOR": "1"}).stdout
    assert forced == ("\x1b[1mjob.py\x1b[0m\x1b[36m:\x1b[0m8\x1b[36m:\x1b[0m8\x1b[36m:\x1b[0m "
                      f"\x1b[1;31mAML062\x1b[0m {DATABRICKS}\n")
    both = check(job, "--output-format", "concise", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b" not in both and "\x1b" not in check(job, "--output-format", "concise").stdout


def test_on_a_terminal_check_is_concise_coloured_with_a_progress_line(job: Path) -> None:
    code, screen = run_on_terminal([sys.executable, "-m", "flake8_azureml_v2", "check", "job.py"], job,
                                   {"AZUREML_V2_PROGRESS_DELAY": "0"})
    assert code == 1
    assert screen.startswith("\r\x1b[2Kazureml-v2: 1/1 files (100%)\r\x1b[2K")  # drawn, then erased
    assert "\x1b[1;31mAML099\x1b[0m \x1b[36m[*]\x1b[0m import of azureml.core" in screen
    assert screen.endswith(CLOSING.replace("\n", "\r\n"))


def test_no_progress_line_in_a_pipe_even_when_colour_is_forced(job: Path) -> None:
    result = check(job, env={"AZUREML_V2_PROGRESS_DELAY": "0", "FORCE_COLOR": "1"})
    assert "azureml-v2: " not in result.stderr and result.stderr == "Found 5 findings.\n"


def test_a_quick_run_on_a_terminal_shows_no_progress_line(job: Path) -> None:
    _, screen = run_on_terminal([sys.executable, "-m", "flake8_azureml_v2", "check", "job.py"], job)
    assert "azureml-v2: 1/1" not in screen


def test_full_underlines_under_wide_characters_and_tabs(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text('import azureml.core\nx = "é😀";\tws = azureml.core.Workspace.from_config()\n')
    lines = check(tmp_path, "--output-format", "full", "--select", "AML020").stdout.splitlines()
    assert lines[4] == '2 | x = "é😀";\tws = azureml.core.Workspace.from_config()'
    assert lines[5] == "  |           \t     " + "^" * 36  # the emoji takes two columns, the tab stays a tab


def test_the_safe_and_unsafe_runs_ask_the_fixers_once(job: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What fix would do is learnt by running it in memory, safe and then unsafe; the fixers'
    proposals depend on the code alone, so both runs' first pass shares them, and the verdicts
    stay those of two separate runs."""
    from flake8_azureml_v2 import runner
    from flake8_azureml_v2.check_command import Options, run as run_check
    from flake8_azureml_v2.engine import Settings
    from flake8_azureml_v2.engine.fixing import driver
    from flake8_azureml_v2.selection import Selection

    contexts: list[int] = []
    original = driver.FixContext

    def counted(*args, **kwargs):
        contexts.append(1)
        return original(*args, **kwargs)

    def verdicts() -> dict[tuple[str, int], str]:
        contexts.clear()
        targets, missing = runner.collect([str(job / "job.py")])
        output = job / "out.json"
        options = Options("json", output, None, None, False, True, False, assess=True)
        run_check(targets, missing, Settings(), Selection(), options)
        return {(row["code"], row["location"]["row"]): row["fix"]["applicability"]
                for row in json.loads(output.read_text())}

    monkeypatch.setattr(driver, "FixContext", counted)
    shared = verdicts()
    asked_shared = len(contexts)
    dry_run = runner._dry_run
    monkeypatch.setattr(runner, "_dry_run", lambda *args: dry_run(*args[:-1], {}))  # each run on its own
    assert verdicts() == shared
    assert shared[("AML099", 2)] == "safe" and shared[("AML020", 6)] == "unsafe"
    # (each run's later passes start from its own text: here the two texts differ, so each asks again)
    assert asked_shared == len(contexts) - 1


def test_runs_that_reach_the_same_text_share_its_later_passes_and_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runs sharing a dict: what depends on the text alone (a pass's analysis, the fixers'
    rewrites, the build of a set of edits) is made once, and the outcome is the one a run of
    its own gives."""
    from flake8_azureml_v2.api import analyse, fix_text
    from flake8_azureml_v2.engine.fixing import driver

    text = ('from azureml.core import Experiment, ScriptRunConfig, Workspace\n\nws = Workspace.from_config()\n'
            'exp = Experiment(ws, "e")\ncfg = ScriptRunConfig(source_directory=".", script="t.py", compute_target="cpu")\n'
            'run = exp.submit(cfg)\n')
    builds: list[int] = []
    original = driver._Applier._build
    monkeypatch.setattr(driver._Applier, "_build", lambda self, *args: builds.append(1) or original(self, *args))
    alone = fix_text(text, unsafe=True)
    made_alone = len(builds)
    builds.clear()
    analysed = analyse(text)
    shared: dict[object, object] = {}
    first = fix_text(text, unsafe=True, analysed=analysed, proposals=shared)
    made_first = len(builds)
    second = fix_text(text, unsafe=True, analysed=analysed, proposals=shared)
    assert first.text == second.text == alone.text != text and first.passes == second.passes == 2
    assert [f.description for f in second.fixed] == [f.description for f in alone.fixed]
    assert [(left.finding.code, left.refusal.reason) for left in second.left] == \
        [(left.finding.code, left.refusal.reason) for left in alone.left]
    assert made_first == made_alone > 0 and len(builds) == made_first  # the second run built nothing
    assert ("analysis", first.text) in shared  # its second pass's analysis, made once


def test_an_import_fix_takes_only_part_of_is_not_counted_fixable(tmp_path: Path) -> None:
    """`from azureml.core import Datastore, Workspace`: fix removes the unused name, but the
    statement (the finding) stays for Workspace.  Check must not promise it is resolved, and
    must agree with what fix leaves."""
    (tmp_path / "job.py").write_text(
        "from azureml.core import Datastore, Workspace\n"
        "from azureml.pipeline.steps import DatabricksStep\n"
        "\n"
        "ws = Workspace.from_config()\n"
        "step = DatabricksStep(name=\"db\")\n")
    rows = json.loads(check(tmp_path, "--output-format", "json").stdout)
    fixes = [(row["code"], row["location"]["row"], row["fix"]["applicability"], row["fix"].get("reason")) for row in rows]
    assert fixes[0] == ("AML099", 1, "unsafe", "unsafe fix not enabled"), fixes
    assert fixes[1] == ("AML099", 2, "none", "blocked"), fixes
    fixed = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--diff", "job.py"], cwd=tmp_path, env=PLAIN)
    assert "job.py:1:1: AML099 fixed: removed the unused v1 import of azureml.core.Datastore" in fixed.stderr
    assert "job.py:1:1: AML099 left: " in fixed.stderr, fixed.stderr


READER = """\
from azureml.core import Model, Workspace

ws = Workspace.from_config()
model = Model(ws, "diabetes-model")
print(model.version)
"""
REGISTERS = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
env = Environment.from_conda_specification(name="env", file_path="env.yml")
src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", environment=env)
run = Experiment(ws, "exp").submit(src)
run.wait_for_completion()
run.register_model(model_name="diabetes-model", model_path="outputs/model.pkl")
"""


def test_check_judges_a_file_after_those_fix_migrates_first(tmp_path: Path) -> None:
    """fix migrates reader.py (a v1 lookup of the model) before register.py, whose registration
    may then move to v2.  check's verdicts are what that run does, not what each file's own run
    would do: the registration is fixable with --unsafe-fixes, as fix shows."""
    (tmp_path / "reader.py").write_text(READER)
    (tmp_path / "register.py").write_text(REGISTERS)
    (tmp_path / "env.yml").write_text("dependencies:\n  - python=3.10\n  - pip:\n    - scikit-learn\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("print('training')\n")
    result = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--output-format", "json", "."],
                 cwd=tmp_path, env=PLAIN)
    rows = json.loads(result.stdout)
    verdicts = {(row["filename"], row["location"]["row"], row["code"]): row["fix"]["applicability"] for row in rows}
    assert verdicts[("register.py", 8, "AML036")] == "unsafe", verdicts
    assert verdicts[("register.py", 6, "AML001")] == "unsafe", verdicts
    fixed = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "--diff", "."], cwd=tmp_path, env=PLAIN)
    left = {line.split(" left:")[0] for line in fixed.stderr.splitlines() if " left:" in line}
    done = {line.split(" fixed:")[0] for line in fixed.stderr.splitlines() if " fixed:" in line}
    for (name, line, code), applicability in verdicts.items():
        place = next(p for p in left | done if p.startswith(f"{name}:{line}:") and p.endswith(code))
        assert (place in done and place not in left) == (applicability != "none"), (place, applicability)
    assert len(done) == len(rows) == 11 and not left


def test_waves_judge_alike_in_worker_processes_and_in_one(tmp_path: Path) -> None:
    """Waves large enough for worker processes: the registrations' workers read the first wave's
    dry runs (the reader's among them) as each mode fixed them."""
    from flake8_azureml_v2.engine import Settings
    from flake8_azureml_v2.runner import check_all, collect
    from flake8_azureml_v2.selection import Selection

    (tmp_path / "reader.py").write_text(READER)
    (tmp_path / "env.yml").write_text("dependencies:\n  - python=3.10\n")
    for index in range(30):
        (tmp_path / f"job_{index:02d}.py").write_text(JOB)
        (tmp_path / f"register_{index:02d}.py").write_text(REGISTERS)
    targets, _ = collect([str(tmp_path)])
    settings = Settings(project_root_hint=tmp_path)

    def verdicts(jobs: int) -> dict[tuple[str, int, str], str]:
        return {(r.target.display, f.line, f.code): r.verdicts[(0, f.line, f.col, f.code)].applicability.value
                for r in check_all(targets, settings, Selection(), jobs=jobs, assess=True) for f in r.findings}

    sequential, parallel = verdicts(1), verdicts(2)
    assert parallel == sequential
    for index in range(30):
        register = str(tmp_path / f"register_{index:02d}.py")
        assert sequential[(register, 8, "AML036")] == "unsafe" and sequential[(register, 1, "AML099")] == "unsafe"
