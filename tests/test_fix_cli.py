"""``azureml-v2 fix`` modes, reports, exit codes and bad input."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from flake8_azureml_v2.api import fix_text
from flake8_azureml_v2.engine.findings import RefusalKind
from flake8_azureml_v2.engine.fixing import FixError
from flake8_azureml_v2.engine.fixing.edits import Edit
from flake8_azureml_v2.engine.fixing.rewrite import Rewrite as Unit
from flake8_azureml_v2.rules._matchers import calls_to
from flake8_azureml_v2.rules._rule import AmlRule as Rule, Family, FixSafety

from .conftest import run
from .test_fix_script_run import SEED_SHAPE

UNUSED = "from azureml.core import Datastore, Workspace\nws = Workspace.from_config()\n"


def _test_rule(name: str, fixer) -> Rule:
    """A stand-in AML002 whose fixer misbehaves, to prove the driver's safety nets."""
    return Rule(code="AML002", name=name, family=Family.JOBS, v1="x", v2="y", article="a",
                fix_safety=FixSafety.SAFE, detect=calls_to("azureml.core.ScriptRunConfig"), why="w",
                example="e", use_instead="u", fixer=fixer)


def fix(*args: str, cwd: Path, input: str | None = None):
    return run([sys.executable, "-m", "flake8_azureml_v2", "fix", *args], cwd=cwd, input=input)


def test_default_applies_only_safe_fixes_and_hints_at_unsafe(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(UNUSED)
    result = fix("job.py", cwd=tmp_path)
    assert (tmp_path / "job.py").read_text() == "from azureml.core import Workspace\nws = Workspace.from_config()\n"
    assert "job.py:1:1: AML099 fixed: removed the unused v1 import of azureml.core.Datastore" in result.stdout
    assert "job.py:2:6: AML020 left: unsafe fix" in result.stdout
    assert "1 more is held back for --unsafe-fixes" in result.stdout
    assert result.returncode == 1  # findings are left


def test_diff_and_check_write_nothing(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(SEED_SHAPE)
    diff = fix("--diff", "--unsafe-fixes", "job.py", cwd=tmp_path)
    assert diff.returncode == 1
    assert diff.stdout.startswith("--- a/job.py\n+++ b/job.py\n")
    assert "+ml_client = MLClient.from_config(DefaultAzureCredential())" in diff.stdout
    check = fix("--check", "--unsafe-fixes", "job.py", cwd=tmp_path)
    assert check.returncode == 1 and "Would fix job.py" in check.stdout
    assert (tmp_path / "job.py").read_text() == SEED_SHAPE
    clean = tmp_path / "clean.py"
    clean.write_text("import os\n")
    assert fix("--check", "clean.py", cwd=tmp_path).returncode == 0
    assert fix("--diff", "--check", "clean.py", cwd=tmp_path).returncode == 2


def test_stdin_to_stdout(tmp_path: Path) -> None:
    result = fix("--unsafe-fixes", "-", cwd=tmp_path, input=SEED_SHAPE)
    assert result.returncode == 0, result.stderr
    assert "ml_client.jobs.create_or_update(config, experiment_name='day1-experiment-train')" in result.stdout
    assert "AML001 fixed" in result.stderr  # the report never mixes with the code
    untouched = fix("-", cwd=tmp_path, input="print('no v1 here')\n")
    assert untouched.stdout == "print('no v1 here')\n"


def test_exit_non_zero_on_fix_and_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(UNUSED)
    assert fix("--exit-zero", "--exit-non-zero-on-fix", "job.py", cwd=tmp_path).returncode == 1
    assert fix("--exit-zero", "--exit-non-zero-on-fix", "job.py", cwd=tmp_path).returncode == 0


def test_select_and_ignore_apply_to_fixes(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(SEED_SHAPE)
    result = fix("--unsafe-fixes", "--ignore", "AML021", "job.py", cwd=tmp_path)
    assert (tmp_path / "job.py").read_text() == SEED_SHAPE
    assert "AML002 left: line 13: AML021 is not selected" in result.stdout


def test_bad_input_leaves_files_untouched(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import azureml.core\ndef f(:\n")
    readonly = tmp_path / "readonly.py"
    readonly.write_text(UNUSED)
    readonly.chmod(stat.S_IRUSR | stat.S_IRGRP)
    (tmp_path / "good.py").write_text(UNUSED)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = fix("broken.py", "readonly.py", "missing.py", "good.py", cwd=tmp_path)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert any(line.startswith("broken.py: error: syntax error:") for line in errors)
    assert "readonly.py: error: cannot write: the file is read-only; the file is unchanged" in errors
    assert "missing.py: error: no such file or directory" in errors
    assert readonly.read_bytes() == before["readonly.py"] and (tmp_path / "broken.py").read_bytes() == before["broken.py"]
    assert (tmp_path / "good.py").read_bytes() != before["good.py"]  # the other files are still fixed
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_fix_that_would_not_parse_is_refused() -> None:
    def broken_fixer(ctx):
        for site in ctx.model.calls_to("azureml.core.ScriptRunConfig"):
            start = ctx.locator.start(site.node)
            yield Unit("AML002", site.node, "breaks the code", safety=FixSafety.SAFE, edits=[Edit(start, start, "(")])

    rule = _test_rule("broken", broken_fixer)
    source = "from azureml.core import ScriptRunConfig\nc = ScriptRunConfig('.', 'a.py')\n"
    outcome = fix_text(source, rules=[rule])
    assert outcome.text == source and not outcome.fixed, "a fix producing invalid code was accepted"
    [left] = outcome.left
    assert left.finding.line == 2 and left.kind is RefusalKind.HARM and "would not parse" in left.reason


def test_a_fix_that_would_drop_a_comment_is_refused() -> None:
    def eating_fixer(ctx):
        for site in ctx.model.calls_to("azureml.core.ScriptRunConfig"):
            yield Unit("AML002", site.node, "eats a comment", safety=FixSafety.SAFE,
                       edits=[Edit(ctx.locator.start(site.node), ctx.locator.end(site.node), "None")])

    rule = _test_rule("eater", eating_fixer)
    source = "from azureml.core import ScriptRunConfig\nc = ScriptRunConfig(\n    '.',  # keep me\n)\n"
    outcome = fix_text(source, rules=[rule])
    assert outcome.text == source and not outcome.fixed, "a fix dropping a comment was accepted"
    [left] = outcome.left
    assert left.kind is RefusalKind.HARM and "# keep me" in left.reason


def test_file_modes_survive_a_rewrite(tmp_path: Path) -> None:
    target = tmp_path / "job.py"
    target.write_text(UNUSED)
    target.chmod(0o640)
    fix("job.py", cwd=tmp_path)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640


def test_fixes_that_never_settle_hit_the_cap_as_an_error() -> None:
    def restless_fixer(ctx):
        for site in ctx.model.calls_to("azureml.core.ScriptRunConfig"):
            start = ctx.locator.start(site.node)
            yield Unit("AML002", site.node, "adds a space forever", safety=FixSafety.SAFE,
                       edits=[Edit(start, start, " ")])

    rule = _test_rule("restless", restless_fixer)
    source = "from azureml.core import ScriptRunConfig\nc = ScriptRunConfig('.', 'a.py')\n"
    try:
        fix_text(source, rules=[rule], max_passes=4)
    except FixError as error:
        assert "did not settle after 4 passes" in str(error)
    else:
        raise AssertionError("a fix loop that never converges returned normally")


def _many_jobs(folder: Path) -> list[str]:
    """30 v1 programs (enough for worker processes) and plain files between them."""
    names = []
    for index in range(30):
        body = SEED_SHAPE if index % 3 else "from azureml.core import Run\nrun = Run.get_context()\nrun.log('x', 1)\n"
        (folder / f"job_{index:02d}.py").write_text(body)
        (folder / f"plain_{index:02d}.py").write_text("import os\n")
        names.append(f"job_{index:02d}.py")
    return names


def test_fixing_in_worker_processes_gives_what_one_process_gives(tmp_path: Path) -> None:
    from flake8_azureml_v2.engine import Settings
    from flake8_azureml_v2.runner import Fixing, collect, fix_all
    from flake8_azureml_v2.selection import Selection

    _many_jobs(tmp_path)
    targets, _ = collect([str(tmp_path)])
    settings = Settings(project_root_hint=tmp_path)

    def run_with(jobs: int) -> list[tuple]:
        return [(r.target.display, r.new_data, r.diff, [(str(w), f.code) for w, f in r.fixed],
                 [(str(item.before), item.left.finding.code, item.reason(False), item.reason(True)) for item in r.left])
                for r in fix_all(targets, settings, Selection(), Fixing(unsafe=True), True, jobs=jobs)]

    sequential, parallel = run_with(1), run_with(2)
    assert parallel == sequential
    assert sum(1 for _, new, diff, _, _ in sequential if new is not None and diff) == 30  # every job changes


def test_a_later_wave_too_small_for_a_pool_is_fixed_in_this_process(tmp_path: Path, monkeypatch) -> None:
    """Forking workers for a wave of a few scripts costs more than fixing them here; the
    results are the same either way."""
    from flake8_azureml_v2 import runner
    from flake8_azureml_v2.engine import Settings
    from flake8_azureml_v2.runner import Fixing, collect, fix_all, fixing_order
    from flake8_azureml_v2.selection import Selection

    _many_jobs(tmp_path)
    targets, _ = collect([str(tmp_path)])
    ordered, late = fixing_order(targets)
    settings = Settings(project_root_hint=tmp_path)
    pooled = runner._pooled
    pools: list[int] = []

    def counted(job, jobs_list, workers):
        pools.append(len(jobs_list))
        return pooled(job, jobs_list, workers)

    monkeypatch.setattr(runner, "_pooled", counted)

    def run_with(jobs: int) -> list[tuple]:
        return [(r.target.display, r.new_data, [f.code for _, f in r.fixed])
                for r in fix_all(ordered, settings, Selection(), Fixing(unsafe=True), True, jobs=jobs, late=late)]

    parallel = run_with(2)
    assert late == [50] and pools == [50]  # 40 plain files and launchers in a pool; the 10 scripts here
    assert parallel == run_with(1)
    assert pools == [50]


def test_a_folder_fixed_in_workers_is_written_and_reported_in_order(tmp_path: Path) -> None:
    tree, alone = tmp_path / "tree", tmp_path / "alone"
    tree.mkdir()
    alone.mkdir()
    names = _many_jobs(tree)
    original = {name: (tree / name).read_bytes() for name in names}
    for name in names[:2]:
        (alone / name).write_bytes(original[name])
    result = fix("--unsafe-fixes", ".", cwd=tree)
    reported = list(dict.fromkeys(line.split(":")[0] for line in result.stdout.splitlines() if " fixed: " in line))
    # job scripts (Run.get_context()) come after the programs that may launch them, each group in path order
    scripts = [name for name in names if b"get_context" in original[name]]
    assert reported == [name for name in names if name not in scripts] + scripts
    fix("--unsafe-fixes", *names[:2], cwd=alone)  # two files: fixed in this process
    for name in names[:2]:
        assert (tree / name).read_bytes() == (alone / name).read_bytes() != original[name]


def test_a_file_is_judged_by_its_launcher_as_written_not_as_fixed_before_it(tmp_path: Path) -> None:
    """Fixing the launcher first (same process) must not change how its script is judged:
    the fixed launcher is not on disk, so the script is still named by v1 code."""
    from flake8_azureml_v2.engine import Settings, project
    from flake8_azureml_v2.runner import Fixing, collect, fix_all
    from flake8_azureml_v2.selection import Selection

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "submit.py").write_text(  # once fixed, it names score.py only as a v2 scoring_script
        "from azureml.core import Environment, Model, Workspace\n"
        "from azureml.core.model import InferenceConfig\n"
        "from azureml.core.webservice import AciWebservice\n"
        "ws = Workspace.from_config()\n"
        'model = Model(workspace=ws, name="diabetes", version=1)\n'
        'env = Environment.from_conda_specification(name="env", file_path="./conda.yml")\n'
        'config = InferenceConfig(source_directory="./src", entry_script="score.py", environment=env)\n'
        "aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=2)\n"
        'service = Model.deploy(workspace=ws, name="diabetes-aci", models=[model], inference_config=config,\n'
        "                       deployment_config=aci_config)\n"
        "service.wait_for_deployment(show_output=True)\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "score.py").write_text("import os\nfrom azureml.core.model import Model\n\n\ndef init():\n"
                                                "    print(os.environ)\n")
    settings = Settings(project_root_hint=tmp_path)

    def codes(paths: list[str]) -> list[str]:
        project.forget_indexes()
        targets, _ = collect(paths)
        results = list(fix_all(targets, settings, Selection(), Fixing(unsafe=True), False, jobs=1))
        script = next(r for r in results if r.target.display.endswith("score.py"))
        return sorted({f.code for _, f in script.fixed} | {i.left.finding.code for i in script.left})

    alone = codes([str(tmp_path / "src" / "score.py")])
    after_launcher = codes([str(tmp_path / "submit.py"), str(tmp_path / "src" / "score.py")])
    assert "AML010" in alone and after_launcher == alone


def test_a_file_registers_in_code_not_in_a_comment() -> None:
    """Files that register an asset are fixed after its readers; a call in a comment is none."""
    from flake8_azureml_v2.migrations._v1_readers import fix_after_readers

    assert fix_after_readers(b"model = run.register_model(model_name='m', model_path='outputs')\n")
    assert fix_after_readers(b"# first\nds.register(workspace=ws, name='d')  # keep\n")
    assert fix_after_readers(b'  "    env.register(ws)\\n",\n')  # a notebook's JSON line
    assert not fix_after_readers(b"# ds.register(workspace=ws, name='d')\nprint(1)\n")
    assert not fix_after_readers(b"x = 1  # then run.register_model(...)\n")
    assert not fix_after_readers(b"preregister(x)\nself.registers(y)\n")
