"""Publishing a pipeline (AML044): a pipeline component behind a batch endpoint.

mapping-extension.md 9.1::

    published = pipeline.publish(name="nightly", description="d", version="1.0")
    ->
    published_component = ml_client.components.create_or_update(pipeline.component, version="1.0")
    published = BatchEndpoint(name="nightly", description="d")
    ml_client.batch_endpoints.begin_create_or_update(published).result()
    published_deployment = PipelineComponentBatchDeployment(name="v1-0", endpoint_name=published.name,
        component=published_component, settings={"default_compute": ..., "continue_on_step_failure": "False"})
    ml_client.batch_deployments.begin_create_or_update(published_deployment).result()
    published = BatchEndpoint(name="nightly", description="d", defaults={"deployment_name": published_deployment.name})
    ml_client.batch_endpoints.begin_create_or_update(published).result()

The published variable holds the batch endpoint.  ``published.submit(ws, exp,
pipeline_parameters={...})`` becomes ``ml_client.batch_endpoints.invoke``
with literal parameters as typed inputs.  HTTP callers of the v1 REST endpoint
must change contract: a documented default with a TODO; ``published.endpoint``
itself (the v1 REST URL) is left, which keeps the publish as it is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from ..engine.findings import RefusalKind, line_ref
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, constant_str, known_str, py_str
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Refused
from ..engine.names import Binding, Instance
from ._common import printed, workspace_binding
from .submission import experiment_parts, holds_at
from ._todo import add_todo

PIPELINE = "azureml.pipeline.core.Pipeline"
EXPERIMENT = "azureml.core.Experiment"
PUBLISH_SIGNATURE = ["name", "description", "version", "continue_on_step_failure"]
SUBMIT_SIGNATURE = ["workspace", "experiment_name", "pipeline_parameters", "parent_run_id", "continue_on_step_failure"]
_ENTITIES = "azure.ai.ml.entities"
_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string"}
_TODO = ("HTTP callers of the v1 published pipeline's REST endpoint must switch to the batch endpoint's contract "
         "(ml_client.batch_endpoints.invoke or its scoring URI with an AAD token)")


_NAME_HELPER = "_v1_endpoint_name"
# The one definition of the cleaning: written into a program that cleans its name at run
# time, and run here (see _cleaned) on a name known when fixing.
_NAME_SOURCE = f'''def {_NAME_HELPER}(name):
    """A v2 endpoint name (3-32 characters, a letter first, '-' only) for a v1 published pipeline's name."""
    kept = "".join(c if c.isascii() and (c.isalnum() or c == "-") else " " for c in str(name))
    name = "-".join(kept.split()).strip("-")
    name = name if name[:1].isalpha() else f"p-{{name}}"
    return name[:32].rstrip("-").ljust(3, "0")
'''
_SIDE_EFFECTS = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr, ast.Lambda)


def _compiled(source: str, name: str) -> Callable[[str], str]:
    namespace: dict[str, Callable[[str], str]] = {}
    exec(source, namespace)  # this module's own constant, the very text migrated programs get
    return namespace[name]


_cleaned = _compiled(_NAME_SOURCE, _NAME_HELPER)


def endpoint_name(node: ast.expr | None, fallback: str, ctx: FixContext | None = None) -> str:
    """A v2 endpoint name for v1's pipeline name (a literal, or with ``ctx`` a variable that
    certainly holds one)."""
    if node is None:
        literal: str | None = fallback
    else:
        literal = known_str(ctx, node) if ctx is not None else constant_str(node)
    if literal is None:
        raise Refused("the published name is not a literal", RefusalKind.DATA_FLOW)
    return _cleaned(literal)


def _endpoint_name_source(node: ast.expr | None, fallback: str, rewrite: Rewrite, ctx: FixContext) -> str:
    """The endpoint name as source: a literal when the v1 name is known here, else the
    same cleaning done at run time on the v1 name's expression (evaluated once, as in v1)."""
    try:
        return py_str(endpoint_name(node, fallback, ctx))
    except Refused:
        if node is None or any(isinstance(part, _SIDE_EFFECTS) for part in ast.walk(node)):
            raise Refused("the published name is not a literal or a plain expression", RefusalKind.DATA_FLOW) from None
        rewrite.helpers[_NAME_HELPER] = _NAME_SOURCE
        return f"{_NAME_HELPER}({ctx.locator.text(node)})"


def _deployment_name(version: ast.expr | None) -> str:
    literal = constant_str(version) if version is not None else None
    if version is not None and literal is None:
        raise Refused("version= is not a literal", RefusalKind.DATA_FLOW)
    return "v" + re.sub(r"[^A-Za-z0-9-]+", "-", literal or "1")


def _publish_lines(pipeline: str, target: str, values: dict[str, ast.expr], client: str, rewrite: Rewrite,
                   ctx: FixContext) -> list[str]:
    name = _endpoint_name_source(values.get("name"), pipeline, rewrite, ctx)
    again = f"{target}.name" if name.startswith(_NAME_HELPER) else name  # cleaned at run time: once
    version = values.get("version")
    continue_on_failure = values.get("continue_on_step_failure")
    if continue_on_failure is not None and not (isinstance(continue_on_failure, ast.Constant)
                                                and isinstance(continue_on_failure.value, bool)):
        raise Refused("continue_on_step_failure= is not True or False", RefusalKind.DATA_FLOW)
    keep_going = str(bool(continue_on_failure.value)) if continue_on_failure is not None else "False"  # type: ignore[union-attr]
    description = f", description={ctx.locator.text(values['description'])}" if "description" in values else ""
    component, deployment = ctx.fresh_name(f"{target}_component"), ctx.fresh_name(f"{target}_deployment")
    endpoint_class = ctx.symbol(_ENTITIES, "BatchEndpoint")
    version_text = f", version={ctx.locator.text(version)}" if version is not None else ""
    settings = (f'{{"default_compute": {pipeline}.settings.default_compute, '
                f'"continue_on_step_failure": "{keep_going}"}}')
    return [
        f"{component} = {client}.components.create_or_update({pipeline}.component{version_text})",
        f"{target} = {endpoint_class}(name={name}{description})",
        f"{client}.batch_endpoints.begin_create_or_update({target}).result()",
        f"{deployment} = {ctx.symbol(_ENTITIES, 'PipelineComponentBatchDeployment')}(name={py_str(_deployment_name(version))}, "
        f"endpoint_name={target}.name, component={component}, settings={settings})",
        f"{client}.batch_deployments.begin_create_or_update({deployment}).result()",
        f'{target} = {endpoint_class}(name={again}{description}, defaults={{"deployment_name": {deployment}.name}})',
        f"{client}.batch_endpoints.begin_create_or_update({target}).result()",
    ]


def _workspace_of(pipeline: Binding, ctx: FixContext) -> Binding:
    """The Workspace the v1 Pipeline(ws, ...) was built with: its client publishes."""
    statement = pipeline.node
    call = statement.value if isinstance(statement, ast.Assign) else None
    bound = bind_arguments(call, ["workspace", "steps"]) if isinstance(call, ast.Call) else "?"
    workspace = workspace_binding(ctx, bound.values.get("workspace")) if not isinstance(bound, str) else None
    if workspace is None:
        raise Refused("the pipeline's workspace is not a Workspace variable", RefusalKind.DATA_FLOW)
    return workspace


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``published = pipeline.publish(...)`` -> component, batch endpoint and deployment."""
    for site in ctx.model.method_calls(PIPELINE, "publish"):
        call = site.node
        rewrite = Rewrite("AML044", call, "pipeline.publish() -> pipeline component on a batch endpoint")
        binding = ctx.assigned_binding(call)
        rewrite.binding = binding
        try:
            statement = ctx.statement_of(call)
            if binding is None and not (isinstance(statement, ast.Expr) and statement.value is call):
                raise Refused("the published pipeline is not assigned to a variable", RefusalKind.DATA_FLOW)
            # (a bare ``pipeline.publish(...)``: its endpoint gets a name of its own, audit, stop 63, g)
            published = binding.name if binding is not None else ctx.fresh_name("published_pipeline")
            receiver = call.func.value  # type: ignore[attr-defined]
            pipeline = ctx.binding_of(receiver) if isinstance(receiver, ast.Name) else None
            if pipeline is None:
                raise Refused("the published pipeline is not a variable", RefusalKind.DATA_FLOW)
            bound = bind_arguments(call, PUBLISH_SIGNATURE)
            if isinstance(bound, str):
                raise Refused(bound, RefusalKind.DATA_FLOW)
            workspace = _workspace_of(pipeline, ctx)
            client = ctx.counterpart(workspace)
            rewrite.consumes.append(receiver)
            lines = _publish_lines(receiver.id, published, bound.values, client, rewrite, ctx)
            newline = ctx.locator.newline + ctx.locator.indentation(statement)
            rewrite.edits.append(statements.replace_statement(ctx.locator, statement, newline.join(lines)))
            given = bound.values.get("name")
            known = known_str(ctx, given) if given is not None else None
            if given is not None and known is None:
                renaming = "; the endpoint's name is the pipeline's name with only letters, digits and '-'"
            elif known is not None and known != endpoint_name(given, "", ctx):
                renaming = f"; the endpoint is named {endpoint_name(given, '', ctx)!r} (letters, digits and '-')"
            else:
                renaming = ""
            add_todo(ctx, rewrite, statement, "AML044", _TODO + renaming)
            if binding is not None:
                _handle(binding, client, workspace, rewrite, ctx)
        except Refused as reason:
            rewrite.refuse(str(reason), reason.kind)
            rewrite.findings.extend(("AML044", node) for node in _handle_nodes(binding, ctx))
            rewrite.findings.extend(("AML001", node) for node in _experiment_submits(binding, ctx))
        yield rewrite


def _handle_nodes(published: Binding | None, ctx: FixContext) -> list[ast.AST]:
    """``published.submit(...)`` and ``published.endpoint``: left with the publish's reason."""
    found: list[ast.AST] = []
    for use in published.uses if published is not None else []:
        attribute = ctx.parent(use)
        if isinstance(attribute, ast.Attribute) and attribute.attr in ("submit", "endpoint"):
            call = ctx.parent(attribute)
            found.append(call if isinstance(call, ast.Call) and call.func is attribute else attribute)
    return found


def _experiment_submits(published: Binding | None, ctx: FixContext) -> list[ast.Call]:
    """``experiment.submit(published, ...)``: v1 ran the published pipeline as ``published.submit``
    does, under the experiment's name."""
    found = []
    for use in published.uses if published is not None else []:
        call = ctx.parent(use)
        if (isinstance(call, ast.Call) and call.args[:1] == [use] and isinstance(call.func, ast.Attribute)
                and call.func.attr == "submit"):
            found.append(call)
    return found


def _handle(published: Binding, client: str, workspace: Binding, rewrite: Rewrite, ctx: FixContext) -> None:
    """``published.submit(ws, exp, pipeline_parameters={...})`` -> ``batch_endpoints.invoke``; a
    schedule (AML082) takes ``published.id`` over; other uses stay (and keep the publish)."""
    for use in published.uses:
        attribute = ctx.parent(use)
        call = ctx.parent(attribute) if isinstance(attribute, ast.Attribute) else None
        if isinstance(attribute, ast.Attribute) and attribute.attr == "submit" and isinstance(call, ast.Call):
            rewrite.edits.append(statements.replace(ctx.locator, call, invoke(call, use.id, client, rewrite, ctx)))
            rewrite.own_uses.add(id(use))
        elif isinstance(attribute, ast.Call) and attribute in _experiment_submits(published, ctx):
            text = _invoke_for_experiment(attribute, use.id, client, rewrite, ctx)
            rewrite.edits.append(statements.replace(ctx.locator, attribute, text))
            rewrite.own_uses.add(id(use))
        elif isinstance(ctx.parent(use), ast.Call) and getattr(ctx.parent(use).func, "id", None) == "print":  # type: ignore[union-attr]
            rewrite.own_uses.add(id(use))


def invoke(call: ast.Call, endpoint: str, client: str, rewrite: Rewrite, ctx: FixContext) -> str:
    """``PublishedPipeline.submit`` -> ``ml_client.batch_endpoints.invoke`` (literal parameters as typed inputs)."""
    bound = bind_arguments(call, SUBMIT_SIGNATURE)
    if isinstance(bound, str) or set(bound.values) - {"workspace", "experiment_name", "pipeline_parameters"}:
        raise Refused("published.submit() with parent_run_id= or continue_on_step_failure=")
    workspace = bound.values.get("workspace")
    if workspace_binding(ctx, workspace) is None:
        raise Refused("published.submit()'s workspace is not a Workspace variable", RefusalKind.DATA_FLOW)
    _returned_run_unused(call, "published.submit()", ctx)
    rewrite.consumes.append(workspace)  # type: ignore[arg-type]
    rewrite.findings.append(("AML044", call))
    experiment = bound.values.get("experiment_name")
    return _invoke(endpoint, client, ctx.locator.text(experiment) if experiment is not None else None,
                   bound.values.get("pipeline_parameters"), ctx)


def _invoke_for_experiment(call: ast.Call, endpoint: str, client: str, rewrite: Rewrite, ctx: FixContext) -> str:
    """``Experiment(ws, name).submit(published, pipeline_parameters={...})`` -> ``batch_endpoints.invoke``
    under the experiment's name (the experiment written in the call, or a variable only this submit uses)."""
    bound = bind_arguments(call, ["config", "tags"])
    if isinstance(bound, str) or set(bound.values) - {"config", "pipeline_parameters"}:
        raise Refused("experiment.submit() of the published pipeline with tags= or another option")
    receiver = call.func.value  # type: ignore[attr-defined]
    experiment = receiver
    if isinstance(receiver, ast.Name):
        binding = ctx.binding_of(receiver)
        statement = binding.node if binding is not None else None
        if binding is None or len(binding.uses) != 1 or not isinstance(statement, ast.Assign):
            raise Refused(f"`{receiver.id}` is not an Experiment(...) used only by this submit", RefusalKind.DATA_FLOW)
        experiment = statement.value
        rewrite.edits.append(ctx.delete(statement))
    if not isinstance(experiment, ast.Call) or ctx.callee(experiment) != EXPERIMENT:
        raise Refused("the submit's experiment is not an Experiment(...) this fix can follow", RefusalKind.DATA_FLOW)
    try:
        workspace, name = experiment_parts(experiment, ctx)
    except ValueError as reason:
        raise Refused(str(reason), RefusalKind.DATA_FLOW) from None
    v1 = next((n for n in ast.walk(name) if isinstance(n, ast.Name) and ctx.binding_of(n) is not None
               and isinstance(ctx.binding_of(n).value, Instance)), None)  # type: ignore[union-attr]
    if v1 is not None:  # (its own rewrite would edit inside the text moved: review, ``ws.name + "-nightly"``)
        raise Refused(f"the experiment name reads `{v1.id}`, a v1 object: assign the name to a variable first",
                      RefusalKind.DATA_FLOW)
    changed = holds_at(name, call, ctx)  # (review: a name set again before the submit named another experiment)
    if changed is not None:
        raise Refused(f"the experiment name reads `{changed.id}`, which may hold another value where the pipeline "
                      "is submitted", RefusalKind.DATA_FLOW)
    _returned_run_unused(call, "experiment.submit()", ctx)
    rewrite.consumes.append(workspace)
    rewrite.findings.extend([("AML001", call), ("AML040", experiment)])
    return _invoke(endpoint, client, ctx.locator.text(name), bound.values.get("pipeline_parameters"), ctx)


def _returned_run_unused(call: ast.Call, what: str, ctx: FixContext) -> None:
    result = ctx.assigned_binding(call)
    for use in result.uses if result is not None else []:
        if not printed(use, ctx):
            # invoke returns a BatchJob (id, name, type, status): no v1 Run method, and its id is ARM's
            raise Refused(f"the run {what} returns is used at {line_ref(use.lineno)}, and v2's "
                          "batch_endpoints.invoke returns a BatchJob, not a run", RefusalKind.DATA_FLOW)


def _invoke(endpoint: str, client: str, experiment: str | None, parameters: ast.expr | None, ctx: FixContext) -> str:
    arguments = [f"endpoint_name={endpoint}.name"]
    if experiment is not None:
        arguments.append(f"experiment_name={experiment}")
    if parameters is not None:
        if not isinstance(parameters, ast.Dict) or any(constant_str(k) is None for k in parameters.keys):  # type: ignore[arg-type]
            raise Refused("pipeline_parameters= is not a literal dict", RefusalKind.DATA_FLOW)
        inputs = []
        for key, value in zip(parameters.keys, parameters.values):
            kind = _TYPES.get(type(value.value)) if isinstance(value, ast.Constant) else None
            if kind is None:
                raise Refused("a pipeline parameter that is not a literal number, string or bool", RefusalKind.DATA_FLOW)
            inputs.append(f'{py_str(constant_str(key))}: {ctx.symbol("azure.ai.ml", "Input")}'  # type: ignore[arg-type]
                          f'(type="{kind}", default={ctx.locator.text(value)})')
        arguments.append("inputs={" + ", ".join(inputs) + "}")
    return f"{client}.batch_endpoints.invoke({', '.join(arguments)})"


def published_pipeline(node: ast.expr | None, ctx: FixContext) -> tuple[Binding, ast.Name] | None:
    """``published.id`` where ``published = pipeline.publish(...)``: (published, the pipeline variable)."""
    if not isinstance(node, ast.Attribute) or node.attr != "id" or not isinstance(node.value, ast.Name):
        return None
    published = ctx.binding_of(node.value)
    statement = published.node if published is not None else None
    value = statement.value if isinstance(statement, ast.Assign) else None
    if (not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute) or value.func.attr != "publish"
            or not isinstance(value.func.value, ast.Name)):
        return None
    pipeline = ctx.binding_of(value.func.value)
    if pipeline is None or pipeline.value != Instance(PIPELINE):
        return None
    return published, value.func.value  # type: ignore[return-value]
