"""AML082: v1 pipeline schedules (``Schedule.create``, ``ScheduleRecurrence``, a schedule's methods)."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ..migrations import fixer
from ._matchers import calls_to, method_calls, sg_calls, sg_method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit

SCHEDULE = "azureml.pipeline.core.Schedule"
_V2 = "JobSchedule(trigger=RecurrenceTrigger(...), create_job=pipeline_job) and ml_client.schedules"
_CALLS = calls_to(SCHEDULE, "azureml.pipeline.core.ScheduleRecurrence", members=True)
_METHODS = method_calls(SCHEDULE, "disable", "enable", "update", "get_last_pipeline_run", "get_pipeline_runs")


def detect(ctx: Context) -> Iterator[Hit]:
    """``Schedule.create()``/``get()``/``list()``, ``ScheduleRecurrence()`` and a schedule's methods."""
    for node in _CALLS(ctx):
        yield node
    for node in _METHODS(ctx):
        yield node, f"schedule.{node.func.attr}() is Azure ML SDK v1; use ml_client.schedules"  # type: ignore[union-attr]


RULE = Rule(
    code="AML082",
    name="pipeline-schedule",
    family=Family.RUNS,
    v1="Schedule.create() / ScheduleRecurrence()",
    v2=_V2,
    article="migrate-to-v2-deploy-pipelines",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    message=f"Schedule / ScheduleRecurrence is Azure ML SDK v1; use {_V2}",
    why=(
        "A v2 schedule runs a job definition, not a published pipeline id: JobSchedule(create_job=pipeline_job, "
        "trigger=RecurrenceTrigger(frequency, interval, schedule=RecurrencePattern(hours, minutes, week_days))) "
        "created with ml_client.schedules.begin_create_or_update. Frequencies and week days are lower-case. "
        "Schedules that poll a datastore for changes have no v2 equivalent."
    ),
    example=(
        "recurrence = ScheduleRecurrence(frequency='Week', interval=1, week_days=['Monday'], time_of_day='14:30')\n"
        "schedule = Schedule.create(ws, name='weekly', pipeline_id=published.id,\n"
        "                           experiment_name='training', recurrence=recurrence)"
    ),
    use_instead=(
        "trigger = RecurrenceTrigger(frequency='week', interval=1,\n"
        "                            schedule=RecurrencePattern(hours=[14], minutes=[30], week_days=['monday']))\n"
        "ml_client.schedules.begin_create_or_update(\n"
        "    JobSchedule(name='weekly', trigger=trigger, create_job=pipeline_job)).result()"
    ),
    sg_rule={"any": [sg_calls("Schedule", "ScheduleRecurrence", "Schedule.create", "Schedule.get", "Schedule.list"),
                     sg_method_calls("disable", "enable")]},
    fixer=fixer("schedules"),
)
