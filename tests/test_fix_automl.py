"""AutoMLConfig -> automl.<task>(), executed: the migrated program builds a real AutoML
job, which passes to_rest_job_object (AutoML jobs have no _validate(); mapping-extension.md 10)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from .migrate_helpers import execute, fix, no_v1, project, ruff_clean

HEADER = """\
from azureml.core import Dataset, Experiment, Workspace
from azureml.train.automl import AutoMLConfig

ws = Workspace.from_config()
experiment = Experiment(ws, "automl")
"""


def _job(records: list[dict]) -> dict:
    jobs = [r for r in records if r["operation"] == "jobs.create_or_update"]
    assert len(jobs) == 1
    assert jobs[0]["rest_error"] is None, jobs[0]["rest_error"]
    assert jobs[0]["kwargs"]["experiment_name"] == "automl"
    return jobs[0]["job"]


def _migrate(tmp_path: Path, body: str) -> tuple[str, str, dict, list[dict]]:
    script = project(tmp_path, HEADER + textwrap.dedent(body))
    report = fix(script)
    migrated = script.read_text()
    assert no_v1(migrated), migrated
    ruff_clean(script)
    records = execute(script)
    return migrated, report, _job(records), records


def test_settings_dict_and_delimited_files_become_an_mltable_job(tmp_path: Path) -> None:
    migrated, report, job, _ = _migrate(tmp_path, """\
        train_data = Dataset.Tabular.from_delimited_files("https://example.com/data/machine.csv")
        automl_settings = {
            "n_cross_validations": 3,
            "primary_metric": "r2_score",
            "experiment_timeout_hours": 0.3,  # short for the demo
            "max_concurrent_iterations": 4,
            "max_cores_per_iteration": -1,
            "verbosity": 20,
        }
        automl_config = AutoMLConfig(task="regression", compute_target="cpu-cluster", training_data=train_data,
                                     label_column_name="ERP", **automl_settings)
        remote_run = experiment.submit(automl_config, show_output=False)
        """)
    assert "AML051 fixed" in report and "AML001 fixed" in report and "AML022 fixed" in report
    assert "# short for the demo" in migrated
    assert migrated.count("TODO(azureml-v2): AML051") == 1  # the TabularDataset -> MLTable default
    assert job["type"] == "automl" and job["task"] == "regression" and job["compute"] == "cpu-cluster"
    assert job["target_column_name"] == "ERP" and job["primary_metric"] == "r2_score"
    assert job["n_cross_validations"] == 3 and job["log_verbosity"] == "info"  # v1's verbosity=20
    assert job["limits"] == {"timeout_minutes": 18, "max_concurrent_trials": 4, "max_cores_per_trial": -1,
                             "max_trials": 1000, "enable_early_termination": True}
    assert job["training"] == {"enable_model_explainability": True, "enable_onnx_compatible_models": False,
                               "enable_vote_ensemble": True}
    assert job["featurization"] == {"mode": "auto"}
    assert job["training_data"] == {"type": "mltable", "path": "train_data_mltable"}
    mltable = (tmp_path / "train_data_mltable" / "MLTable").read_text()
    assert '- file: "https://example.com/data/machine.csv"' in mltable
    assert 'delimiter: ","' in mltable and 'header: "all_files_same_headers"' in mltable


def test_registered_data_is_read_by_name_and_v1_defaults_are_written_out(tmp_path: Path) -> None:
    migrated, report, job, records = _migrate(tmp_path, """\
        bank = Dataset.get_by_name(ws, name="bank-marketing")
        config = AutoMLConfig(task="classification", compute_target="cpu-cluster", training_data=bank,
                              label_column_name="y", primary_metric="AUC_weighted", positive_label="yes",
                              blocked_models=["KNN"], enable_dnn=False, featurization="off")
        run = experiment.submit(config, show_output=True)
        """)
    assert "TODO(azureml-v2)" not in migrated  # a registered dataset is behaviour-preserving
    assert job["training_data"] == {"type": "mltable", "path": "bank-marketing@latest"}
    assert job["limits"] == {"timeout_minutes": 8640, "max_trials": 1000, "max_concurrent_trials": 1,
                             "max_cores_per_trial": 1, "enable_early_termination": True}  # v1: 6 days, 1000
    assert job["training"]["blocked_training_algorithms"] == ["knn"]
    assert job["training"]["enable_dnn_training"] is False
    assert job["featurization"] == {"mode": "off"}
    assert job["positive_label"] == "yes" and job["primary_metric"] == "auc_weighted"
    assert [r["operation"] for r in records][-1] == "jobs.stream"  # show_output=True waited and printed


def test_forecasting_parameters_become_forecasting_settings(tmp_path: Path) -> None:
    migrated, _, job, _ = _migrate(tmp_path, """\
        from azureml.automl.core.forecasting_parameters import ForecastingParameters

        train = Dataset.get_by_name(ws, "energy", version=3)
        forecasting_parameters = ForecastingParameters(time_column_name="timeStamp", freq="H",
                                                       target_aggregation_function="sum",
                                                       short_series_handling_configuration="pad",
                                                       cv_step_size="auto")
        config = AutoMLConfig(task="forecasting", compute_target="cpu-cluster", training_data=train,
                              label_column_name="demand", forecasting_parameters=forecasting_parameters,
                              iterations=10, experiment_timeout_hours=1)
        run = experiment.submit(config)
        """)
    assert "ForecastingSettings(" in migrated
    assert job["training_data"]["path"] == "energy:3"
    assert job["forecasting"] == {"time_column_name": "timeStamp", "frequency": "H",
                                  "target_aggregate_function": "sum", "short_series_handling_config": "pad",
                                  "forecast_horizon": 1}  # v1's default horizon, written out; "auto" left out
    assert "cv_step_size" not in migrated  # v2's field is a number: leaving it out lets AutoML choose
    assert job["limits"]["max_trials"] == 10 and job["limits"]["timeout_minutes"] == 60


def test_the_dataframe_helper_writes_a_csv_and_an_mltable(tmp_path: Path) -> None:
    import pandas

    from flake8_azureml_v2.engine.fixing.symbols import symbol
    from flake8_azureml_v2.migrations import _tabular

    source = "\n".join(_tabular.FRAME_HELPERS.values()).replace(symbol("os"), "os").replace(symbol("json"), "json")
    namespace: dict = {"os": __import__("os"), "json": __import__("json")}
    exec(source, namespace)  # noqa: S102 - the helpers the fixer writes
    folder = namespace[_tabular.FRAME_HELPER](pandas.DataFrame({"x": [1, 2], "y": [0, 1]}), str(tmp_path / "t"))
    assert (tmp_path / "t" / "data.csv").read_text().splitlines() == ["x,y", "1,0", "2,1"]
    assert '- file: "./data.csv"' in (Path(folder) / "MLTable").read_text()


def test_a_registered_dataframe_becomes_a_local_mltable_with_a_todo(tmp_path: Path) -> None:
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        import pandas as pd
        from azureml.data.dataset_factory import TabularDatasetFactory

        frame = pd.read_csv("energy.csv")
        store = ws.get_default_datastore()
        train = TabularDatasetFactory.register_pandas_dataframe(frame, target=(store, "energy"), name="energy")
        config = AutoMLConfig(task="forecasting", compute_target="cpu-cluster", training_data=train,
                              label_column_name="demand")
        run = experiment.submit(config)
        """))
    report = fix(script)
    migrated = script.read_text()
    assert "AML051 fixed" in report
    assert 'training_data=Input(type="mltable", path=v1_dataframe_mltable(frame, "train_mltable"))' in migrated
    assert migrated.count("TODO(azureml-v2): AML051 the DataFrame is written as CSV") == 1
    assert "register_pandas_dataframe(frame" in migrated  # v1's registration (a side effect) stays


@pytest.mark.parametrize(("body", "reason"), [
    ("config = AutoMLConfig(task='classification', training_data=bank, label_column_name='y')\n"
     "run = experiment.submit(config)\nbest_run, fitted = run.get_output()\n",
     "has no v2 AutoMLConfig run object; use the parent job's MLflow tag automl_best_child_run_id"),
    ("config = AutoMLConfig(task='classification', training_data=bank, label_column_name='y')\n"
     "run = experiment.submit(config)\n",
     "no compute_target: a local AutoML run, which v2 does not have"),
    # v2 has no local AutoML: create_or_update of an automl job with compute="local" raises a TypeError
    ("target = 'local'\nconfig = AutoMLConfig(task='classification', compute_target=target, training_data=bank,"
     " label_column_name='y')\nrun = experiment.submit(config)\n",
     'compute_target="local" is a local AutoML run, which v2 does not have'),
    # a compute named on the command line may be "local" (review, stop 63)
    ("import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument('--compute', default='local')\n"
     "args = parser.parse_args()\nconfig = AutoMLConfig(task='classification', compute_target=args.compute, "
     "training_data=bank, label_column_name='y')\nrun = experiment.submit(config)\n",
     "compute_target `args.compute` has a type this fix cannot know"),
    ("config = AutoMLConfig(task='classification', compute_target='c', training_data=bank, label_column_name='y',"
     " spark_context=sc)\nrun = experiment.submit(config)\n",
     "spark_context= (AutoML on Databricks) has no v2 equivalent"),
    ("config = AutoMLConfig(task='image-classification', compute_target='c', training_data=bank,"
     " label_column_name='y')\nrun = experiment.submit(config)\n",
     "only the tabular tasks"),
    ("from azureml.train.automl import AutoMLImageConfig\n"
     "config = AutoMLImageConfig(task='image-classification', compute_target='c', training_data=bank)\n"
     "run = experiment.submit(config)\n",
     "AutoMLImageConfig (image tasks"),
])
def test_what_v2_cannot_express_is_reported(tmp_path: Path, body: str, reason: str) -> None:
    script = project(tmp_path, HEADER + "sc = None\nbank = Dataset.get_by_name(ws, 'bank')\n" + body)
    before = script.read_text()
    report = fix(script)
    assert "AML051 left" in report and reason in report, report
    assert "config = AutoMLImageConfig(" in script.read_text() or "config = AutoMLConfig(" in script.read_text()
    assert "experiment.submit(config)" in before


@pytest.mark.parametrize("statement", ["import azureml.train.automl", "from azureml.train import automl"])
def test_an_import_kept_for_its_side_effect_stays_with_the_reason(tmp_path: Path, statement: str) -> None:
    """Importing azureml.automl puts the vendored AutoML packages on sys.path, which unpickling a v1
    AutoML model needs: the import binds nothing the script reads, yet it stays, and says why.  A
    name imported from the package is an ordinary import: it goes once nothing reads it."""
    script = project(tmp_path, f"import joblib\n{statement}  # Required for AutoML models\n"
                               "from azureml.train.automl import AutoMLConfig\n\nmodel = joblib.load('model.pkl')\n")
    report = fix(script)
    text = script.read_text()
    assert f"{statement}  # Required for AutoML models\n" in text
    assert "AutoMLConfig" not in text
    assert "AML099 left: the import stays for what importing it does: it puts the vendored AutoML packages" in report
    assert "[impossible]" in report
    fix(script)
    assert script.read_text() == text


def test_the_v2_model_table_is_azure_ai_mls_own() -> None:
    """set_training() looks each name up as camel_to_snake(name).upper() in the task's enum."""
    from azure.ai.ml._utils.utils import camel_to_snake
    from azure.ai.ml.automl import ClassificationModels, ForecastingModels, RegressionModels

    from flake8_azureml_v2.migrations.automl import V2_MODELS, v2_model_key

    assert V2_MODELS == {"classification": {m.name for m in ClassificationModels},
                         "regression": {m.name for m in RegressionModels},
                         "forecasting": {m.name for m in ForecastingModels}}
    for name in ("LightGBM", "XGBoostClassifier", "TCNForecaster", "AutoArima", "SGD", "FastLinearRegressor",
                 "TensorFlowDNN", "LinearSVM", "ExponentialSmoothing"):
        assert v2_model_key(name) == camel_to_snake(name).upper()


def test_models_v2_does_not_have_are_dropped_from_the_blocked_list_and_refused_when_allowed(tmp_path: Path) -> None:
    """v1 knew FastLinearRegressor and OnlineGradientDescentRegressor; v2's regression does not, and its
    set_training() raises KeyError on them.  Blocking a model v2 never tries changes nothing, so the
    name goes (with a note); allowing one v2 cannot train is refused."""
    migrated, report, job, _ = _migrate(tmp_path, """\
        bank = Dataset.get_by_name(ws, name="bank-marketing")
        config = AutoMLConfig(task="regression", compute_target="cpu-cluster", training_data=bank,
                              label_column_name="y",
                              blocked_models=["FastLinearRegressor", "LightGBM", "OnlineGradientDescentRegressor"])
        run = experiment.submit(config)
        """)
    assert 'set_training(blocked_training_algorithms=["LightGBM"]' in migrated, migrated
    assert "FastLinearRegressor, OnlineGradientDescentRegressor dropped from the blocked models" in report
    assert job["training"]["blocked_training_algorithms"] == ["light_gbm"]  # the enum member it resolved to
    (tmp_path / "allowed").mkdir()
    script = project(tmp_path / "allowed", HEADER + (
        "bank = Dataset.get_by_name(ws, name='bank')\n"
        "config = AutoMLConfig(task='regression', compute_target='c', training_data=bank, label_column_name='y',"
        " allowed_models=['FastLinearRegressor', 'LightGBM'])\nrun = experiment.submit(config)\n"))
    report = fix(script)
    assert "AML051 left: allowed_models= names FastLinearRegressor, which v2's regression cannot train" in report, report


def test_an_automl_runs_wait_never_raises_for_a_failed_job_as_v1s_did_not(tmp_path: Path) -> None:
    """An AutoMLRun's ``wait_for_completion(show_output=False, wait_post_processing=False)`` polls and
    returns the run's details whatever the outcome (it has no ``raise_on_error``); a plain Run's raises."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        bank = Dataset.get_by_name(ws, name="bank-marketing")
        config = AutoMLConfig(task="classification", compute_target="cpu-cluster", training_data=bank,
                              label_column_name="y")
        run = experiment.submit(config)
        run.wait_for_completion()
        run.wait_for_completion(show_output=False, wait_post_processing=True)
        run.wait_for_completion(show_output=True)
        print("after the waits")
        """))
    report = fix(script)
    migrated = script.read_text()
    assert "_v1_wait(ml_client, run.name, raise_on_error=False)\n" in migrated, report
    assert "_v1_wait(ml_client, run.name, raise_on_error=False, post_processing=True)\n" in migrated, report
    assert "_v1_show_automl_run(ml_client, run.name)\n" in migrated, report  # (jobs.stream raises for a failure)
    assert no_v1(migrated), migrated
    ruff_clean(script)
    records = execute(script, {"AML_JOB_STATUS": "Failed"})  # (execute asserts the program ran to its end)
    assert [r["operation"] for r in records].count("jobs.get") == 2
    assert [r["operation"] for r in records][-1] == "jobs.stream"
    fix(script)
    assert script.read_text() == migrated  # a second run changes nothing


def test_an_automl_wait_with_raise_on_error_is_left_as_v1_raised_type_error(tmp_path: Path) -> None:
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        bank = Dataset.get_by_name(ws, name="bank-marketing")
        config = AutoMLConfig(task="classification", compute_target="cpu-cluster", training_data=bank,
                              label_column_name="y")
        run = experiment.submit(config)
        run.wait_for_completion(raise_on_error=False)
        """))
    report = fix(script)
    assert "_v1_wait" not in script.read_text() and "run.wait_for_completion(raise_on_error=False)" in script.read_text()
    assert "AML001 left" in report, report


def test_a_run_that_is_an_automl_one_on_some_paths_only_keeps_its_submit_v1(tmp_path: Path) -> None:
    """Its wait could not be both v1 AutoMLRun's (never raises) and a plain run's (raises)."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        import os
        from azureml.core import ScriptRunConfig
        bank = Dataset.get_by_name(ws, name="bank-marketing")
        if os.environ.get("MODE") == "automl":
            config = AutoMLConfig(task="classification", compute_target="cpu-cluster", training_data=bank,
                                  label_column_name="y")
        else:
            config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
        run = experiment.submit(config)
        run.wait_for_completion()
        """))
    report = fix(script)
    assert "run = experiment.submit(config)\nrun.wait_for_completion()\n" in script.read_text(), report
    assert ("AML001 left: the submitted configuration is an AutoMLConfig on some paths only, and the two runs wait "
            "differently") in report, report


def test_comments_on_arguments_that_move_to_a_setter_go_with_them(tmp_path: Path) -> None:
    """A comment ending an argument's line, or inside its value, moves with the argument to
    ``set_limits``/``set_training``: it is neither left on the next argument nor written twice."""
    migrated, report, job, _ = _migrate(tmp_path, """\
        bank = Dataset.get_by_name(ws, name="bank-marketing")
        config = AutoMLConfig(
            task="classification",
            primary_metric="AUC_weighted",
            blocked_models=[
                "KNN",  # too slow here
                "LightGBM",
            ],  # blocked for the demo
            experiment_timeout_hours=0.5,  # half an hour
            training_data=bank,
            label_column_name="y",
            compute_target="cpu-cluster",
        )
        run = experiment.submit(config)
        """)
    assert "AML051 fixed" in report
    for comment in ("# too slow here", "# blocked for the demo", "# half an hour"):
        assert migrated.count(comment) == 1, migrated
    assert '''\
config = automl.classification(
    primary_metric="AUC_weighted",
    training_data=Input(type="mltable", path="azureml:bank-marketing@latest"),
    target_column_name="y",
    compute="cpu-cluster",
    enable_model_explainability=True,
)
# half an hour
config.set_limits(timeout_minutes=30, ''' in migrated, migrated
    assert '''\
# blocked for the demo
config.set_training(blocked_training_algorithms=[
        "KNN",  # too slow here
        "LightGBM",
    ], ''' in migrated, migrated
    assert job["limits"]["timeout_minutes"] == 30
    assert job["training"]["blocked_training_algorithms"] == ["knn", "light_gbm"]
    again = fix(tmp_path / "job.py")
    assert (tmp_path / "job.py").read_text() == migrated, again


def test_the_last_arguments_comment_moves_and_the_closing_bracket_keeps_its_line(tmp_path: Path) -> None:
    migrated, _, job, _ = _migrate(tmp_path, """\
        bank = Dataset.get_by_name(ws, name="bank-marketing")
        config = AutoMLConfig(task="classification", training_data=bank, label_column_name="y",
                              compute_target="cpu-cluster",
            iterations=5,
            max_concurrent_iterations=2,   # two at once
        )
        run = experiment.submit(config)
        """)
    assert migrated.count("# two at once") == 1
    assert "# two at once\nconfig.set_limits(max_trials=5, max_concurrent_trials=2," in migrated, migrated
    assert "    enable_model_explainability=True,\n)\n" in migrated, migrated  # the bracket keeps its line
    assert job["limits"]["max_trials"] == 5 and job["limits"]["max_concurrent_trials"] == 2
