"""HyperDriveConfig -> trial(**space).sweep(), executed: create_or_update turns the sweep
node into a SweepJob, which passes to_rest_job_object (mapping-extension.md 8.1, 10)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import mlflow
import pytest

from .migrate_helpers import execute, fix, mlflow_store, no_v1, project, ruff_clean

HEADER = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.train.hyperdrive import (BanditPolicy, BayesianParameterSampling, GridParameterSampling, HyperDriveConfig,
                                      MedianStoppingPolicy, PrimaryMetricGoal, RandomParameterSampling,
                                      TruncationSelectionPolicy, choice, uniform)
from azureml.train.hyperdrive.parameter_expressions import (lognormal, loguniform, normal, qlognormal, qloguniform,
                                                            qnormal, quniform, randint)

ws = Workspace.from_config()
env = Environment.get(ws, "AzureML-sklearn-1.0")
src = ScriptRunConfig(source_directory="./src", script="train.py", arguments=["--epochs", 3, "--lr", 0.1],
                      compute_target="cpu-cluster", environment=env)
"""
SUBMIT = 'run = Experiment(ws, "tune").submit(hd)\n'


def _sweep(tmp_path: Path, body: str) -> tuple[str, dict]:
    script = project(tmp_path, HEADER + textwrap.dedent(body) + SUBMIT)
    report = fix(script)
    migrated = script.read_text()
    assert "AML050 fixed" in report and "AML001 fixed" in report, report
    assert no_v1(migrated), migrated
    ruff_clean(script)
    jobs = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert len(jobs) == 1 and jobs[0]["rest_error"] is None, jobs[0]["rest_error"]
    return migrated, jobs[0]["job"]


def test_search_space_policy_and_v1_limits(tmp_path: Path) -> None:
    migrated, job = _sweep(tmp_path, """\
        ps = RandomParameterSampling({
            "--lr": uniform(0.01, 0.1),  # log-scale would be loguniform
            "--batch-size": choice(16, 32, 64),
        })
        policy = BanditPolicy(slack_factor=0.1)
        hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=ps, policy=policy,
                              primary_metric_name="accuracy", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                              max_total_runs=20)
        """)
    assert "# log-scale would be loguniform" in migrated
    assert job["type"] == "sweep" and job["sampling_algorithm"] == "random"
    assert job["objective"] == {"goal": "maximize", "primary_metric": "accuracy"}
    assert job["search_space"] == {"lr": {"type": "uniform", "min_value": 0.01, "max_value": 0.1},
                                   "batch_size": {"type": "choice", "values": [16, 32, 64]}}
    # v1's defaults: every run at once, 7 days, and evaluation_interval=1 (v2's Bandit default is 0)
    assert job["limits"] == {"max_total_trials": 20, "max_concurrent_trials": 20, "timeout": 604800}
    assert job["early_termination"] == {"type": "bandit", "slack_factor": 0.1, "evaluation_interval": 1,
                                        "delay_evaluation": 0}
    # v1 appended --<key> <value> itself and dropped the fixed --lr 0.1
    assert job["trial"]["command"] == ("python train.py --epochs 3 --lr ${{search_space.lr}} "
                                       "--batch-size ${{search_space.batch_size}}")
    assert job["inputs"] == {}


def test_every_parameter_expression_has_its_v2_distribution(tmp_path: Path) -> None:
    _, job = _sweep(tmp_path, """\
        hd = HyperDriveConfig(run_config=src, primary_metric_name="loss", primary_metric_goal=PrimaryMetricGoal.MINIMIZE,
                              hyperparameter_sampling=RandomParameterSampling({
                                  "a": loguniform(-4, -1), "b": quniform(1, 10, 1), "c": qloguniform(0, 3, 1),
                                  "d": normal(0, 1), "e": qnormal(10, 2, 1), "f": lognormal(0, 1),
                                  "g": qlognormal(0, 1, 1), "h": randint(5), "i": choice(range(1, 4)),
                                  "j": choice(["adam", "sgd"]),
                              }, properties={"rngSeed": 7}),
                              max_total_runs=4, max_concurrent_runs=2, max_duration_minutes=60)
        """)
    space = job["search_space"]
    assert space["a"] == {"type": "loguniform", "min_value": -4, "max_value": -1}
    assert space["b"] == {"type": "quniform", "min_value": 1, "max_value": 10, "q": 1}
    assert space["c"]["type"] == "qloguniform" and space["d"] == {"type": "normal", "mu": 0, "sigma": 1}
    assert space["e"] == {"type": "qnormal", "mu": 10, "sigma": 2, "q": 1}
    assert space["f"]["type"] == "lognormal" and space["g"]["type"] == "qlognormal"
    assert space["h"] == {"type": "randint", "upper": 5}
    assert space["i"] == {"type": "choice", "values": [1, 2, 3]}
    assert space["j"] == {"type": "choice", "values": ["adam", "sgd"]}
    assert job["sampling_algorithm"] == {"type": "random", "seed": 7}
    assert job["objective"]["goal"] == "minimize"
    assert job["limits"] == {"max_total_trials": 4, "max_concurrent_trials": 2, "timeout": 3600}


@pytest.mark.parametrize(("policy", "expected"), [
    ("TruncationSelectionPolicy(truncation_percentage=20)",
     {"type": "truncation_selection", "truncation_percentage": 20, "evaluation_interval": 1, "delay_evaluation": 0}),
    ("MedianStoppingPolicy(delay_evaluation=5)",
     {"type": "median_stopping", "evaluation_interval": 1, "delay_evaluation": 5}),
    ("BanditPolicy(2, slack_amount=0.2)",
     {"type": "bandit", "slack_amount": 0.2, "evaluation_interval": 2, "delay_evaluation": 0}),
])
def test_policies_keep_v1_evaluation_interval(tmp_path: Path, policy: str, expected: dict) -> None:
    _, job = _sweep(tmp_path, f"""\
        hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=GridParameterSampling({{"--lr": choice(0.1, 0.2)}}),
                              policy={policy}, primary_metric_name="acc",
                              primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=2)
        """)
    assert job["early_termination"] == expected
    assert job["sampling_algorithm"] == "grid"


def test_an_estimator_trial_binds_the_search_space(tmp_path: Path) -> None:
    script = project(tmp_path, """\
        from azureml.core import Experiment, Workspace
        from azureml.train.estimator import Estimator
        from azureml.train.hyperdrive import BayesianParameterSampling, HyperDriveConfig, PrimaryMetricGoal, choice

        ws = Workspace.from_config()
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster",
                        script_params={"--data": "x"})
        hd = HyperDriveConfig(estimator=est, hyperparameter_sampling=BayesianParameterSampling({"k": choice(1, 2)}),
                              primary_metric_name="acc", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                              max_total_runs=6, max_concurrent_runs=2)
        run = Experiment(ws, "tune").submit(hd)
        """)
    report = fix(script)
    assert "AML050 fixed" in report and "AML009 fixed" in report, report
    job = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"][0]
    assert job["rest_error"] is None
    assert job["job"]["trial"]["command"] == "python train.py --data x --k ${{search_space.k}}"
    assert job["job"]["sampling_algorithm"] == "bayesian"


@pytest.mark.parametrize(("body", "reason"), [
    ("hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=RandomParameterSampling({'--lr': uniform(0, 1)}),"
     " primary_metric_name='acc', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=2)\n"
     "run = Experiment(ws, 'tune').submit(hd)\nbest = run.get_best_run_by_primary_metric(include_failed=False)\n",
     "is not `best = run.get_best_run_by_primary_metric()`: migrate it by hand"),
    ("hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=RandomParameterSampling({'--lr': uniform(0, 1)}),"
     " primary_metric_name='acc', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=2)\n"
     "run = Experiment(ws, 'tune').submit(hd)\nbest = run.get_best_run_by_primary_metric()\n"
     "print(best.get_details()['runDefinition']['arguments'])\n",
     "the best run `best` is also used at line 13 (`best.get_details()"),
    ("hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=RandomParameterSampling({'--lr': uniform(0, 1)}),"
     " primary_metric_name='acc', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=2)\n"
     "run = Experiment(ws, 'tune').submit(hd)\nfor child in run.get_children_sorted_by_primary_metric():\n"
     "    print(child)\n",
     "use mlflow.search_runs(filter_string="),
    ("hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=RandomParameterSampling({'--lr': uniform(0, 1)}),"
     " primary_metric_name='acc', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=2,"
     " resume_from=[None])\nrun = Experiment(ws, 'tune').submit(hd)\n",
     "resume_from= (warm start) has no v2 sweep equivalent"),
    ("hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=RandomParameterSampling({'--lr': uniform(0, 1)}),"
     " primary_metric_name='acc', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=2)\n"
     "run = Experiment(ws, 'tune').submit(hd)\nalone = Experiment(ws, 'single').submit(src)\n",
     "is also used outside this HyperDriveConfig"),
])
def test_what_a_sweep_cannot_express_is_reported(tmp_path: Path, body: str, reason: str) -> None:
    script = project(tmp_path, HEADER + body)
    report = fix(script)
    assert "AML050 left" in report and reason in report, report
    assert "HyperDriveConfig(" in script.read_text()


BEST_TRIAL = """\
ps = RandomParameterSampling({"--lr": uniform(0.01, 0.1)})
hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=ps, primary_metric_name="accuracy",
                      primary_metric_goal=PrimaryMetricGoal.{goal}, max_total_runs=3)
run = Experiment(ws, "tune").submit(hd)
run.wait_for_completion(show_output=True)
best_run = run.get_best_run_by_primary_metric()
metrics = best_run.get_metrics()
print("best:", best_run.id, metrics["accuracy"])
model = best_run.register_model(model_name="tuned", model_path="outputs/model.pkl")
print(model.name)
"""


@pytest.mark.parametrize(("goal", "best"), [("MAXIMIZE", 0.9), ("MINIMIZE", 0.5)])
def test_the_best_trial_is_read_with_mlflow(tmp_path: Path, goal: str, best: float,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """get_best_run_by_primary_metric() (D+T): the trial with the best primary metric, by the
    sweep's goal, found among the sweep's child runs; its uses go to that MLflow run.  A trial
    counts with the best value it logged (v1 took max or min of each child's history), so the
    one that reached 0.9 and ended at 0.6 wins a maximised sweep, and a minimised one is won
    by the trial whose history went down to 0.5."""
    script = project(tmp_path, HEADER + BEST_TRIAL.replace("{goal}", goal))
    report = fix(script)
    assert "AML083 fixed" in report and "AML036 fixed" in report and "AML046 fixed" in report, report
    migrated = script.read_text()
    assert no_v1(migrated), migrated
    assert "best_run = _v1_best_trial(ml_client, run)" in migrated
    assert migrated.count("# TODO(azureml-v2): AML083 the best trial is searched in MLflow") == 1
    ruff_clean(script)
    trials = [{"accuracy": 0.7}, {"accuracy": [0.9, 0.6]}, {"loss": 1.0}, {"accuracy": [0.8, 0.5, 0.65]}]
    env = mlflow_store(tmp_path, {"children": trials})
    records = execute(script, env)
    (model,) = [r for r in records if r["operation"] == "models.create_or_update"]
    trial_id = model["model"]["path"].split("/")[3]
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    store = mlflow.tracking.MlflowClient(env["AML_MLFLOW_URI"])
    history = [m.value for m in store.get_metric_history(trial_id, "accuracy")]
    assert (max if goal == "MAXIMIZE" else min)(history) == best
    assert model["model"]["path"].endswith("/outputs/artifacts/paths/outputs/model.pkl")
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before


def test_v1_concurrency_default_flags_without_values_and_names_taken_by_data(tmp_path: Path) -> None:
    """max_concurrent_runs=None (or 0) is v1's ``or max_total_runs``: written out like a left-out one.
    A searched flag replaces the fixed value after it, never a flag that follows it.  A key that
    would take the name of a data input is refused: the input's path would become the sampled value."""
    migrated, job = _sweep(tmp_path, """\
        src = ScriptRunConfig(source_directory="./src", script="train.py", arguments=["--lr", "--epochs", 3],
                              compute_target="cpu-cluster", environment=env)
        ps = RandomParameterSampling({"--lr": uniform(0.01, 0.1)})
        hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=ps, primary_metric_name="acc",
                              primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=6, max_concurrent_runs=None)
        """)
    assert job["limits"]["max_concurrent_trials"] == 6
    assert job["trial"]["command"] == "python train.py --epochs 3 --lr ${{search_space.lr}}"
    clash = HEADER.replace("from azureml.core import ", "from azureml.core import Dataset, ") + textwrap.dedent("""\
        ds = Dataset.File.from_files("https://example.com/d/")
        src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",
                              environment=env, arguments=["--data", ds.as_named_input("batch").as_mount()])
        ps = RandomParameterSampling({"--batch": choice(16, 32)})
        hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=ps, primary_metric_name="acc",
                              primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=2)
        """) + SUBMIT
    (tmp_path / "clash").mkdir()
    script = project(tmp_path / "clash", clash)
    report = fix(script)
    assert "the search space's '--batch' would take the name of the command's input or output 'batch'" in report
    assert "HyperDriveConfig(" in script.read_text()


def test_a_searched_string_reaches_the_trial_as_one_argument(tmp_path: Path) -> None:
    """v1 handed "3, 3, 3" to the script as one argument; in the v2 command the value is written
    into a bash line, so the placeholder of a string choice is quoted (numbers need not be)."""
    migrated, job = _sweep(tmp_path, """\
        ps = RandomParameterSampling({"--sizes": choice("3, 3, 3", "5, 5, 5"), "--batch": choice(1, 2)})
        hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=ps, primary_metric_name="loss",
                              primary_metric_goal=PrimaryMetricGoal.MINIMIZE, max_total_runs=4)
        """)
    assert job["trial"]["command"] == ("python train.py --epochs 3 --lr 0.1 --sizes '${{search_space.sizes}}' "
                                       "--batch ${{search_space.batch}}")
    assert job["search_space"]["sizes"] == {"type": "choice", "values": ["3, 3, 3", "5, 5, 5"]}


def test_a_best_trial_whose_script_logs_an_int_keeps_its_whole_metrics_read_v1(tmp_path: Path) -> None:
    """Udacity capstones (audit 39's set): the trial script logs ``np.int(args.max_iter)``, which v1's
    get_metrics() gave back as an int and MLflow as a float; printing the whole dict shows it, so the
    sweep stays v1, and the reason names the value."""
    script = project(tmp_path, HEADER + BEST_TRIAL.replace("{goal}", "MAXIMIZE").replace(
        'metrics = best_run.get_metrics()\nprint("best:", best_run.id, metrics["accuracy"])\n',
        "print(best_run.get_metrics())\n"))
    (tmp_path / "src" / "train.py").write_text(
        "import argparse\nimport numpy as np\nfrom azureml.core import Run\nparser = argparse.ArgumentParser()\n"
        "parser.add_argument('--max_iter', type=int, default=100)\nargs = parser.parse_args()\n"
        "run = Run.get_context()\nrun.log('Max iterations:', np.int(args.max_iter))\nrun.log('accuracy', 0.9)\n")
    report = fix(script)
    text = script.read_text()
    assert "best_run = run.get_best_run_by_primary_metric()" in text and "HyperDriveConfig(" in text, report
    assert ("(`best_run.get_metrics()`), which an MLflow run cannot answer (train.py logs 'Max iterations:' as an "
            "int (its line 8), and the result is read other than by literal key; MLflow's metrics hold floats "
            "only)") in report, report


@pytest.mark.parametrize(("reader", "held"), [
    ("print(best_run.get_metrics())\n", True),  # the whole dict: v1 listed the string settings too
    ('metrics = best_run.get_metrics()\nprint("best:", best_run.id, metrics["accuracy"])\n', False),  # one key
])
def test_a_best_trial_whose_script_logs_its_settings_in_a_loop_keeps_its_whole_metrics_read_v1(
        tmp_path: Path, reader: str, held: bool) -> None:
    """Audit 53: the trial script logs every entry of a settings file (``run.log(name, value)`` in a
    loop), strings among them, which v1's get_metrics() listed and MLflow's metrics do not hold:
    a reader of the whole dict keeps the sweep v1; a reader of one literal key does not."""
    script = project(tmp_path, HEADER + BEST_TRIAL.replace("{goal}", "MAXIMIZE").replace(
        'metrics = best_run.get_metrics()\nprint("best:", best_run.id, metrics["accuracy"])\n', reader))
    (tmp_path / "src" / "train.py").write_text(
        "import json\nfrom azureml.core import Run\nrun = Run.get_context()\n"
        "with open('parameters.json') as f:\n    settings = json.load(f)\n"
        "for name, value in settings.items():\n    run.log(name, value)\nrun.log('accuracy', 0.9)\n")
    report = fix(script)
    assert ("HyperDriveConfig(" in script.read_text()) is held, report
    assert ("(train.py logs values of a kind not known here under names not known here (its line 7), and the "
            "result is read other than by literal key, where v1 listed any strings among them too; MLflow's "
            "metrics hold floats only)" in report) is held, report


@pytest.mark.parametrize("shown", ["True", "False"])
def test_show_output_on_a_hyperdrive_submit_is_dropped_without_a_wait(tmp_path: Path, shown: str) -> None:
    """v1's HyperDrive submit takes any keyword and returns once the sweep is submitted, so
    ``show_output=True`` did not wait there (audit 46): the migrated submit does not stream."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        ps = RandomParameterSampling({"--lr": uniform(0.01, 0.1)})
        hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=ps, primary_metric_name="accuracy",
                              primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=4)
        """) + f'run = Experiment(ws, "tune").submit(hd, show_output={shown})\nprint(run.id)\n')
    report = fix(script)
    assert "AML001 fixed" in report and "show_output" not in script.read_text(), report
    assert ("v1's HyperDrive submit ignored it and returned at once" in report) is (shown == "True"), report
    operations = [r["operation"] for r in execute(script)]
    assert "jobs.create_or_update" in operations and "jobs.stream" not in operations


def test_the_imports_of_a_left_sweeps_parts_name_the_sweep_that_holds_them(tmp_path: Path) -> None:
    """``policy = BanditPolicy(...)`` on its own line: no finding is there, but the HyperDriveConfig's
    fix would rewrite it, and that fix is left; the import says so, not that no rule migrates the use
    and it must be changed by hand (audit k)."""
    script = project(tmp_path, """\
from azureml.core import Experiment, ScriptRunConfig, Workspace
from azureml.train.hyperdrive.policy import BanditPolicy
from azureml.train.hyperdrive.runconfig import HyperDriveConfig
from azureml.train.hyperdrive.run import PrimaryMetricGoal
from azureml.train.hyperdrive.sampling import RandomParameterSampling
from azureml.train.hyperdrive.parameter_expressions import choice

ws = Workspace.from_config()
src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
policy = BanditPolicy(slack_factor=0.1)
sampling = RandomParameterSampling({"--C": choice(0.1, 1.0)})
hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=sampling, policy=policy, primary_metric_name="acc",
                      primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=2)
run = Experiment(ws, "tune").submit(hd)
best = run.get_best_run_by_primary_metric()
print(best.get_details()['runDefinition'])
""")
    report = fix(script)
    assert "AML050 left" in report, report
    assert ("AML099 left: `BanditPolicy` is still used at line 10, which the AML050 fix at line 12 rewrites, and that "
            "is left; the import goes once that is migrated [blocked]") in report, report
    assert "a use no rule migrates" not in report, report


def test_a_star_import_of_hyperdrive_migrates_as_its_names_do(tmp_path: Path) -> None:
    """Audit p M4: ``from azureml.train.hyperdrive import *`` binds the sampling classes, parameter
    expressions and policies (the package's ``__all__``), so the sweep is the one the same program
    with the names imported by name gets (executed above); the star import itself stays, and says why."""
    body = textwrap.dedent("""\
        ps = RandomParameterSampling({"--lr": uniform(0.01, 0.1), "--batch-size": choice(16, 32)})
        policy = BanditPolicy(slack_factor=0.1, evaluation_interval=2)
        hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=ps, policy=policy,
                              primary_metric_name="accuracy", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                              max_total_runs=20)
        """) + SUBMIT
    named = HEADER.split("\nws = ")[0] + "\n"
    star = "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\nfrom azureml.train.hyperdrive import *\n\n"
    results = []
    for folder, imports in (("named", named), ("star", star)):
        (tmp_path / folder).mkdir()
        script = project(tmp_path / folder, HEADER.replace(named, imports) + body)
        report = fix(script)
        assert "AML050 fixed" in report and "AML001 fixed" in report, report
        results.append((script.read_text(), report))
    (by_name, _), (by_star, report) = results
    # (the star import still binds v1's BanditPolicy: v2's takes another name)
    assert "from azure.ai.ml.sweep import BanditPolicy as BanditPolicyV2, Choice, Uniform\n" in by_star, by_star
    assert by_star.split("\nml_client = ")[1].replace("BanditPolicyV2(", "BanditPolicy(") == \
        by_name.split("\nml_client = ")[1], by_star
    assert "from azureml.train.hyperdrive import *\n" in by_star and "HyperDriveConfig" not in by_star
    assert "AML099 left: a star import: the names it binds are not all known, so it stays" in report, report
    assert "fixed" not in fix(tmp_path / "star" / "job.py")  # a second run changes nothing


def test_a_notebook_sweep_whose_todo_names_mlflow_imports_it_once(tmp_path: Path) -> None:
    """Audit e: the TODO that names the mlflow package, written in an earlier cell, counted as a use,
    so the helpers' cell imported mlflow again and the first import was left unused (F811): the
    whole notebook was refused.  A comment is no use."""
    from .migrate_helpers import write_notebook

    project(tmp_path, "", "unused.py").unlink()  # (config.json and ./src beside the notebook)
    (tmp_path / "src" / "train.py").write_text("from azureml.core import Run\n\nrun = Run.get_context()\n"
                                               "run.log('F1', 0.5)\n")
    notebook = write_notebook(tmp_path / "tune.ipynb", [
        "from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig\n"
        "from azureml.train.hyperdrive import RandomParameterSampling, HyperDriveConfig, PrimaryMetricGoal, choice",
        'ws = Workspace.from_config()\nexperiment = Experiment(ws, "exp-hd")',
        'myenv = Environment(name="myenv")',
        'sampling = RandomParameterSampling({"--max_depth": choice(3, 4, 5)})\n'
        'src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", '
        "environment=myenv)\n"
        "hd_config = HyperDriveConfig(run_config=src, hyperparameter_sampling=sampling, primary_metric_name='F1', "
        "primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=4)",
        "from azureml.widgets import RunDetails\nhd_run = experiment.submit(hd_config)\nRunDetails(hd_run).show()",
        "best_run = hd_run.get_best_run_by_primary_metric()\nprint(best_run.id)",
    ])
    report = fix(notebook)
    assert "0 left" in report and "redefines" not in report, report
    cells = ["".join(cell["source"]) for cell in __import__("json").loads(notebook.read_text())["cells"]]
    code = "\n".join(cells)
    assert code.count("import mlflow\n") == 1, code
    assert "add mlflow and azureml-mlflow" in code  # the TODO that names it is there
