"""``azureml-v2 check``, ``rule`` and ``rules`` as a user runs them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from flake8_azureml_v2.rules import all_rules

from .conftest import run

V1 = "from azureml.core import ScriptRunConfig\nconfig = ScriptRunConfig('./src', 'train.py')\n"


def check(*args: str, cwd: Path, input: str | None = None):
    return run([sys.executable, "-m", "flake8_azureml_v2", "check", *args], cwd=cwd, input=input)


def test_clean_tree_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("import os\n")
    result = check(".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


def test_findings_exit_one_with_flake8_format(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(V1)
    result = check("job.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "job.py:1:1: AML099 import of azureml.core (Azure ML SDK v1); use azure.ai.ml (azure-ai-ml) and MLflow instead",
        "job.py:2:10: AML002 ScriptRunConfig() is Azure ML SDK v1; use azure.ai.ml.command(code=..., command='python <script> ...')",
    ]
    assert "Found 2 findings." in result.stderr


def test_select_and_ignore_match_by_prefix_longest_wins(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(V1)
    only = check("--select", "AML002", "job.py", cwd=tmp_path)
    assert [l.split()[1] for l in only.stdout.splitlines()] == ["AML002"]
    ignored = check("--ignore", "AML0", "--select", "AML002", "job.py", cwd=tmp_path)
    assert [l.split()[1] for l in ignored.stdout.splitlines()] == ["AML002"]
    none = check("--ignore", "AML00,AML09", "job.py", cwd=tmp_path)
    assert (none.returncode, none.stdout) == (0, "")
    bad = check("--select", "E501", "job.py", cwd=tmp_path)
    assert bad.returncode == 2 and "not an AML code" in bad.stderr


def test_noqa_and_file_level_noqa(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(V1.replace("'train.py')", "'train.py')  # noqa: AML002"))
    (tmp_path / "b.py").write_text("# flake8: noqa\n" + V1)
    result = check(".", cwd=tmp_path)
    assert [l.split()[1] for l in result.stdout.splitlines()] == ["AML099"]


def test_bad_input_is_reported_per_file_and_the_run_continues(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import azureml.core\ndef f(:\n")
    (tmp_path / "latin.py").write_bytes(b"import azureml.core\nname = '\xff\xfe'\n")
    (tmp_path / "good.py").write_text(V1)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = check("broken.py", "latin.py", "missing.py", "good.py", cwd=tmp_path)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert any(l.startswith("broken.py: error: syntax error: ") and "line 2" in l for l in errors)
    assert any(l.startswith("latin.py: error: cannot decode as utf-8") for l in errors)
    assert "missing.py: error: no such file or directory" in errors
    assert [l.split(":")[0] for l in result.stdout.splitlines()] == ["good.py", "good.py"]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_walk_skips_venvs_build_folders_and_gitignored_files(tmp_path: Path) -> None:
    for rel in (".venv/lib/x.py", "venv2/lib/x.py", "build/x.py", "node_modules/x.py", "ignored/x.py",
                "pkg/x.egg-info/x.py", "src/keep.py", "src/secret_gen.py",
                "nb/.ipynb_checkpoints/x.py", "nb/.ipynb_aml_checkpoints/x.py", "nb/ipynb_aml_checkpoints/y.py"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(V1)
    (tmp_path / "venv2" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / ".gitignore").write_text("ignored/\n*_gen.py\n")
    result = check(".", cwd=tmp_path)
    # notebook autosaves (Jupyter's and an Azure ML compute instance's) are skipped; a look-alike is not
    assert {l.split(":")[0] for l in result.stdout.splitlines()} == {"src/keep.py", "nb/ipynb_aml_checkpoints/y.py"}
    # a file named explicitly is always checked
    explicit = check("build/x.py", cwd=tmp_path)
    assert explicit.returncode == 1


def test_rule_prints_its_documentation() -> None:
    result = run([sys.executable, "-m", "flake8_azureml_v2", "rule", "aml002"])
    assert result.returncode == 0
    out = result.stdout
    for heading in ("What it does", "Why", "Example (SDK v1)", "Use instead (SDK v2)", "Fix safety", "Reference"):
        assert f"\n{heading}\n" in out
    assert "ScriptRunConfig(source_directory=" in out and "command(code=" in out
    assert "https://learn.microsoft.com/azure/machine-learning/migrate-to-v2-command-job" in out
    unknown = run([sys.executable, "-m", "flake8_azureml_v2", "rule", "AML999"])
    assert unknown.returncode == 2 and "unknown rule" in unknown.stderr


def test_rules_lists_every_rule() -> None:
    result = run([sys.executable, "-m", "flake8_azureml_v2", "rules"])
    codes = [line.split()[0] for line in result.stdout.splitlines()]
    assert codes == [r.code for r in all_rules()]


def test_console_script_and_module_agree(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(V1)
    script = run(["azureml-v2", "check", "job.py"], cwd=tmp_path)
    module = check("job.py", cwd=tmp_path)
    assert script.stdout == module.stdout and script.returncode == module.returncode == 1


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_data_is_complete(rule) -> None:
    assert rule.code.startswith("AML") and len(rule.code) == 6
    assert "\n" not in rule.default_message
    assert rule.message or rule.v2 in rule.default_message
    assert rule.why and rule.example and rule.use_instead and rule.article
    assert rule.name == rule.name.lower() and " " not in rule.name


def test_parallel_and_sequential_analysis_agree(tmp_path: Path) -> None:
    from flake8_azureml_v2.engine import Settings
    from flake8_azureml_v2.runner import check_all, collect
    from flake8_azureml_v2.selection import Selection

    for index in range(30):
        body = V1 if index % 3 else "from azureml.core import Run\nrun = Run.get_context()\nrun.log('x', 1)\n"
        (tmp_path / f"job_{index:02d}.py").write_text(body)
        (tmp_path / f"plain_{index:02d}.py").write_text("import os\n")
    targets, _ = collect([str(tmp_path)])
    settings = Settings(project_root_hint=tmp_path)

    def run_with(jobs: int) -> list[tuple[str, list[tuple[int, str]]]]:
        return [(r.target.display, [(f.line, f.code) for f in r.findings])
                for r in check_all(targets, settings, Selection(), jobs=jobs)]

    sequential, parallel = run_with(1), run_with(2)
    assert parallel == sequential
    assert sum(len(found) for _, found in sequential) == 20 * 2 + 10 * 3  # AML099+AML002; AML010+011+012
