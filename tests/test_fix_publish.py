"""pipeline.publish -> component + batch endpoint, Schedule.create -> JobSchedule, executed:
the component validates, the batch endpoint, deployment and schedule pass their REST
conversion (``_to_rest_object``, mapping-extension.md 9-10)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from .migrate_helpers import execute, fix, no_v1, project, ruff_clean

PIPELINE = """\
from azureml.core import Workspace
from azureml.data import OutputFileDatasetConfig
from azureml.pipeline.core import Pipeline, Schedule, ScheduleRecurrence
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
model_output = OutputFileDatasetConfig("model_output")
train_step = PythonScriptStep(name="train", script_name="train.py", arguments=["--epochs", 5, "--model", model_output],
                              source_directory="./src", compute_target="cpu-cluster")
pipeline = Pipeline(workspace=ws, steps=[train_step])
published = pipeline.publish(name="nightly_training", description="Trains nightly", version="1.0")
"""


def _run(tmp_path: Path, body: str) -> tuple[str, str, list[dict]]:
    script = project(tmp_path, PIPELINE + textwrap.dedent(body))
    report = fix(script)
    migrated = script.read_text()
    assert no_v1(migrated), report + migrated
    ruff_clean(script)
    records = execute(script)
    for record in records:
        assert record.get("rest_error") is None, record
        assert record.get("valid", True), record
    return migrated, report, records


def _records(records: list[dict], operation: str) -> list[dict]:
    return [r for r in records if r["operation"] == operation]


def test_publish_submit_and_schedule(tmp_path: Path) -> None:
    migrated, report, records = _run(tmp_path, """\
        run = published.submit(ws, "nightly", pipeline_parameters={"epochs": 3, "rate": 0.5})
        recurrence = ScheduleRecurrence(frequency="Week", interval=1, week_days=["Monday"], time_of_day="14:30")
        schedule = Schedule.create(ws, name="weekly", pipeline_id=published.id, experiment_name="nightly",
                                   recurrence=recurrence, wait_for_provisioning=True, description="weekly run")
        schedule.disable()
        """)
    assert "AML044 fixed" in report and "AML082 fixed" in report, report
    assert migrated.count("TODO(azureml-v2): AML044 HTTP callers") == 1
    assert "'nightly-training'" in migrated  # the v2 name, said in the TODO
    (component,) = _records(records, "components.create_or_update")
    assert component["type"] == "pipeline" and component["version"] == "1.0"
    first, with_default = [r["entity"] for r in _records(records, "batch_endpoints.begin_create_or_update")]
    assert first["name"] == "nightly-training" and first["description"] == "Trains nightly"
    assert first["auth_mode"] == "aad_token" and "defaults" not in first
    assert with_default["defaults"] == {"deployment_name": "v1-0"}
    (deployment,) = [r["entity"] for r in _records(records, "batch_deployments.begin_create_or_update")]
    assert deployment["name"] == "v1-0" and deployment["endpoint_name"] == "nightly-training"
    assert deployment["settings"] == {"default_compute": "cpu-cluster", "continue_on_step_failure": "False"}
    (invoke,) = _records(records, "batch_endpoints.invoke")
    assert invoke["endpoint_name"] == "nightly-training" and invoke["kwargs"] == {"experiment_name": "nightly"}
    assert invoke["inputs"] == {"epochs": {"type": "integer", "default": 3}, "rate": {"type": "number", "default": 0.5}}
    (schedule,) = _records(records, "schedules.begin_create_or_update")
    rest = schedule["rest"]["properties"]
    assert rest["trigger"]["frequency"] == "week" and rest["trigger"]["interval"] == 1
    assert rest["trigger"]["schedule"] == {"hours": [14], "minutes": [30], "weekDays": ["monday"]}
    assert rest["trigger"]["timeZone"] == "UTC" and rest["trigger"]["triggerType"] == "Recurrence"
    assert rest["action"]["actionType"] == "CreateJob"
    assert rest["action"]["jobDefinition"]["experimentName"] == "nightly"
    assert rest["action"]["jobDefinition"]["jobType"] == "Pipeline"
    assert rest["description"] == "weekly run"
    assert _records(records, "schedules.begin_disable")[0]["name"] == "weekly"


def test_a_publish_whose_result_nothing_keeps_still_makes_its_endpoint(tmp_path: Path) -> None:
    """Audit (stop 63, g): a bare ``pipeline.publish(...)`` was "not assigned to a variable"."""
    program = PIPELINE.replace("published = pipeline.publish(", "pipeline.publish(")
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML044 fixed" in report and no_v1(script.read_text()), report
    endpoints = [r["entity"] for r in _records(execute(script), "batch_endpoints.begin_create_or_update")]
    assert endpoints[0]["name"] == "nightly-training" and endpoints[-1]["defaults"] == {"deployment_name": "v1-0"}


@pytest.mark.parametrize(("given", "moves"), [("None", True), ("True", False)])
def test_a_schedule_continues_on_step_failure_only_as_the_published_pipeline_does(tmp_path: Path, given: str,
                                                                                   moves: bool) -> None:
    """None is v1's default, the published pipeline's own; v2 would set another value on the one pipeline
    job the program's other schedules and submits share (review, stop 63)."""
    script = project(tmp_path, PIPELINE + textwrap.dedent(f"""\
        recurrence = ScheduleRecurrence(frequency="Day", interval=1)
        schedule = Schedule.create(ws, name="daily", pipeline_id=published.id, experiment_name="nightly",
                                   recurrence=recurrence, continue_on_step_failure={given})
        """))
    report = fix(script)
    assert ("AML082 fixed" in report) is moves, report
    assert moves or "AML082 left: Schedule.create(continue_on_step_failure=): v2 sets it on the pipeline job" in report


@pytest.mark.parametrize(("recurrence", "trigger"), [
    ('ScheduleRecurrence(frequency="Day", interval=2, hours=[1, 13], minutes=[0], start_time="2030-01-01T00:00:00")',
     {"frequency": "day", "interval": 2, "schedule": {"hours": [1, 13], "minutes": [0]},
      "startTime": "2030-01-01T00:00:00"}),
    ('ScheduleRecurrence(frequency="Hour", interval=4, time_zone="Pacific Standard Time")',
     {"frequency": "hour", "interval": 4, "timeZone": "Pacific Standard Time"}),
])
def test_recurrences(tmp_path: Path, recurrence: str, trigger: dict) -> None:
    _, _, records = _run(tmp_path, f"""\
        schedule = Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e",
                                   recurrence={recurrence})
        """)
    rest = _records(records, "schedules.begin_create_or_update")[0]["rest"]["properties"]["trigger"]
    for key, value in trigger.items():
        assert rest[key] == value, rest


@pytest.mark.parametrize(("imported", "member", "zone"), [
    ("from azureml.pipeline.core import TimeZone", "TimeZone.TaipeiStandardTime", "Taipei Standard Time"),
    ("from azureml.pipeline.core.schedule import TimeZone as Zones", "Zones.UTC11", "UTC-11"),
    ("import azureml.pipeline.core as plc", "plc.TimeZone.PacificStandardTimeMexico", "Pacific Standard Time (Mexico)"),
])
def test_a_v1_time_zone_member_becomes_its_string(tmp_path: Path, imported: str, member: str, zone: str) -> None:
    """Audit y: v1's ``TimeZone`` members hold the strings v2's ``TimeZone`` holds (mapping-extension 9.2)."""
    migrated, _, records = _run(tmp_path, f"""\
        {imported}
        schedule = Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e",
                                   recurrence=ScheduleRecurrence(frequency="Hour", interval=4, time_zone={member}))
        """)
    rest = _records(records, "schedules.begin_create_or_update")[0]["rest"]["properties"]["trigger"]
    assert rest["timeZone"] == zone and f'time_zone="{zone}"' in migrated, migrated


def test_every_v1_time_zone_is_a_v2_time_zone() -> None:
    from azure.ai.ml.constants import TimeZone

    from flake8_azureml_v2.migrations._time_zones import V1_TIME_ZONES

    assert len(V1_TIME_ZONES) == 131
    assert set(V1_TIME_ZONES.values()) <= {zone.value for zone in TimeZone}


@pytest.mark.parametrize(("body", "code", "reason"), [
    ('schedule = Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e", datastore=None,'
     ' polling_interval=5)', "AML082", "v2 schedules cannot poll a datastore"),
    ('schedule = Schedule.create(ws, name="s", pipeline_id="0123-abcd", experiment_name="e",'
     ' recurrence=ScheduleRecurrence(frequency="Day", interval=1))', "AML082",
     "the id of a published pipeline, not its definition: there is no pipeline to schedule; v2: JobSchedule"),
    ('from azureml.pipeline.core import PublishedPipeline\nfound = PublishedPipeline.get(ws, id="0123-abcd")\n'
     'schedule = Schedule.create(ws, name="s", pipeline_id=found.id, experiment_name="e",'
     ' recurrence=ScheduleRecurrence(frequency="Day", interval=1))', "AML082",
     "not its definition: there is no pipeline to schedule; v2: JobSchedule(trigger=RecurrenceTrigger(...), "
     "create_job=pipeline_job) and ml_client.schedules [impossible]"),
    # audit q: published from the run of the pipeline, which is in scope: not impossible, not migrated yet
    ('from azureml.core import Experiment\npipeline_run = Experiment(ws, "e").submit(pipeline)\n'
     'from_run = pipeline_run.publish_pipeline(name="p", description="d", version="1.0")\n'
     'schedule = Schedule.create(ws, name="s", pipeline_id=from_run.id, experiment_name="e",'
     ' recurrence=ScheduleRecurrence(frequency="Day", interval=1))', "AML082",
     "published from a run (publish_pipeline()), which this fix does not migrate yet"),
    ('schedule = Schedule.create(ws, name="s", pipeline_id=published_ids["nightly"], experiment_name="e",'
     ' recurrence=ScheduleRecurrence(frequency="Day", interval=1))', "AML082",
     "not the id of a pipeline this program publishes with pipeline.publish(...); v2: JobSchedule(trigger="
     "RecurrenceTrigger(...), create_job=pipeline_job) and ml_client.schedules [data-flow limit]"),
    ("print(published.endpoint)", "AML044", "which this fix cannot translate"),
    # invoke returns a BatchJob (id, name, type, status), which has no wait_for_completion
    ('run = published.submit(ws, "nightly")\nrun.wait_for_completion(show_output=True)', "AML044",
     "the run published.submit() returns is used at line 13, and v2's batch_endpoints.invoke returns a BatchJob"),
])
def test_what_has_no_v2_form_is_reported(tmp_path: Path, body: str, code: str, reason: str) -> None:
    script = project(tmp_path, PIPELINE + body + "\n")
    report = fix(script)
    assert f"{code} left" in report and reason in report, report


def test_a_name_computed_at_run_time_is_cleaned_at_run_time(tmp_path: Path) -> None:
    """publish(name=<expression>): the same cleaning, done by a helper on the value v1 got."""
    script = project(tmp_path, PIPELINE.replace(
        'published = pipeline.publish(name="nightly_training"',
        'import datetime\nstamp = datetime.date(2030, 1, 1).strftime("%Y_%m_%d")\nrun_name = stamp + " nightly"\n'
        'published = pipeline.publish(name=run_name'))
    report = fix(script)
    assert "AML044 fixed" in report, report
    migrated = script.read_text()
    assert "_v1_endpoint_name(run_name)" in migrated and migrated.count("_v1_endpoint_name(") == 2  # def + call
    assert "the endpoint's name is the pipeline's name with only letters, digits and '-'" in migrated
    ruff_clean(script)
    records = execute(script)
    first, with_default = [r["entity"] for r in _records(records, "batch_endpoints.begin_create_or_update")]
    assert first["name"] == with_default["name"] == "p-2030-01-01-nightly"
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before


def test_a_name_from_a_call_is_left(tmp_path: Path) -> None:
    script = project(tmp_path, PIPELINE.replace('name="nightly_training"', "name=make_name()"))
    script.write_text("def make_name():\n    return 'n'\n\n\n" + script.read_text())
    report = fix(script)
    assert "AML044 left: the published name is not a literal or a plain expression" in report, report
    assert 'published = pipeline.publish(name=make_name(), description="Trains nightly"' in script.read_text()


def test_a_name_built_from_known_strings_is_cleaned_where_it_is_written(tmp_path: Path) -> None:
    """``stamp + " nightly"`` of strings the program fixes is known: the endpoint name is written out."""
    script = project(tmp_path, PIPELINE.replace(
        'published = pipeline.publish(name="nightly_training"',
        'stamp = "2030_01_01"\nrun_name = stamp + " nightly"\npublished = pipeline.publish(name=run_name'))
    report = fix(script)
    assert "AML044 fixed" in report, report
    migrated = script.read_text()
    assert "_v1_endpoint_name(" not in migrated
    records = execute(script)
    first, with_default = [r["entity"] for r in _records(records, "batch_endpoints.begin_create_or_update")]
    assert first["name"] == with_default["name"] == "p-2030-01-01-nightly"


@pytest.mark.parametrize(("lookup", "reason"), [
    ('PublishedPipeline.get(ws, id="0b2c7a4e")',
     "is a published pipeline looked up in the workspace, which has no v2 counterpart to find: publish the pipeline "
     "as a v2 batch endpoint and use ml_client.batch_endpoints.invoke(endpoint_name=..., experiment_name=..., "
     "inputs=...) [impossible]"),
    ('[p for p in PublishedPipeline.list(ws) if p.version == "42"][0]',
     "is a published pipeline looked up in the workspace, which has no v2 counterpart to find"),
    ('PipelineEndpoint.get(workspace=ws, name="nightly")',
     "is a published pipeline, which v2 runs through its batch endpoint: ml_client.batch_endpoints.invoke("
     "endpoint_name=..., experiment_name=..., inputs=...) [not yet supported]"),
])
def test_an_experiment_submitting_a_published_pipeline_names_the_batch_endpoint(tmp_path: Path, lookup: str,
                                                                                reason: str) -> None:
    """v2 runs a published pipeline through its batch endpoint, not jobs.create_or_update (audits a, f: the
    finding and its reason named the job form, and blamed pipeline_parameters=); one looked up by id has
    no v2 object to find (mapping-extension 9.1)."""
    script = project(tmp_path, f"""\
from azureml.core import Experiment, Workspace
from azureml.pipeline.core import PipelineEndpoint, PublishedPipeline

ws = Workspace.from_config()
published = {lookup}
run = Experiment(ws, "mlops-train").submit(published, pipeline_parameters={{"model_name": "m.pkl"}})
""")
    report = fix(script)
    [line] = [line for line in report.splitlines() if " AML001 " in line]
    assert f": AML001 left: `published` {reason}" in line, line
    assert "jobs.create_or_update" not in line and "pipeline_parameters" not in line


@pytest.mark.parametrize("experiment", ['Experiment(ws, "nightly-runs")',
                                        'experiment = Experiment(ws, "nightly-runs")\nexperiment'])
def test_an_experiment_submitting_this_files_publish_invokes_its_batch_endpoint(tmp_path: Path, experiment: str) -> None:
    """``experiment.submit(published, pipeline_parameters=...)`` is v1's ``published.submit(ws, name, ...)``
    (audit f: it was refused while the other spelling migrated)."""
    head, _, receiver = experiment.rpartition("\n")
    migrated, report, records = _run(tmp_path, f"""\
from azureml.core import Experiment
{head}
run = {receiver}.submit(published, pipeline_parameters={{"epochs": 7}})
""")
    assert "AML001 fixed: rewritten with the AML044 fix" in report and "AML040 fixed" in report, report
    assert "Experiment(" not in migrated
    (invoked,) = [r for r in records if r["operation"] == "batch_endpoints.invoke"]
    assert invoked["endpoint_name"] == "nightly-training" and invoked["kwargs"] == {"experiment_name": "nightly-runs"}
    assert invoked["inputs"] == {"epochs": {"type": "integer", "default": 7}}
