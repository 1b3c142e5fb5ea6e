"""Pipeline schedules (AML082): ``Schedule.create(..., recurrence=...)`` becomes a ``JobSchedule``.

mapping-extension.md 9.2::

    recurrence = ScheduleRecurrence(frequency="Week", interval=1, week_days=["Monday"], time_of_day="14:30")
    schedule = Schedule.create(ws, name="weekly", pipeline_id=published.id, experiment_name="exp",
                               recurrence=recurrence, wait_for_provisioning=True)
    ->
    recurrence = RecurrenceTrigger(frequency="week", interval=1,
                                   schedule=RecurrencePattern(hours=[14], minutes=[30], week_days=["monday"]))
    pipeline.experiment_name = "exp"
    schedule = JobSchedule(name="weekly", trigger=recurrence, create_job=pipeline)
    ml_client.schedules.begin_create_or_update(schedule).result()

Behaviour-preserving when ``pipeline_id`` is the id of a pipeline this program
published (the v2 schedule runs that pipeline job).  A bare id string has no
pipeline definition to schedule, and a datastore-polling (reactive) schedule
has no v2 form: both impossible.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.findings import RefusalKind
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, constant_str, is_none, py_str
from ..engine.fixing.edits import apply_in_span
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import (
    Argument,
    Build,
    CallSpec,
    Keep,
    Map,
    MethodSpec,
    Refused,
    apply_call_spec,
    apply_method_spec,
)
from ..engine.names import Binding, Ref
from ..v1api import SURFACE
from ._time_zones import V1_TIME_ZONES
from ._common import workspace_binding
from ._origin import result_binding, single_use_call
from .publish import published_pipeline

CODE = "AML082"
SCHEDULE = "azureml.pipeline.core.Schedule"
SCHEDULE_CREATE = f"{SCHEDULE}.create"
RECURRENCE = "azureml.pipeline.core.ScheduleRecurrence"
TIME_ZONE = "azureml.pipeline.core.TimeZone"
_ENTITIES = "azure.ai.ml.entities"
CREATE_SIGNATURE = ["workspace", "name", "pipeline_id", "experiment_name", "recurrence", "description",
                    "pipeline_parameters", "wait_for_provisioning", "wait_timeout", "datastore", "polling_interval",
                    "data_path_parameter_name", "continue_on_step_failure", "path_on_datastore"]
_REACTIVE = ("datastore", "polling_interval", "data_path_parameter_name", "path_on_datastore")
_FREQUENCIES = ("Minute", "Hour", "Day", "Week", "Month")


def _pattern_part(argument: Argument) -> list[str]:
    return []  # collected into schedule=RecurrencePattern(...) by _pattern


def _frequency(argument: Argument) -> str:
    value = constant_str(argument.node)
    if value not in _FREQUENCIES:
        raise Refused("frequency= is not a literal Minute/Hour/Day/Week/Month", RefusalKind.DATA_FLOW)
    return py_str(value.lower())  # the documented v2 values are lower-case; the SDK passes case through


def _time_zone(argument: Argument) -> str:
    """A literal string stays; v1's ``TimeZone.PacificStandardTime`` becomes its string, which v2's
    ``TimeZone`` holds too (audit y)."""
    if constant_str(argument.node) is not None:
        return argument.text
    value = argument.ctx.value_of_argument(argument.node)
    if isinstance(value, Ref):
        owner, _, member = value.qualname.rpartition(".")
        if SURFACE.canonical(owner) == TIME_ZONE and member in V1_TIME_ZONES:
            return py_str(V1_TIME_ZONES[member])
    raise Refused("time_zone= is neither a literal string nor a member of v1's TimeZone (v2's TimeZone values "
                  "are the same strings)", RefusalKind.DATA_FLOW)


def _literal_list(argument: Argument | None) -> list[ast.expr] | None:
    if argument is None:
        return None
    if not isinstance(argument.node, (ast.List, ast.Tuple)) or not all(isinstance(e, ast.Constant) for e in argument.node.elts):
        raise Refused(f"{argument.name}= is not a literal list", RefusalKind.DATA_FLOW)
    return list(argument.node.elts)


def _pattern(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> list[str]:
    """hours/minutes/week_days/time_of_day -> ``schedule=RecurrencePattern(...)``."""
    hours, minutes = _literal_list(arguments.get("hours")), _literal_list(arguments.get("minutes"))
    days = _literal_list(arguments.get("week_days"))
    if "time_of_day" in arguments:
        if hours is not None or minutes is not None:
            raise Refused("time_of_day= together with hours=/minutes=", RefusalKind.DATA_FLOW)
        clock = constant_str(arguments["time_of_day"].node) or ""
        hour, _, minute = clock.partition(":")
        if not (hour.isdigit() and minute.isdigit()):
            raise Refused("time_of_day= is not a literal 'HH:MM'", RefusalKind.DATA_FLOW)
        hours_text, minutes_text = f"[{int(hour)}]", f"[{int(minute)}]"
    elif hours is None and minutes is None:
        if days is not None:
            raise Refused("week_days= without a time of day: v2 needs the hours and minutes", RefusalKind.DATA_FLOW)
        return []
    elif hours is None or minutes is None:
        raise Refused("hours= without minutes= (or the reverse): v2 needs both", RefusalKind.DATA_FLOW)
    else:
        hours_text = "[" + ", ".join(ctx.locator.text(h) for h in hours) + "]"
        minutes_text = "[" + ", ".join(ctx.locator.text(m) for m in minutes) + "]"
    parts = [f"hours={hours_text}", f"minutes={minutes_text}"]
    if days is not None:
        if not all(isinstance(d.value, str) for d in days):  # type: ignore[attr-defined]
            raise Refused("week_days= is not a list of day names", RefusalKind.DATA_FLOW)
        parts.append("week_days=[" + ", ".join(py_str(d.value.lower()) for d in days) + "]")  # type: ignore[attr-defined]
    return [f"schedule={ctx.symbol(_ENTITIES, 'RecurrencePattern')}({', '.join(parts)})"]


RECURRENCE_SPEC = CallSpec(
    old=RECURRENCE,
    signature=("frequency", "interval", "start_time", "time_zone", "hours", "minutes", "week_days", "time_of_day"),
    new=(_ENTITIES, "RecurrenceTrigger"),
    params={
        "frequency": Map("frequency", _frequency),
        "interval": Keep("interval"),
        "start_time": Keep("start_time"),
        "time_zone": Map("time_zone", _time_zone),
        **{p: Build(_pattern_part) for p in ("hours", "minutes", "week_days", "time_of_day")},
    },
    finish=_pattern,
)

SCHEDULE_METHODS = (
    MethodSpec("disable", ("wait_for_provisioning", "wait_timeout"), finding=CODE, statement_only=True,
               template="{client}.schedules.begin_disable({receiver}.name).result()"),
    MethodSpec("enable", ("wait_for_provisioning", "wait_timeout"), finding=CODE, statement_only=True,
               template="{client}.schedules.begin_enable({receiver}.name).result()"),
)


def _recurrence(node: ast.expr | None, rewrite: Rewrite, ctx: FixContext) -> str:
    """The trigger: a ScheduleRecurrence(...) rebuilt in place as RecurrenceTrigger(...)."""
    if node is None:
        raise Refused("Schedule.create() without recurrence= (a reactive schedule) has no v2 form",
                      RefusalKind.IMPOSSIBLE)
    call, _ = single_use_call(node, ctx, "recurrence=")
    if ctx.callee(call) != RECURRENCE:
        raise Refused("recurrence= is not a ScheduleRecurrence(...)", RefusalKind.DATA_FLOW)
    rewrite.findings.append((CODE, call))
    if call is not node:
        apply_call_spec(RECURRENCE_SPEC, call, rewrite, ctx)  # in place, where the variable is built
        return ctx.locator.text(node)
    scratch = Rewrite(CODE, call, "")  # inline: the trigger's text moves into the new statement
    apply_call_spec(RECURRENCE_SPEC, call, scratch, ctx)
    return apply_in_span(ctx.text, ctx.locator.start(call), ctx.locator.end(call), scratch.edits)


def _unscheduled(node: ast.expr | None, ctx: FixContext) -> Refused:
    """Why a ``pipeline_id=`` has no pipeline to schedule here: a bare id (a literal, a published
    pipeline looked up) has none at all (mapping-extension 9.2); one published from a run this
    fix does not migrate yet (audit q: it said impossible); anything else is not followed."""
    origin = node.value if isinstance(node, ast.Attribute) and node.attr == "id" else None
    binding = ctx.binding_of(origin) if isinstance(origin, ast.Name) else None
    made = getattr(binding.node, "value", None) if binding is not None else origin
    method = made.func.attr if isinstance(made, ast.Call) and isinstance(made.func, ast.Attribute) else None
    if method == "publish_pipeline":
        return Refused("pipeline_id= is the id of a pipeline published from a run (publish_pipeline()), which this "
                       "fix does not migrate yet: publish the Pipeline object instead (pipeline.publish(...)), or "
                       "migrate the schedule by hand")
    if constant_str(node) is not None or isinstance(made, ast.Call) and (ctx.callee(made) or "").startswith(_LOOKUPS):
        return Refused("pipeline_id= is the id of a published pipeline, not its definition: there is no pipeline "
                       "to schedule", RefusalKind.IMPOSSIBLE)
    return Refused("pipeline_id= is not the id of a pipeline this program publishes with pipeline.publish(...)",
                   RefusalKind.DATA_FLOW)


# Calls that look a published pipeline up by id or name: what they give has no definition here.
_LOOKUPS = ("azureml.pipeline.core.PublishedPipeline.", "azureml.pipeline.core.PipelineEndpoint.")


def _create(call: ast.Call, binding: Binding | None, rewrite: Rewrite, ctx: FixContext) -> None:
    bound = bind_arguments(call, CREATE_SIGNATURE)
    if isinstance(bound, str):
        raise Refused(bound, RefusalKind.DATA_FLOW)
    values = bound.values
    reactive = sorted(set(values) & set(_REACTIVE))
    if reactive:
        raise Refused(f"{', '.join(reactive)}=: v2 schedules cannot poll a datastore", RefusalKind.IMPOSSIBLE)
    for name in ("pipeline_parameters", "wait_timeout"):
        if name in values:
            raise Refused(f"Schedule.create({name}=): set it on the pipeline job by hand")
    step_failure = values.get("continue_on_step_failure")  # (None: v1's default, the published pipeline's own)
    if step_failure is not None and not is_none(step_failure):
        # (review, stop 63: set on the one pipeline job object, it reached the program's other schedules and submits)
        raise Refused("Schedule.create(continue_on_step_failure=): v2 sets it on the pipeline job, which this "
                      "program's other schedules and submits share; give this schedule a job of its own by hand")
    found = published_pipeline(values.get("pipeline_id"), ctx)
    if found is None:
        raise _unscheduled(values.get("pipeline_id"), ctx)
    _, pipeline = found
    workspace = workspace_binding(ctx, values.get("workspace"))
    if workspace is None or "name" not in values or "experiment_name" not in values:
        raise Refused("Schedule.create() without a Workspace variable, a name and an experiment name",
                      RefusalKind.DATA_FLOW)
    rewrite.consumes.extend([values["workspace"], values["pipeline_id"].value])  # type: ignore[list-item, union-attr]
    client = ctx.counterpart(workspace)
    trigger = _recurrence(values.get("recurrence"), rewrite, ctx)
    target = binding.name if binding is not None else ctx.fresh_name("schedule")
    schedule = [f"name={ctx.locator.text(values['name'])}", f"trigger={trigger}", f"create_job={pipeline.id}"]
    if "description" in values:
        schedule.append(f"description={ctx.locator.text(values['description'])}")
    wait = values.get("wait_for_provisioning")
    waits = isinstance(wait, ast.Constant) and wait.value is True
    if wait is not None and not isinstance(wait, ast.Constant):
        raise Refused("wait_for_provisioning= is not True or False", RefusalKind.DATA_FLOW)
    lines = [
        f"{pipeline.id}.experiment_name = {ctx.locator.text(values['experiment_name'])}",
        f"{target} = {ctx.symbol(_ENTITIES, 'JobSchedule')}({', '.join(schedule)})",
        f"{client}.schedules.begin_create_or_update({target}){'.result()' if waits else ''}",
    ]
    statement = ctx.statement_of(call)
    newline = ctx.locator.newline + ctx.locator.indentation(statement)
    rewrite.edits.append(statements.replace_statement(ctx.locator, statement, newline.join(lines)))
    for use in binding.uses if binding is not None else []:
        if any(apply_method_spec(spec, use, rewrite, ctx, {"client": client}) for spec in SCHEDULE_METHODS):
            continue


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``schedule = Schedule.create(...)`` -> ``JobSchedule`` + ``ml_client.schedules.begin_create_or_update``."""
    for site in ctx.model.calls_to(SCHEDULE_CREATE):
        call = site.node
        rewrite = Rewrite(CODE, call, "Schedule.create() -> JobSchedule")
        binding = None
        try:
            binding = rewrite.binding = result_binding(call, ctx, "schedule")
            _create(call, binding, rewrite, ctx)
        except Refused as reason:
            rewrite.refuse(str(reason), reason.kind)
            rewrite.findings.extend((CODE, use_call) for use_call in _method_calls(binding, ctx))
        yield rewrite


def _method_calls(schedule: Binding | None, ctx: FixContext) -> list[ast.Call]:
    """``schedule.disable()`` and the like: they are left with the schedule's reason."""
    found = []
    for use in schedule.uses if schedule is not None else []:
        attribute, call = ctx.parent(use), ctx.parent(ctx.parent(use))  # type: ignore[arg-type]
        if isinstance(attribute, ast.Attribute) and isinstance(call, ast.Call) and call.func is attribute:
            found.append(call)
    return found

